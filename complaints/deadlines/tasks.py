"""Celery tasks of the deadline sweep: the beat task and the lanes it fans out to."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from celery import group, shared_task
from django.utils import timezone, translation

from ..reports.prevention import preventive_actions_flag_overdue
from . import sweep


@shared_task(name="complaints.tasks.check_deadlines", ignore_result=True)
def check_deadlines() -> dict[str, Any]:
    """Every minute: start the deadline sweep; flag overdue preventive actions.

    Safe when several workers (or two beats) run it at once.
    """
    try:
        result = start_sweep()
    finally:
        # Overdue preventive actions are flagged even if the sweep itself failed.
        flagged = preventive_actions_flag_overdue()
    return {"sweep": result, "preventive_actions_flagged": flagged}


def start_sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Sweep here, on one lane, where lanes cannot share rows (SQLite); on PostgreSQL, when
    anything is due, fan out to a group of sweep_lane tasks that whichever workers are
    free take up, each claiming its own complaints. Nothing due (most minutes) is one
    indexed query and no task."""
    now = now or timezone.now()
    lanes = sweep.sweep_lanes()
    if lanes == 1:
        return sweep.complaints_check_deadlines(now=now)
    if not sweep.anything_due(now):
        return {"checked": 0, "breaches": 0, "warnings": 0}
    # The lanes word reasons and digests as this task would: same language, same time zone.
    words = (now.isoformat(), translation.get_language(), timezone.get_current_timezone_name())
    # A lane not started within the minute is left to the next beat's lanes.
    group(sweep_lane.si(*words) for _lane in range(lanes)).apply_async(expires=55)
    return {"lanes": lanes}


@shared_task(name="complaints.tasks.sweep_lane", ignore_result=True)
def sweep_lane(now: str, language: str | None, zone: str) -> dict[str, int]:
    """One lane of a sweep started by check_deadlines (sweep.complaints_check_deadlines)."""
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        return sweep.complaints_check_deadlines(now=dt.datetime.fromisoformat(now))
