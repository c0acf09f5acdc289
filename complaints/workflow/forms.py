"""What each CLEAR transition needs. The API, the pages and the admin all validate here."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from customers.phones import InvalidPhone, parse_phone

from ..bounds import FactDateField, MomentField, RemedyDateField
from ..deadlines import policies
from ..limits import LINE, LONG_TEXT, NOTE
from ..models import (
    Category,
    Channel,
    ComplaintHold,
    ContactPreference,
    Department,
    Resolution,
    RootCause,
    Severity,
    remedy_required,
)
from . import attachments


class ListenForm(forms.Form):
    """Leaving Control needs an owner; the person who takes it becomes one if none is set."""


class EstablishForm(forms.Form):
    what_happened = forms.CharField(label=_("What happened"), widget=forms.Textarea, max_length=LONG_TEXT)
    when_happened = forms.CharField(label=_("When it happened"), max_length=LINE)
    desired_outcome = forms.CharField(
        label=_("Remedy the customer wants"), widget=forms.Textarea, max_length=LONG_TEXT
    )
    purchase_date = FactDateField(label=_("Purchase date"), required=False)
    product = forms.CharField(label=_("Product or service"), max_length=LINE, required=False)
    usage = forms.CharField(
        label=_("How it was used"), widget=forms.Textarea, required=False, max_length=LONG_TEXT
    )
    contact_preference = forms.ChoiceField(
        label=_("How to reach them"), choices=[("", "---"), *ContactPreference.choices], required=False
    )


class ApologizeForm(forms.Form):
    restatement = forms.CharField(
        label=_("The complaint in your own words"),
        widget=forms.Textarea,
        max_length=LONG_TEXT,
        help_text=_("Read it back to the customer and ask whether you understood correctly."),
    )
    customer_confirmed = forms.BooleanField(
        label=_("The customer confirmed my summary"),
        error_messages={"required": _("Ask the customer to confirm your summary first.")},
    )
    customer_feelings = forms.CharField(label=_("The feeling you heard"), max_length=500, required=False)

    customer_facing = ("restatement",)


class ResolveForm(forms.Form):
    apology = forms.CharField(label=_("Apology to the customer"), widget=forms.Textarea, max_length=LONG_TEXT)

    customer_facing = ("apology",)


class CodeChoiceField(forms.ModelChoiceField):
    """Choose an entry of an editable list by its code; only active entries are offered."""

    def __init__(self, model, **kwargs):
        super().__init__(queryset=model.objects.filter(is_active=True), to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.display_label


class CloseForm(forms.Form):
    """The outcome, and the final response the customer is sent at close (the letter).

    The decision follows the resolution (models.decision_for): fully resolved is upheld,
    partially resolved partly upheld, cannot be resolved not upheld. The reasons are always
    owed; when upheld or partly upheld, so are the remedy for the customer (the message to
    them) and its date.
    """

    resolution = forms.ChoiceField(
        label=_("Resolution"),
        choices=Resolution.choices,
        help_text=_(
            "The customer reads it as the decision: fully resolved = upheld, partially resolved = "
            "partly upheld, cannot be resolved = not upheld."
        ),
    )
    decision_reasons = forms.CharField(
        label=_("Reasons for the decision"),
        widget=forms.Textarea,
        max_length=LONG_TEXT,
        help_text=_("Why you decided this, in plain words: what you found and what it means for them."),
        error_messages={
            "required": _("Write the reasons for the decision: the final response must say why.")
        },
    )
    customer_message = forms.CharField(
        label=_("Message to the customer"),
        widget=forms.Textarea,
        max_length=LONG_TEXT,
        required=False,
        help_text=_(
            "What you will do to put it right, shown to the customer word for word (tracking page, "
            "final response letter). Needed when the complaint is upheld or partly upheld."
        ),
    )
    remedy_due = RemedyDateField(
        label=_("Remedy happens on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The date the customer can count on. Needed when the complaint is upheld or partly upheld."
        ),
    )
    remedy = forms.CharField(label=_("Remedy given"), widget=forms.Textarea, max_length=LONG_TEXT)
    preventive_action = forms.CharField(
        label=_("Preventive action"),
        widget=forms.Textarea,
        max_length=LONG_TEXT,
        help_text=_("What changes so that this does not happen to the next customer."),
    )
    root_cause = CodeChoiceField(RootCause, label=_("Root cause"))
    responsible_department = CodeChoiceField(Department, label=_("Responsible department"))
    compensation = forms.DecimalField(
        label=_("Compensation"), max_digits=12, decimal_places=2, min_value=0, required=False
    )

    customer_facing = ("decision_reasons", "customer_message")
    # Who reads what: the page groups the fields under these headings (web.desk).
    shown_to_customer = ("resolution", "decision_reasons", "customer_message", "remedy_due")

    def clean(self):
        cleaned = super().clean()
        if remedy_required(cleaned.get("resolution")):
            if not (cleaned.get("customer_message") or "").strip() and "customer_message" not in self.errors:
                self.add_error(
                    "customer_message",
                    _("Say what you will do to put it right: an upheld complaint needs its remedy."),
                )
            if cleaned.get("remedy_due") is None and "remedy_due" not in self.errors:
                self.add_error(
                    "remedy_due", _("Give the date the remedy happens: an upheld complaint needs it.")
                )
        return cleaned


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen"), widget=forms.Textarea, max_length=LONG_TEXT)


TRANSITION_FORMS = {
    "listen": ListenForm,
    "establish": EstablishForm,
    "apologize": ApologizeForm,
    "resolve": ResolveForm,
    "close": CloseForm,
    "reopen": ReopenForm,
}


class SatisfactionForm(forms.Form):
    score = forms.IntegerField(label=_("Score (1-5)"), min_value=1, max_value=5)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, required=False, max_length=NOTE)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one field, each checked by its bytes (workflow.attachments): cleans to
    the checked files, ready for attach_files()."""

    widget = MultipleFileInput(attrs={"accept": "image/*,application/pdf,audio/*,text/plain,.txt,.csv"})

    def __init__(self, *, source=attachments.STAFF, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Files"))
        super().__init__(**kwargs)
        self.source = source

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else [data] if data else []
        if not uploads and self.required:
            raise forms.ValidationError(attachments.no_file_message(), code="required")
        uploads = [super(AttachmentsField, self).clean(upload, initial) for upload in uploads]
        try:
            return attachments.inspect_files(uploads, source=self.source)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict[attachments.FIELD]) from None


class AttachForm(forms.Form):
    """Files attached on the complaint page, at any stage."""

    uploads = AttachmentsField(label=_("Files to attach"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uploads"].help_text = attachments.accepted_hint()


class IntakeForm(forms.Form):
    """A new complaint: an existing customer (found by phone or name) or a new one, and what happened."""

    customer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # One-time token (complaints.submissions): the same form sent twice logs one complaint.
    submission = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    new_customer_name = forms.CharField(label=_("Name"), max_length=LINE, required=False)
    new_customer_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    new_customer_email = forms.EmailField(label=_("Email"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    category = CodeChoiceField(Category, label=_("Category"))
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        initial=Severity.MINOR,
        widget=forms.RadioSelect,
    )
    content = forms.CharField(
        label=_("What the customer says"), widget=forms.Textarea(attrs={"rows": 5}), max_length=LONG_TEXT
    )
    uploads = AttachmentsField(label=_("Photos or documents (optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The targets of the policies in force (edited in the admin), never a copy of them.
        self.fields["severity"].help_text = policies.service_level_hints()
        self.fields["uploads"].help_text = attachments.accepted_hint()

    def clean(self):
        cleaned = super().clean()
        customer_id = cleaned.get("customer")
        if customer_id:
            customer = Customer.objects.filter(pk=customer_id).select_related("merged_into").first()
            if customer is None:
                raise forms.ValidationError(_("That customer no longer exists; search again."))
            # A customer merged into another: the complaint goes to the one that was kept.
            cleaned["existing_customer"] = customer.merged_into or customer
        else:
            if not cleaned.get("new_customer_name", "").strip():
                self.add_error(
                    "new_customer_name",
                    _("Choose a customer from the search, or type the new customer's name."),
                )
            self._check_new_phone(cleaned.get("new_customer_phone", ""))
        return cleaned

    # The customer who already has the typed phone (customers.services.PhoneTaken, raised
    # when the new customer is created): the page offers "use this customer".
    phone_owner = None

    def _check_new_phone(self, phone):
        """A number that is not valid is refused here; one that is taken, on creating."""
        try:
            parse_phone(phone)
        except InvalidPhone as exc:
            self.add_error("new_customer_phone", exc.message)


class ContactAgainForm(forms.Form):
    """The customer contacted us again about an earlier complaint (workflow.repeats)."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    content = forms.CharField(label=_("What the customer says"), widget=forms.Textarea, max_length=LONG_TEXT)


class CallbackForm(forms.Form):
    due_at = MomentField(
        label=_("Call back by"),
        help_text=_("A time you can keep for certain; the desk reminds you and your supervisor."),
    )
    note = forms.CharField(
        label=_("What you promised"), widget=forms.Textarea, required=False, max_length=NOTE
    )


class CallbackFulfilForm(forms.Form):
    note = forms.CharField(
        label=_("What you told the customer"), widget=forms.Textarea, required=False, max_length=NOTE
    )


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=_("Waiting for"), choices=ComplaintHold.Kind.choices)
    reason = forms.CharField(
        label=_("What you are waiting for"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE,
        help_text=_(
            "For example: the receipt photo, or the courier's report. Colleagues read this, and so "
            "does the customer in the notice and the reminder."
        ),
    )


class ResumeForm(forms.Form):
    note = forms.CharField(
        label=_("What came in"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=NOTE
    )
