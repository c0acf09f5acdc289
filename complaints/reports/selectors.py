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
    Subquery,
    Sum,
)

from ..models import Complaint, ComplaintRecord, PreventiveAction
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
