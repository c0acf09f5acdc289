"""Reading deadlines: what is overdue now, and which complaints the sweep had to set aside."""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.db.models.lookups import LessThan
from django.utils import timezone

from ..models import Stage, SweepFailure, overdue_from


def overdue_q(now: datetime | None = None) -> Q:
    """Open complaints past their response deadline (still in Control) or resolution deadline."""
    now = now or timezone.now()
    # One range over the partial index complaint_open_overdue_from, whose statistics tell
    # the planner how few complaints are overdue. The two-branch OR this replaced looked
    # like most open complaints to it, so the list's capped count walked all of them (at a
    # million complaints: 15-97 ms for the count, 3-4 ms now).
    return Q(LessThan(overdue_from(), now))


def not_overdue_q(now: datetime | None = None) -> Q:
    """The complement of overdue_q: closed complaints and those on hold (overdue_from is
    NULL for both, which a negated comparison would leave out) and the rest."""
    return Q(stage=Stage.CLOSED) | Q(hold__isnull=False) | ~overdue_q(now)


# A parked complaint is tried again every hour (services.SWEEP_PARK); one seen failing
# within two hours still fails.
SWEEP_FAILURE_RECENT = timedelta(hours=2)


def sweep_failures_recent(now: datetime | None = None) -> QuerySet[SweepFailure]:
    """Complaints the deadline sweep could not process lately (parked, retried hourly)."""
    now = now or timezone.now()
    return SweepFailure.objects.filter(last_seen__gte=now - SWEEP_FAILURE_RECENT).order_by("-last_seen", "id")
