"""The one module that sends email.

Writers call queue_email() inside their transaction (the outbox); deliver_pending(),
run by a periodic Celery task, claims rows and sends them. A claim is a compare-and-set
UPDATE with an expiry, so two workers never send the same row at once, and a worker that
dies mid-delivery leaves rows that are retried once the claim expires (at-least-once:
a crash between the SMTP answer and marking the row sent can repeat that one email).
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

CLAIM_FOR = timedelta(minutes=5)
MAX_ATTEMPTS = 8


def queue_email(*, to, subject, body, key, html="", complaint=None, now=None):
    """Queue one email; the same `key` queued again is ignored. Returns True if queued."""
    return queue_emails(
        [{"to": to, "subject": subject, "body": body, "key": key, "html": html, "complaint": complaint}],
        now=now,
    )


def queue_emails(messages, now=None):
    """Queue many emails in one INSERT; rows whose key already exists are skipped."""
    now = now or timezone.now()
    rows = [
        Notification(
            key=m["key"][:200],
            to=m["to"],
            subject=str(m["subject"])[:300],
            body=m["body"],
            html=m.get("html", ""),
            complaint=m.get("complaint"),
            created_at=now,
            available_at=now,
        )
        for m in messages
        if m.get("to")
    ]
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _claim(batch, now):
    token = secrets.token_hex(8)
    due = (
        Notification.objects.filter(status=Notification.Status.PENDING, available_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("available_at", "id")
        .values_list("id", flat=True)[:batch]
    )
    with transaction.atomic():
        # The WHERE is evaluated again under the row lock, so a row claimed by another
        # worker in between is skipped rather than claimed twice.
        Notification.objects.filter(id__in=list(due), status=Notification.Status.PENDING).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        ).update(claim=token, claimed_until=now + CLAIM_FOR)
    return list(Notification.objects.filter(claim=token, status=Notification.Status.PENDING))


def _send(notification):
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to],
    )
    if notification.html:
        message.attach_alternative(notification.html, "text/html")
    message.send(fail_silently=False)


def deliver_pending(batch=100, now=None):
    """Send what is due; return (sent, failed). Safe to run from several workers at once."""
    now = now or timezone.now()
    sent = failed = 0
    for notification in _claim(batch, now):
        attempts = notification.attempts + 1
        try:
            _send(notification)
        except Exception as exc:
            failed += 1
            gave_up = attempts >= MAX_ATTEMPTS
            logger.warning("Sending notification %s failed (attempt %s): %s", notification.pk, attempts, exc)
            Notification.objects.filter(pk=notification.pk, claim=notification.claim).update(
                attempts=attempts,
                last_error=str(exc)[:2000],
                status=Notification.Status.FAILED if gave_up else Notification.Status.PENDING,
                available_at=now + timedelta(minutes=2**attempts),
                claimed_until=None,
                claim="",
            )
            continue
        sent += 1
        Notification.objects.filter(pk=notification.pk, claim=notification.claim).update(
            attempts=attempts, status=Notification.Status.SENT, sent_at=timezone.now(), claimed_until=None
        )
    return sent, failed
