"""Read-only queries about customers."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from complaints.models import CallbackPromise, Complaint

from .models import Customer, TierChange
from .phones import normalize_phone


def customer_search(query: str | None, queryset: QuerySet[Customer] | None = None) -> QuerySet[Customer]:
    """Customers whose name, email or phone matches what was typed (phone ignores spacing)."""
    qs = Customer.objects.all() if queryset is None else queryset
    query = (query or "").strip()
    if not query:
        return qs
    match = Q(name__icontains=query) | Q(email__icontains=query)
    digits = normalize_phone(query).lstrip("+")
    if len(digits) >= 3:
        match |= Q(phone_normalized__contains=digits)
    return qs.filter(match)


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
    customer = get_object_or_404(Customer, pk=customer_id)
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
    return customer, complaints, open_callbacks, history


def complaint_for_tracking(token: str | None) -> Complaint:
    """The complaint behind a private tracking link, or 404."""
    return get_object_or_404(
        Complaint.objects.select_related("customer", "category"), tracking_token=token or "-"
    )
