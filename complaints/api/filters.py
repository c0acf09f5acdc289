import django_filters
from django.utils import timezone

from ..models import Complaint, Stage
from ..selectors import overdue_q


class ComplaintFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    escalated = django_filters.BooleanFilter()
    assignee = django_filters.NumberFilter(field_name="assignee_id")
    customer = django_filters.NumberFilter(field_name="customer_id")
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Complaint
        fields = ["stage", "escalated", "assignee", "customer", "severity", "overdue"]

    def filter_overdue(self, queryset, name, value):
        condition = overdue_q(timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)
