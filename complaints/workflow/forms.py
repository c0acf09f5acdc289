"""What each CLEAR transition needs. The API, the pages and the admin all validate here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from customers.phones import InvalidPhone, parse_phone

from ..bounds import FactDateField, MomentField
from ..deadlines import policies
from ..limits import LINE, LONG_TEXT, NOTE
from ..models import Category, Channel, ContactPreference, Department, Resolution, RootCause, Severity


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
    resolution = forms.ChoiceField(label=_("Resolution"), choices=Resolution.choices)
    customer_message = forms.CharField(
        label=_("Message to the customer"),
        widget=forms.Textarea,
        max_length=LONG_TEXT,
        required=False,
        help_text=_(
            "Shown to the customer on their tracking page and in the thank-you letter, word for word. "
            "Left empty, they read a short neutral sentence instead."
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

    customer_facing = ("customer_message",)
    # Who reads what: the page groups the fields under these headings (web.desk).
    shown_to_customer = ("resolution", "customer_message")


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The targets of the policies in force (edited in the admin), never a copy of them.
        self.fields["severity"].help_text = policies.service_level_hints()

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
