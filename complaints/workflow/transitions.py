"""Moving a complaint through the CLEAR stages."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from .. import access
from ..coaching import phrasebook
from ..coaching import rules as coaching
from ..deadlines.schedule import restart_resolution_window
from ..escalations.compensation import compensation_check_close
from ..exceptions import Conflict
from ..models import Complaint, ComplaintRecord
from ..records import file_record
from ..reports.prevention import preventive_action_open
from ..validation import validated
from .forms import TRANSITION_FORMS
from .satisfaction import survey_invite


def _field_values(complaint):
    return {f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields}


def complaint_transition(*, complaint, name, data, by, now=None):
    """Run CLEAR transition `name` with the stage's data; return (complaint, warnings)."""
    if name not in TRANSITION_FORMS:
        raise Conflict(_("There is no transition called “%(name)s”.") % {"name": name})
    access.require_worker(by)
    method = getattr(complaint, name)
    if not can_proceed(method):
        raise Conflict(
            _("A complaint in stage “%(stage)s” cannot be moved with “%(name)s”.")
            % {"stage": complaint.get_stage_display(), "name": name}
        )
    form_class = TRANSITION_FORMS[name]
    cleaned = validated(form_class, data)
    if name == "close":
        compensation_check_close(complaint=complaint, amount=cleaned.get("compensation"), by=by)
    customer_facing = getattr(form_class, "customer_facing", ())
    # The configured phrase list costs a query, so only read it when there is text to check.
    warnings = coaching.check_fields(
        cleaned, customer_facing, phrasebook.active_rules() if customer_facing else None
    )
    now = now or timezone.now()
    source = complaint.stage

    kwargs = dict(cleaned)
    if name == "listen":
        kwargs = {"by": by, "now": now}
    elif name == "close":
        kwargs["now"] = now
    try:
        with transaction.atomic():
            before = _field_values(complaint)
            method(**kwargs)
            if name == "reopen":
                restart_resolution_window(complaint, now)
            changed = [name for name, value in _field_values(complaint).items() if before[name] != value]
            # ConcurrentTransitionMixin makes this UPDATE conditional on the stage we read;
            # writing only the changed columns keeps a concurrent escalation intact.
            complaint.save(update_fields=[*changed, "updated_at"])
            record_data = {"transition": name, "from": source, "to": complaint.stage, **cleaned}
            if name == "listen":
                record_data["assignee"] = complaint.assignee_id
            if warnings:
                record_data["warnings"] = warnings
            file_record(
                complaint, ComplaintRecord.Kind.PROCESS, by=by, now=now, stage=source, data=record_data
            )
            if name == "close":
                file_record(complaint, ComplaintRecord.Kind.OUTCOME, by=by, now=now, data=cleaned)
                survey_invite(complaint=complaint, now=now)
                preventive_action_open(complaint=complaint, by=by, now=now)
    except ConcurrentTransition as exc:
        raise Conflict(_("Someone else moved this complaint a moment ago; reload it and try again.")) from exc
    return complaint, warnings
