"""Reclassifying a complaint (minor / major): its deadlines follow the new service level."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access
from ..deadlines import policies
from ..deadlines.schedule import (
    DEADLINE_FIELDS,
    ended_holds,
    open_callback_dues,
    outside_checks,
    replay_holds,
    set_deadline_fields,
)
from ..escalations.forms import SeverityChangeForm
from ..exceptions import Conflict
from ..models import Complaint, ComplaintRecord, lock
from ..records import file_record
from ..validation import validated


def complaint_change_severity(
    *, complaint: Complaint, data: Mapping[str, Any], by: AbstractBaseUser, now: datetime | None = None
) -> Complaint:
    """Reclassify a complaint (minor/major); its deadlines follow the new service level."""
    access.require_worker(by)
    cleaned = validated(SeverityChangeForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        complaint = lock(complaint)
        if not complaint.is_open:
            raise Conflict(_("This complaint is closed; reopen it before changing its severity."))
        before = complaint.severity
        if before == cleaned["severity"]:
            raise Conflict(_("The complaint already has this severity."))
        complaint.severity = cleaned["severity"]
        due = policies.deadlines_for_customer(complaint.severity, complaint.customer, complaint.created_at)
        # The time it already spent on hold stays given back.
        holds = ended_holds([complaint.pk]).get(complaint.pk, ())
        if holds:
            due = replay_holds(
                complaint, due, holds, policies.load_calendar(complaint.created_at.year, now.year + 1)
            )
        set_deadline_fields(
            complaint,
            due,
            open_callback_dues([complaint.pk]).get(complaint.pk, ()),
            outside_checks([complaint]).get(complaint.pk, ()),
        )
        complaint.save(update_fields=["severity", *DEADLINE_FIELDS, "updated_at"])
        file_record(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={
                "action": "change_severity",
                "from": before,
                "to": complaint.severity,
                "reason": cleaned["reason"],
                "respond_by": complaint.respond_by,
                "resolve_by": complaint.resolve_by,
            },
        )
    return complaint
