"""The Celery app: the worker and beat read their settings from Django's (CELERY_*)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("clear_desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "deliver-notifications": {
        "task": "complaints.tasks.deliver_notifications",
        "schedule": 15.0,
        "options": {"expires": 14},
    },
    "recompute-customer-tiers": {
        "task": "customers.tasks.recompute_tiers",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 3600},
    },
    # Two beats firing at once (a deployment mistake) is harmless: the sweep claims rows.
    "check-deadlines": {
        "task": "complaints.tasks.check_deadlines",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Reminders after HOLD_REMINDER_DAYS, back to the queue after HOLD_MAX_DAYS; each once,
    # whichever beat runs it (workflow.holds.holds_check).
    "check-holds": {
        "task": "complaints.tasks.check_holds",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
    # Suggests each cluster of similar complaints once, whichever beat or worker runs it.
    "suggest-systemic-issues": {
        "task": "complaints.tasks.suggest_systemic_issues",
        "schedule": 1800.0,
        "options": {"expires": 1700},
    },
}


def _weekly_report_schedule():
    from django.conf import settings

    reports = settings.CLEAR_DESK_REPORTS
    return crontab(
        day_of_week=reports["PUBLISH_DAY_OF_WEEK"],
        hour=reports["PUBLISH_HOUR"],
        minute=reports["PUBLISH_MINUTE"],
    )


app.conf.beat_schedule.update(
    {
        # In CELERY_TIMEZONE (= TIME_ZONE): Monday 07:00 by default.
        "publish-weekly-report": {
            "task": "complaints.report_tasks.publish_weekly_report",
            "schedule": _weekly_report_schedule(),
        },
    }
)
