"""Celery tasks of the workflow: holds that need a reminder or have run out."""

from celery import shared_task

from . import holds


@shared_task(name="complaints.tasks.check_holds", ignore_result=True)
def check_holds() -> dict[str, int]:
    """Every few minutes: remind customers on hold, return complaints whose hold ran out.

    Safe when several workers (or two beats) run it at once (workflow.holds.holds_check).
    """
    return holds.holds_check()
