"""Celery tasks for the weekly report and preventive actions: thin wrappers over the services."""

from celery import shared_task

from . import prevention, publishing


@shared_task(name="complaints.report_tasks.publish_weekly_report", ignore_result=True)
def publish_weekly_report():
    """Publish last week's report (once) and queue one email per manager (once)."""
    snapshot, queued = publishing.publish_last_week()
    return {"week": snapshot.week, "version": snapshot.version, "queued": queued}


@shared_task(name="complaints.report_tasks.flag_overdue_preventive_actions", ignore_result=True)
def flag_overdue_preventive_actions():
    return {"flagged": prevention.preventive_actions_flag_overdue()}
