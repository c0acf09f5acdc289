"""The only way to change a complaint.

Every write runs as the outermost transaction: validate, change, save, and append to
the filed record in one go, so a record never describes a change that did not happen.
"""

import datetime
import decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from . import coaching, phrasebook, roles
from .deadlines import deadlines_for
from .forms import TRANSITION_FORMS, CallbackForm, CallbackFulfilForm, EscalateForm, SatisfactionForm
from .models import CallbackPromise, Complaint, ComplaintRecord, Stage, new_reference


class Conflict(Exception):
    """The complaint is not in a state that allows this; the API answers 409."""


def _require_worker(user):
    if not roles.can_work_complaints(user):
        raise PermissionDenied(_("Your role may read complaints but not change them."))


def _validated(form_class, data):
    if not hasattr(data, "get"):
        raise ValidationError({"non_field_errors": [_("Send the fields as a JSON object.")]})
    form = form_class(data=data)
    if not form.is_valid():
        raise ValidationError(
            {field: [e["message"] for e in errors] for field, errors in form.errors.get_json_data().items()}
        )
    return form.cleaned_data


def _jsonable(value):
    if isinstance(value, models.Model):
        return getattr(value, "code", value.pk)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _file(complaint, kind, *, by, data, stage=None, now=None):
    return ComplaintRecord.objects.create(
        complaint=complaint,
        kind=kind,
        stage=stage or complaint.stage,
        author=by if by is not None and by.is_authenticated else None,
        created_at=now or timezone.now(),
        data={key: _jsonable(value) for key, value in data.items()},
    )


def _field_values(complaint):
    return {f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields}


def complaint_create(*, customer, channel, category, severity, content, by, now=None):
    """Log a new complaint in Control and file what the customer said."""
    _require_worker(by)
    now = now or timezone.now()
    respond_by, resolve_by = deadlines_for(severity, now)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    reference=new_reference(),
                    customer=customer,
                    channel=channel,
                    category=category,
                    severity=severity,
                    content=content,
                    created_by=by,
                    created_at=now,
                    respond_by=respond_by,
                    resolve_by=resolve_by,
                )
                _file(
                    complaint,
                    ComplaintRecord.Kind.CONTENT,
                    by=by,
                    now=now,
                    data={
                        "content": content,
                        "channel": channel,
                        "category": category,
                        "severity": severity,
                        "customer": customer.pk,
                    },
                )
                return complaint
        except IntegrityError:
            # A reference collision among 32^8 is rare; draw again.
            continue
    raise Conflict(_("Could not allocate a reference number; please try again."))


def complaint_transition(*, complaint, name, data, by, now=None):
    """Run CLEAR transition `name` with the stage's data; return (complaint, warnings)."""
    if name not in TRANSITION_FORMS:
        raise Conflict(_("There is no transition called “%(name)s”.") % {"name": name})
    _require_worker(by)
    method = getattr(complaint, name)
    if not can_proceed(method):
        raise Conflict(
            _("A complaint in stage “%(stage)s” cannot be moved with “%(name)s”.")
            % {"stage": complaint.get_stage_display(), "name": name}
        )
    form_class = TRANSITION_FORMS[name]
    cleaned = _validated(form_class, data)
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
            changed = [name for name, value in _field_values(complaint).items() if before[name] != value]
            # ConcurrentTransitionMixin makes this UPDATE conditional on the stage we read;
            # writing only the changed columns keeps a concurrent escalation intact.
            complaint.save(update_fields=[*changed, "updated_at"])
            record_data = {"transition": name, "from": source, "to": complaint.stage, **cleaned}
            if name == "listen":
                record_data["assignee"] = complaint.assignee_id
            if warnings:
                record_data["warnings"] = warnings
            _file(complaint, ComplaintRecord.Kind.PROCESS, by=by, now=now, stage=source, data=record_data)
            if name == "close":
                _file(complaint, ComplaintRecord.Kind.OUTCOME, by=by, now=now, data=cleaned)
    except ConcurrentTransition as exc:
        raise Conflict(_("Someone else moved this complaint a moment ago; reload it and try again.")) from exc
    return complaint, warnings


def complaint_escalate(*, complaint, data, by, now=None):
    """Ask a supervisor to step in ("let me check with my supervisor")."""
    _require_worker(by)
    cleaned = _validated(EscalateForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        # Compare-and-set: two clicks (or a click and the deadline sweep) escalate once.
        claimed = (
            Complaint.objects.filter(pk=complaint.pk, escalated=False)
            .exclude(stage=Stage.CLOSED)
            .update(escalated=True, escalated_at=now, escalation_reason=cleaned["reason"])
        )
        if not claimed:
            raise Conflict(_("This complaint is closed or already escalated."))
        complaint = Complaint.objects.select_related("customer", "assignee", "category").get(pk=complaint.pk)
        _file(complaint, ComplaintRecord.Kind.PROCESS, by=by, now=now, data={"action": "escalate", **cleaned})
    return complaint


def complaint_record_satisfaction(*, complaint, data, by, now=None):
    """File how satisfied the customer is after closing (follow-up call or survey)."""
    _require_worker(by)
    cleaned = _validated(SatisfactionForm, data)
    if complaint.stage != Stage.CLOSED:
        raise Conflict(_("Satisfaction is asked after the complaint is closed."))
    now = now or timezone.now()
    with transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(satisfaction_score=cleaned["score"])
        complaint.satisfaction_score = cleaned["score"]
        _file(complaint, ComplaintRecord.Kind.SATISFACTION, by=by, now=now, data=cleaned)
    return complaint


def complaint_promise_callback(*, complaint, data, by, now=None):
    """Record "I'll call you back by <time>"; the promise is a deadline from now on."""
    _require_worker(by)
    cleaned = _validated(CallbackForm, data)
    now = now or timezone.now()
    if not complaint.is_open:
        raise Conflict(_("This complaint is closed; reopen it before promising a callback."))
    if cleaned["due_at"] <= now:
        raise ValidationError({"due_at": [_("Pick a time in the future.")]})
    with transaction.atomic():
        promise = CallbackPromise.objects.create(
            complaint=complaint,
            due_at=cleaned["due_at"],
            note=cleaned["note"],
            promised_by=by,
            created_at=now,
        )
        _file(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={"action": "promise_callback", "promise": promise.pk, **cleaned},
        )
    return promise


def complaint_fulfil_callback(*, complaint, promise_id, data, by, now=None):
    """Record that a promised callback was made."""
    _require_worker(by)
    cleaned = _validated(CallbackFulfilForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        kept = CallbackPromise.objects.filter(
            pk=promise_id, complaint=complaint, fulfilled_at__isnull=True
        ).update(fulfilled_at=now, fulfilled_by=by, fulfilment_note=cleaned["note"])
        if not kept:
            if not CallbackPromise.objects.filter(pk=promise_id, complaint=complaint).exists():
                raise Http404(_("No such callback promise."))
            raise Conflict(_("This callback was already recorded as made."))
        _file(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={"action": "fulfil_callback", "promise": int(promise_id), **cleaned},
        )
    return CallbackPromise.objects.get(pk=promise_id)
