"""Every Celery task of the desk, for the worker's autodiscovery (it imports `complaints.tasks`).

The tasks live with their areas; their names (e.g. "complaints.tasks.check_deadlines")
are what beat schedules and stay as they are.
"""

from .deadlines.tasks import check_deadlines, sweep_lane
from .notifications.tasks import deliver_notifications
from .reports.tasks import flag_overdue_preventive_actions, publish_weekly_report
from .systemic.tasks import suggest_systemic_issues
from .workflow.tasks import check_holds

__all__ = [
    "check_deadlines",
    "check_holds",
    "deliver_notifications",
    "flag_overdue_preventive_actions",
    "publish_weekly_report",
    "suggest_systemic_issues",
    "sweep_lane",
]
