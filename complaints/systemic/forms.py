"""What opening, changing and linking a systemic issue takes (pages and API validate here)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .. import access
from ..limits import LINE, LONG_TEXT
from ..models import SystemicIssue


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_username()  # as the desk names people everywhere else

    def clean(self, value):
        user = super().clean(value)
        if user is not None and not access.has_any_role(user):
            raise forms.ValidationError(_("The owner must be someone on the desk."))
        return user


class SystemicIssueForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=LINE)
    description = forms.CharField(
        label=_("What is going on"), widget=forms.Textarea, required=False, max_length=LONG_TEXT
    )
    owner = OwnerField(
        label=_("Owner"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        help_text=_("The person who sees it through."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=SystemicIssue.Status.choices, initial=SystemicIssue.Status.OPEN
    )
    preventive_action = forms.CharField(
        label=_("Preventive action"),
        widget=forms.Textarea,
        required=False,
        max_length=LONG_TEXT,
        help_text=_("What changes so that no more customers meet this problem."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = access.users_with_role(*access.ALL).order_by("username")


class LinkForm(forms.Form):
    references = forms.CharField(
        label=_("Complaint references"),
        max_length=LONG_TEXT,
        help_text=_("One or more references, separated by spaces or commas, e.g. CLR-AB12-CD34."),
    )

    def clean_references(self):
        text = self.cleaned_data["references"]
        found = [part.strip().upper() for part in text.replace(",", " ").split() if part.strip()]
        if not found:
            raise forms.ValidationError(_("Type at least one complaint reference."))
        if len(found) > 100:
            raise forms.ValidationError(_("Link at most 100 complaints at a time."))
        return list(dict.fromkeys(found))


class AcceptForm(forms.Form):
    title = forms.CharField(label=_("Title of the new issue"), max_length=LINE, required=False)
