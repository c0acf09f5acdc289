"""Read-only queries about customers."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from complaints.models import CallbackPromise, Complaint

from .models import Customer, TierChange, Vulnerability
from .phones import normalize_phone, phone_digits


def customer_search(query: str | None, queryset: QuerySet[Customer] | None = None) -> QuerySet[Customer]:
    """Customers whose name, email or phone matches what was typed.

    A whole number matches in any format ('0086 139...', '+86 139-...', '139 ...'); part of
    one matches the stored digits. Customers merged into another are left out (their
    phone finds the customer they were merged into).
    """
    qs = Customer.objects.all() if queryset is None else queryset
    qs = qs.filter(merged_into__isnull=True)
    query = (query or "").strip()
    if not query:
        return qs
    match = Q(name__icontains=query) | Q(email__icontains=query) | phone_q(query)
    return qs.filter(match)


# A stored phone is matched on its ending from this many digits on.
PHONE_SUFFIX_FROM = 7


def phone_q(query: str, path: str = "") -> Q:
    """A filter for customers whose phone is `query` (a whole number, any format) or
    contains its digits (three or more); `path` leads to the customer ("customer__")."""
    match = Q(pk__in=[])
    number = normalize_phone(query)
    if number:
        match |= Q(**{f"{path}phone_normalized": number})
    digits = phone_digits(query).lstrip("+")
    if len(digits) >= 3:
        match |= Q(**{f"{path}phone_normalized__contains": digits})
    if len(digits) >= PHONE_SUFFIX_FROM:
        # An old number kept without its country code matches on its ending, so one typed
        # with the code (+86 139...) still finds it.
        endings = [digits[i:] for i in range(len(digits) - PHONE_SUFFIX_FROM + 1)]
        match |= Q(**{f"{path}phone_normalized__in": endings + [f"+{ending}" for ending in endings]})
    return match


def customer_with_phone(phone: str | None, *, exclude_id: int | None = None) -> Customer | None:
    """The customer who has this phone (typed in any format), or None.

    A customer merged into another answers with the one it was merged into; among
    customers sharing the number (duplicates found by migration 0004) the oldest answers.
    """
    number = normalize_phone(phone) or phone_digits(phone)
    if not number:
        return None
    qs = Customer.objects.filter(phone_normalized=number).select_related("merged_into")
    for customer in qs.order_by(F("merged_into").asc(nulls_first=True), "id"):
        found = customer.merged_into or customer
        if found.pk != exclude_id:
            return found
    return None


def yearly_profit(customer: Customer, *, now: datetime | None = None) -> Decimal:
    """The customer's profit over the last 365 days (what lifetime value extrapolates)."""
    today = timezone.localdate(now or timezone.now())
    total = customer.value_figures.filter(
        period__gt=today - timedelta(days=365), period__lte=today
    ).aggregate(total=Sum("profit"))["total"]
    return total or Decimal("0")


def customer_page(
    customer_id: int | str,
) -> tuple[Customer, list[Complaint], list[CallbackPromise], list[TierChange]]:
    """Everything the staff page about one customer shows, in a fixed number of queries."""
    customer = get_object_or_404(
        Customer.objects.select_related("merged_into", "vulnerability", "vulnerability__set_by").annotate(
            merged_count=Count("merged_customers"),
            had_vulnerability=Exists(
                Vulnerability.objects.filter(customer=OuterRef("pk"), cleared_at__isnull=False)
            ),
        ),
        pk=customer_id,
    )
    # The customers merged into this one (one query more, only when there are any).
    customer.merged_from = (
        list(customer.merged_customers.select_related("merged_by").order_by("merged_at", "id"))
        if getattr(customer, "merged_count", 0)
        else []
    )
    complaints = list(
        Complaint.objects.filter(customer=customer)
        .select_related("category", "root_cause", "responsible_department")
        .order_by("-created_at", "-id")
    )
    open_callbacks = list(
        CallbackPromise.objects.filter(complaint__customer=customer, fulfilled_at__isnull=True)
        .select_related("complaint")
        .order_by("due_at", "id")
    )
    history = list(customer.tier_changes.select_related("changed_by")[:20])
    # Cleared flags (one query more, only when there are any).
    customer.past_vulnerabilities = (
        list(
            customer.vulnerabilities.filter(cleared_at__isnull=False).select_related("set_by", "cleared_by")[
                :20
            ]
        )
        if getattr(customer, "had_vulnerability", False)
        else []
    )
    return customer, complaints, open_callbacks, history


def complaint_for_tracking(token: str | None) -> Complaint:
    """The complaint behind a private tracking link, or 404."""
    return get_object_or_404(
        Complaint.objects.select_related("customer", "category"), tracking_token=token or "-"
    )
