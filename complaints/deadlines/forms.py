"""The form a supervisor or manager sets a complaint's outside deadline regime with (the
complaint page; the API validates with it too)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from ..limits import NOTE
from ..models import Regime


class RegimeChoiceForm(forms.Form):
    regime = forms.ModelChoiceField(
        label=gettext_lazy("Outside deadlines"),
        queryset=Regime.objects.none(),  # the regimes in use, set in __init__
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("None"),
        help_text=gettext_lazy("Which outside deadlines apply; “None” takes them off."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why"), widget=forms.Textarea, required=False, max_length=NOTE
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["regime"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Regime.objects.filter(is_enabled=True)
