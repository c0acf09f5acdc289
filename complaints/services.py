"""The only way to change a complaint.

Every write runs as the outermost transaction: validate, change, save, and append to
the filed record in one go, so a record never describes a change that did not happen.
"""

import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Least
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from . import bounds, bulk, coaching, notifications, phrasebook, roles, sla
from .compensation import compensation_check_close
from .escalation_forms import (
    AcknowledgeForm,
    DeescalateForm,
    EscalateLevelForm,
    NoteForm,
    ReassignForm,
    SeverityChangeForm,
)
from .forms import TRANSITION_FORMS, CallbackForm, CallbackFulfilForm, SatisfactionForm
from .jsontypes import form_type_errors
from .models import (
    ESCALATION_FIELDS,
    CallbackPromise,
    Category,
    Complaint,
    ComplaintRecord,
    Stage,
    new_reference,
)
from .prevention import preventive_action_open
from .records import file_record as _file
from .selectors import forget_categories

logger = logging.getLogger(__name__)


class Conflict(Exception):
    """The complaint is not in a state that allows this; the API answers 409."""


def _require_worker(user):
    if not roles.can_work_complaints(user):
        raise PermissionDenied(_("Your role may read complaints but not change them."))


def _validated(form_class, data):
    if not hasattr(data, "get"):
        raise ValidationError({"non_field_errors": [_("Send the fields as a JSON object.")]})
    wrong_types = form_type_errors(form_class, data)
    if wrong_types:
        raise ValidationError(wrong_types)
    form = form_class(data=data)
    if not form.is_valid():
        raise ValidationError(
            {field: [e["message"] for e in errors] for field, errors in form.errors.get_json_data().items()}
        )
    return form.cleaned_data


def _lock(complaint):
    """The complaint's row, locked until the transaction ends, read afresh.

    Check the complaint's state on what this returns, never on a copy read before: a close
    committed a moment ago is only seen (and a close about to happen only waits) this way.
    """
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("customer", "assignee", "category")
        .get(pk=complaint.pk)
    )


def _field_values(complaint):
    return {f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields}


def complaint_create(*, customer, channel, category, severity, content, by, now=None):
    """Log a new complaint in Control and file what the customer said."""
    _require_worker(by)
    return _create(
        customer=customer,
        channel=channel,
        category=category,
        severity=severity,
        content=content,
        by=by,
        now=now,
    )


def _check_foreign_keys_now():
    """Check the deferred foreign keys of what this transaction wrote so far, now.

    Django's foreign keys are checked when the outermost transaction commits. Inside a
    caller's transaction (the intake page, an intake with an Idempotency-Key) a category
    removed a moment ago would only fail there, past the handler below that reports it.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.check_constraints(table_names=[Complaint._meta.db_table])


def _create(*, customer, channel, category, severity, content, by, now=None, **extra):
    now = now or timezone.now()
    due = sla.deadlines_for(severity, customer.tier, now)
    nested = connection.in_atomic_block
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
                    respond_by=due.respond_by,
                    resolve_by=due.resolve_by,
                    respond_warn_at=due.respond_warn_at,
                    resolve_warn_at=due.resolve_warn_at,
                    next_deadline_at=min(due.respond_warn_at, due.resolve_warn_at),
                    **extra,
                )
                if nested:
                    _check_foreign_keys_now()
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
                if customer.is_vip:
                    # A-tier customers are the supervisors' business from the first minute.
                    notifications.queue_vip_notice(complaint, now=now)
                return complaint
        except IntegrityError:
            if not Category.objects.filter(pk=category.pk).exists():
                # Removed in the admin while this process still offered it (selectors).
                forget_categories()
                raise ValidationError(
                    {"category": [_("This category no longer exists; choose another.")]}
                ) from None
            # A reference collision among 32^8 is rare; draw again.
            continue
    raise Conflict(_("Could not allocate a reference number; please try again."))


def complaint_create_public(*, customer, what_happened, desired_outcome, now=None):
    """File a complaint a customer sent through the public form (no staff member involved).

    It arrives as a minor web-form complaint in the catch-all category, with a private
    tracking token; staff adjust category and severity once they pick it up.
    """
    from .models import Channel, Severity

    category = (
        Category.objects.filter(code="other").first() or Category.objects.filter(is_active=True).first()
    )
    if category is None:
        raise Conflict(_("No complaint categories are configured yet."))
    return _create(
        customer=customer,
        channel=Channel.WEB_FORM,
        category=category,
        severity=Severity.MINOR,
        content=what_happened,
        by=None,
        now=now,
        what_happened=what_happened,
        desired_outcome=desired_outcome,
        tracking_token=secrets.token_urlsafe(32),
    )


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
                _restart_resolution_window(complaint, now)
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
                _after_close(complaint, now=now)
                preventive_action_open(complaint=complaint, by=by, now=now)
    except ConcurrentTransition as exc:
        raise Conflict(_("Someone else moved this complaint a moment ago; reload it and try again.")) from exc
    return complaint, warnings


def complaint_escalate(*, complaint, data, by, now=None):
    """Ask a supervisor to step in ("let me check with my supervisor").

    Without a level this is the first escalation and fails if one is already open; with a
    level it raises the escalation to that level (e.g. a supervisor calling in a manager).
    """
    _require_worker(by)
    cleaned = _validated(EscalateLevelForm, data)
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
        filed = _file(complaint, ComplaintRecord.Kind.PROCESS, by=by, now=now, data=record)
        notifications.queue_escalation_notices(
            [(complaint, cleaned["reason"], f"escalate:{filed.pk}")], now=now
        )
    return complaint


def complaint_record_satisfaction(*, complaint, data, by, now=None):
    """File how satisfied the customer is after closing (follow-up call or survey)."""
    _require_worker(by)
    cleaned = _validated(SatisfactionForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _lock(complaint)
        if complaint.stage != Stage.CLOSED:
            raise Conflict(_("Satisfaction is asked after the complaint is closed."))
        Complaint.objects.filter(pk=complaint.pk).update(satisfaction_score=cleaned["score"])
        complaint.satisfaction_score = cleaned["score"]
        _file(complaint, ComplaintRecord.Kind.SATISFACTION, by=by, now=now, data=cleaned)
    return complaint


def _after_close(complaint, *, now):
    """Closing asks the customer how satisfied they are (a single-use survey link)."""
    from customers.services import survey_invite  # customers builds on complaints

    survey_invite(complaint=complaint, now=now)


def complaint_record_customer_satisfaction(*, complaint, data, source, now=None):
    """File the customer's own answer (the public survey): no staff member involved."""
    cleaned = _validated(SatisfactionForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(satisfaction_score=cleaned["score"])
        complaint.satisfaction_score = cleaned["score"]
        _file(
            complaint, ComplaintRecord.Kind.SATISFACTION, by=None, now=now, data={**cleaned, "source": source}
        )
    return complaint


def complaint_flag_low_satisfaction(*, complaint, score, now=None):
    """A dissatisfied customer after closing: put the complaint in front of a supervisor.

    Compare-and-set like complaint_escalate, but closed complaints qualify; one that is
    already escalated keeps its first escalation. Returns True if this call escalated it.
    """
    now = now or timezone.now()
    reason = _("The customer rated the outcome %(score)s out of 5.") % {"score": score}
    with transaction.atomic():
        claimed = Complaint.objects.filter(pk=complaint.pk, escalated=False).update(
            escalated=True, escalated_at=now, escalation_reason=reason
        )
        _file(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=None,
            now=now,
            data={"action": "low_satisfaction", "score": score, "escalated": bool(claimed), "reason": reason},
        )
    return bool(claimed)


def complaint_promise_callback(*, complaint, data, by, now=None):
    """Record "I'll call you back by <time>"; the promise is a deadline from now on."""
    _require_worker(by)
    cleaned = _validated(CallbackForm, data)
    now = now or timezone.now()
    try:
        bounds.check_callback_due(cleaned["due_at"], now=now)
    except ValidationError as exc:
        raise ValidationError({"due_at": exc.messages}) from None
    with transaction.atomic():
        complaint = _lock(complaint)
        if not complaint.is_open:
            raise Conflict(_("This complaint is closed; reopen it before promising a callback."))
        promise = CallbackPromise.objects.create(
            complaint=complaint,
            due_at=cleaned["due_at"],
            note=cleaned["note"],
            promised_by=by,
            created_at=now,
        )
        # The promise is a deadline the sweep watches from now on.
        Complaint.objects.filter(pk=complaint.pk).update(
            next_deadline_at=Least(Coalesce("next_deadline_at", Value(promise.due_at)), Value(promise.due_at))
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


# --- Deadlines and escalations -------------------------------------------------------


def _require_supervisor(user):
    if not roles.is_supervisor(user):
        raise PermissionDenied(_("Only a supervisor can handle escalations."))


def _deadline_fields(complaint, due, callback_dues=()):
    """Set the deadlines on `complaint` and the next moment the sweep must look at it."""
    complaint.respond_by = due.respond_by
    complaint.resolve_by = due.resolve_by
    complaint.respond_warn_at = due.respond_warn_at
    complaint.resolve_warn_at = due.resolve_warn_at
    # Events already handled for earlier deadlines do not matter: a new deadline is a new
    # event. The sweep drops what is no longer relevant when it next looks.
    candidates = [due.resolve_warn_at, *callback_dues]
    if complaint.responded_at is None:
        candidates.append(due.respond_warn_at)
    complaint.next_deadline_at = min(candidates)


def _restart_resolution_window(complaint, now):
    """A reopened complaint gets a fresh resolution window from now (its response was made)."""
    due = sla.deadlines_for(complaint.severity, complaint.customer.tier, now)
    complaint.resolve_by = due.resolve_by
    complaint.resolve_warn_at = due.resolve_warn_at
    callbacks = _open_callback_dues([complaint.pk]).get(complaint.pk, ())
    complaint.next_deadline_at = min([due.resolve_warn_at, *callbacks])


DEADLINE_FIELDS = ["respond_by", "resolve_by", "respond_warn_at", "resolve_warn_at", "next_deadline_at"]


def _open_callback_dues(complaint_ids):
    dues = {}
    for complaint_id, due_at in (
        bulk.among(CallbackPromise.objects, "complaint", list(complaint_ids))
        .filter(fulfilled_at__isnull=True)
        .values_list("complaint_id", "due_at")
    ):
        dues.setdefault(complaint_id, []).append(due_at)
    return dues


def complaint_change_severity(*, complaint, data, by, now=None):
    """Reclassify a complaint (minor/major); its deadlines follow the new service level."""
    _require_worker(by)
    cleaned = _validated(SeverityChangeForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _lock(complaint)
        if not complaint.is_open:
            raise Conflict(_("This complaint is closed; reopen it before changing its severity."))
        before = complaint.severity
        if before == cleaned["severity"]:
            raise Conflict(_("The complaint already has this severity."))
        complaint.severity = cleaned["severity"]
        due = sla.deadlines_for(complaint.severity, complaint.customer.tier, complaint.created_at)
        _deadline_fields(complaint, due, _open_callback_dues([complaint.pk]).get(complaint.pk, ()))
        complaint.save(update_fields=["severity", *DEADLINE_FIELDS, "updated_at"])
        _file(
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


def complaints_recompute_deadlines_for_customers(customer_ids):
    """Recompute the open complaints' deadlines of customers whose tier changed.

    Call it after changing tiers (e.g. the nightly tier ranking). A handful of queries
    whatever the number of complaints: one read, one for callbacks, one bulk update.
    """
    complaints = list(
        Complaint.objects.filter(customer_id__in=list(customer_ids))
        .exclude(stage=Stage.CLOSED)
        .select_related("customer")
    )
    if not complaints:
        return 0
    years = [c.created_at.astimezone(timezone.get_default_timezone()).year for c in complaints]
    rules = sla.Rules(min(years), max(years))
    dues = _open_callback_dues([c.pk for c in complaints])
    for c in complaints:
        _deadline_fields(c, rules.deadlines(c.severity, c.customer.tier, c.created_at), dues.get(c.pk, ()))
    Complaint.objects.bulk_update(complaints, DEADLINE_FIELDS, batch_size=500)
    return len(complaints)


def complaints_recompute_deadlines_for_customer(customer):
    return complaints_recompute_deadlines_for_customers([customer.pk])


def _escalation_update(complaint, **values):
    return Complaint.objects.filter(pk=complaint.pk).update(**values)


def complaint_acknowledge_escalation(*, complaint, data, by, now=None):
    """A supervisor takes the escalation on; the sweep keeps watching the deadlines."""
    _require_supervisor(by)
    cleaned = _validated(AcknowledgeForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        claimed = (
            Complaint.objects.filter(pk=complaint.pk, escalated=True, escalation_acknowledged_at__isnull=True)
            .exclude(stage=Stage.CLOSED)
            .update(escalation_acknowledged_at=now, escalation_acknowledged_by=by)
        )
        if not claimed:
            raise Conflict(_("There is no open escalation to acknowledge."))
        _file(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={"action": "acknowledge_escalation", **cleaned},
        )
    return complaint


def complaint_deescalate(*, complaint, data, by, now=None):
    """A supervisor closes the escalation, saying why."""
    _require_supervisor(by)
    cleaned = _validated(DeescalateForm, data)
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
        _file(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={"action": "deescalate", "from_level": current.escalation_level, **cleaned},
        )
    return complaint


def complaint_reassign(*, complaint, data, by, now=None):
    """A supervisor hands the complaint to someone else."""
    _require_supervisor(by)
    cleaned = _validated(ReassignForm, data)
    now = now or timezone.now()
    assignee = cleaned["assignee"]
    with transaction.atomic():
        current = Complaint.objects.select_for_update(of=("self",)).filter(pk=complaint.pk).first()
        if current is None or not current.is_open:
            raise Conflict(_("This complaint is closed; reopen it before reassigning it."))
        if current.assignee_id == assignee.pk:
            raise Conflict(_("The complaint is already assigned to this person."))
        Complaint.objects.filter(pk=complaint.pk).update(assignee=assignee, updated_at=now)
        _file(
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
        notifications.queue_reassigned_notice(complaint, assignee, now=now)
    return complaint


def complaint_add_note(*, complaint, data, by, now=None):
    """File an internal note (e.g. a supervisor's instructions)."""
    _require_worker(by)
    cleaned = _validated(NoteForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        _file(complaint, ComplaintRecord.Kind.PROCESS, by=by, now=now, data={"action": "note", **cleaned})
    return complaint


# Up to SWEEP_LANES x SWEEP_MAX_BATCHES x SWEEP_BATCH complaints per run; the rest wait a minute.
SWEEP_BATCH = 500
SWEEP_MAX_BATCHES = 10
SWEEP_LANES = 2

# What the sweep reads of each due complaint, as plain values: at a thousand breaches a
# minute, building model instances (and their customer, assignee, creator) costs more than
# the SQL. The notices read the same values (complaints.notifications); the customer's
# name is read only for the few that get an email of their own (joining a thousand
# customers into the locking query cost 7 of its 10 ms).
SWEEP_FIELDS = (
    "id",
    "stage",
    "reference",
    "responded_at",
    "respond_by",
    "resolve_by",
    "respond_warn_at",
    "resolve_warn_at",
    *ESCALATION_FIELDS,
    "customer",
    "assignee__username",
    "assignee__email",
    "created_by__email",
)
# What a sweep may change on a complaint, in the order update_rows takes them.
SWEEP_WRITES = ("next_deadline_at", *ESCALATION_FIELDS)


def sweep_due(now):
    """The open complaints whose next deadline check has come, oldest first, rows locked.

    Served by the partial index complaint_open_next_deadline (tests/bench assert the plan).
    """
    return (
        Complaint.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(next_deadline_at__lte=now)
        .exclude(stage=Stage.CLOSED)
        .order_by("next_deadline_at", "id")
        .values(*SWEEP_FIELDS)
    )


def _sweep_batch(now, batch, ids=None):
    from .deadlines import BREACHES, due_events, watches
    from .models import DeadlineEvent

    with transaction.atomic():
        # One indexed query (partial index over open complaints on next_deadline_at): healthy
        # complaints are never read. FOR UPDATE SKIP LOCKED lets a second sweep running at the
        # same moment take other rows instead of waiting for these (PostgreSQL; SQLite runs
        # write transactions one at a time anyway).
        due = sweep_due(now)
        if ids is not None:
            due = due.filter(pk__in=ids)
        rows = list(due[:batch])
        if not rows:
            return 0, {}
        ids = [row["id"] for row in rows]
        handled = {}
        for complaint_id, kind, deadline in bulk.among(DeadlineEvent.objects, "complaint", ids).values_list(
            "complaint_id", "kind", "deadline"
        ):
            handled.setdefault(complaint_id, set()).add((kind, deadline))
        callback_dues = _open_callback_dues(ids)

        events, records, breaches, warnings = [], [], [], []
        breach_reason = notifications.breach_reasons()
        for row in rows:
            pk = row["id"]
            due, row["next_deadline_at"] = due_events(
                watches(
                    responded=row["responded_at"] is not None,
                    respond_by=row["respond_by"],
                    resolve_by=row["resolve_by"],
                    respond_warn_at=row["respond_warn_at"],
                    resolve_warn_at=row["resolve_warn_at"],
                    callback_dues=callback_dues.get(pk, ()),
                ),
                handled.get(pk, set()),
                now,
            )
            for kind, deadline in due:
                record = {
                    "action": "deadline_warning",
                    "deadline": kind,
                    "due": deadline.isoformat(),
                }
                if kind in BREACHES:
                    reason = breach_reason(kind, deadline)
                    row["escalation_level"] += 1
                    row["escalated"] = True
                    # The breach happened at the deadline, whenever the sweep noticed it.
                    row["escalated_at"] = deadline
                    row["escalation_reason"] = reason
                    row["escalation_acknowledged_at"] = None
                    row["escalation_acknowledged_by"] = None
                    breaches.append(notifications.Breach(row, kind, deadline, reason))
                    record["action"] = "deadline_breach"
                    record["level"] = row["escalation_level"]
                else:
                    warnings.append((row, kind, deadline))
                events.append((pk, kind, deadline, row["escalation_level"] if kind in BREACHES else 0, now))
                records.append((pk, ComplaintRecord.Kind.PROCESS, row["stage"], None, now, record))
        # Plain multi-row statements (complaints.bulk): at a thousand breaches a minute the
        # ORM's per-row objects and bulk_update's CASE expressions cost seconds.
        # The unique (complaint, kind, deadline) constraint is the backstop: if another
        # sweep got here first this INSERT fails and the whole batch rolls back.
        bulk.insert_rows(DeadlineEvent, ["complaint", "kind", "deadline", "level", "created_at"], events)
        bulk.insert_rows(
            ComplaintRecord, ["complaint", "kind", "stage", "author", "created_at", "data"], records
        )
        notifications.queue_deadline_notices(breaches, warnings, now=now)
        bulk.update_rows(
            Complaint,
            list(SWEEP_WRITES),
            [(row["id"], *(row[name] for name in SWEEP_WRITES)) for row in rows],
        )
    return len(rows), {"breaches": len(breaches), "warnings": len(warnings)}


def _sweep_lanes():
    """How many batches run side by side: two on PostgreSQL, one where rows cannot be shared.

    On PostgreSQL each lane is its own connection and transaction, and FOR UPDATE SKIP LOCKED
    gives every lane different complaints (the same claim that keeps two workers' sweeps
    apart), so a thousand breaches use both of a small server's cores. SQLite writes one
    transaction at a time, and a caller already inside a transaction keeps the sweep in it.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return SWEEP_LANES


# A complaint the sweep cannot process is set aside for this long, then tried again.
SWEEP_PARK = timedelta(hours=1)


def _sweep_park(complaint_id, error, now):
    """Set one complaint aside: log it, count it, and look at it again in an hour.

    Written without reading the complaint's own columns (one of them may be what cannot
    be read), so parking cannot fail the same way.
    """
    from .models import SweepFailure

    logger.error("Deadline sweep could not process complaint %s: %r", complaint_id, error)
    with transaction.atomic():
        Complaint.objects.filter(pk=complaint_id).update(next_deadline_at=now + SWEEP_PARK)
        reference = Complaint.objects.filter(pk=complaint_id).values_list("reference", flat=True).first()
        seen = SweepFailure.objects.filter(complaint_id=complaint_id).update(
            last_seen=now, count=F("count") + 1, error=repr(error)[:2000]
        )
        if not seen:
            SweepFailure.objects.create(
                complaint_id=complaint_id,
                reference=reference or "",
                error=repr(error)[:2000],
                first_seen=now,
                last_seen=now,
            )


def _sweep_isolating(now, ids):
    """Sweep `ids` in halves until each complaint that fails is alone, and park those.

    Only runs after a batch failed: one unreadable row (a callback in the year 10000
    written by hand, say) costs a few extra batches once, never the other complaints'
    warnings and escalations.
    """
    totals = {"checked": 0, "breaches": 0, "warnings": 0}
    pending = [list(ids)]
    while pending:
        part = pending.pop()
        try:
            checked, result = _sweep_batch(now, len(part), ids=part)
        except IntegrityError:
            continue  # another sweep handled these a moment ago
        except Exception as exc:
            if len(part) == 1:
                _sweep_park(part[0], exc, now)
                continue
            middle = len(part) // 2
            pending += [part[middle:], part[:middle]]
            continue
        totals["checked"] += checked
        for key, value in result.items():
            totals[key] += value
    return totals


def _due_ids(now, batch):
    """The ids of the next complaints due, without reading any other column."""
    return list(
        Complaint.objects.filter(next_deadline_at__lte=now)
        .exclude(stage=Stage.CLOSED)
        .order_by("next_deadline_at", "id")
        .values_list("id", flat=True)[:batch]
    )


def _sweep_lane(now, batch):
    totals = {"checked": 0, "breaches": 0, "warnings": 0}
    for _round in range(SWEEP_MAX_BATCHES):
        try:
            checked, result = _sweep_batch(now, batch)
        except IntegrityError:
            # Another sweep handled these breaches a moment ago; nothing is lost.
            break
        except Exception:
            # Something in this batch cannot be processed; find it, park it, sweep the rest.
            logger.exception("Deadline sweep batch failed; sweeping it complaint by complaint")
            result = _sweep_isolating(now, _due_ids(now, batch))
            checked = result.pop("checked")
        totals["checked"] += checked
        for key, value in result.items():
            totals[key] += value
        if checked < batch:
            break
    return totals


def _other_lane(language, zone, now, batch):
    """A lane in its own thread, run as the caller would: same language and time zone
    (reasons and digests are worded in them), its own connection, closed with the thread."""
    try:
        with translation.override(language), timezone.override(zone):
            return _sweep_lane(now, batch)
    finally:
        connections.close_all()


def complaints_check_deadlines(*, now=None, batch=SWEEP_BATCH):
    """Warn before and escalate after every passed deadline, once each. Safe to run concurrently."""
    now = now or timezone.now()
    lanes = _sweep_lanes()
    if lanes == 1:
        return _sweep_lane(now, batch)
    caller = (translation.get_language(), timezone.get_current_timezone())
    with ThreadPoolExecutor(max_workers=lanes - 1) as pool:
        others = [pool.submit(_other_lane, *caller, now, batch) for _other in range(lanes - 1)]
        results = [_sweep_lane(now, batch), *(other.result() for other in others)]
    return {key: sum(result[key] for result in results) for key in results[0]}
