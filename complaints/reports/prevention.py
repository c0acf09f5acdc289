"""Preventive actions: open one when a complaint closes, move it to done and verified, flag overdue.

Like complaints.services, every change here writes the filed record of the complaint the
action came from, in the same transaction.

One action per complaint and root cause: a complaint reopened and closed again with the
same root cause keeps its action (the new text replaces the old while it is still open).

Overdue, the one rule (`overdue_q`): not done by the moment asked about and due before it.
The report (at its week's end), the page, the API and the flagging task all read it, so an
action that is done or verified is never overdue.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
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
    existing = (
        PreventiveAction.objects.select_for_update()
        .filter(complaint=complaint, root_cause_id=complaint.root_cause_id)
        .order_by("-id")
        .first()
    )
    if existing is not None:
        # Closed again for the same cause: the same action, not a second one.
        changes = {"description": description, "department_id": complaint.responsible_department_id}
        if existing.status == Status.OPEN and any(getattr(existing, k) != v for k, v in changes.items()):
            PreventiveAction.objects.filter(pk=existing.pk).update(**changes)
            for field, value in changes.items():
                setattr(existing, field, value)
        return existing
    action = PreventiveAction.objects.create(
        complaint=complaint,
        root_cause_id=complaint.root_cause_id,
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
        changes: dict[str, Any] = {"status": status}
        if status == Status.DONE:
            # Done is never overdue (overdue_q); the flag goes with it.
            changes.update(done_at=now, done_by=by, overdue=False, overdue_since=None)
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


def overdue_q(at: datetime) -> Q:
    """Overdue at the moment `at`: opened by then, not done by then, and due before it.

    With `at` = now that is "open and past due"; with a week's end it is the report's figure.
    Done and verified actions (done_at before `at`) are never overdue.
    """
    not_done = Q(status=Status.OPEN, done_at__isnull=True) | Q(done_at__gte=at)
    return Q(created_at__lt=at, due_at__lt=at) & not_done


def with_overdue(queryset: QuerySet[PreventiveAction], at: datetime) -> QuerySet[PreventiveAction]:
    """`queryset` with `is_overdue` (overdue_q at `at`) on every row."""
    return queryset.annotate(is_overdue=ExpressionWrapper(overdue_q(at), output_field=BooleanField()))


def preventive_actions_overdue(now: datetime | None = None) -> QuerySet[PreventiveAction]:
    """Actions overdue now (overdue_q)."""
    now = now or timezone.now()
    return PreventiveAction.objects.filter(overdue_q(now))


def preventive_actions_flag_overdue(now: datetime | None = None) -> int:
    """Flag every action overdue now (overdue_q) that is not flagged yet, in one UPDATE; return how many."""
    now = now or timezone.now()
    return preventive_actions_overdue(now).filter(overdue=False).update(overdue=True, overdue_since=now)


def preventive_action_list(now: datetime | None = None) -> QuerySet[PreventiveAction]:
    """Every action with its complaint and people, and `is_overdue` now (overdue_q)."""
    queryset = PreventiveAction.objects.select_related("department", "complaint", "done_by", "verified_by")
    return with_overdue(queryset, now or timezone.now())
