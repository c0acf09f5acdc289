"""Escalations: ask a supervisor in, acknowledge, de-escalate, reassign, file a note."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access
from ..exceptions import Conflict
from ..models import Complaint, ComplaintRecord, Stage
from ..notifications import messages
from ..records import file_record
from ..validation import validated
from .forms import AcknowledgeForm, DeescalateForm, EscalateLevelForm, NoteForm, ReassignForm
from .queue import forget_unacknowledged_count
from .rules import escalation_values


def escalate(
    complaint: Complaint,
    *,
    reason: str,
    by: AbstractBaseUser | None,
    now: datetime,
    record: Mapping[str, Any],
    level: int | None = None,
    when: datetime | None = None,
    first_only: bool = False,
    closed_too: bool = False,
    notice: Callable[[Complaint, str, ComplaintRecord, datetime], object] | None = None,
    reason_code: str = "",
    reason_values: Mapping[str, Any] | None = None,
) -> Complaint | None:
    """Escalate `complaint`: its level rises by one (or to `level`), with `reason` and the
    time (`when`, else `now`), and nobody has acknowledged it yet (rules.escalation_values);
    the record entry `record` is filed and the notice sent (`notice(complaint, reason,
    filed, now)`; by default supervisors, and managers from level 2, are told). A reason the
    desk words itself passes its `reason_code` and `reason_values` too, so pages word it
    in the reader's language; a typed reason has none and is shown as typed.

    A compare-and-set on the row, so two clicks (or a click and the deadline sweep)
    escalate once: nothing happens, and None is returned, when the complaint is closed
    (unless `closed_too`), already escalated (with `first_only`) or already at `level` or
    higher. Call it inside a transaction.
    """
    target = Complaint.objects.filter(pk=complaint.pk)
    if not closed_too:
        target = target.exclude(stage=Stage.CLOSED)
    if first_only:
        target = target.filter(escalated=False)
    if level is not None:
        target = target.filter(escalation_level__lt=level)
    new_level = Value(level) if level is not None else F("escalation_level") + 1
    values = escalation_values(
        level=new_level, reason=reason, at=when or now, code=reason_code, values=reason_values
    )
    if not target.update(**values):
        return None
    complaint = Complaint.objects.select_related("customer", "assignee", "category").get(pk=complaint.pk)
    filed = file_record(complaint, ComplaintRecord.Kind.PROCESS, by=by, now=now, data=record)
    (notice or _escalation_notice)(complaint, reason, filed, now)
    return complaint


def _escalation_notice(complaint, reason, filed, now):
    messages.queue_escalation_notices([(complaint, reason, f"escalate:{filed.pk}")], now=now)


def complaint_escalate(
    *, complaint: Complaint, data: Mapping[str, Any], by: AbstractBaseUser, now: datetime | None = None
) -> Complaint:
    """Ask a supervisor to step in ("let me check with my supervisor").

    Without a level this is the first escalation and fails if one is already open; with a
    level it raises the escalation to that level (e.g. a supervisor calling in a manager).
    """
    access.require_worker(by)
    cleaned = validated(EscalateLevelForm, data)
    level = cleaned.pop("level")
    now = now or timezone.now()
    record = {"action": "escalate", **cleaned}
    if level is not None:
        record["level"] = level
    with transaction.atomic():
        escalated = escalate(
            complaint,
            reason=cleaned["reason"],
            by=by,
            now=now,
            record=record,
            level=level,
            first_only=level is None,
        )
        if escalated is None:
            if level is None:
                raise Conflict(_("This complaint is closed or already escalated."))
            raise Conflict(_("This complaint is closed or already escalated to this level or higher."))
    return escalated


def complaint_acknowledge_escalation(
    *, complaint: Complaint, data: Mapping[str, Any], by: AbstractBaseUser, now: datetime | None = None
) -> Complaint:
    """A supervisor takes the escalation on; the sweep keeps watching the deadlines."""
    access.require_supervisor(by)
    cleaned = validated(AcknowledgeForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        claimed = (
            # A closed complaint too: a low satisfaction score escalates it for a follow-up.
            Complaint.objects.filter(
                pk=complaint.pk, escalated=True, escalation_acknowledged_at__isnull=True
            ).update(escalation_acknowledged_at=now, escalation_acknowledged_by=by)
        )
        if not claimed:
            raise Conflict(_("There is no open escalation to acknowledge."))
        file_record(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={"action": "acknowledge_escalation", **cleaned},
        )
    forget_unacknowledged_count()  # the header's badge counts again on the next page
    return complaint


def complaint_deescalate(
    *, complaint: Complaint, data: Mapping[str, Any], by: AbstractBaseUser, now: datetime | None = None
) -> Complaint:
    """A supervisor closes the escalation, saying why."""
    access.require_supervisor(by)
    cleaned = validated(DeescalateForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Complaint.objects.select_for_update(of=("self",)).filter(pk=complaint.pk, escalated=True)
        current = locked.first()
        if current is None:
            raise Conflict(_("This complaint is not escalated."))
        Complaint.objects.filter(pk=complaint.pk).update(
            escalated=False,
            escalation_level=0,
            escalation_acknowledged_at=None,
            escalation_acknowledged_by=None,
        )
        file_record(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={"action": "deescalate", "from_level": current.escalation_level, **cleaned},
        )
    return complaint


def complaint_reassign(
    *, complaint: Complaint, data: Mapping[str, Any], by: AbstractBaseUser, now: datetime | None = None
) -> Complaint:
    """A supervisor hands the complaint to someone else."""
    access.require_supervisor(by)
    cleaned = validated(ReassignForm, data)
    now = now or timezone.now()
    assignee = cleaned["assignee"]
    with transaction.atomic():
        current = Complaint.objects.select_for_update(of=("self",)).filter(pk=complaint.pk).first()
        if current is None or not current.is_open:
            raise Conflict(_("This complaint is closed; reopen it before reassigning it."))
        if current.assignee_id == assignee.pk:
            raise Conflict(_("The complaint is already assigned to this person."))
        Complaint.objects.filter(pk=complaint.pk).update(assignee=assignee, updated_at=now)
        file_record(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={
                "action": "reassign",
                "from": current.assignee_id,
                "to": assignee.pk,
                "note": cleaned["note"],
            },
        )
        messages.queue_reassigned_notice(complaint, assignee, now=now)
    return complaint


def complaint_add_note(
    *, complaint: Complaint, data: Mapping[str, Any], by: AbstractBaseUser, now: datetime | None = None
) -> Complaint:
    """File an internal note (e.g. a supervisor's instructions)."""
    access.require_worker(by)
    cleaned = validated(NoteForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        file_record(
            complaint, ComplaintRecord.Kind.PROCESS, by=by, now=now, data={"action": "note", **cleaned}
        )
    return complaint
