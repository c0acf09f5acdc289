"""Compensation above a staff member's authority: request, a supervisor's decision, the close gate."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access
from ..exceptions import Conflict
from ..limits import LONG_TEXT, NOTE
from ..models import CompensationRequest, Complaint, ComplaintRecord, Stage, lock
from ..records import file_record
from ..validation import validated

Status = CompensationRequest.Status


class CompensationRequestForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(
        label=gettext_lazy("Why this compensation"), widget=forms.Textarea, max_length=LONG_TEXT
    )


class CompensationDecisionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea, required=False, max_length=NOTE)


def approval_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "COMPENSATION_APPROVAL_ABOVE", "200")))


def compensation_request(
    *, complaint: Complaint, data: Mapping[str, Any], by: User, now: datetime | None = None
) -> CompensationRequest:
    """Ask a supervisor to approve an amount; one open request per complaint."""

    access.require_worker(by)
    cleaned = validated(CompensationRequestForm, data)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            complaint = lock(complaint)
            if complaint.stage == Stage.CLOSED:
                raise Conflict(_("This complaint is closed."))
            request = CompensationRequest.objects.create(
                complaint=complaint,
                amount=cleaned["amount"],
                reason=cleaned["reason"],
                requested_by=by,
                requested_at=now,
            )
            file_record(
                complaint,
                ComplaintRecord.Kind.PROCESS,
                by=by,
                now=now,
                data={
                    "action": "compensation_request",
                    "request": request.pk,
                    "amount": str(cleaned["amount"]),
                    "reason": cleaned["reason"],
                },
            )
    except IntegrityError as exc:
        raise Conflict(
            _("A compensation request for this complaint is already waiting for a decision.")
        ) from exc
    return request


def compensation_decide(
    *,
    request: CompensationRequest,
    approve: bool,
    data: Mapping[str, Any],
    by: AbstractBaseUser,
    now: datetime | None = None,
) -> CompensationRequest:
    """A supervisor approves or refuses a pending request; the decision is filed."""

    if not access.is_supervisor(by):
        raise PermissionDenied(_("Only a supervisor can decide on compensation."))
    cleaned = validated(CompensationDecisionForm, data)
    now = now or timezone.now()
    status = Status.APPROVED if approve else Status.REFUSED
    with transaction.atomic():
        decided = CompensationRequest.objects.filter(pk=request.pk, status=Status.PENDING).update(
            status=status, decided_by=by, decided_at=now, decision_note=cleaned["note"]
        )
        if not decided:
            raise Conflict(_("This compensation request has already been decided."))
        request = CompensationRequest.objects.select_related("complaint").get(pk=request.pk)
        file_record(
            request.complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={
                "action": "compensation_" + status,
                "request": request.pk,
                "amount": str(request.amount),
                "note": cleaned["note"],
            },
        )
    return request


@dataclass(frozen=True)
class CompensationState:
    """Where a complaint stands on compensation above the limit, for the Resolve stage."""

    limit: Decimal
    requests: list[CompensationRequest]
    latest: CompensationRequest | None
    approved_up_to: Decimal | None
    supervisor: bool

    @property
    def pending(self) -> bool:
        return self.latest is not None and self.latest.status == Status.PENDING

    @property
    def may_request(self) -> bool:
        return not self.pending and not self.supervisor


def compensation_state(*, complaint: Complaint, by: AbstractBaseUser) -> CompensationState:
    """The approval limit, the complaint's requests (newest last) and the largest amount a
    supervisor approved; the same amounts compensation_check_close() accepts."""
    requests = list(complaint.compensation_requests.select_related("requested_by", "decided_by"))
    approved = [r.amount for r in requests if r.status == Status.APPROVED]
    return CompensationState(
        limit=approval_threshold(),
        requests=requests,
        latest=requests[-1] if requests else None,
        approved_up_to=max(approved) if approved else None,
        supervisor=access.is_supervisor(by),
    )


def compensation_within_authority(
    *, complaint: Complaint, amount: Decimal | None, by: AbstractBaseUser
) -> bool:
    """The approval rule: an amount up to the limit, a supervisor acting, or a supervisor's
    approval of at least this amount on the complaint. Closing and paying redress both ask it."""
    if amount is None or amount <= approval_threshold() or access.is_supervisor(by):
        return True
    return CompensationRequest.objects.filter(
        complaint=complaint, status=Status.APPROVED, amount__gte=amount
    ).exists()


def compensation_check_close(*, complaint: Complaint, amount: Decimal | None, by: AbstractBaseUser) -> None:
    """Refuse to close with compensation above the threshold unless a supervisor approved it.

    A supervisor closing the complaint has that authority already.
    """

    if not compensation_within_authority(complaint=complaint, amount=amount, by=by):
        raise Conflict(
            _("Compensation above %(limit)s needs a supervisor's approval before closing.")
            % {"limit": approval_threshold()}
        )
