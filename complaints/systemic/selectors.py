"""Reading the register: a fixed number of queries per page, however many complaints."""

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When

from ..models import (
    Complaint,
    SystemicIssue,
    SystemicSuggestion,
    SystemicSuggestionComplaint,
)

Status = SystemicIssue.Status
SUGGESTIONS_SHOWN = 20


def issue_list() -> QuerySet[SystemicIssue]:
    """Every issue with its owner and `complaint_count`; issues still being worked on first."""
    closed_last = Case(
        When(status=Status.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return (
        SystemicIssue.objects.select_related("owner")
        .annotate(complaint_count=Count("links"), closed_last=closed_last)
        .order_by("closed_last", "-opened_at", "-id")
    )


def issue_complaints(issue: SystemicIssue) -> QuerySet[Complaint]:
    """The complaints linked to `issue`, newest first, with what a row shows."""
    return (
        Complaint.objects.filter(systemic_link__issue=issue)
        .select_related("customer", "category", "systemic_link__linked_by")
        .order_by("-created_at", "-id")
    )


def pending_suggestions(limit: int = SUGGESTIONS_SHOWN) -> list[SystemicSuggestion]:
    """Suggestions waiting for a decision, newest first, each with its complaints (3 queries)."""
    members = SystemicSuggestionComplaint.objects.select_related("complaint__customer").order_by(
        "complaint__created_at", "complaint_id"
    )
    return list(
        SystemicSuggestion.objects.filter(status=SystemicSuggestion.Status.PENDING)
        .select_related("category")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("-created_at", "-id")[:limit]
    )


def issue_of(complaint: Complaint) -> SystemicIssue | None:
    """The issue `complaint` belongs to, if any: no query when the complaint was read with
    select_related("systemic_link__issue"), otherwise one or two."""
    # A missing one-to-one link raises RelatedObjectDoesNotExist, an AttributeError.
    link = getattr(complaint, "systemic_link", None)
    return link.issue if link is not None else None
