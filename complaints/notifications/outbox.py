"""The outbox: the one place that sends email.

Writers call queue_email() inside their transaction; deliver_pending(), run by a periodic
Celery task, claims rows and sends them. A claim is a compare-and-set UPDATE with an
expiry, so two workers never send the same row at once, and a worker that dies
mid-delivery leaves rows that are retried once the claim expires (at-least-once: a crash
between the SMTP answer and marking the row sent can repeat that one email).
"""

import contextvars
import hashlib
import logging
import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import bulk
from ..models import Complaint, Notification

logger = logging.getLogger(__name__)


def _claim_for():
    # How long a worker owns the rows it claimed; a worker killed mid-delivery leaves its
    # rows to the next one after this long.
    return timedelta(seconds=settings.CLEAR_DESK.get("OUTBOX_CLAIM_SECONDS", 300))


MAX_ATTEMPTS = 8

CANCELLED = "cancelled: "

# Why emails queued now are never sent (withheld()), or None: queue as usual.
_withheld_because: contextvars.ContextVar[str | None] = contextvars.ContextVar("withheld", default=None)


@contextmanager
def withheld(*, why: str) -> Iterator[None]:
    """Keep every email queued inside the block from ever being sent.

    For data written with past dates (the demo's history): its rows are filed as given up
    ("cancelled: <why>", text kept for the admin) the moment they are queued, so the first
    delivery run after start sends nothing that happened before it.
    """
    token = _withheld_because.set(why)
    try:
        yield
    finally:
        _withheld_because.reset(token)


def queue_email(
    *,
    to: str,
    subject: str,
    body: str,
    key: str,
    html: str = "",
    complaint: Complaint | None = None,
    now: datetime | None = None,
) -> int:
    """Queue one email; the same `key` queued again is ignored. Returns True if queued."""
    return queue_emails(
        [{"to": to, "subject": subject, "body": body, "key": key, "html": html, "complaint": complaint}],
        now=now,
    )


def queue_emails(messages: Iterable[Mapping[str, Any]], now: datetime | None = None) -> int:
    """Queue many emails in one INSERT; rows whose key already exists are skipped."""
    now = now or timezone.now()
    why = _withheld_because.get()
    status, last_error = (
        (Notification.Status.PENDING.value, "")
        if why is None
        else (Notification.Status.FAILED.value, (CANCELLED + why)[:2000])
    )
    rows = [
        (
            m["key"][:200],
            m["to"],
            str(m["subject"])[:300],
            str(m["body"]),
            m.get("html", ""),
            m["complaint"].pk if m.get("complaint") is not None else m.get("complaint_id"),
            status,
            0,
            last_error,
            now,
            now,
            "",
        )
        for m in messages
        if m.get("to")
    ]
    # Plain multi-row INSERT: the sweep queues thousands at a time (see complaints.bulk).
    return bulk.insert_rows(
        Notification,
        [
            "key",
            "to",
            "subject",
            "body",
            "html",
            "complaint",
            "status",
            "attempts",
            "last_error",
            "created_at",
            "available_at",
            "claim",
        ],
        rows,
        ignore_conflicts=True,
    )


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
        ).update(claim=token, claimed_until=now + _claim_for())
    return list(Notification.objects.filter(claim=token, status=Notification.Status.PENDING))


def message_id(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@clear-desk>"


def _send(notification):
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to],
        # The same notification always carries the same Message-ID, so a mail server or
        # client can drop the rare duplicate of at-least-once delivery; the outbox key
        # travels along too (bench/scaleout.py counts deliveries by it).
        headers={"Message-ID": message_id(notification.key), "X-Clear-Desk-Notification": notification.key},
    )
    if notification.html:
        message.attach_alternative(notification.html, "text/html")
    message.send(fail_silently=False)


def cancel(ids: Iterable[int], *, why: str) -> int:
    """Never send these outbox rows and keep only their key and dates.

    Pending rows give up for good (status "failed", last_error "cancelled: <why>");
    deliver_pending() reads each row again before sending, so a cancelled one goes nowhere.
    """
    ids = list(ids)
    rows = Notification.objects.filter(pk__in=ids)
    rows.filter(status=Notification.Status.PENDING).update(
        status=Notification.Status.FAILED, last_error=(CANCELLED + why)[:2000]
    )
    return rows.update(to="", subject="", body="", html="")


def deliver_pending(batch: int = 100, now: datetime | None = None) -> tuple[int, int]:
    """Send what is due; return (sent, failed). Safe to run from several workers at once."""
    now = now or timezone.now()
    sent = failed = 0
    for claimed in _claim(batch, now):
        # Read the row again just before sending: one cancelled meanwhile (an erasure,
        # see cancel()) is no longer pending and goes nowhere.
        notification = Notification.objects.filter(
            pk=claimed.pk, claim=claimed.claim, status=Notification.Status.PENDING
        ).first()
        if notification is None or not notification.to:
            continue
        attempts = notification.attempts + 1
        try:
            _send(notification)
        except Exception as exc:
            failed += 1
            gave_up = attempts >= MAX_ATTEMPTS
            logger.warning("Sending notification %s failed (attempt %s): %s", notification.pk, attempts, exc)
            # Still pending only: a row cancelled while it was being sent stays cancelled.
            Notification.objects.filter(
                pk=notification.pk, claim=notification.claim, status=Notification.Status.PENDING
            ).update(
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
