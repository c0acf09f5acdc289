"""On hold: waiting for the customer or a third party, with the desk's own clocks paused.

A hold is not a CLEAR stage: the complaint keeps its stage, and Complaint.hold points at the
open ComplaintHold while it lasts. While it does, models.deadline_now() is NULL, so the
sweep, the queue, "overdue" and the report all read the pause through the one rule. On
resume, deadlines.schedule.resume_deadlines() gives every deadline back the working time it
had left. Moving the complaint to another stage while on hold ends the hold first
(workflow.transitions).

Services:
- put_on_hold(complaint, *, kind, reason, by, now=None) -> ComplaintHold
- resume_hold(complaint, *, by=None, how="customer_replied", note="", now=None) -> ComplaintHold
- resume_if_on_hold(...): the same, None when the complaint is not on hold (for hooks such as
  a customer's reply on the tracking page).
- complaint_hold / complaint_resume: the pages' and the API's entry points (validate, check
  the role, then call the two above).
- holds_check(now=None): the beat task's work (reminder after HOLD_REMINDER_DAYS, back to the
  queue after HOLD_MAX_DAYS), safe when two beats run it at once.
"""

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access
from ..deadlines.schedule import outside_checks, resume_deadlines
from ..exceptions import Conflict
from ..models import Complaint, ComplaintHold, ComplaintRecord, Stage, lock
from ..notifications import messages
from ..records import file_record
from ..validation import validated
from .forms import HoldForm, ResumeForm

logger = logging.getLogger(__name__)

Ending = ComplaintHold.Ending


def reminder_after() -> timedelta:
    return timedelta(days=int(getattr(settings, "HOLD_REMINDER_DAYS", 5)))


def max_hold() -> timedelta:
    return timedelta(days=int(getattr(settings, "HOLD_MAX_DAYS", 14)))


def _person(by: AbstractBaseUser | None) -> Any:
    """The user to store as who did it (nobody for the desk itself or a customer)."""
    return by if by is not None and by.is_authenticated else None


def put_on_hold(
    complaint: Complaint,
    *,
    kind: str,
    reason: str,
    by: AbstractBaseUser | None,
    now: datetime | None = None,
) -> ComplaintHold:
    """Put an open complaint on hold; its own deadlines pause until it is resumed.

    Conflict when it is closed or already on hold. Files a process record entry.
    """
    if kind not in ComplaintHold.Kind.values:
        raise ValueError(kind)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            complaint = lock(complaint)
            if not complaint.is_open:
                raise Conflict(_("This complaint is closed; reopen it before putting it on hold."))
            if complaint.hold_id is not None:
                raise Conflict(_("This complaint is already on hold."))
            hold = ComplaintHold.objects.create(
                complaint=complaint,
                kind=kind,
                reason=reason,
                started_at=now,
                started_by=_person(by),
                paused_deadline=complaint.deadline_now(),
            )
            # While the desk's own clocks are paused the sweep looks only at the outside
            # clocks, which never pause.
            checks = outside_checks([complaint]).get(complaint.pk, ())
            Complaint.objects.filter(pk=complaint.pk).update(
                hold=hold, back_from_hold=None, next_deadline_at=min(checks, default=None), updated_at=now
            )
            file_record(
                complaint,
                ComplaintRecord.Kind.PROCESS,
                by=by,
                now=now,
                data={"action": "hold", "hold": hold.pk, "kind": kind, "reason": reason},
            )
    except IntegrityError:
        # Two people pressed at the same moment (complaint_hold_one_open).
        raise Conflict(_("This complaint is already on hold.")) from None
    transaction.on_commit(
        lambda: messages.queue_progress_notice(
            complaint, "on_hold", occurrence=str(hold.pk), waiting_for=hold.reason
        )
    )
    return hold


def end_hold(
    complaint: Complaint, *, by: AbstractBaseUser | None, how: str, note: str = "", now: datetime
) -> ComplaintHold:
    """End the hold of `complaint`, which the caller has locked (models.lock) and found on hold.

    Moves the deadlines on (deadlines.schedule.resume_deadlines), saves, files the record entry.
    """
    hold = ComplaintHold.objects.get(pk=complaint.hold_id or 0)
    hold.ended_at = now
    hold.ended_by = _person(by)
    hold.ended_how = how
    hold.save(update_fields=["ended_at", "ended_by", "ended_how"])
    changed = resume_deadlines(complaint, paused_at=hold.started_at, resumed_at=now)
    complaint.hold = None
    complaint.back_from_hold = hold if how == Ending.NO_ANSWER else None
    complaint.save(update_fields=[*changed, "hold", "back_from_hold", "updated_at"])
    data: dict[str, Any] = {
        "action": "resume",
        "hold": hold.pk,
        "how": how,
        "respond_by": complaint.respond_by,
        "resolve_by": complaint.resolve_by,
    }
    if note:
        data["note"] = note
    file_record(complaint, ComplaintRecord.Kind.PROCESS, by=by, now=now, data=data)
    if how != Ending.MOVED_ON:  # a move to the next stage tells the customer itself
        transaction.on_commit(
            lambda: messages.queue_progress_notice(complaint, "resumed", occurrence=str(hold.pk), now=now)
        )
    return hold


def resume_hold(
    complaint: Complaint,
    *,
    by: AbstractBaseUser | None = None,
    how: str = Ending.CUSTOMER_REPLIED,
    note: str = "",
    now: datetime | None = None,
) -> ComplaintHold:
    """End the complaint's hold: its clocks run again with the working time they had left.

    `how` is a ComplaintHold.Ending ("customer_replied" for a reply on the tracking page,
    "resumed" when staff resume it). Conflict when it is not on hold (or closed).
    """
    if how not in Ending.values:
        raise ValueError(how)
    now = now or timezone.now()
    with transaction.atomic():
        complaint = lock(complaint)
        if not complaint.is_open:
            raise Conflict(_("This complaint is closed."))
        if complaint.hold_id is None:
            raise Conflict(_("This complaint is not on hold."))
        hold = end_hold(complaint, by=by, how=how, note=note, now=now)
    return hold


def resume_if_on_hold(
    complaint: Complaint,
    *,
    by: AbstractBaseUser | None = None,
    how: str = Ending.CUSTOMER_REPLIED,
    now: datetime | None = None,
) -> ComplaintHold | None:
    """resume_hold(), or None when the complaint is not on hold (or is closed)."""
    try:
        return resume_hold(complaint, by=by, how=how, now=now)
    except Conflict:
        return None


def complaint_hold(*, complaint: Complaint, data: Mapping[str, Any], by: AbstractBaseUser) -> Complaint:
    """Pages and API: validate {kind, reason}, check the role, put the complaint on hold."""
    access.require_worker(by)
    cleaned = validated(HoldForm, data)
    put_on_hold(complaint, kind=cleaned["kind"], reason=cleaned["reason"], by=by)
    return complaint


def complaint_resume(*, complaint: Complaint, data: Mapping[str, Any], by: AbstractBaseUser) -> Complaint:
    """Pages and API: validate {note} (optional), check the role, resume the complaint."""
    access.require_worker(by)
    cleaned = validated(ResumeForm, data)
    resume_hold(complaint, by=by, how=Ending.RESUMED, note=cleaned["note"])
    return complaint


# --- the beat task's work ---------------------------------------------------------------

HOLD_BATCH = 200


def _remind(now: datetime) -> int:
    """Remind each customer once per hold, HOLD_REMINDER_DAYS after it began."""
    sent = 0
    due = (
        ComplaintHold.objects.filter(ended_at__isnull=True, reminded_at__isnull=True)
        .filter(started_at__lte=now - reminder_after(), started_at__gt=now - max_hold())
        .exclude(complaint__stage=Stage.CLOSED)
        .order_by("started_at", "id")
        .values_list("id", flat=True)[:HOLD_BATCH]
    )
    for hold_id in list(due):
        with transaction.atomic():
            # The claim: only the run whose UPDATE changes the row sends (two beats, one email).
            # A hold ended meanwhile is not claimed.
            claimed = ComplaintHold.objects.filter(
                pk=hold_id, ended_at__isnull=True, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            hold = ComplaintHold.objects.select_related("complaint__customer").get(pk=hold_id)
            queued = messages.queue_hold_reminder(hold, now=now)
            file_record(
                hold.complaint,
                ComplaintRecord.Kind.PROCESS,
                by=None,
                now=now,
                data={"action": "hold_reminder", "hold": hold.pk, "emailed": bool(queued)},
            )
            sent += 1
    return sent


def _time_out(now: datetime) -> int:
    """Take complaints off hold after HOLD_MAX_DAYS without an answer, each once."""
    ended = 0
    due = (
        ComplaintHold.objects.filter(ended_at__isnull=True, started_at__lte=now - max_hold())
        .order_by("started_at", "id")
        .values_list("id", "complaint_id")[:HOLD_BATCH]
    )
    for hold_id, complaint_id in list(due):
        with transaction.atomic():
            # Lock the complaint first, as staff's resume does (same order: no deadlock); a
            # complaint another run or a person holds is theirs, and skipped here.
            complaint = (
                Complaint.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("customer")
                .filter(pk=complaint_id, hold_id=hold_id)
                .first()
            )
            if complaint is None:
                continue
            if not complaint.is_open:
                # Closed in a race with the hold (a transition that read it before the hold
                # began): nothing to bring back, only the hold to end.
                ComplaintHold.objects.filter(pk=hold_id).update(ended_at=now, ended_how=Ending.MOVED_ON)
                Complaint.objects.filter(pk=complaint_id).update(hold=None)
                continue
            end_hold(complaint, by=None, how=Ending.NO_ANSWER, now=now)
            ended += 1
    return ended


def holds_check(now: datetime | None = None) -> dict[str, int]:
    """Remind customers on hold for HOLD_REMINDER_DAYS; after HOLD_MAX_DAYS without an answer,
    take the complaint off hold and back to its assignee's queue, flagged. Each happens once
    per hold, however many beats or workers run this at the same time."""
    now = now or timezone.now()
    return {"reminded": _remind(now), "returned": _time_out(now)}
