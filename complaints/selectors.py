"""Read-only queries about complaints."""

from datetime import timedelta

from django.db.models import Q
from django.db.models.lookups import LessThan
from django.utils import timezone

from .models import Category, Complaint, ComplaintRecord, Stage, SweepFailure, overdue_from
from .process_copy import ProcessCopy


def _active_by_code():
    return {c.code: c for c in Category.objects.filter(is_active=True)}


# Intake looks its category up on every request (complaints.process_copy).
ACTIVE_CATEGORIES = ProcessCopy(_active_by_code)
forget_categories = ACTIVE_CATEGORIES.forget


def active_categories():
    """{code: Category} of the categories offered for new complaints."""
    return ACTIVE_CATEGORIES.get()


def complaint_list():
    """Complaints with everything a list row shows, fetched in the same query."""
    return Complaint.objects.select_related(
        "customer", "assignee", "category", "root_cause", "responsible_department"
    )


# What a queue row shows (templates/complaints/home.html): fewer columns and joins make
# the query cheaper to plan, to send and to turn into objects.
QUEUE_ROW_FIELDS = (
    "reference",
    "stage",
    "severity",
    "escalated",
    "respond_by",
    "resolve_by",
    "customer__name",
    "customer__phone",
    "customer__tier",
    "category__code",
    "category__label",
    "category__label_zh",
    "assignee__username",
)


def queue_rows():
    """Complaints with just what a queue row shows, fetched in the same query."""
    return Complaint.objects.select_related("customer", "assignee", "category").only(*QUEUE_ROW_FIELDS)


def overdue_q(now=None):
    """Open complaints past their response deadline (still in Control) or resolution deadline."""
    now = now or timezone.now()
    # One range over the partial index complaint_open_overdue_from, whose statistics tell
    # the planner how few complaints are overdue. The two-branch OR this replaced looked
    # like most open complaints to it, so the list's capped count walked all of them (at a
    # million complaints: 15-97 ms for the count, 3-4 ms now).
    return Q(LessThan(overdue_from(), now))


def not_overdue_q(now=None):
    """The complement of overdue_q: closed complaints (overdue_from is NULL) and the rest."""
    return Q(stage=Stage.CLOSED) | ~overdue_q(now)


def records_for(complaint):
    return (
        ComplaintRecord.objects.filter(complaint=complaint)
        .select_related("author")
        .order_by("created_at", "id")
    )


# A parked complaint is tried again every hour (services.SWEEP_PARK); one seen failing
# within two hours still fails.
SWEEP_FAILURE_RECENT = timedelta(hours=2)


def sweep_failures_recent(now=None):
    """Complaints the deadline sweep could not process lately (parked, retried hourly)."""
    now = now or timezone.now()
    return SweepFailure.objects.filter(last_seen__gte=now - SWEEP_FAILURE_RECENT).order_by("-last_seen", "id")
