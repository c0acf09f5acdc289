"""Read-only queries about customers."""

from django.db.models import Q

from .models import Customer
from .phones import normalize_phone


def customer_search(query, queryset=None):
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
