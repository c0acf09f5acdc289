"""Setting a complaint's deadlines: at intake, after a severity or tier change, on reopening."""

import datetime as dt
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from customers.models import Customer

from .. import bulk
from ..models import CallbackPromise, Complaint, ComplaintHold, Stage
from . import outside, policies
from .calendar import Calendar, Deadlines, resumed_deadline


def set_deadline_fields(
    complaint: Complaint,
    due: Deadlines,
    callback_dues: Iterable[datetime] = (),
    outside_checks: Iterable[datetime] = (),
) -> None:
    """Set the deadlines on `complaint` and the next moment the sweep must look at it
    (its outside clocks' next checks, deadlines.outside.pending_checks, included)."""
    complaint.respond_by = due.respond_by
    complaint.resolve_by = due.resolve_by
    complaint.respond_warn_at = due.respond_warn_at
    complaint.resolve_warn_at = due.resolve_warn_at
    # Events already handled for earlier deadlines do not matter: a new deadline is a new
    # event. The sweep drops what is no longer relevant when it next looks.
    candidates = [due.resolve_warn_at, *callback_dues, *outside_checks]
    if complaint.responded_at is None:
        candidates.append(due.respond_warn_at)
    # On hold the desk's own clocks are paused: until resume the sweep looks only at the
    # outside clocks, which never pause.
    if complaint.hold_id is not None:
        complaint.next_deadline_at = min(outside_checks, default=None)
    else:
        complaint.next_deadline_at = min(candidates)


def restart_resolution_window(complaint: Complaint, now: datetime) -> None:
    """A reopened complaint gets a fresh resolution window from now (its response was made)."""
    due = policies.deadlines_for_customer(complaint.severity, complaint.customer, now)
    complaint.resolve_by = due.resolve_by
    complaint.resolve_warn_at = due.resolve_warn_at
    callbacks = open_callback_dues([complaint.pk]).get(complaint.pk, ())
    checks = outside_checks([complaint])
    complaint.next_deadline_at = min([due.resolve_warn_at, *callbacks, *checks.get(complaint.pk, ())])


DEADLINE_FIELDS = ["respond_by", "resolve_by", "respond_warn_at", "resolve_warn_at", "next_deadline_at"]


def outside_checks(complaints: Iterable[Complaint]) -> dict[int, list[datetime]]:
    """The outside clocks' next checks of those complaints that run under a regime (no
    query when none does)."""
    ids = [c.pk for c in complaints if c.regime_id is not None]
    return outside.pending_checks(ids) if ids else {}


def open_callback_dues(complaint_ids: Iterable[int]) -> dict[int, list[datetime]]:
    dues: dict[int, list[dt.datetime]] = {}
    for complaint_id, due_at in (
        bulk.among(CallbackPromise.objects, "complaint", list(complaint_ids))
        .filter(fulfilled_at__isnull=True)
        .values_list("complaint_id", "due_at")
    ):
        dues.setdefault(complaint_id, []).append(due_at)
    return dues


def ended_holds(complaint_ids: Iterable[int]) -> dict[int, list[tuple[datetime, datetime]]]:
    """{complaint id: [(started_at, ended_at), ...]} of their ended holds, oldest first."""
    found: dict[int, list[tuple[datetime, datetime]]] = {}
    for complaint_id, started_at, ended_at in (
        bulk.among(ComplaintHold.objects, "complaint", list(complaint_ids))
        .filter(ended_at__isnull=False)
        .order_by("started_at", "id")
        .values_list("complaint_id", "started_at", "ended_at")
    ):
        found.setdefault(complaint_id, []).append((started_at, ended_at))
    return found


def replay_holds(
    complaint: Complaint, due: Deadlines, holds: Iterable[tuple[datetime, datetime]], cal: Calendar
) -> Deadlines:
    """Deadlines computed afresh (a severity or tier change) moved on by each hold that has
    ended, in order, as resuming it did (calendar.resumed_deadline): a recomputation keeps
    the time the complaint spent on hold. The hold it is on now moves them when it ends."""
    for paused_at, resumed_at in holds:

        def moved(
            deadline: datetime, paused_at: datetime = paused_at, resumed_at: datetime = resumed_at
        ) -> datetime:
            return resumed_deadline(cal, deadline, paused_at, resumed_at)

        responded = complaint.responded_at is not None and complaint.responded_at <= paused_at
        due = Deadlines(
            respond_by=due.respond_by if responded else moved(due.respond_by),
            resolve_by=moved(due.resolve_by),
            respond_warn_at=due.respond_warn_at if responded else moved(due.respond_warn_at),
            resolve_warn_at=moved(due.resolve_warn_at),
        )
    return due


def had_holds() -> Exists:
    """Has the outer complaint ever come off a hold? (An annotation: no query of its own.)"""
    return Exists(ComplaintHold.objects.filter(complaint=OuterRef("pk"), ended_at__isnull=False))


def complaints_recompute_deadlines_for_customers(customer_ids: Iterable[int]) -> int:
    """Recompute the open complaints' deadlines of customers whose tier or vulnerability changed.

    Call it after changing tiers (e.g. the nightly tier ranking) or a vulnerability flag. A handful of queries
    whatever the number of complaints: one read, one for callbacks, one bulk update.
    """
    complaints = list(
        Complaint.objects.filter(customer_id__in=list(customer_ids))
        .exclude(stage=Stage.CLOSED)
        .select_related("customer")
        .annotate(had_holds=had_holds())
    )
    if not complaints:
        return 0
    years = [c.created_at.astimezone(timezone.get_default_timezone()).year for c in complaints]
    rules = policies.Rules(min(years), max(years))
    dues = open_callback_dues([c.pk for c in complaints])
    # Only complaints that were on hold cost the query for their holds.
    held = (
        ended_holds([c.pk for c in complaints if c.had_holds]) if any(c.had_holds for c in complaints) else {}
    )
    checks = outside_checks(complaints)
    for c in complaints:
        due = rules.deadlines(c.severity, c.customer.tier, c.created_at, c.customer.is_vulnerable)
        due = replay_holds(c, due, held.get(c.pk, ()), rules.calendar)
        set_deadline_fields(c, due, dues.get(c.pk, ()), checks.get(c.pk, ()))
    Complaint.objects.bulk_update(complaints, DEADLINE_FIELDS, batch_size=500)
    return len(complaints)


def complaints_recompute_deadlines_for_customer(customer: Customer) -> int:
    return complaints_recompute_deadlines_for_customers([customer.pk])


def on_tiers_changed(
    sender: Any, *, customer_ids: Iterable[int], now: datetime | None = None, **kwargs: Any
) -> None:
    """customers.signals.tiers_changed / vulnerability_changed: open complaints follow their
    customer's new tier or vulnerability."""
    complaints_recompute_deadlines_for_customers(customer_ids)


def resume_deadlines(complaint: Complaint, *, paused_at: datetime, resumed_at: datetime) -> list[str]:
    """Move the desk's own deadlines on after a hold from `paused_at` to `resumed_at`.

    Each deadline (response, resolution, and every callback promise open when the hold
    began) gets back the working time it had left when the hold began, counted from
    `resumed_at` on the business calendar (calendar.resumed_deadline): nights, weekends and
    holidays do not count. A deadline already passed at `paused_at` stays passed. A warning
    already due when the hold began is not given again. Sets the fields on `complaint` (and
    saves the promises); returns the complaint's fields it changed, for save(update_fields=).
    Outside (regulatory) deadlines are not the desk's and never move.
    """
    zone = timezone.get_default_timezone()
    cal = policies.load_calendar(paused_at.astimezone(zone).year, resumed_at.astimezone(zone).year + 1)

    def moved(deadline: datetime) -> datetime:
        return resumed_deadline(cal, deadline, paused_at, resumed_at)

    def moved_warning(warn_at: datetime | None) -> datetime | None:
        return None if warn_at is None or warn_at <= paused_at else moved(warn_at)

    if complaint.responded_at is None:
        complaint.respond_by = moved(complaint.respond_by)
        complaint.respond_warn_at = moved_warning(complaint.respond_warn_at)
    complaint.resolve_by = moved(complaint.resolve_by)
    complaint.resolve_warn_at = moved_warning(complaint.resolve_warn_at)
    promises = list(
        CallbackPromise.objects.filter(
            complaint=complaint, fulfilled_at__isnull=True, created_at__lte=paused_at
        )
    )
    for promise in promises:
        promise.due_at = moved(promise.due_at)
    CallbackPromise.objects.bulk_update(promises, ["due_at"])
    dues = open_callback_dues([complaint.pk]).get(complaint.pk, [])
    complaint.callback_due_at = min(dues, default=None)
    # The next moment the sweep looks: the earliest warning or deadline still ahead of it
    # (a passed one is looked at straight away; the events filed for it keep it from
    # escalating twice).
    candidates = [
        complaint.resolve_warn_at or complaint.resolve_by,
        *dues,
        *outside_checks([complaint]).get(complaint.pk, ()),
    ]
    if complaint.responded_at is None:
        candidates.append(complaint.respond_warn_at or complaint.respond_by)
    complaint.next_deadline_at = min(candidates)
    return [*DEADLINE_FIELDS, "callback_due_at"]
