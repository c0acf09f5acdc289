"""The deadline sweep: warn before and escalate after every passed deadline, once each."""

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .. import bulk
from ..escalations.rules import escalation_values
from ..models import ESCALATION_FIELDS, Complaint, ComplaintRecord, DeadlineEvent, Stage, SweepFailure
from ..notifications import messages
from ..wording import localised
from . import calendar, outside
from .calendar import BREACHES
from .schedule import open_callback_dues

logger = logging.getLogger(__name__)

# Up to SWEEP_MAX_BATCHES x SWEEP_BATCH complaints per lane and minute; the rest wait a minute.
SWEEP_BATCH = 500
SWEEP_MAX_BATCHES = 10


class SweepRow(NamedTuple):
    """What the sweep reads of one due complaint, as plain values: at a thousand breaches a
    minute, building model instances (and their customer, assignee, creator) costs more
    than the SQL. The customer's name is read only for the few that get an email of their
    own (joining a thousand customers into the locking query cost 7 of its 10 ms)."""

    id: int
    stage: str
    reference: str
    responded_at: dt.datetime | None
    respond_by: dt.datetime
    resolve_by: dt.datetime
    respond_warn_at: dt.datetime | None
    resolve_warn_at: dt.datetime | None
    # ESCALATION_FIELDS, as they are now (written back unchanged when nothing breached)
    escalated: bool
    escalated_at: dt.datetime | None
    escalation_reason: str
    escalation_reason_code: str
    escalation_reason_values: dict[str, Any] | None
    escalation_level: int
    escalation_acknowledged_at: dt.datetime | None
    escalation_acknowledged_by: int | None
    customer_id: int
    assignee_username: str | None
    assignee_email: str | None
    creator_email: str | None
    regime_id: int | None  # outside deadlines (deadlines.outside) only when set
    hold_id: int | None  # on hold: the desk's own clocks are paused, outside ones run on

    @property
    def escalation(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ESCALATION_FIELDS}

    @property
    def warn_email(self) -> str | None:
        """Who hears of a near deadline: whoever holds the complaint; in Control nobody
        does yet, so the person who logged it."""
        return self.assignee_email if self.assignee_username else self.creator_email


# The column behind each SweepRow field, where the names differ.
_COLUMNS = {
    "customer_id": "customer",
    "assignee_username": "assignee__username",
    "assignee_email": "assignee__email",
    "creator_email": "created_by__email",
    "regime_id": "regime",
    "hold_id": "hold",
}
SWEEP_FIELDS = tuple(_COLUMNS.get(name, name) for name in SweepRow._fields)
assert set(ESCALATION_FIELDS) <= set(SweepRow._fields)

# What a sweep may change on a complaint, in the order update_rows takes them.
SWEEP_WRITES = ("next_deadline_at", *ESCALATION_FIELDS)


def sweep_due(now: datetime) -> QuerySet[Complaint, tuple[Any, ...]]:
    """The open complaints whose next deadline check has come, oldest first, rows locked.

    Served by the partial index complaint_open_next_deadline (tests/bench assert the plan).
    A complaint on hold is due only for its outside clocks (workflow.holds keeps their next
    check); decide() leaves its own paused deadlines alone.
    """
    return (
        Complaint.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(next_deadline_at__lte=now)
        .exclude(stage=Stage.CLOSED)
        .order_by("next_deadline_at", "id")
        .values_list(*SWEEP_FIELDS)
    )


# An outside deadline's (deadlines.outside) warning and breach, beside calendar.BREACHES.
OUTSIDE_WARNING = "outside_warning"
OUTSIDE_BREACH = messages.OUTSIDE_BREACH


class Step(NamedTuple):
    """One warning or breach due now: a breach carries its reason and the level it reaches;
    an outside deadline's carries its clock."""

    kind: str
    deadline: dt.datetime
    reason: str = ""
    level: int = 0
    clock: outside.PendingClock | None = None

    @property
    def is_breach(self) -> bool:
        return self.kind in BREACHES or self.kind == OUTSIDE_BREACH


def outside_due(
    clocks: Iterable[outside.PendingClock], now: dt.datetime
) -> tuple[list[tuple[str, dt.datetime, outside.PendingClock]], dt.datetime | None]:
    """Split a complaint's outside clocks into (due now, next moment to look again), as
    calendar.due_events does for its own deadlines: a warning whose clock has also run out
    is dropped, the breach says more. Never paused: nothing here reads a hold."""
    due, upcoming = [], []
    for clock in clocks:
        if clock.due_at <= now:
            due.append((OUTSIDE_BREACH, clock.due_at, clock))
        elif not clock.warned and clock.warn_at <= now:
            due.append((OUTSIDE_WARNING, clock.due_at, clock))
            upcoming.append(clock.due_at)
        else:
            upcoming.append(clock.next_check(now))
    return due, min(upcoming, default=None)


class Due(NamedTuple):
    """What the check of one complaint decided (decide()): nothing is written yet."""

    next_deadline_at: dt.datetime | None
    steps: list[Step]  # in the order the deadlines fell


def decide(
    row: SweepRow,
    *,
    handled: set[tuple[str, dt.datetime]],
    callback_dues: Iterable[dt.datetime],
    now: dt.datetime,
    breach_reason: Callable[[str, dt.datetime], str],
    outside_clocks: Iterable[outside.PendingClock] = (),
    outside_reason: Callable[[outside.PendingClock], str] | None = None,
) -> Due:
    """Which warnings and breaches of one complaint are due now, and when to look again.

    Pure: `handled` holds the (kind, deadline) events already filed,
    `callback_dues` its open callback promises, `outside_clocks` its watched outside
    deadlines. Each breach raises the level by one, in the order the deadlines fell.
    """
    # On hold the desk's own deadlines are paused (nothing of theirs is due); outside
    # deadlines never pause.
    due, next_deadline_at = (
        ([], None)
        if row.hold_id is not None
        else calendar.due_events(
            calendar.watches(
                responded=row.responded_at is not None,
                respond_by=row.respond_by,
                resolve_by=row.resolve_by,
                respond_warn_at=row.respond_warn_at,
                resolve_warn_at=row.resolve_warn_at,
                callback_dues=callback_dues,
            ),
            handled,
            now,
        )
    )
    found: list[tuple[str, dt.datetime, outside.PendingClock | None]] = [(k, d, None) for k, d in due]
    if outside_clocks:
        outside_steps, outside_next = outside_due(outside_clocks, now)
        found = sorted([*found, *outside_steps], key=lambda step: step[1])
        if outside_next is not None:
            next_deadline_at = min(next_deadline_at or outside_next, outside_next)
    steps, level = [], row.escalation_level
    for kind, deadline, clock in found:
        if kind in BREACHES:
            level += 1
            steps.append(Step(kind, deadline, breach_reason(kind, deadline), level))
        elif kind == OUTSIDE_BREACH and clock is not None:
            level += 1
            reason = outside_reason(clock) if outside_reason else ""
            steps.append(Step(kind, deadline, reason, level, clock))
        else:
            steps.append(Step(kind, deadline, clock=clock))
    return Due(next_deadline_at, steps)


Claimed = tuple[list[SweepRow], dict[int, set[tuple[str, dt.datetime]]], dict[int, list[dt.datetime]]]


def _claim(now: dt.datetime, batch: int, ids: list[int] | None = None) -> Claimed:
    """Lock the next due complaints and read what deciding needs: (rows, handled, callbacks).

    One indexed query (partial index over open complaints on next_deadline_at): healthy
    complaints are never read. FOR UPDATE SKIP LOCKED lets a second sweep running at the
    same moment take other rows instead of waiting for these (PostgreSQL; SQLite runs
    write transactions one at a time anyway). Call inside a transaction.
    """
    due = sweep_due(now)
    if ids is not None:
        due = due.filter(pk__in=ids)
    rows = [SweepRow._make(values) for values in due[:batch]]
    claimed = [row.id for row in rows]
    handled: dict[int, set[tuple[str, dt.datetime]]] = {}
    if rows:
        for complaint_id, kind, deadline in bulk.among(
            DeadlineEvent.objects, "complaint", claimed
        ).values_list("complaint_id", "kind", "deadline"):
            handled.setdefault(complaint_id, set()).add((kind, deadline))
    return rows, handled, open_callback_dues(claimed) if rows else {}


def _apply(rows: list[SweepRow], decisions: list[Due], now: dt.datetime) -> dict[str, int]:
    """Write what was decided: events, record entries, notices, and the complaints' new
    next check and escalation (escalations.rules.escalation_values), in a few statements."""
    events, records, breaches, warnings, writes = [], [], [], [], []
    outside_warnings, clocks_warned, clocks_breached = [], [], []
    for row, decided in zip(rows, decisions, strict=True):
        escalation = row.escalation
        for step in decided.steps:
            if step.clock is not None:
                # An outside deadline: the same escalation, no DeadlineEvent (its clock row
                # is marked instead, conditionally, by outside.clocks_mark below).
                clock = step.clock
                entry: dict[str, Any] = {
                    "action": "outside_deadline_warning",
                    "regime": clock.regime,
                    "clock": clock.clock,
                    "due": step.deadline.isoformat(),
                }
                if step.is_breach:
                    escalation = escalation_values(
                        level=step.level,
                        reason=step.reason,
                        at=step.deadline,
                        code=OUTSIDE_BREACH,
                        values=clock.reason_values,
                    )
                    breaches.append(
                        messages.Breach(
                            row.id,
                            row.reference,
                            row.stage,
                            row.customer_id,
                            row.assignee_username,
                            step.level,
                            f"{OUTSIDE_BREACH}:{clock.id}",
                            step.deadline,
                            step.reason,
                        )
                    )
                    entry.update(action="outside_deadline_breach", level=step.level)
                    clocks_breached.append(clock.id)
                else:
                    outside_warnings.append(
                        messages.OutsideWarning(
                            clock.id,
                            row.id,
                            row.reference,
                            row.warn_email,
                            localised(clock.regime_name, clock.regime_name_zh),
                            localised(clock.clock_name, clock.clock_name_zh),
                            step.deadline,
                        )
                    )
                    clocks_warned.append(clock.id)
                records.append((row.id, ComplaintRecord.Kind.PROCESS, row.stage, None, now, entry))
                continue
            record: dict[str, Any] = {
                "action": "deadline_warning",
                "deadline": step.kind,
                "due": step.deadline.isoformat(),
            }
            if step.is_breach:
                # The breach happened at the deadline, whenever the sweep noticed it.
                # Its reason is kept as the deadline's kind and moment too, so pages word it
                # in the reader's language; the text and the emails keep the sweep's.
                escalation = escalation_values(
                    level=step.level,
                    reason=step.reason,
                    at=step.deadline,
                    code=step.kind,
                    values=messages.breach_reason_values(step.deadline),
                )
                breaches.append(
                    messages.Breach(
                        row.id,
                        row.reference,
                        row.stage,
                        row.customer_id,
                        row.assignee_username,
                        step.level,
                        step.kind,
                        step.deadline,
                        step.reason,
                    )
                )
                record.update(action="deadline_breach", level=step.level)
            else:
                warnings.append(
                    messages.DeadlineWarning(row.id, row.reference, row.warn_email, step.kind, step.deadline)
                )
            events.append((row.id, step.kind, step.deadline, step.level, now))
            records.append((row.id, ComplaintRecord.Kind.PROCESS, row.stage, None, now, record))
        writes.append((row.id, decided.next_deadline_at, *(escalation[name] for name in ESCALATION_FIELDS)))
    # Plain multi-row statements (complaints.bulk): at a thousand breaches a minute the
    # ORM's per-row objects and bulk_update's CASE expressions cost seconds.
    # The unique (complaint, kind, deadline) constraint is the backstop: if another
    # sweep got here first this INSERT fails and the whole batch rolls back.
    bulk.insert_rows(DeadlineEvent, ["complaint", "kind", "deadline", "level", "created_at"], events)
    outside.clocks_mark(warned=clocks_warned, breached=clocks_breached, now=now)
    bulk.insert_rows(ComplaintRecord, ["complaint", "kind", "stage", "author", "created_at", "data"], records)
    messages.queue_deadline_notices(breaches, warnings, now=now)
    messages.queue_outside_warnings(outside_warnings, now=now)
    bulk.update_rows(Complaint, list(SWEEP_WRITES), writes)
    return {"breaches": len(breaches), "warnings": len(warnings) + len(outside_warnings)}


def _sweep_batch(now, batch, ids=None):
    """Claim, decide, apply: one batch of due complaints in one transaction."""
    with transaction.atomic():
        rows, handled, callback_dues = _claim(now, batch, ids)
        if not rows:
            return 0, {}
        # Outside deadlines: read only for the claimed complaints under a regime (few).
        clocks = outside.pending_clocks(row.id for row in rows if row.regime_id is not None)
        breach_reason = messages.breach_reasons()
        reason = messages.escalation_reasons()
        decisions = [
            decide(
                row,
                handled=handled.get(row.id, set()),
                callback_dues=callback_dues.get(row.id, ()),
                now=now,
                breach_reason=breach_reason,
                outside_clocks=clocks.get(row.id, ()),
                outside_reason=lambda clock: reason(OUTSIDE_BREACH, clock.reason_values, ""),
            )
            for row in rows
        ]
        return len(rows), _apply(rows, decisions, now)


def sweep_lanes() -> int:
    """How many lane tasks one beat fans out to: CLEAR_DESK["SWEEP_LANES"] on PostgreSQL,
    where FOR UPDATE SKIP LOCKED gives every lane its own complaints (the same claim that
    keeps two beats apart), so more workers sweep a backlog faster; one on SQLite, which
    writes one transaction at a time."""
    if connection.vendor != "postgresql":
        return 1
    return max(1, int(settings.CLEAR_DESK["SWEEP_LANES"]))


def anything_due(now: dt.datetime) -> bool:
    """Is any open complaint's next deadline check due? One indexed query."""
    return bool(_due_ids(now, 1))


# A complaint the sweep cannot process is set aside for this long, then tried again.
SWEEP_PARK = timedelta(hours=1)


def _sweep_park(complaint_id, error, now):
    """Set one complaint aside: log it, count it, and look at it again in an hour.

    Written without reading the complaint's own columns (one of them may be what cannot
    be read), so parking cannot fail the same way.
    """

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


def complaints_check_deadlines(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> dict[str, int]:
    """One lane of the sweep: claim, decide and apply batch after batch until nothing is due
    (at most SWEEP_MAX_BATCHES; the rest wait a minute). Several lanes, workers or beats
    may run it at once: each claims other complaints, and each deadline is handled once."""
    now = now or timezone.now()
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
