"""The supervisors' escalation queue."""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .. import access
from ..models import CompensationRequest, Complaint, ComplaintRecord, Stage, deadline_now
from ..notifications.messages import escalation_reasons

QUEUE_LIMIT = 200
# The latest notes filed on a complaint that its row in the queue shows.
NOTES_SHOWN = 3


Pending = CompensationRequest.Status.PENDING


def escalation_queue(now: datetime | None = None, limit: int = QUEUE_LIMIT) -> list[Complaint]:
    """Escalated open complaints, those with compensation awaiting approval, and closed
    complaints escalated for a follow-up (a low satisfaction score) until acknowledged.

    Most overdue first (whole hours past the deadline that applies now,
    models.deadline_now); among equally
    overdue ones, VIP (tier A) customers first. Each row carries its reason in the reader's
    language (`reason_text`) and its latest notes (`latest_notes`, newest first, who and
    when). Three queries whatever the queue holds.
    """
    now = now or timezone.now()
    pending = CompensationRequest.objects.filter(complaint=OuterRef("pk"), status=Pending)
    rows = list(
        Complaint.objects.annotate(has_pending=Exists(pending), due_at=deadline_now())
        .filter(
            (~Q(stage=Stage.CLOSED) & (Q(escalated=True) | Q(has_pending=True)))
            | Q(stage=Stage.CLOSED, escalated=True, escalation_acknowledged_at__isnull=True)
        )
        .select_related("customer", "assignee", "category", "escalation_acknowledged_by")
        .prefetch_related(
            Prefetch(
                "compensation_requests",
                queryset=CompensationRequest.objects.filter(status=Pending).select_related("requested_by"),
                to_attr="pending_requests",
            ),
            Prefetch(
                "records",
                queryset=ComplaintRecord.objects.filter(data__action="note")
                .select_related("author")
                .order_by("-created_at", "-id"),
                to_attr="notes_newest_first",
            ),
        )
        .order_by("due_at", "id")[:limit]
    )
    reason = escalation_reasons()
    for c in rows:
        c.reason_text = reason(c.escalation_reason_code, c.escalation_reason_values, c.escalation_reason)
        c.latest_notes = c.notes_newest_first[:NOTES_SHOWN]
        # Closed: no deadline runs; the follow-up waits since the escalation.
        # No deadline applies: closed (a follow-up), or on hold (its clocks paused).
        c.follow_up = c.due_at is None and not c.is_open
        c.paused = c.due_at is None and c.is_open
        c.due_at = c.due_at or c.escalated_at
        waiting = c.follow_up or c.paused
        c.overdue_for = timedelta(0) if waiting else max(now - c.due_at, timedelta(0))
        c.urgency = 0 if c.paused else int(max(now - c.due_at, timedelta(0)).total_seconds() // 3600)
    rows.sort(key=lambda c: (-c.urgency, not c.customer.is_vip, c.due_at, c.pk))
    return rows


def workers() -> QuerySet[AbstractUser]:
    """Who a complaint can be handed to."""
    return access.users_with_role(*access.WORKERS).order_by("username")


# The header's badge: how many escalations wait for a supervisor, read at most once a
# minute for all supervisors (one count query on the page that reads it).
BADGE_CACHE_KEY = "escalations:unacknowledged:supervisor"
BADGE_SECONDS = 60


def unacknowledged_count() -> int:
    """Escalations no supervisor has acknowledged yet (open ones and closed follow-ups),
    from Django's cache for up to BADGE_SECONDS."""
    count = cache.get(BADGE_CACHE_KEY)
    if count is None:
        count = Complaint.objects.filter(escalated=True, escalation_acknowledged_at__isnull=True).count()
        cache.set(BADGE_CACHE_KEY, count, BADGE_SECONDS)
    return count


def forget_unacknowledged_count() -> None:
    """After an acknowledgement the next page counts again."""
    cache.delete(BADGE_CACHE_KEY)
