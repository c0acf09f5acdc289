import django_filters
from django.db.models import Q
from django.utils import timezone

from ..models import Complaint, Stage
from ..selectors import overdue_q


class ComplaintFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    escalated = django_filters.BooleanFilter()
    assignee = django_filters.NumberFilter(field_name="assignee_id")
    customer = django_filters.NumberFilter(field_name="customer_id")
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    supervisor_attention = django_filters.BooleanFilter(
        method="filter_supervisor_attention",
        label="Open complaints that are escalated or come from an A-tier customer",
    )
    escalation_level = django_filters.NumberFilter(field_name="escalation_level", lookup_expr="gte")

    class Meta:
        model = Complaint
        fields = ["stage", "escalated", "assignee", "customer", "severity", "overdue"]

    def filter_supervisor_attention(self, queryset, name, value):
        condition = ~Q(stage=Stage.CLOSED) & (Q(escalated=True) | Q(customer__tier="A"))
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_overdue(self, queryset, name, value):
        condition = overdue_q(timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)
