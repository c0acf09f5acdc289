"""Systemic issues: open one, change it, link complaints to it and unlink them, decide on the
desk's suggestions. Supervisors and managers do all of it (access.can_manage_systemic_issues).

Each link and unlink files a process entry in the complaint's record, in the same transaction.
A complaint belongs to one issue at most (a unique link row): linking it to a second one is
a conflict, so it is unlinked first, deliberately.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as DeskUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access
from ..exceptions import Conflict
from ..jsontypes import JsonObject, is_json_object
from ..models import (
    Complaint,
    ComplaintRecord,
    SystemicIssue,
    SystemicIssueComplaint,
    SystemicSuggestion,
)
from ..records import file_record
from ..validation import validated
from .forms import SystemicIssueForm

Status = SystemicIssue.Status
User = DeskUser | AnonymousUser


def _person(by: User) -> DeskUser | None:
    """Who to name on a row: nobody for a caller without an account (a task)."""
    return None if isinstance(by, AnonymousUser) or not by.is_authenticated else by


def _dates(status: str, current: SystemicIssue | None, now: datetime) -> dict[str, Any]:
    """fixed_at / closed_at follow the status: set when it is reached, cleared when it is left."""
    fixed_at = current.fixed_at if current else None
    closed_at = current.closed_at if current else None
    fixed_at = (fixed_at or now) if status in (Status.FIXED, Status.CLOSED) else None
    closed_at = (closed_at or now) if status == Status.CLOSED else None
    return {"fixed_at": fixed_at, "closed_at": closed_at}


TEXT_FIELDS = ("title", "description", "status", "preventive_action")


def _refuse_null_texts(data: Any) -> None:
    """A JSON body's texts are strings; null is kept for "no owner" only."""
    if is_json_object(data):
        errors = {
            k: [_("Send this as text (a JSON string).")] for k in TEXT_FIELDS if k in data and data[k] is None
        }
        if errors:
            raise ValidationError(errors)


def systemic_issue_create(*, data: Any, by: User, now: datetime | None = None) -> SystemicIssue:
    """Open an issue from the form's fields (title, description, owner, status, preventive_action)."""
    access.require_systemic_manager(by)
    now = now or timezone.now()
    _refuse_null_texts(data)
    values = validated(SystemicIssueForm, data)
    return SystemicIssue.objects.create(
        **values,
        **_dates(values["status"], None, now),
        opened_at=now,
        updated_at=now,
        opened_by=_person(by),
    )


def _form_values(issue: SystemicIssue) -> dict[str, Any]:
    return {
        "title": issue.title,
        "description": issue.description,
        "owner": issue.owner_id,
        "status": issue.status,
        "preventive_action": issue.preventive_action,
    }


def systemic_issue_update(
    *, issue: SystemicIssue, data: Any, by: User, now: datetime | None = None
) -> SystemicIssue:
    """Change the fields given in `data` (the others stay as they are)."""
    access.require_systemic_manager(by)
    if not hasattr(data, "get"):
        validated(SystemicIssueForm, data)  # raises the usual "send an object" error
    _refuse_null_texts(data)
    now = now or timezone.now()
    with transaction.atomic():
        current = SystemicIssue.objects.select_for_update().get(pk=issue.pk)
        merged = _form_values(current)
        merged.update({key: data[key] for key in merged if key in data})
        if is_json_object(data):
            merged = JsonObject(merged)  # the API's bodies keep their type checks
        values = validated(SystemicIssueForm, merged)
        for field, value in {**values, **_dates(values["status"], current, now)}.items():
            setattr(current, field, value)
        current.updated_at = now
        current.save()
    return current


def _file(complaint: Complaint, issue: SystemicIssue, action: str, by: User, now: datetime) -> None:
    file_record(
        complaint,
        ComplaintRecord.Kind.PROCESS,
        by=by,
        now=now,
        data={"action": action, "systemic_issue": issue.pk, "systemic_issue_title": issue.title},
    )


def _link(issue: SystemicIssue, complaint: Complaint, by: User, now: datetime) -> bool:
    """Link inside the caller's transaction; False when it already is in this issue."""
    current = SystemicIssueComplaint.objects.filter(complaint=complaint).select_related("issue").first()
    if current is not None:
        if current.issue_id == issue.pk:
            return False
        raise Conflict(
            _("Complaint %(reference)s is already part of the issue “%(title)s”; remove it there first.")
            % {"reference": complaint.reference, "title": current.issue.title}
        )
    try:
        with transaction.atomic():  # a colleague may link it at the same moment
            SystemicIssueComplaint.objects.create(
                issue=issue, complaint=complaint, linked_at=now, linked_by=_person(by)
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Complaint %(reference)s was just linked to an issue by someone else.")
            % {"reference": complaint.reference}
        ) from exc
    _file(complaint, issue, "systemic_issue_link", by, now)
    return True


def _lock_open_issue(issue: SystemicIssue) -> SystemicIssue:
    current = SystemicIssue.objects.select_for_update().get(pk=issue.pk)
    if current.status == Status.CLOSED:
        raise Conflict(_("This issue is closed; reopen it before linking complaints."))
    return current


def systemic_issue_link(
    *, issue: SystemicIssue, complaints: list[Complaint], by: User, now: datetime | None = None
) -> list[Complaint]:
    """Link `complaints` to `issue`; return those newly linked (one already in it is skipped).
    All or nothing: one that belongs to another issue stops the whole change."""
    access.require_systemic_manager(by)
    now = now or timezone.now()
    with transaction.atomic():
        current = _lock_open_issue(issue)
        return [c for c in complaints if _link(current, c, by, now)]


def systemic_issue_unlink(
    *, issue: SystemicIssue, complaint: Complaint, by: User, now: datetime | None = None
) -> None:
    access.require_systemic_manager(by)
    now = now or timezone.now()
    with transaction.atomic():
        deleted, _rows = SystemicIssueComplaint.objects.filter(issue=issue, complaint=complaint).delete()
        if not deleted:
            raise Conflict(
                _("Complaint %(reference)s is not part of this issue.") % {"reference": complaint.reference}
            )
        _file(complaint, issue, "systemic_issue_unlink", by, now)


def complaints_by_reference(references: list[str]) -> list[Complaint]:
    """The complaints with these references, in the order given; a field error names any not found."""
    found = {c.reference: c for c in Complaint.objects.filter(reference__in=references)}
    missing = [r for r in references if r not in found]
    if missing:
        raise ValidationError(
            {"references": [_("No complaint has the reference %(refs)s.") % {"refs": ", ".join(missing)}]}
        )
    return [found[r] for r in references]


# --- suggestions ------------------------------------------------------------------------


def _decided(suggestion: SystemicSuggestion) -> Conflict:
    return Conflict(
        _("This suggestion was already decided: %(status)s.") % {"status": suggestion.get_status_display()}
    )


def suggestion_accept(
    *, suggestion: SystemicSuggestion, by: User, title: str = "", now: datetime | None = None
) -> SystemicIssue:
    """Open an issue from a suggestion, with its complaints linked (those meanwhile linked to
    another issue stay where they are)."""
    access.require_systemic_manager(by)
    now = now or timezone.now()
    with transaction.atomic():
        current = SystemicSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if current.status != SystemicSuggestion.Status.PENDING:
            raise _decided(current)
        issue = SystemicIssue.objects.create(
            title=(title or "").strip() or current.title,
            owner=_person(by),
            opened_by=_person(by),
            opened_at=now,
            updated_at=now,
        )
        members = Complaint.objects.filter(
            systemic_suggestion__suggestion=current, systemic_link__isnull=True
        ).order_by("created_at", "id")
        for complaint in members:
            _link(issue, complaint, by, now)
        current.status = SystemicSuggestion.Status.ACCEPTED
        current.decided_at, current.issue = now, issue
        current.decided_by = _person(by)
        current.save(update_fields=["status", "decided_at", "decided_by", "issue"])
    return issue


def suggestion_dismiss(*, suggestion: SystemicSuggestion, by: User, now: datetime | None = None) -> None:
    """Not a systemic issue: the suggestion and its complaints are never suggested again."""
    access.require_systemic_manager(by)
    now = now or timezone.now()
    changed = SystemicSuggestion.objects.filter(
        pk=suggestion.pk, status=SystemicSuggestion.Status.PENDING
    ).update(
        status=SystemicSuggestion.Status.DISMISSED,
        decided_at=now,
        decided_by=_person(by),
    )
    if not changed:
        raise _decided(SystemicSuggestion.objects.get(pk=suggestion.pk))
