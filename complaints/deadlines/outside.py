"""Outside deadlines: the clocks a regulator or referral platform sets, beside the desk's own.

A complaint gets a regime at intake (the first matching rule in use) or from a supervisor;
each of the regime's clocks becomes a ComplaintClock row with its due moment, counted on
the business calendar (working days) or in calendar days from the day received. The CLEAR
transitions that stop a clock declare it (`stops` in their `custom`); the deadline sweep
(deadlines.sweep) warns before and escalates at each due moment, once each: the
complaint's next_deadline_at covers its clocks' next checks, so the same claim serves both.

These clocks never pause. The desk may stop its own deadlines while it waits for the
customer (a hold); a regulator's clock keeps running through it, so nothing here reads a
hold, and whatever pauses the desk's deadlines must leave ComplaintClock alone.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access
from ..exceptions import Conflict
from ..models import (
    ClockStop,
    Complaint,
    ComplaintClock,
    ComplaintOrigin,
    ComplaintRecord,
    Regime,
    RegimeClock,
    RegimeRule,
    lock,
)
from ..notifications import messages
from ..process_copy import ProcessCopy
from ..records import file_record
from ..validation import validated
from . import calendar, policies
from .forms import RegimeChoiceForm

# --- the regimes in use, kept per process (complaints.process_copy) -------------------


@dataclass(frozen=True)
class RuleRow:
    regime_id: int
    channel: str
    category_id: int | None
    origin: str

    def matches(self, channel: str, category_id: int | None, origin: str) -> bool:
        return (
            (not self.channel or self.channel == channel)
            and (self.category_id is None or self.category_id == category_id)
            and (not self.origin or self.origin == origin)
        )


@dataclass(frozen=True)
class InUse:
    rules: tuple[RuleRow, ...]
    clocks: Mapping[int, tuple[RegimeClock, ...]]  # regime id -> its clocks


def _load_in_use() -> InUse:
    rules = tuple(
        RuleRow(r.regime_id, r.channel, r.category_id, r.origin)
        for r in RegimeRule.objects.filter(is_enabled=True, regime__is_enabled=True).order_by(
            "position", "id"
        )
    )
    clocks: dict[int, list[RegimeClock]] = {}
    for clock in RegimeClock.objects.filter(regime__is_enabled=True).order_by("position", "id"):
        clocks.setdefault(clock.regime_id, []).append(clock)
    return InUse(rules, {regime: tuple(found) for regime, found in clocks.items()})


# Intake asks on every complaint; the rules change a few times a year.
IN_USE = ProcessCopy(_load_in_use)
forget_regimes = IN_USE.forget


def origin_of(*, tracking_token: str | None) -> str:
    """Where a complaint came from: the customer's own form (it has a tracking link) or the desk."""
    return ComplaintOrigin.PUBLIC if tracking_token else ComplaintOrigin.DESK


def regime_for(*, channel: str, category_id: int | None, origin: str) -> int | None:
    """The regime of the first rule in use that matches, or None. No query once loaded."""
    for rule in IN_USE.get().rules:
        if rule.matches(channel, category_id, origin):
            return rule.regime_id
    return None


# --- starting and stopping clocks -------------------------------------------------------


def _calendar_for(received_at: dt.datetime) -> calendar.Calendar:
    year = received_at.astimezone(ZoneInfo(settings.TIME_ZONE)).year
    return policies.rules_for_year(year).calendar


def _clock_rows(complaint: Complaint, clocks: Iterable[RegimeClock]) -> list[ComplaintClock]:
    business = _calendar_for(complaint.created_at)
    met = {ClockStop.FIRST_RESPONSE: complaint.responded_at, ClockStop.CLOSED: complaint.closed_at}
    rows = []
    for clock in clocks:
        due, warn = calendar.outside_due(
            business,
            complaint.created_at,
            clock.amount,
            clock.unit,
            end_of_business_day=clock.end_of_business_day,
            warn_before=clock.warn_before,
        )
        met_at = met.get(ClockStop(clock.stops_at))
        rows.append(
            ComplaintClock(
                complaint=complaint,
                regime_id=clock.regime_id,
                clock=clock,
                stops_at=clock.stops_at,
                started_at=complaint.created_at,
                due_at=due,
                warn_at=warn,
                met_at=met_at,
                next_check_at=None if met_at else warn,
            )
        )
    return rows


def clocks_start(complaint: Complaint, regime_id: int) -> list[ComplaintClock]:
    """Start the clocks of `regime_id` for `complaint`, counted from when it was received."""
    clocks = IN_USE.get().clocks.get(regime_id)
    if clocks is None:  # not in this process's copy yet (just enabled): read it
        clocks = tuple(RegimeClock.objects.filter(regime_id=regime_id).order_by("position", "id"))
    rows = ComplaintClock.objects.bulk_create(_clock_rows(complaint, clocks))
    # The sweep claims the complaint when its next check comes: the earliest clock's too.
    first = min((row.next_check_at for row in rows if row.next_check_at), default=None)
    if first is not None and (complaint.next_deadline_at is None or first < complaint.next_deadline_at):
        Complaint.objects.filter(pk=complaint.pk).update(next_deadline_at=first)
        complaint.next_deadline_at = first
    return rows


def clocks_stop(complaint: Complaint, stops: Iterable[str], now: dt.datetime) -> int:
    """The events in `stops` happened now: meet the complaint's clocks they stop (one UPDATE,
    none when it runs under no regime). Called by workflow.transitions for the `stops` each
    CLEAR transition declares; a clock met after its due moment counts as met late."""
    stops = list(stops)
    if not stops or complaint.regime_id is None:
        return 0
    return ComplaintClock.objects.filter(
        complaint=complaint, stops_at__in=stops, met_at__isnull=True, dropped_at__isnull=True
    ).update(met_at=now, next_check_at=None)


# --- setting the regime by hand --------------------------------------------------------


def complaint_set_regime(
    *, complaint: Complaint, data: Mapping[str, Any], by: AbstractBaseUser, now: dt.datetime | None = None
) -> Complaint:
    """Put `complaint` under another regime (or none): its running outside clocks are dropped
    (kept, no longer watched) and the new regime's start, counted from when it was received,
    with the stop events already past counted as met then."""
    access.require_regime_setter(by)
    if hasattr(data, "get") and "regime" not in data:
        raise ValidationError({"regime": [_("Choose a regime, or send null to take it off.")]})
    cleaned = validated(RegimeChoiceForm, data)
    regime: Regime | None = cleaned["regime"]
    now = now or timezone.now()
    with transaction.atomic():
        complaint = lock(complaint)
        if not complaint.is_open:
            raise Conflict(_("This complaint is closed; reopen it before changing its outside deadlines."))
        before = complaint.regime_id
        if before == (regime.pk if regime else None):
            raise Conflict(_("The complaint already has these outside deadlines."))
        ComplaintClock.objects.filter(complaint=complaint, dropped_at__isnull=True).update(
            dropped_at=now, next_check_at=None
        )
        complaint.regime = regime
        complaint.save(update_fields=["regime", "updated_at"])
        if regime is not None:
            clocks_start(complaint, regime.pk)
        file_record(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={
                "action": "set_regime",
                "from": Regime.objects.filter(pk=before).values_list("code", flat=True).first()
                if before
                else None,
                "to": regime.code if regime else None,
                "reason": cleaned["reason"],
            },
        )
    return complaint


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockView:
    """One outside clock as pages and the API show it."""

    regime: str
    regime_label: str
    code: str
    label: str
    stops_at: str
    due_at: dt.datetime
    met_at: dt.datetime | None
    warned_at: dt.datetime | None
    breached_at: dt.datetime | None

    def state(self, now: dt.datetime) -> str:
        """met / met_late / overdue / running."""
        if self.met_at is not None:
            return "met" if self.met_at <= self.due_at else "met_late"
        return "overdue" if self.due_at < now else "running"


def _views(rows: Iterable[ComplaintClock]) -> list[ClockView]:
    return [
        ClockView(
            regime=row.regime.code,
            regime_label=row.regime.display_label,
            code=row.clock.code,
            label=row.clock.display_label,
            stops_at=row.stops_at,
            due_at=row.due_at,
            met_at=row.met_at,
            warned_at=row.warned_at,
            breached_at=row.breached_at,
        )
        for row in rows
    ]


def current_clocks(complaint_ids: Iterable[int]) -> dict[int, list[ClockView]]:
    """{complaint id: its outside clocks, earliest due first}, in one query however many."""
    found: dict[int, list[ComplaintClock]] = {}
    rows = (
        ComplaintClock.objects.filter(complaint_id__in=list(complaint_ids), dropped_at__isnull=True)
        .select_related("regime", "clock")
        .order_by("due_at", "id")
    )
    for row in rows:
        found.setdefault(row.complaint_id, []).append(row)
    return {complaint_id: _views(theirs) for complaint_id, theirs in found.items()}


def clocks_of(complaint: Complaint) -> list[ClockView]:
    if complaint.regime_id is None:
        return []
    return current_clocks([complaint.pk]).get(complaint.pk, [])


# --- what the deadline sweep needs (deadlines.sweep decides and writes) -----------------
#
# A complaint's next_deadline_at also covers its outside clocks' next checks, so the one
# sweep claims the complaint (its row lock is the claim, as for its own deadlines) when an
# outside clock is due, and reads its clocks only then.


class PendingClock(NamedTuple):
    """An outside clock the sweep still watches (not met, not breached, not dropped)."""

    id: int
    complaint_id: int
    warn_at: dt.datetime
    due_at: dt.datetime
    warned: bool
    regime: str
    regime_name: str
    regime_name_zh: str
    clock: str
    clock_name: str
    clock_name_zh: str

    def next_check(self, now: dt.datetime | None = None) -> dt.datetime:
        """When to look at it next: its warning until it was sent, then its due moment."""
        if self.warned or (now is not None and self.warn_at <= now):
            return self.due_at
        return self.warn_at

    @property
    def reason_values(self) -> dict[str, Any]:
        """The values stored with its breach's reason code (notifications.messages)."""
        return {
            **messages.breach_reason_values(self.due_at),
            "clock": self.clock_name,
            "clock_zh": self.clock_name_zh,
            "regime": self.regime_name,
            "regime_zh": self.regime_name_zh,
        }


_PENDING_COLUMNS = (
    "id",
    "complaint_id",
    "warn_at",
    "due_at",
    "warned_at",
    "regime__code",
    "regime__name",
    "regime__name_zh",
    "clock__code",
    "clock__name",
    "clock__name_zh",
)


def pending_clocks(complaint_ids: Iterable[int]) -> dict[int, list[PendingClock]]:
    """{complaint id: its watched outside clocks}, in one query."""
    found: dict[int, list[PendingClock]] = {}
    ids = list(complaint_ids)
    if not ids:
        return found
    for values in (
        ComplaintClock.objects.filter(complaint_id__in=ids, next_check_at__isnull=False)
        .order_by("due_at", "id")
        .values_list(*_PENDING_COLUMNS)
    ):
        pk, complaint_id, warn_at, due_at, warned_at, *names = values
        found.setdefault(complaint_id, []).append(
            PendingClock(pk, complaint_id, warn_at, due_at, warned_at is not None, *names)
        )
    return found


def pending_checks(complaint_ids: Iterable[int]) -> dict[int, list[dt.datetime]]:
    """{complaint id: its outside clocks' next checks}: what schedule.set_deadline_fields
    must keep in next_deadline_at when the desk's own deadlines change."""
    found: dict[int, list[dt.datetime]] = {}
    for complaint_id, next_check_at in ComplaintClock.objects.filter(
        complaint_id__in=list(complaint_ids), next_check_at__isnull=False
    ).values_list("complaint_id", "next_check_at"):
        if next_check_at is not None:
            found.setdefault(complaint_id, []).append(next_check_at)
    return found


def clocks_mark(*, warned: Iterable[int], breached: Iterable[int], now: dt.datetime) -> None:
    """Write what the sweep did: warned clocks wait for their due moment; breached ones
    are dated at it and no longer watched. Conditional, and counted: a clock another sweep
    handled first raises IntegrityError, so the whole batch rolls back (as a second
    DeadlineEvent does) instead of escalating twice."""
    warned, breached = list(warned), list(breached)
    if warned:
        done = ComplaintClock.objects.filter(
            pk__in=warned, warned_at__isnull=True, met_at__isnull=True, breached_at__isnull=True
        ).update(warned_at=now, next_check_at=F("due_at"))
        if done != len(set(warned)):
            raise IntegrityError("outside deadline warning already handled")
    if breached:
        done = ComplaintClock.objects.filter(
            pk__in=breached, met_at__isnull=True, breached_at__isnull=True
        ).update(breached_at=F("due_at"), next_check_at=None)
        if done != len(set(breached)):
            raise IntegrityError("outside deadline breach already handled")
