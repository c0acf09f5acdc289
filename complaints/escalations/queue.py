"""The supervisors' escalation queue."""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .. import access
from ..models import CompensationRequest, Complaint, Stage, deadline_now

QUEUE_LIMIT = 200


Pending = CompensationRequest.Status.PENDING


def escalation_queue(now: datetime | None = None, limit: int = QUEUE_LIMIT) -> list[Complaint]:
    """Escalated open complaints, those with compensation awaiting approval, and closed
    complaints escalated for a follow-up (a low satisfaction score) until acknowledged.

    Most overdue first (whole hours past the deadline that applies now,
    models.deadline_now); among equally
    overdue ones, VIP (tier A) customers first. Three queries whatever the queue holds.
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
            )
        )
        .order_by("due_at", "id")[:limit]
    )
    for c in rows:
        # Closed: no deadline runs; the follow-up waits since the escalation.
        c.follow_up = c.due_at is None
        c.due_at = c.due_at or c.escalated_at
        c.overdue_for = timedelta(0) if c.follow_up else max(now - c.due_at, timedelta(0))
        c.urgency = int(max(now - c.due_at, timedelta(0)).total_seconds() // 3600)
    rows.sort(key=lambda c: (-c.urgency, not c.customer.is_vip, c.due_at, c.pk))
    return rows


def workers() -> QuerySet[AbstractUser]:
    """Who a complaint can be handed to."""
    return access.users_with_role(*access.WORKERS).order_by("username")
