"""Moving a complaint through the CLEAR stages."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from .. import access
from ..coaching import phrasebook
from ..coaching import rules as coaching
from ..deadlines import outside
from ..deadlines.schedule import DEADLINE_FIELDS, restart_resolution_window
from ..escalations.compensation import compensation_check_close
from ..exceptions import Conflict
from ..models import Complaint, ComplaintHold, ComplaintRecord, lock
from ..notifications import letters, messages
from ..records import file_record
from ..reports.prevention import preventive_action_open
from ..validation import validated
from .forms import TRANSITION_FORMS
from .holds import end_hold
from .satisfaction import survey_invite


def _field_values(complaint):
    return {f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields}


def _check_referral_text(complaint, cleaned, by):
    if not letters.referral_text_for(complaint):
        raise ValidationError(
            {
                "referral_text": [
                    _(
                        "The final response must tell the customer where to go if they are not happy, "
                        "and no referral text is set: ask an administrator to add one (Referral texts)."
                    )
                ]
            }
        )


def _fix_referral_text(complaint, now):
    # The letter keeps the words it was sent with, whatever the admin changes later.
    complaint.referral_text = letters.referral_text_for(complaint)


def _send_final_response(complaint, cleaned, by, now):
    messages.queue_final_response(complaint, blocks=lambda: letters.final_response_blocks(complaint), now=now)


# The steps of other areas a transition may declare (Complaint's transitions, `custom`).
CHECKS = {
    "compensation_within_approval": lambda complaint, cleaned, by: compensation_check_close(
        complaint=complaint, amount=cleaned.get("compensation"), by=by
    ),
    "referral_text_configured": _check_referral_text,
}
PREPARE = {"restart_resolution_window": restart_resolution_window, "fix_referral_text": _fix_referral_text}
AFTER = {
    "send_final_response": _send_final_response,
    "tell_customer_responded": lambda complaint, cleaned, by, now: messages.queue_progress_notice(
        complaint, "responded", now=now
    ),
    # Resolve can be entered again after a reopening: each entry is its own notice.
    "tell_customer_proposed": lambda complaint, cleaned, by, now: messages.queue_progress_notice(
        complaint, "proposed", occurrence=now.isoformat(), now=now
    ),
    "file_outcome": lambda complaint, cleaned, by, now: file_record(
        complaint, ComplaintRecord.Kind.OUTCOME, by=by, now=now, data=cleaned
    ),
    "invite_to_survey": lambda complaint, cleaned, by, now: survey_invite(complaint=complaint, now=now),
    "open_preventive_action": lambda complaint, cleaned, by, now: preventive_action_open(
        complaint=complaint, by=by, now=now
    ),
}


def complaint_transition(
    *,
    complaint: Complaint,
    name: str,
    data: Mapping[str, Any],
    by: AbstractBaseUser,
    now: datetime | None = None,
) -> tuple[Complaint, list[dict[str, str]]]:
    """Run CLEAR transition `name` with the stage's data; return (complaint, warnings).

    What each transition does beyond setting its fields is declared on it (the model's
    `custom`); this runs those steps in order: checks, the transition, prepare, save, the
    record entry, after.
    """
    if name not in TRANSITION_FORMS:
        raise Conflict(_("There is no transition called “%(name)s”.") % {"name": name})
    access.require_worker(by)
    method = getattr(complaint, name)
    if not can_proceed(method):
        raise Conflict(
            _("A complaint in stage “%(stage)s” cannot be moved with “%(name)s”.")
            % {"stage": complaint.get_stage_display(), "name": name}
        )
    declared = complaint.transition_custom(name)
    form_class = TRANSITION_FORMS[name]
    cleaned = validated(form_class, data)
    for check in declared.get("checks", ()):
        CHECKS[check](complaint, cleaned, by)
    customer_facing = getattr(form_class, "customer_facing", ())
    # The configured phrase list costs a query, so only read it when there is text to check.
    warnings = coaching.check_fields(
        cleaned, customer_facing, phrasebook.active_rules() if customer_facing else None
    )
    now = now or timezone.now()
    source = complaint.stage
    try:
        with transaction.atomic():
            if complaint.hold_id is not None:
                # Moving on ends the hold first: the deadlines get their working time back
                # (and the next stage's rules apply to them), then the transition runs.
                held = lock(complaint)
                if held.hold_id is not None:
                    end_hold(held, by=by, how=ComplaintHold.Ending.MOVED_ON, now=now)
                for field in (*DEADLINE_FIELDS, "callback_due_at", "hold_id", "back_from_hold_id"):
                    setattr(complaint, field, getattr(held, field))
            before = _field_values(complaint)
            # Moving on answers "came back from hold": the flag has done its job.
            complaint.back_from_hold = None
            method(by=by, now=now, **cleaned)
            for step in declared.get("prepare", ()):
                PREPARE[step](complaint, now)
            changed = [field for field, value in _field_values(complaint).items() if before[field] != value]
            # ConcurrentTransitionMixin makes this UPDATE conditional on the stage we read;
            # writing only the changed columns keeps a concurrent escalation intact.
            complaint.save(update_fields=[*changed, "updated_at"])
            # The outside clocks this transition stops (its `stops`): the one place they are met.
            outside.clocks_stop(complaint, declared.get("stops", ()), now)
            record_data = {"transition": name, "from": source, "to": complaint.stage, **cleaned}
            for field in declared.get("record", ()):
                record_data[field] = getattr(complaint, f"{field}_id")
            if warnings:
                record_data["warnings"] = warnings
            file_record(
                complaint, ComplaintRecord.Kind.PROCESS, by=by, now=now, stage=source, data=record_data
            )
            for step in declared.get("after", ()):
                AFTER[step](complaint, cleaned, by, now)
    except ConcurrentTransition as exc:
        raise Conflict(_("Someone else moved this complaint a moment ago; reload it and try again.")) from exc
    return complaint, warnings
