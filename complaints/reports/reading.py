"""Which figures a week shows: its published snapshot, or the live figures."""

from datetime import date
from typing import Any

from ..models import WeeklyReportSnapshot
from . import compose, weeks


def monday_from(value: str | None) -> date:
    """The Monday of ?week= (default: the last full week). Raises weeks.BadWeek."""
    return weeks.parse_week(value) if value else weeks.last_full_week()


def report_for(monday: date) -> tuple[dict[str, Any], WeeklyReportSnapshot | None]:
    """(report data, snapshot or None): the published figures if the week was published."""
    snapshot = (
        WeeklyReportSnapshot.objects.select_related("built_by").filter(week=weeks.week_label(monday)).first()
    )
    if snapshot:
        return snapshot.data, snapshot
    return compose.build_report(monday), None
