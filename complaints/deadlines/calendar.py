"""Service levels on a working-day calendar, and which deadline events are due. Pure functions.

Nothing here touches the database: callers pass the policy targets and the calendar data
(working hours, working weekdays, public holidays, company days off and make-up working
days), so every rule can be tested exhaustively with plain values.
"""

import datetime as dt
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

# Units a target can be given in.
MINUTES = "minutes"  # clock time: "within 30 minutes", whatever the hour
HOURS = "hours"  # clock time: "within 24 hours"
WORKING_HOURS = "working_hours"  # counted only inside working hours on working days
WORKING_DAYS = "working_days"  # N working days of the calendar's length each

# What a response (leaving Control) and a resolution must meet, per severity and tier.
# Tier "" is any tier; tier A (the VIPs) gets roughly half the time.
DEFAULT_POLICIES = {
    ("minor", ""): ((1, WORKING_HOURS), (24, HOURS)),
    ("major", ""): ((1, WORKING_HOURS), (7, WORKING_DAYS)),
    ("minor", "A"): ((30, MINUTES), (12, HOURS)),
    ("major", "A"): ((30, MINUTES), (4, WORKING_DAYS)),
}

WARN_AT = 0.75  # share of a window after which the assignee is warned

# Deadline event kinds: a warning before a window closes, a breach when it has closed.
RESPOND_WARNING = "respond_warning"
RESOLVE_WARNING = "resolve_warning"
RESPOND_BREACH = "respond_breach"
RESOLVE_BREACH = "resolve_breach"
CALLBACK_BREACH = "callback_breach"
BREACHES = (RESPOND_BREACH, RESOLVE_BREACH, CALLBACK_BREACH)
WARNINGS = (RESPOND_WARNING, RESOLVE_WARNING)


@dataclass(frozen=True)
class Calendar:
    """When people work: daily hours, working weekdays (Monday=0) and dated exceptions."""

    tz: dt.tzinfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(18, 0)
    weekdays: frozenset = frozenset({0, 1, 2, 3, 4})
    days_off: frozenset = frozenset()  # public holidays and company days off
    working_days: frozenset = frozenset()  # make-up working days (win over weekends and days off)

    def __post_init__(self):
        if self.end <= self.start:
            raise ValueError("A working day must end after it starts.")

    @property
    def day_minutes(self):
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    def is_working_day(self, day):
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        return day.weekday() in self.weekdays


MAX_DAYS_SEARCHED = 3700  # ten years: a calendar without working days must not loop forever


def add_working_minutes(calendar: Calendar, start: dt.datetime, minutes: float) -> dt.datetime:
    """Return the moment `minutes` of working time after `start` (an aware datetime).

    Time outside working hours does not count: a complaint received on Friday night starts
    its clock on Monday morning. A target that uses up a day exactly ends at that day's
    closing time rather than at the next morning's opening.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    local = start.astimezone(calendar.tz)
    day = local.date()
    remaining = dt.timedelta(minutes=minutes)
    for _ in range(MAX_DAYS_SEARCHED):
        if calendar.is_working_day(day):
            opens = dt.datetime.combine(day, calendar.start, tzinfo=calendar.tz)
            closes = dt.datetime.combine(day, calendar.end, tzinfo=calendar.tz)
            begin = max(opens, local)
            if begin <= closes:
                available = closes - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(start.tzinfo)
                remaining -= available
        day += dt.timedelta(days=1)
    raise ValueError("The calendar has no working time in the next ten years.")


def target_end(
    calendar: Calendar, start: dt.datetime, amount: float, unit: str, share: float = 1.0
) -> dt.datetime:
    """The moment a target of `amount` `unit` started at `start` runs out (or `share` of it)."""
    if unit == MINUTES:
        return start + dt.timedelta(minutes=amount * share)
    if unit == HOURS:
        return start + dt.timedelta(hours=amount * share)
    if unit == WORKING_HOURS:
        return add_working_minutes(calendar, start, round(amount * 60 * share))
    if unit == WORKING_DAYS:
        return add_working_minutes(calendar, start, round(amount * calendar.day_minutes * share))
    raise ValueError(f"Unknown unit {unit!r}")


@dataclass(frozen=True)
class Deadlines:
    respond_by: dt.datetime
    resolve_by: dt.datetime
    respond_warn_at: dt.datetime
    resolve_warn_at: dt.datetime


def policy_for(
    policies: Mapping[tuple[str, str], tuple[tuple[int, str], tuple[int, str]]],
    severity: str,
    tier: str | None,
) -> tuple[tuple[int, str], tuple[int, str]]:
    """The targets for this severity and tier: an exact tier entry wins over the any-tier one."""
    for key in ((severity, tier or ""), (severity, "")):
        if key in policies:
            return policies[key]
    return DEFAULT_POLICIES.get((severity, tier or "")) or DEFAULT_POLICIES[(severity, "")]


def compute_deadlines(
    calendar: Calendar,
    policies: Mapping[tuple[str, str], tuple[tuple[int, str], tuple[int, str]]],
    severity: str,
    tier: str | None,
    received_at: dt.datetime,
    factor: float = 1.0,
) -> Deadlines:
    """Return the respond/resolve deadlines and their warning times for a complaint.

    `factor` scales every target (a vulnerable customer's are shorter: 0.5 halves them).
    """
    (respond_amount, respond_unit), (resolve_amount, resolve_unit) = policy_for(policies, severity, tier)
    return Deadlines(
        respond_by=target_end(calendar, received_at, respond_amount, respond_unit, factor),
        resolve_by=target_end(calendar, received_at, resolve_amount, resolve_unit, factor),
        respond_warn_at=target_end(calendar, received_at, respond_amount, respond_unit, WARN_AT * factor),
        resolve_warn_at=target_end(calendar, received_at, resolve_amount, resolve_unit, WARN_AT * factor),
    )


def watches(
    *,
    responded: bool,
    respond_by: dt.datetime,
    resolve_by: dt.datetime,
    respond_warn_at: dt.datetime | None,
    resolve_warn_at: dt.datetime | None,
    callback_dues: Iterable[dt.datetime],
) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """Every (kind, fires_at, deadline) an open complaint is watched for."""
    found = []
    if not responded:
        if respond_warn_at is not None:
            found.append((RESPOND_WARNING, respond_warn_at, respond_by))
        found.append((RESPOND_BREACH, respond_by, respond_by))
    if resolve_warn_at is not None:
        found.append((RESOLVE_WARNING, resolve_warn_at, resolve_by))
    found.append((RESOLVE_BREACH, resolve_by, resolve_by))
    for due in sorted(set(callback_dues)):
        found.append((CALLBACK_BREACH, due, due))
    return found


def due_events(
    watched: Iterable[tuple[str, dt.datetime, dt.datetime]],
    handled: Container[tuple[str, dt.datetime]],
    now: dt.datetime,
) -> tuple[list[tuple[str, dt.datetime]], dt.datetime | None]:
    """Split watches into (due now, next moment to look again).

    `handled` holds the (kind, deadline) pairs already acted on. A warning whose deadline
    has also passed is dropped: the breach says more than a late warning would.
    """
    due, upcoming = [], []
    for kind, fires_at, deadline in watched:
        if (kind, deadline) in handled:
            continue
        if kind in WARNINGS and deadline <= now:
            continue
        if fires_at <= now:
            due.append((kind, deadline))
        else:
            upcoming.append(fires_at)
    return due, min(upcoming, default=None)


def seconds_left(deadline: dt.datetime, now: dt.datetime) -> int:
    """Seconds until `deadline` (negative once it has passed)."""
    return int((deadline - now).total_seconds())


# --- outside deadlines (a regulator's clocks) ------------------------------------------
#
# Counted in whole days after the day the complaint was received, as regulators count:
# "within 7 working days", "by the end of the 3rd business day", "within 56 calendar
# days". The day of receipt never counts, whatever the hour.
CALENDAR_DAYS = "calendar_days"


def _nth_day_after(calendar: Calendar, day: dt.date, amount: int, unit: str) -> dt.date:
    if unit == CALENDAR_DAYS:
        return day + dt.timedelta(days=amount)
    if unit != WORKING_DAYS:
        raise ValueError(f"Unknown unit {unit!r}")
    counted = 0
    for _ in range(MAX_DAYS_SEARCHED):
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
            if counted >= amount:
                return day
    raise ValueError("The calendar has no working time in the next ten years.")


def _nth_day_before(calendar: Calendar, day: dt.date, amount: int, unit: str) -> dt.date:
    if unit == CALENDAR_DAYS:
        return day - dt.timedelta(days=amount)
    counted = 0
    for _ in range(MAX_DAYS_SEARCHED):
        if counted >= amount:
            return day
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def _day_ends(calendar: Calendar, day: dt.date, end_of_business_day: bool) -> dt.datetime:
    """The last moment of `day`: its closing time, or midnight (the last microsecond)."""
    return dt.datetime.combine(day, calendar.end if end_of_business_day else dt.time.max, tzinfo=calendar.tz)


def outside_due(
    calendar: Calendar,
    received_at: dt.datetime,
    amount: int,
    unit: str,
    *,
    end_of_business_day: bool = False,
    warn_before: int | None = None,
) -> tuple[dt.datetime, dt.datetime]:
    """(due, warn at) of an outside clock: the end of the `amount`-th working or calendar
    day after the day `received_at` falls on (at closing time with `end_of_business_day`).

    The warning comes `warn_before` days (same unit) before the due moment, or, without
    one, when WARN_AT of the time has gone, as the desk's own deadlines warn; never before
    the complaint was received.
    """
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    received_day = received_at.astimezone(calendar.tz).date()
    due_day = _nth_day_after(calendar, received_day, amount, unit)
    due = _day_ends(calendar, due_day, end_of_business_day)
    if warn_before:
        warn_day = _nth_day_before(calendar, due_day, warn_before, unit)
        warn = due.replace(year=warn_day.year, month=warn_day.month, day=warn_day.day)
    else:
        warn = received_at + (due - received_at) * WARN_AT
    warn = min(max(warn, received_at), due)
    return due.astimezone(received_at.tzinfo), warn.astimezone(received_at.tzinfo)


def working_minutes_between(calendar: Calendar, start: dt.datetime, end: dt.datetime) -> float:
    """The working time from `start` to `end`, in minutes (0 when `end` is not later).

    The inverse of add_working_minutes: add_working_minutes(c, start, working_minutes_between(
    c, start, end)) is `end` whenever `end` falls inside working hours.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    if end <= start:
        return 0.0
    local_start, local_end = start.astimezone(calendar.tz), end.astimezone(calendar.tz)
    day = local_start.date()
    total = dt.timedelta()
    for _ in range(MAX_DAYS_SEARCHED):
        if day > local_end.date():
            return total.total_seconds() / 60
        if calendar.is_working_day(day):
            opens = dt.datetime.combine(day, calendar.start, tzinfo=calendar.tz)
            closes = dt.datetime.combine(day, calendar.end, tzinfo=calendar.tz)
            begin, finish = max(opens, local_start), min(closes, local_end)
            if finish > begin:
                total += finish - begin
        day += dt.timedelta(days=1)
    raise ValueError("The span is longer than ten years.")


def in_working_hours(calendar: Calendar, moment: dt.datetime) -> bool:
    """Does `moment` fall inside a working day's hours (opening and closing time included)?"""
    local = moment.astimezone(calendar.tz)
    return calendar.is_working_day(local.date()) and calendar.start <= local.time() <= calendar.end


def resumed_deadline(
    calendar: Calendar, deadline: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime
) -> dt.datetime:
    """Where a deadline lands once a pause from `paused_at` to `resumed_at` is over.

    The working time it had left when the pause began is added back from `resumed_at` on
    the calendar (nights, weekends and holidays in between do not count). A deadline that
    had already passed when the pause began stays where it was. A deadline set in clock
    hours may fall outside working hours (a minor complaint's 24 hours): the stretch after
    its last working moment is given back as it was, in clock time, so a pause that ends
    the moment it began moves nothing.
    """
    if deadline <= paused_at or resumed_at <= paused_at:
        return deadline
    left = working_minutes_between(calendar, paused_at, deadline)
    if not left:
        return resumed_at + (deadline - paused_at)
    if in_working_hours(calendar, deadline):
        return add_working_minutes(calendar, resumed_at, left)
    last_working_moment = add_working_minutes(calendar, paused_at, left)
    tail = max(deadline - last_working_moment, dt.timedelta())
    return add_working_minutes(calendar, resumed_at, left) + tail
