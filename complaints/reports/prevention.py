"""Preventive actions: open one when a complaint closes, move it to done and verified, flag overdue.

Like complaints.services, every change here writes the filed record of the complaint the
action came from, in the same transaction.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access
from ..exceptions import Conflict
from ..limits import NOTE
from ..models import Complaint, ComplaintRecord, PreventiveAction
from ..records import file_record

Status = PreventiveAction.Status

# Which status may follow which: "done" can go back to "open" when it turns out not done.
MOVES = {
    Status.OPEN: {Status.DONE},
    Status.DONE: {Status.VERIFIED, Status.OPEN},
    Status.VERIFIED: set(),
}


def due_days() -> int:
    return settings.CLEAR_DESK_REPORTS.get("PREVENTIVE_ACTION_DUE_DAYS", 30)


def preventive_action_open(
    *, complaint: Complaint, by: AbstractBaseUser | None, now: datetime
) -> PreventiveAction | None:
    """Track the preventive action filed with a closing; called inside the close transaction.

    The closing's outcome record already holds the action's text, so opening files nothing more;
    later status changes are filed as process records.
    """
    description = (complaint.preventive_action or "").strip()
    if not description:
        return None
    action = PreventiveAction.objects.create(
        complaint=complaint,
        description=description,
        department_id=complaint.responsible_department_id,
        due_at=now + timedelta(days=due_days()),
        created_at=now,
    )
    return action


def preventive_action_set_status(
    *,
    action: PreventiveAction,
    status: Any,
    by: AbstractBaseUser,
    note: str = "",
    now: datetime | None = None,
) -> PreventiveAction:
    """Move an action to `status` (supervisors); the change lands in the complaint's record."""

    if not access.is_supervisor(by):
        raise PermissionDenied(_("Only a supervisor may change the status of a preventive action."))
    if status not in Status.values:
        raise ValidationError({"status": [_("Choose one of: open, done, verified.")]})
    if len(note or "") > NOTE:
        raise ValidationError({"note": [_("Keep the note under %(limit)s characters.") % {"limit": NOTE}]})
    now = now or timezone.now()
    with transaction.atomic():
        current = PreventiveAction.objects.select_for_update().select_related("complaint").get(pk=action.pk)
        if status not in MOVES[current.status]:  # type: ignore[index]  # str status, TextChoices keys
            raise Conflict(
                _("A preventive action that is “%(current)s” cannot become “%(status)s”.")
                % {"current": current.get_status_display(), "status": Status(status).label}
            )
        changes = {"status": status}
        if status == Status.DONE:
            changes.update(done_at=now, done_by=by)
        elif status == Status.VERIFIED:
            changes.update(verified_at=now, verified_by=by)
        else:
            changes.update(done_at=None, done_by=None)
        # Compare-and-set on the status we read, so two clicks make one change.
        PreventiveAction.objects.filter(pk=current.pk, status=current.status).update(**changes)
        file_record(
            current.complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={
                "action": "preventive_action_status",
                "preventive_action": current.pk,
                "from": current.status,
                "to": status,
                "note": note,
            },
        )
    return PreventiveAction.objects.select_related("department", "complaint").get(pk=current.pk)


def preventive_actions_overdue(now: datetime | None = None) -> QuerySet[PreventiveAction]:
    """Open actions past their due time."""
    now = now or timezone.now()
    return PreventiveAction.objects.filter(status=Status.OPEN, due_at__lt=now)


def preventive_actions_flag_overdue(now: datetime | None = None) -> int:
    """Flag every open action past due that is not flagged yet, in one UPDATE; return how many."""
    now = now or timezone.now()
    return preventive_actions_overdue(now).filter(overdue=False).update(overdue=True, overdue_since=now)


def preventive_action_list() -> QuerySet[PreventiveAction]:
    return PreventiveAction.objects.select_related("department", "complaint", "done_by", "verified_by")
