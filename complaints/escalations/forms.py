"""What the deadline and escalation actions need (the API validates here, like complaints.forms)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .. import access
from ..limits import LONG_TEXT, NOTE
from ..models import Severity

MAX_LEVEL = 3


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why a supervisor is needed"), widget=forms.Textarea, max_length=LONG_TEXT
    )


class EscalateLevelForm(EscalateForm):
    level = forms.IntegerField(
        label=_("Escalation level"),
        min_value=1,
        max_value=MAX_LEVEL,
        required=False,
        help_text=_("Leave empty for a first escalation; a higher level calls in more senior people."),
    )


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False, max_length=NOTE)


class DeescalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the escalation is over"), widget=forms.Textarea, max_length=LONG_TEXT
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea, max_length=NOTE)


class WorkerChoiceField(forms.ModelChoiceField):
    def clean(self, value):
        user = super().clean(value)
        if user is not None and not access.can_work_complaints(user):
            raise forms.ValidationError(_("This person cannot work on complaints."))
        return user


class ReassignForm(forms.Form):
    assignee = WorkerChoiceField(
        label=_("New assignee"), queryset=get_user_model().objects.filter(is_active=True)
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False, max_length=NOTE)


class SeverityChangeForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    reason = forms.CharField(label=_("Why the severity changes"), widget=forms.Textarea, max_length=LONG_TEXT)
