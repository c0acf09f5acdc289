import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from customers.models import Customer

from ..deadlines.selectors import not_overdue_q, overdue_q
from ..models import Complaint, Stage
from ..workflow import search


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number within bounds (anything else is a 400, not a 500)."""

    field_class = forms.IntegerField


class IdFilter(WholeNumberFilter):
    """An id: a whole number in the database's range."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


class TrueFalseField(forms.Field):
    """A query flag spelled true or false, as the schema says; anything else is a 400."""

    default_error_messages = {"invalid": _("Use true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class TrueFalseFilter(django_filters.BooleanFilter):
    field_class = TrueFalseField


class ComplaintFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    escalated = TrueFalseFilter()
    assignee = IdFilter(field_name="assignee_id")
    customer = IdFilter(field_name="customer_id")
    overdue = TrueFalseFilter(method="filter_overdue")
    supervisor_attention = TrueFalseFilter(
        method="filter_supervisor_attention",
        label="Open complaints that are escalated or come from an A-tier customer",
    )
    escalation_level = WholeNumberFilter(
        field_name="escalation_level", lookup_expr="gte", min_value=0, max_value=100
    )

    class Meta:
        model = Complaint
        fields = ["stage", "escalated", "assignee", "customer", "severity", "overdue"]

    def filter_supervisor_attention(self, queryset, name, value):
        condition = ~Q(stage=Stage.CLOSED) & (Q(escalated=True) | Customer.vip_q("customer__"))
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_overdue(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(overdue_q(now) if value else not_overdue_q(now))


class ComplaintSearchFilter(BaseFilterBackend):
    """?search=TEXT: the desk's one search rule (complaints.workflow.search), open and closed
    complaints, open ones first unless ?ordering= says otherwise."""

    param = "search"

    def filter_queryset(self, request, queryset, view):
        query = search.clean_query(request.query_params.get(self.param, ""))
        if not query:
            return queryset
        if not search.is_long_enough(query):
            raise ValidationError({self.param: [str(search.TOO_SHORT)]})
        ordered = not request.query_params.get("ordering")
        return search.complaint_search(user=request.user, query=query, queryset=queryset, ordered=ordered)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Find complaints, open and closed: a reference (whole or part), a "
                "customer's name (from two letters or one Chinese character), phone in any format, "
                "email, or words the customer said (the first 200 characters count). Open ones first, "
                "then the most recent; one letter alone answers 400.",
                "schema": {"type": "string"},
            }
        ]
