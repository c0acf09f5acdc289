"""Read-only queries about complaints: lists, queue rows, the record, the categories offered."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform

from ..models import Category, Complaint, ComplaintRecord, Notification
from ..process_copy import ProcessCopy


def _active_by_code():
    return {c.code: c for c in Category.objects.filter(is_active=True)}


# Intake looks its category up on every request (complaints.process_copy).
ACTIVE_CATEGORIES = ProcessCopy(_active_by_code)


forget_categories = ACTIVE_CATEGORIES.forget


def active_categories() -> dict[str, Category]:
    """{code: Category} of the categories offered for new complaints."""
    return ACTIVE_CATEGORIES.get()


def complaint_list() -> QuerySet[Complaint]:
    """Complaints with everything a list row shows, fetched in the same query."""
    return Complaint.objects.select_related(
        "customer", "assignee", "category", "root_cause", "responsible_department", "hold"
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
    "callback_due_at",
    "customer__name",
    "customer__phone",
    "customer__tier",
    "category__code",
    "category__label",
    "category__label_zh",
    "assignee__username",
    "hold__kind",
    "hold__reason",
    "hold__started_at",
    "hold__paused_deadline",
    "back_from_hold__started_at",
    "back_from_hold__ended_at",
)


def queue_rows() -> QuerySet[Complaint]:
    """Complaints with just what a queue row shows, fetched in the same query."""
    return Complaint.objects.select_related(
        "customer", "assignee", "category", "hold", "back_from_hold"
    ).only(*QUEUE_ROW_FIELDS)


def records_for(complaint: Complaint) -> QuerySet[ComplaintRecord]:
    """The filed record, oldest first; an entry of a message to the customer carries
    `delivered_at`, when the outbox sent it (its row joined by key, same query)."""
    outbox_row = Notification.objects.filter(key=KeyTextTransform("key", OuterRef("data")))
    return (
        ComplaintRecord.objects.filter(complaint=complaint)
        .select_related("author")
        .annotate(delivered_at=Subquery(outbox_row.values("sent_at")[:1]))
        .order_by("created_at", "id")
    )
