"""The weekly report's queries: a fixed number of aggregate queries, whatever the week holds.

Each function returns aggregated rows (plain dicts), never complaints; complaints.reports
turns them into the report. Two helpers bridge PostgreSQL and SQLite: the seconds between
two timestamps, and the median (percentile_cont on PostgreSQL, a registered aggregate on
SQLite, which has none built in).
"""

import statistics
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.models import Group
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from customers.models import Vulnerability

from ..models import (
    Complaint,
    ComplaintClock,
    ComplaintHold,
    ComplaintRecord,
    PreventiveAction,
    Redress,
    SystemicIssue,
)
from .prevention import overdue_q

# --- portable SQL pieces -------------------------------------------------------------


class _SqliteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def _register_sqlite_median(connection):
    if connection.vendor == "sqlite" and connection.connection is not None:
        connection.connection.create_aggregate("clear_median", 1, _SqliteMedian)


def _on_connection_created(sender, connection, **kwargs):
    _register_sqlite_median(connection)


connection_created.connect(_on_connection_created, dispatch_uid="clear_desk_sqlite_median")


class Median(Aggregate):
    """The median of an expression: percentile_cont(0.5) on PostgreSQL."""

    name = "Median"
    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False

    def as_sqlite(self, compiler, connection, **extra_context):
        _register_sqlite_median(connection)
        # Aggregate.as_sql reads self.template for its FILTER clause, so swap it on a copy.
        clone = self.copy()
        clone.template = "clear_median(%(distinct)s%(expressions)s)"
        return super(Median, clone).as_sql(compiler, connection, **extra_context)


class SecondsBetween(Func):
    """Seconds from the second timestamp to the first (later - earlier)."""

    arity = 2
    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class WarningCount(Func):
    """How many phrase-coach warnings a process record holds (NULL when none)."""

    arity = 1
    output_field = IntegerField()
    template = "jsonb_array_length(%(expressions)s -> 'warnings')"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="json_array_length(%(expressions)s, '$.warnings')", **extra_context
        )


def ensure_ready(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Make sure the SQLite connection knows clear_median (no query is run)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        _register_sqlite_median(connection)


# --- the queries ---------------------------------------------------------------------


def _in(field, start, end):
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _open_at(end):
    return Q(created_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))


FIGURES = ("received", "closed", "open")


def figure_q(figure: str, start: datetime, end: datetime) -> Q:
    """The complaints a figure of the week counts: received in it, closed in it, or open at
    its end. The report's counts and the list of their complaints both read it."""
    if figure == "received":
        return _in("created_at", start, end)
    if figure == "closed":
        return _in("closed_at", start, end)
    if figure == "open":
        return _open_at(end)
    raise ValueError(figure)


def dimension_rows(start: datetime, end: datetime) -> list[Mapping[str, Any]]:
    """Received / closed / open-at-week-end counts per channel, category, severity and tier."""
    received, closed, open_at_end = (figure_q(f, start, end) for f in FIGURES)
    return list(
        Complaint.objects.filter(received | closed | open_at_end)
        .values(
            "channel",
            "severity",
            "customer__tier",
            "category__code",
            "category__label",
            "category__label_zh",
        )
        .annotate(
            received=Count("id", filter=received),
            closed=Count("id", filter=closed),
            open=Count("id", filter=open_at_end),
        )
        .order_by()
    )


def headline_figures(start: datetime, end: datetime, now: datetime) -> dict[str, Any]:
    """Service levels, medians and escalations for the week, in one aggregate."""
    received, closed = _in("created_at", start, end), _in("closed_at", start, end)
    escalated = _in("escalated_at", start, end)
    response_due = received & (Q(responded_at__isnull=False) | Q(respond_by__lt=now))
    return Complaint.objects.filter(received | closed | escalated).aggregate(
        received=Count("id", filter=received),
        response_due=Count("id", filter=response_due),
        response_met=Count("id", filter=received & Q(responded_at__lte=F("respond_by"))),
        median_respond_seconds=Median(
            SecondsBetween("responded_at", "created_at"), filter=received & Q(responded_at__isnull=False)
        ),
        closed=Count("id", filter=closed),
        resolution_met=Count("id", filter=closed & Q(closed_at__lte=F("resolve_by"))),
        median_resolve_seconds=Median(SecondsBetween("closed_at", "created_at"), filter=closed),
        escalations=Count("id", filter=escalated),
        # New complaints marked as a repeat of an earlier one (workflow.repeats).
        repeats=Count("id", filter=received & Q(repeat_of__isnull=False)),
    )


def transition_counts(start: datetime, end: datetime) -> dict[str, int]:
    """Closings and reopenings filed in the week (events, so a reopened complaint counts), and
    the customers' contacts added to an earlier complaint instead of a new one (a repeat too)."""
    return ComplaintRecord.objects.filter(
        _in("created_at", start, end), kind=ComplaintRecord.Kind.PROCESS
    ).aggregate(
        closes=Count("id", filter=Q(data__transition="close")),
        reopens=Count("id", filter=Q(data__transition="reopen")),
        contacts_again=Count("id", filter=Q(data__action="contacted_again")),
    )


def coaching_rows(start: datetime, end: datetime) -> list[Mapping[str, Any]]:
    """Phrase-coach hits per team; a team is the author's role group (first by name), never a person."""
    team = Group.objects.filter(user=OuterRef("author_id")).order_by("name").values("name")[:1]
    return list(
        ComplaintRecord.objects.filter(
            _in("created_at", start, end), kind=ComplaintRecord.Kind.PROCESS, data__has_key="warnings"
        )
        .annotate(team=Subquery(team))
        .values("team")
        .annotate(moments=Count("id"), hits=Sum(WarningCount("data")))
        .order_by("team")
    )


def cause_rows(weeks: Sequence[tuple[datetime, datetime]]) -> list[Mapping[str, Any]]:
    """Complaints closed per root cause in each of `weeks` ([(start, end), ...], oldest first)."""
    first, last = weeks[0][0], weeks[-1][1]
    counts = {f"w{i}": Count("id", filter=figure_q("closed", s, e)) for i, (s, e) in enumerate(weeks)}
    return list(
        Complaint.objects.filter(_in("closed_at", first, last), root_cause__isnull=False)
        .values("root_cause__code", "root_cause__label", "root_cause__label_zh", "root_cause__position")
        .annotate(**counts)
        .order_by()
    )


def department_rows(start: datetime, end: datetime) -> list[Mapping[str, Any]]:
    return list(
        Complaint.objects.filter(_in("closed_at", start, end), responsible_department__isnull=False)
        .values(
            "responsible_department__code",
            "responsible_department__label",
            "responsible_department__label_zh",
        )
        .annotate(count=Count("id"))
        .order_by()
    )


def satisfaction_rows(start: datetime, end: datetime) -> list[Mapping[str, Any]]:
    """Scores of the complaints closed in the week, counted per resolution and score."""
    return list(
        Complaint.objects.filter(_in("closed_at", start, end), satisfaction_score__isnull=False)
        .values("resolution", "satisfaction_score")
        .annotate(count=Count("id"))
        .order_by()
    )


def _one_action_per_cause():
    """Preventive actions, the latest one per complaint and root cause: rows filed before
    the closing of a reopened complaint reused its action (migration 0026) count once."""
    newer = PreventiveAction.objects.filter(
        complaint_id=OuterRef("complaint_id"), root_cause_id=OuterRef("root_cause_id"), id__gt=OuterRef("id")
    )
    return PreventiveAction.objects.filter(~Exists(newer))


def preventive_figures(start: datetime, end: datetime) -> dict[str, int]:
    open_at_end = Q(created_at__lt=end) & (Q(done_at__isnull=True) | Q(done_at__gte=end))
    return _one_action_per_cause().aggregate(
        opened=Count("id", filter=_in("created_at", start, end)),
        done=Count("id", filter=_in("done_at", start, end)),
        open_at_end=Count("id", filter=open_at_end),
        overdue=Count("id", filter=overdue_q(end)),
    )


def preventive_rows(start: datetime, end: datetime, limit: int = 20) -> list[Mapping[str, Any]]:
    """The preventive actions opened in the week (one per complaint and cause), for the brief."""
    return list(
        _one_action_per_cause()
        .filter(_in("created_at", start, end))
        .order_by("created_at", "id")
        .values(
            "id",
            "description",
            "status",
            "due_at",
            "department__code",
            "department__label",
            "department__label_zh",
            "complaint__reference",
            "root_cause__code",
        )[:limit]
    )


def trend_figures(weeks: Sequence[tuple[datetime, datetime]]) -> dict[str, int]:
    """Received and closed per week for the trend chart, in one aggregate."""
    first, last = weeks[0][0], weeks[-1][1]
    counts = {}
    for i, (s, e) in enumerate(weeks):
        counts[f"received{i}"] = Count("id", filter=_in("created_at", s, e))
        counts[f"closed{i}"] = Count("id", filter=_in("closed_at", s, e))
    return Complaint.objects.filter(_in("created_at", first, last) | _in("closed_at", first, last)).aggregate(
        **counts
    )


def outside_deadline_rows(start: datetime, end: datetime, now: datetime) -> list[Mapping[str, Any]]:
    """Outside deadlines (a regulator's clocks) due in the week, per regime and clock: met
    on time, met late, missed (passed unmet: breached, or open past due) and still running.
    One aggregate over the index complaint_clock_due; dropped clocks do not count."""
    unmet = Q(met_at__isnull=True)
    return list(
        ComplaintClock.objects.filter(_in("due_at", start, end), dropped_at__isnull=True)
        .values(
            "regime__code",
            "regime__name",
            "regime__name_zh",
            "clock__code",
            "clock__name",
            "clock__name_zh",
            "clock__position",
        )
        .annotate(
            due=Count("id"),
            met_on_time=Count("id", filter=Q(met_at__lte=F("due_at"))),
            met_late=Count("id", filter=Q(met_at__gt=F("due_at"))),
            missed=Count("id", filter=unmet & Q(due_at__lt=now)),
            running=Count("id", filter=unmet & Q(due_at__gte=now)),
        )
        .order_by()
    )


def vulnerable_at_some_point(now: datetime) -> Exists:
    """The complaint's customer was flagged vulnerable at some moment while it was open
    (from its receipt to its closing, or to `now`): flags cleared since still count, so a
    past week's split does not change when a flag is cleared. Erased flags are gone."""
    return Exists(
        Vulnerability.objects.filter(
            customer=OuterRef("customer"), set_at__lt=Coalesce(OuterRef("closed_at"), Value(now))
        ).filter(Q(cleared_at__isnull=True) | Q(cleared_at__gt=OuterRef("created_at")))
    )


SCORES = (1, 2, 3, 4, 5)


def vulnerable_split(start: datetime, end: datetime, now: datetime) -> dict[str, Any]:
    """Volume, service levels and satisfaction for vulnerable customers ("v_") and the
    others ("o_"), in one aggregate (DISP 1 asks for this split)."""
    received, closed = _in("created_at", start, end), _in("closed_at", start, end)
    response_due = received & (Q(responded_at__isnull=False) | Q(respond_by__lt=now))
    figures = {
        "received": received,
        "response_due": response_due,
        "response_met": received & Q(responded_at__lte=F("respond_by")),
        "closed": closed,
        "resolution_met": closed & Q(closed_at__lte=F("resolve_by")),
    }
    figures |= {f"score{s}": closed & Q(satisfaction_score=s) for s in SCORES}
    # Grouped by the flag, so its subquery runs once per complaint (a filter per figure would
    # repeat it twenty times); one or two rows come back.
    rows = (
        Complaint.objects.filter(received | closed)
        .order_by()
        .annotate(vulnerable=vulnerable_at_some_point(now))
        .values("vulnerable")
        .annotate(**{name: Count("id", filter=where) for name, where in figures.items()})
    )
    split = {f"{prefix}{name}": 0 for prefix in ("v_", "o_") for name in figures}
    for row in rows:
        prefix = "v_" if row["vulnerable"] else "o_"
        split |= {prefix + name: row[name] for name in figures}
    return split


def redress_rows(start: datetime, end: datetime) -> list[Mapping[str, Any]]:
    """Redress offered, accepted, declined and paid in the week (each step counted in the
    week it happened), per category and root cause of the complaint."""
    offered, answered, paid = (
        _in("offered_at", start, end),
        _in("answered_at", start, end),
        _in("paid_at", start, end),
    )
    yes = Q(status__in=[Redress.Status.ACCEPTED, Redress.Status.PAID])
    return list(
        Redress.objects.filter(offered | answered | paid)
        .values(
            "complaint__category__code",
            "complaint__category__label",
            "complaint__category__label_zh",
            "complaint__root_cause__code",
            "complaint__root_cause__label",
            "complaint__root_cause__label_zh",
        )
        .annotate(
            offered=Count("id", filter=offered),
            offered_amount=Sum("amount", filter=offered),
            accepted=Count("id", filter=answered & yes),
            declined=Count("id", filter=answered & Q(status=Redress.Status.DECLINED)),
            paid=Count("id", filter=paid),
            paid_amount=Sum("amount", filter=paid),
        )
        .order_by()
    )


def hold_figures(start: datetime, end: datetime) -> dict[str, Any]:
    """Holds in the week, in one aggregate: put on hold, ended (and how long they lasted,
    in total and the median), ended for want of an answer, and still on hold at its end."""
    started, ended = _in("started_at", start, end), _in("ended_at", start, end)
    open_at_end = Q(started_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gte=end))
    lasted = SecondsBetween("ended_at", "started_at")
    return ComplaintHold.objects.filter(started | ended | open_at_end).aggregate(
        started=Count("id", filter=started),
        ended=Count("id", filter=ended),
        total_seconds=Sum(lasted, filter=ended),
        median_seconds=Median(lasted, filter=ended),
        no_answer=Count("id", filter=ended & Q(ended_how=ComplaintHold.Ending.NO_ANSWER)),
        on_hold_at_end=Count("id", filter=open_at_end),
    )


def systemic_issue_rows(start: datetime, end: datetime, limit: int = 50) -> list[Mapping[str, Any]]:
    """Systemic issues opened in the week or still on the register at its end (not closed by
    then), newest first, each with the complaints linked to it by the week's end."""
    on_register = Q(opened_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    return list(
        SystemicIssue.objects.filter(_in("opened_at", start, end) | on_register)
        .values("id", "title", "status", "opened_at", "owner__username")
        .annotate(complaints=Count("links", filter=Q(links__linked_at__lt=end)))
        .order_by("-opened_at", "-id")[:limit]
    )


def fix_actions(
    start: datetime, end: datetime, lookback: datetime, limit: int = 20
) -> list[Mapping[str, Any]]:
    """Preventive actions verified effective by the week's end, done since `lookback`, with a
    root cause (one per complaint and cause), the most recently done first."""
    return list(
        _one_action_per_cause()
        .filter(
            status=PreventiveAction.Status.VERIFIED,
            verified_at__lt=end,
            done_at__gte=lookback,
            done_at__lt=end,
            root_cause__isnull=False,
        )
        .order_by("-done_at", "-id")
        .values(
            "id",
            "description",
            "done_at",
            "verified_at",
            "root_cause_id",
            "root_cause__code",
            "root_cause__label",
            "root_cause__label_zh",
            "complaint__reference",
        )[:limit]
    )


def root_cause_received(windows: Sequence[tuple[int, datetime, datetime]]) -> dict[str, int]:
    """Complaints received with a root cause in each of `windows` ([(root_cause_id, start,
    end), ...]) as {"n0": ..., "n1": ...}: one query, also when there is no window."""
    counts = {
        f"n{i}": Count("id", filter=Q(root_cause_id=cause) & _in("created_at", s, e))
        for i, (cause, s, e) in enumerate(windows)
    }
    if not windows:
        # The same one query when no fix is followed, so the report's count stays fixed.
        return Complaint.objects.filter(pk__lt=0).aggregate(none=Count("id"))
    first = min(s for _cause, s, _e in windows)
    last = max(e for _cause, _s, e in windows)
    causes = sorted({cause for cause, _s, _e in windows})
    return Complaint.objects.filter(
        root_cause_id__in=causes, created_at__gte=first, created_at__lt=last
    ).aggregate(**counts)


def redress_ledger_rows(start: datetime, end: datetime) -> QuerySet[Redress]:
    """Every redress with a step in the week, for the ledger's CSV (one query)."""
    in_week = _in("offered_at", start, end) | _in("answered_at", start, end) | _in("paid_at", start, end)
    return (
        Redress.objects.filter(in_week)
        .select_related("complaint", "complaint__category", "complaint__root_cause", "offered_by", "paid_by")
        .order_by("offered_at", "id")
    )
