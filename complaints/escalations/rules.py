"""What escalating sets on a complaint: the one rule every kind of escalation follows.

Pure: the manual action and low satisfaction write it through escalations.services.escalate(),
the deadline sweep writes it for many complaints at once (complaints.bulk).
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models.expressions import Combinable


def escalation_values(
    *,
    level: int | Combinable,
    reason: str,
    at: datetime,
    code: str = "",
    values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The escalation fields after escalating to `level` for `reason` at `at`: no one has
    acknowledged this escalation yet (a new level needs a new acknowledgement).

    A reason the desk words itself also carries its `code` and `values` (plain JSON), so
    pages word it in the reader's language (notifications.messages.escalation_reasons);
    a typed reason has no code and is shown as typed.
    """
    return {
        "escalated": True,
        "escalated_at": at,
        "escalation_reason": reason,
        "escalation_reason_code": code,
        "escalation_reason_values": dict(values) if code and values is not None else None,
        "escalation_level": level,
        "escalation_acknowledged_at": None,
        "escalation_acknowledged_by": None,
    }


def is_low_satisfaction(score: int | None) -> bool:
    """A score this low (staff-entered or from the survey) puts the complaint before a
    supervisor; the weekly report counts the same scores as dissatisfied."""
    return score is not None and score <= settings.CLEAR_DESK["LOW_SATISFACTION_AT_MOST"]
