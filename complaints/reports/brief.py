"""The brief for all staff: the latest published week's, for every desk role."""

from typing import Any

from ..models import WeeklyReportSnapshot
from .present import present_brief


def latest_published_brief() -> dict[str, Any] | None:
    """{"week", "published_at", "top_causes", "actions"} of the newest published week, with
    labels in the current language; None while no week is published. One query."""
    snapshot = WeeklyReportSnapshot.objects.only("week", "data", "updated_at").order_by("-week").first()
    if snapshot is None:
        return None
    return {
        "week": snapshot.week,
        "published_at": snapshot.updated_at,
        **present_brief(snapshot.data.get("brief", {})),
    }
