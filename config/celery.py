"""The Celery app: the worker and beat read their settings from Django's (CELERY_*)."""

import os

from celery import Celery

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
}
