"""Celery tasks of the deadline sweep."""

from celery import shared_task

from ..reports.prevention import preventive_actions_flag_overdue
from . import sweep


@shared_task(name="complaints.tasks.check_deadlines", ignore_result=True)
def check_deadlines():
    """Warn before and escalate after passed deadlines; flag overdue preventive actions.

    Safe when several workers (or two beats) run it at once.
    """
    try:
        result = sweep.complaints_check_deadlines()
    finally:
        # Overdue preventive actions are flagged even if the sweep itself failed.
        flagged = preventive_actions_flag_overdue()
    return {"sweep": result, "preventive_actions_flagged": flagged}
