"""What the public pages, the tier override and the vulnerability flag take from people."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.limits import LINE, LONG_TEXT, NOTE

from .models import Customer, Vulnerability
from .phones import InvalidPhone, parse_phone, phone_digits


class PublicComplaintForm(forms.Form):
    # One-time token (complaints.submissions): the same form sent twice files one complaint.
    submission = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    name = forms.CharField(
        label=_("Your name"),
        max_length=LINE,
        error_messages={"required": _("Please tell us your name so we know whom to answer.")},
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        error_messages={"invalid": _("This email address does not look complete, e.g. name@example.com.")},
    )
    what_happened = forms.CharField(
        label=_("What happened?"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Please describe what happened, in your own words.")},
    )
    desired_outcome = forms.CharField(
        label=_("What would you like us to do?"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please tell us what would put things right for you.")},
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please tell us your name so we know whom to answer."))
        return name

    def clean_phone(self):
        """The phone in E.164; a number that is not valid is an error, never a new customer."""
        phone = self.cleaned_data["phone"].strip()
        if phone and len(phone_digits(phone).lstrip("+")) < 5:
            raise forms.ValidationError(_("This phone number looks too short; please check it."))
        try:
            return parse_phone(phone)
        except InvalidPhone as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(
                _("Please give a phone number or an email address so that we can reach you."),
                code="no_contact",
            )
        return cleaned


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how we handled your complaint?"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a score from 1 to 5."),
            "invalid_choice": _("Please choose a score from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Anything you would like to add?"),
        max_length=NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TierOverrideForm(forms.Form):
    tier = forms.ChoiceField(
        label=_("Tier"),
        choices=[("", _("Use the computed tier")), *Customer.Tier.choices],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class MergeForm(forms.Form):
    """A supervisor names the duplicate to merge into the customer whose page this is."""

    duplicate = forms.CharField(
        label=_("Duplicate customer (number or phone)"),
        max_length=LINE,
        help_text=_("Its complaints, value figures and tier history move to this customer."),
    )
    # Set by the confirmation page; without it the page asks first.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


# A temporary flag is looked at again within this time.
REVIEW_HORIZON = dt.timedelta(days=5 * 366)


class ReviewDateField(forms.DateField):
    """The date a temporary vulnerability is looked at again: from today, within five years."""

    default_error_messages = {"invalid": _("Enter a valid date, e.g. 2027-01-10.")}

    def to_python(self, value):
        try:
            parsed = super().to_python(value)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if parsed is None:
            return parsed
        today = timezone.localdate()
        if parsed < today:
            raise ValidationError(_("Pick today or a later date for the review."), code="past")
        if parsed > today + REVIEW_HORIZON:
            raise ValidationError(_("Pick a review date within the next five years."), code="too_far")
        return parsed


class VulnerabilityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Why the customer needs extra care"),
        choices=Vulnerability.Kind.choices,
        error_messages={"required": _("Choose why the customer needs extra care.")},
    )
    permanent = forms.BooleanField(label=_("Permanent (no review date)"), required=False)
    review_by = ReviewDateField(
        label=_("Review by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a temporary situation: when someone checks whether it still applies."),
    )
    note = forms.CharField(
        label=_("Note for colleagues"),
        required=False,
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see this. Write only what colleagues need to help the customer."),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            if cleaned.get("permanent"):
                cleaned["review_by"] = None
            elif cleaned.get("review_by") is None:
                self.add_error("review_by", _("Give a review date, or tick Permanent."))
        return cleaned
