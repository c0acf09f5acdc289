"""Celery tasks: thin wrappers that call the services."""

from celery import shared_task

from . import notifications, services


@shared_task(name="complaints.tasks.deliver_notifications", ignore_result=True)
def deliver_notifications():
    """Send the queued emails that are due."""
    sent, failed = notifications.deliver_pending()
    return {"sent": sent, "failed": failed}


@shared_task(name="complaints.tasks.check_deadlines", ignore_result=True)
def check_deadlines():
    """Warn before and escalate after passed deadlines; safe when several workers run it."""
    return services.complaints_check_deadlines()
