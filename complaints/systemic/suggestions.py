"""Suggesting systemic issues: the beat's task finds clusters of similar complaints from
different customers (complaints.systemic.similarity, the one rule) and files each once.

Exactly once per cluster, however many runs or beats: a suggestion's fingerprint is unique
and a complaint is in one suggestion at most, so of two runs suggesting the same complaints
at the same moment one inserts and the other meets the unique index and skips (each
cluster in its own transaction). Complaints already in a suggestion, whatever was decided
on it, or linked to an issue are not clustered again: a dismissed suggestion stays
dismissed.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Complaint, SystemicSuggestion, SystemicSuggestionComplaint
from . import similarity

# The newest complaints looked at per run: bounds the comparisons on a very busy week.
MAX_CANDIDATES = 5000


def min_customers() -> int:
    return int(getattr(settings, "SYSTEMIC_MIN_COMPLAINTS", similarity.MIN_CUSTOMERS))


def threshold() -> float:
    return float(getattr(settings, "SYSTEMIC_SIMILARITY", similarity.THRESHOLD))


def candidates(now: datetime) -> list[similarity.Item]:
    """The complaints of the last seven days not yet suggested nor linked to an issue."""
    since = now - timedelta(days=similarity.WINDOW_DAYS)
    rows = (
        Complaint.objects.filter(
            created_at__gte=since,
            created_at__lte=now,
            systemic_link__isnull=True,
            systemic_suggestion__isnull=True,
        )
        .order_by("-created_at", "-id")
        .values_list("id", "customer_id", "category_id", "product", "content", "created_at")[:MAX_CANDIDATES]
    )
    return [similarity.Item(*row) for row in rows]


def suggest_systemic_issues(now: datetime | None = None) -> list[SystemicSuggestion]:
    """File a suggestion for each new cluster; return those filed by this run."""
    now = now or timezone.now()
    made = []
    for cluster in similarity.clusters(candidates(now), min_customers=min_customers(), threshold=threshold()):
        try:
            with transaction.atomic():
                suggestion = SystemicSuggestion.objects.create(
                    fingerprint=similarity.fingerprint(cluster),
                    category_id=cluster[0].category_id,
                    product=similarity.product_of(cluster)[:200],
                    title=similarity.title_of(cluster),
                    customer_count=len({item.customer_id for item in cluster}),
                    created_at=now,
                )
                SystemicSuggestionComplaint.objects.bulk_create(
                    SystemicSuggestionComplaint(suggestion=suggestion, complaint_id=item.id)
                    for item in cluster
                )
        except IntegrityError:
            continue  # another run suggested these complaints a moment ago
        made.append(suggestion)
    return made
