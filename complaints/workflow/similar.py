"""How did we resolve this before? The earlier closed complaints most like one complaint, read
by the complaint page's panel and GET /api/complaints/{id}/similar/.

Up to five closed complaints received before this one (and, when this one is closed, closed
before it too): the same customer's first (their
history is what the handler needs to know), then those about the same product (a closer
match than a category), then those of the same category, each group ordered by how much
its content reads like this one's (then the newest closing), each with how it was resolved.

Speed at a million complaints: the candidates are the latest closings of the customer, of the
category and of the product, each a short walk from the end of its own partial index
(migration 0033), so the work does not grow with the table; only those few hundred rows are
compared by text. On PostgreSQL the comparison is pg_trgm's similarity() in the same single
query; on SQLite (one machine, small tables) the candidates are read and compared here with
the same measure (shared trigrams), so the order is the same kind of order.
"""

import re
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Left, Upper

from .. import access
from ..models import Complaint, Stage

LIMIT = 5
# How many of the latest closings of the category (and of the product) are compared by text:
# enough to find the close matches among a busy category's recent weeks, few enough to stay
# a few milliseconds at any size.
CANDIDATES = 200
# Compared text is cut here: similarity of the opening is what tells cases apart, and a
# 5,000-character complaint must not cost more than a short one.
TEXT_PREFIX = 1000

# What a complaint is compared by (the API reads only these of it).
COMPARED_FIELDS = ("stage", "customer_id", "category_id", "product", "content", "created_at", "closed_at")

RESULT_FIELDS = (
    "reference",
    "stage",  # the state machine reads it on every row
    "customer_id",
    "category__code",
    "category__label",
    "category__label_zh",
    "product",
    "content",
    "created_at",
    "closed_at",
    "resolution",
    "remedy",
    "preventive_action",
    "root_cause__code",
    "root_cause__label",
    "root_cause__label_zh",
    "satisfaction_score",
)


@dataclass(frozen=True)
class Similar:
    """One earlier case: the complaint (with its category and root cause) and why it is shown."""

    complaint: Complaint
    same_customer: bool
    same_product: bool
    similarity: float


def _streams(complaint: Complaint, rows: QuerySet[Complaint]) -> list[QuerySet[Complaint]]:
    """The candidate streams, each newest closing first and cut to its size."""
    base = rows.filter(stage=Stage.CLOSED, created_at__lt=complaint.created_at).exclude(pk=complaint.pk)
    if complaint.closed_at is not None:
        # Seen from a closed complaint, the walk starts at its own closing: starting at the
        # newest closing would step over every later one (at a million, a busy category's
        # whole index for a complaint closed months ago) to find the received-before ones.
        base = base.filter(closed_at__lte=complaint.closed_at)
    base = base.order_by("-closed_at", "-id")
    streams = [
        base.filter(customer_id=complaint.customer_id)[:LIMIT],
        base.filter(category_id=complaint.category_id)[:CANDIDATES],
    ]
    product = (complaint.product or "").strip()
    if product:
        streams.append(
            base.exclude(product="")
            .annotate(product_key=Upper("product"))
            .filter(product_key=product.upper())[:CANDIDATES]
        )
    return streams


def _text(complaint: Complaint) -> str:
    return (complaint.content or "")[:TEXT_PREFIX]


def _rows() -> QuerySet[Complaint]:
    return Complaint.objects.select_related("category", "root_cause").only(*RESULT_FIELDS)


def similar_complaints(
    *, complaint: Complaint, user: AbstractBaseUser | AnonymousUser, limit: int = LIMIT
) -> list[Similar]:
    """The earlier closed complaints most like `complaint` that `user` may read, best first.

    Empty for a user without a desk role (complaints.access: every role reads every
    complaint). One query.
    """
    if not access.has_any_role(user):
        return []
    limit = max(0, min(limit, LIMIT))
    if not limit:
        return []
    if connection.vendor == "postgresql":
        return _on_postgresql(complaint, limit)
    return _elsewhere(complaint, limit)


def _on_postgresql(complaint: Complaint, limit: int) -> list[Similar]:
    first, *others = (stream.values("id") for stream in _streams(complaint, Complaint.objects.all()))
    candidates = first.union(*others)
    same_customer = ExpressionWrapper(Q(customer_id=complaint.customer_id), output_field=BooleanField())
    product = _product(complaint)
    same_product = ExpressionWrapper(
        Q(product_key=product) if product else Value(False), output_field=BooleanField()
    )
    rows = (
        _rows()
        .filter(pk__in=candidates)
        .annotate(
            product_key=Upper("product"),
            same_customer=same_customer,
            same_product=same_product,
            similarity=TrigramSimilarity(Left("content", TEXT_PREFIX), _text(complaint)),
        )
        .order_by(
            F("same_customer").desc(),
            F("same_product").desc(),
            F("similarity").desc(),
            F("closed_at").desc(),
            F("id").desc(),
        )[:limit]
    )
    return [Similar(row, row.same_customer, row.same_product, float(row.similarity or 0)) for row in rows]


def _product(complaint: Complaint) -> str:
    return (complaint.product or "").strip().upper()


_WORD = re.compile(r"\w+")


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of `text`: lower-case words, each padded with two spaces before and
    one after, cut into every run of three characters."""
    found: set[str] = set()
    for word in _WORD.findall((text or "").lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a: str, b: str) -> float:
    """Shared trigrams over all trigrams of both (pg_trgm's similarity())."""
    left, right = trigrams(a), trigrams(b)
    union = left | right
    return len(left & right) / len(union) if union else 0.0


def _elsewhere(complaint: Complaint, limit: int) -> list[Similar]:
    # SQLite takes no LIMIT inside a UNION; one query reads the same candidates: those of
    # any stream, the customer's own first, then the newest closings.
    customer, *others = _streams(complaint, Complaint.objects.all())
    any_stream = Q(pk__in=customer.values("id"))
    for stream in others:
        any_stream |= Q(pk__in=stream.values("id"))
    same_customer = ExpressionWrapper(Q(customer_id=complaint.customer_id), output_field=BooleanField())
    seen = (
        _rows()
        .filter(any_stream)
        .annotate(own=same_customer)
        .order_by(F("own").desc(), F("closed_at").desc(), F("id").desc())[: LIMIT + CANDIDATES * len(others)]
    )
    text, product = _text(complaint), _product(complaint)
    found = [
        Similar(
            row,
            row.customer_id == complaint.customer_id,
            bool(product) and _product(row) == product,
            similarity(text, _text(row)),
        )
        for row in seen
    ]
    found.sort(
        key=lambda s: (
            not s.same_customer,
            not s.same_product,
            -s.similarity,
            -(s.complaint.closed_at or s.complaint.created_at).timestamp(),
            -s.complaint.pk,
        )
    )
    return found[:limit]
