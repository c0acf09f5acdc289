"""Celery tasks: thin wrappers that call the services."""

from celery import shared_task

from . import notifications


@shared_task(name="complaints.tasks.deliver_notifications", ignore_result=True)
def deliver_notifications():
    """Send the queued emails that are due."""
    sent, failed = notifications.deliver_pending()
    return {"sent": sent, "failed": failed}
