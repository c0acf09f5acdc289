"""Escalations: ask a supervisor in, acknowledge, de-escalate, reassign, file a note."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access
from ..exceptions import Conflict
from ..models import Complaint, ComplaintRecord, Stage
from ..notifications import messages
from ..records import file_record
from ..validation import validated
from .forms import AcknowledgeForm, DeescalateForm, EscalateLevelForm, NoteForm, ReassignForm


def complaint_escalate(*, complaint, data, by, now=None):
    """Ask a supervisor to step in ("let me check with my supervisor").

    Without a level this is the first escalation and fails if one is already open; with a
    level it raises the escalation to that level (e.g. a supervisor calling in a manager).
    """
    access.require_worker(by)
    cleaned = validated(EscalateLevelForm, data)
    level = cleaned.pop("level")
    now = now or timezone.now()
    with transaction.atomic():
        # Compare-and-set: two clicks (or a click and the deadline sweep) escalate once.
        target = Complaint.objects.filter(pk=complaint.pk).exclude(stage=Stage.CLOSED)
        if level is None:
            target = target.filter(escalated=False)
        else:
            target = target.filter(escalation_level__lt=level)
        claimed = target.update(
            escalated=True,
            escalated_at=now,
            escalation_reason=cleaned["reason"],
            escalation_level=level or 1,
            escalation_acknowledged_at=None,
            escalation_acknowledged_by=None,
        )
        if not claimed:
            if level is None:
                raise Conflict(_("This complaint is closed or already escalated."))
            raise Conflict(_("This complaint is closed or already escalated to this level or higher."))
        complaint = Complaint.objects.select_related("customer", "assignee", "category").get(pk=complaint.pk)
        record = {"action": "escalate", **cleaned}
        if level is not None:
            record["level"] = level
        filed = file_record(complaint, ComplaintRecord.Kind.PROCESS, by=by, now=now, data=record)
        messages.queue_escalation_notices([(complaint, cleaned["reason"], f"escalate:{filed.pk}")], now=now)
    return complaint


def _escalation_update(complaint, **values):
    return Complaint.objects.filter(pk=complaint.pk).update(**values)


def complaint_acknowledge_escalation(*, complaint, data, by, now=None):
    """A supervisor takes the escalation on; the sweep keeps watching the deadlines."""
    access.require_supervisor(by)
    cleaned = validated(AcknowledgeForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        claimed = (
            Complaint.objects.filter(pk=complaint.pk, escalated=True, escalation_acknowledged_at__isnull=True)
            .exclude(stage=Stage.CLOSED)
            .update(escalation_acknowledged_at=now, escalation_acknowledged_by=by)
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
    return complaint


def complaint_deescalate(*, complaint, data, by, now=None):
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


def complaint_reassign(*, complaint, data, by, now=None):
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


def complaint_add_note(*, complaint, data, by, now=None):
    """File an internal note (e.g. a supervisor's instructions)."""
    access.require_worker(by)
    cleaned = validated(NoteForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        file_record(
            complaint, ComplaintRecord.Kind.PROCESS, by=by, now=now, data={"action": "note", **cleaned}
        )
    return complaint
