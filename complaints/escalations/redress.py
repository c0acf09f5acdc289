"""The redress ledger: offer redress, record the customer's answer, record the payment.

Every step is one call, `redress_step(complaint=, data={"step": ..., ...}, by=)`, for the
page and the API alike. Steps go in order (offered -> accepted or declined -> paid); one
out of order is a Conflict (409). A payment above the approval limit waits for the
approval rule closing uses (compensation.compensation_within_authority). Each step is
filed in the complaint's record.

Locking: the complaint's row is locked for the step (models.lock), so two payments sent
at once run one after the other and the second finds the redress already paid; the
status change is also a conditional UPDATE, so it cannot apply twice.
"""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access
from ..bounds import FactDateField
from ..exceptions import Conflict
from ..limits import LONG_TEXT, NOTE
from ..models import Complaint, ComplaintRecord, Redress, lock
from ..records import file_record
from ..validation import validated
from .compensation import approval_threshold, compensation_within_authority

Status = Redress.Status

OFFER, ACCEPT, DECLINE, PAY = "offer", "accept", "decline", "pay"
STEPS = (OFFER, ACCEPT, DECLINE, PAY)


class RedressOfferForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    description = forms.CharField(
        label=gettext_lazy("What is offered"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=LONG_TEXT,
        error_messages={"required": gettext_lazy("Say what you offer, e.g. a refund of the delivery fee.")},
    )


class RedressAnswerForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What the customer said"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=NOTE,
    )


class RedressPaymentForm(forms.Form):
    paid_on = FactDateField(label=gettext_lazy("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=gettext_lazy("Payment method"), choices=Redress.Method.choices)
    reference = forms.CharField(
        label=gettext_lazy("Payment reference"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("The transfer, refund or voucher number, if there is one."),
    )


STEP_FORMS: dict[str, type[forms.Form]] = {
    OFFER: RedressOfferForm,
    ACCEPT: RedressAnswerForm,
    DECLINE: RedressAnswerForm,
    PAY: RedressPaymentForm,
}


def redress_in_play(complaint: Complaint) -> Redress | None:
    """The offer waiting for an answer or a payment, if any."""
    return Redress.objects.filter(complaint=complaint, status__in=Redress.IN_PLAY).first()


def redress_step(
    *, complaint: Complaint, data: Mapping[str, Any], by: AbstractBaseUser, now: datetime | None = None
) -> Redress:
    """Take one step of the ledger (`data["step"]`: offer, accept, decline or pay)."""
    access.require_worker(by)
    if not hasattr(data, "get"):
        raise ValidationError({"non_field_errors": [_("Send the fields as a JSON object.")]})
    step = data.get("step")
    if step not in STEPS:
        raise ValidationError({"step": [_("Choose a step: offer, accept, decline or pay.")]})
    cleaned = validated(STEP_FORMS[step], data)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            complaint = lock(complaint)
            current = redress_in_play(complaint)
            if step == OFFER:
                redress = _offer(complaint, current, cleaned, by, now)
            elif step in (ACCEPT, DECLINE):
                redress = _answer(complaint, current, step, cleaned, by, now)
            else:
                redress = _pay(complaint, current, cleaned, by, now)
    except IntegrityError as exc:  # redress_one_in_play: an offer made a moment ago
        raise Conflict(_("An offer for this complaint is already in play.")) from exc
    return redress


def _offer(complaint, current, cleaned, by, now):
    if current is not None:
        if current.status == Status.ACCEPTED:
            raise Conflict(_("The customer accepted an offer; record its payment before offering more."))
        raise Conflict(_("An offer is waiting for the customer's answer; record it first."))
    redress = Redress.objects.create(
        complaint=complaint,
        amount=cleaned["amount"],
        description=cleaned["description"],
        offered_by=by,
        offered_at=now,
    )
    _file(
        complaint, redress, "redress_offered", by, now, amount=redress.amount, description=redress.description
    )
    return redress


def _answer(complaint, current, step, cleaned, by, now):
    if current is None:
        raise Conflict(_("There is no offer waiting for an answer; offer redress first."))
    if current.status != Status.OFFERED:
        raise Conflict(_("The customer already accepted this offer."))
    status = Status.ACCEPTED if step == ACCEPT else Status.DECLINED
    changed = Redress.objects.filter(pk=current.pk, status=Status.OFFERED).update(
        status=status, answered_by=by, answered_at=now, answer_note=cleaned["note"]
    )
    if not changed:
        raise Conflict(_("The customer already accepted this offer."))
    current.refresh_from_db()
    _file(complaint, current, f"redress_{status}", by, now, amount=current.amount, note=cleaned["note"])
    return current


def _pay(complaint, current, cleaned, by, now):
    if current is None:
        latest = Redress.objects.filter(complaint=complaint).order_by("-offered_at", "-id").first()
        if latest is not None and latest.status == Status.PAID:
            raise Conflict(_("This redress is already paid."))
        raise Conflict(
            _("There is no accepted offer to pay; offer redress and record the customer's yes first.")
        )
    if current.status != Status.ACCEPTED:
        raise Conflict(_("The customer has not accepted this offer yet; record their answer before paying."))
    if not compensation_within_authority(complaint=complaint, amount=current.amount, by=by):
        raise Conflict(
            _("Redress above %(limit)s needs a supervisor's approval before it is paid.")
            % {"limit": approval_threshold()}
        )
    # Conditional: a second payment sent at the same time changes nothing and answers 409.
    changed = Redress.objects.filter(pk=current.pk, status=Status.ACCEPTED).update(
        status=Status.PAID,
        paid_by=by,
        paid_at=now,
        paid_on=cleaned["paid_on"],
        method=cleaned["method"],
        payment_reference=cleaned["reference"].strip(),
    )
    if not changed:
        raise Conflict(_("This redress is already paid."))
    current.refresh_from_db()
    _file(
        complaint,
        current,
        "redress_paid",
        by,
        now,
        amount=current.amount,
        paid_on=current.paid_on,
        method=current.method,
        reference=current.payment_reference,
    )
    return current


def _file(complaint, redress, action, by, now, **values):
    file_record(
        complaint,
        ComplaintRecord.Kind.OUTCOME,
        by=by,
        now=now,
        data={"action": action, "redress": redress.pk, **values},
    )


def redress_ledger(complaint: Complaint) -> list[Redress]:
    """The complaint's redress, oldest first, with who took each step (one query)."""
    return list(
        Redress.objects.filter(complaint=complaint).select_related("offered_by", "answered_by", "paid_by")
    )
