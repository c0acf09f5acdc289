"""Celery tasks of the outbox."""

import time

from celery import shared_task

from . import outbox

DELIVERY_BATCH = 100
DELIVERY_BUDGET = 10.0  # seconds; the beat entry expires after 14


@shared_task(name="complaints.tasks.deliver_notifications", ignore_result=True)
def deliver_notifications():
    """Send the queued emails that are due: batch after batch, for up to DELIVERY_BUDGET seconds.

    One batch per run (every 15 s) would cap the outbox at ~7 emails a second; a burst of
    breaches (thousands of rows) then waits for hours. The budget stays under the task's
    expiry so runs from two beats do not pile up.
    """
    sent = failed = 0
    stop_at = time.monotonic() + DELIVERY_BUDGET
    while True:
        batch_sent, batch_failed = outbox.deliver_pending(batch=DELIVERY_BATCH)
        sent, failed = sent + batch_sent, failed + batch_failed
        if batch_sent + batch_failed < DELIVERY_BATCH or time.monotonic() >= stop_at:
            return {"sent": sent, "failed": failed}
