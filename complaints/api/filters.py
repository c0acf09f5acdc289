import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from ..models import Complaint, Stage
from ..selectors import overdue_q


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number in the database's range (anything else is a 400, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


class ComplaintFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    escalated = django_filters.BooleanFilter()
    assignee = IdFilter(field_name="assignee_id")
    customer = IdFilter(field_name="customer_id")
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    supervisor_attention = django_filters.BooleanFilter(
        method="filter_supervisor_attention",
        label="Open complaints that are escalated or come from an A-tier customer",
    )
    escalation_level = django_filters.NumberFilter(
        field_name="escalation_level", lookup_expr="gte", min_value=0, max_value=100
    )

    class Meta:
        model = Complaint
        fields = ["stage", "escalated", "assignee", "customer", "severity", "overdue"]

    def filter_supervisor_attention(self, queryset, name, value):
        condition = ~Q(stage=Stage.CLOSED) & (Q(escalated=True) | Q(customer__tier="A"))
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_overdue(self, queryset, name, value):
        condition = overdue_q(timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)
