"""Read-only queries about complaints."""

from django.db.models import Q
from django.utils import timezone

from .models import Complaint, ComplaintRecord, Stage


def complaint_list():
    """Complaints with everything a list row shows, fetched in the same query."""
    return Complaint.objects.select_related(
        "customer", "assignee", "category", "root_cause", "responsible_department"
    )


def overdue_q(now=None):
    """Open complaints past their response deadline (still in Control) or resolution deadline."""
    now = now or timezone.now()
    # Each branch matches one partial index (complaint_control_respond_by,
    # complaint_open_resolve_by), so PostgreSQL ORs two small index scans instead of
    # walking every open complaint.
    return Q(stage=Stage.CONTROL, respond_by__lt=now) | (~Q(stage=Stage.CLOSED) & Q(resolve_by__lt=now))


def records_for(complaint):
    return (
        ComplaintRecord.objects.filter(complaint=complaint)
        .select_related("author")
        .order_by("created_at", "id")
    )
