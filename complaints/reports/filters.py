"""The list behind a figure of the weekly report: which complaints a count is made of.

`?week=2026-W47&figure=closed&root_cause=supplier` lists the complaints closed in that
week with that root cause, exactly those the report counts (selectors.figure_q). The
report page links every root cause and every category count here.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from customers.models import Customer

from ..models import Channel, Complaint, Severity
from . import selectors, weeks


class WeekField(forms.CharField):
    """An ISO week (2026-W47) as its Monday; anything else is a form error, not a 500."""

    default_error_messages = {"invalid": _("Give the week as YYYY-Www, for example 2026-W48.")}

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return weeks.parse_week(value)
        except weeks.BadWeek as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class WeekFilter(django_filters.Filter):
    field_class = WeekField


FIGURE_LABELS = {
    "received": _("received"),
    "closed": _("closed"),
    "open": _("open at week end"),
}


class ReportComplaintFilter(django_filters.FilterSet):
    """The filters of the report's complaint list (week and figure go together)."""

    week = WeekFilter(method="filter_week", required=True)
    figure = django_filters.ChoiceFilter(
        choices=list(FIGURE_LABELS.items()), method="filter_nothing", empty_label=None
    )
    root_cause = django_filters.CharFilter(field_name="root_cause__code")
    category = django_filters.CharFilter(field_name="category__code")
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    tier = django_filters.ChoiceFilter(field_name="customer__tier", choices=Customer.Tier.choices)

    class Meta:
        model = Complaint
        fields = ["week", "figure", "root_cause", "category", "channel", "severity", "tier"]

    def filter_nothing(self, queryset: QuerySet[Complaint], name: str, value: Any) -> QuerySet[Complaint]:
        return queryset  # read by filter_week

    def filter_week(self, queryset: QuerySet[Complaint], name: str, value: Any) -> QuerySet[Complaint]:
        start, end = weeks.week_bounds(value)
        figure = self.form.cleaned_data.get("figure") or "closed"
        return queryset.filter(selectors.figure_q(figure, start, end))
