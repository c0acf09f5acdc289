"""What the public pages and the tier override take from people (the vulnerability flag's
form is customers.vulnerability_forms, which customers.services may import)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from complaints.limits import LINE, LONG_TEXT, NOTE
from complaints.workflow import attachments
from complaints.workflow.forms import AttachmentsField

from .models import Customer
from .phones import InvalidPhone, parse_phone, phone_digits


def customer_files_hint():
    return _("Up to %(count)s files at a time. %(accepted)s") % {
        "count": settings.CLEAR_DESK["ATTACHMENT_CUSTOMER_MAX_FILES"],
        "accepted": attachments.accepted_hint(),
    }


class TrackingFilesForm(forms.Form):
    """Files the customer adds on their tracking page while the complaint is open."""

    uploads = AttachmentsField(label=_("Add photos or documents"), source=attachments.CUSTOMER, required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uploads"].help_text = customer_files_hint()


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
    uploads = AttachmentsField(label=_("Photos or documents (optional)"), source=attachments.CUSTOMER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uploads"].help_text = customer_files_hint()

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


class CustomerReplyForm(forms.Form):
    """What the customer adds on their tracking page."""

    text = forms.CharField(
        label=_("Anything to add?"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "New facts, a receipt number, a better time to call you: the person handling it reads it."
        ),
        error_messages={"required": _("Write what you would like to add.")},
    )
    uploads = AttachmentsField(label=_("Photos or documents (optional)"), source=attachments.CUSTOMER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uploads"].help_text = customer_files_hint()
