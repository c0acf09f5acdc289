"""The bench loader loads what it says, and at a realistic row count the sweep and the
queue/list queries use their indexes (PostgreSQL plans, with real statistics)."""

import datetime as dt
import json
import re

import pytest
from django.db import connection

from bench import loader
from complaints.deadlines import sweep
from complaints.deadlines.selectors import overdue_q
from complaints.models import Complaint, ComplaintRecord, DeadlineEvent, Stage
from complaints.workflow.selectors import complaint_list, queue_rows
from customers.models import Customer, ValueFigure

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the bench loader and query plans need PostgreSQL (set DATABASE_URL)")


def test_loader_loads_the_shape_it_promises(postgres):
    loaded = loader.load(500, overdue=10, vacuum=False, log=lambda message: None)
    assert Complaint.objects.count() == loaded.complaints == 500
    open_ = Complaint.objects.exclude(stage=Stage.CLOSED)
    assert open_.count() == loaded.open == 50
    assert loaded.overdue == 10
    assert open_.filter(next_deadline_at__lte=loaded.now).count() == 10
    assert open_.filter(escalated=True).count() == loaded.escalated_open == 1
    assert Customer.objects.count() == 50 and ValueFigure.objects.count() == 200
    # content for each; listen for open ones taken on; close + outcome for closed ones
    assert ComplaintRecord.objects.filter(kind="content").count() == 500
    assert ComplaintRecord.objects.filter(kind="outcome").count() == 450
    taken_on = open_.exclude(stage=Stage.CONTROL).count()
    assert ComplaintRecord.objects.filter(kind="process").count() == 450 + taken_on
    assert ComplaintRecord.objects.count() == loaded.records
    assert DeadlineEvent.objects.count() == 1
    closed = Complaint.objects.filter(stage=Stage.CLOSED)
    assert not closed.filter(root_cause__isnull=True).exists()
    assert closed.order_by("created_at").first().created_at < loaded.now - dt.timedelta(weeks=20)
    # The overdue ones are exactly what a sweep a minute later escalates.
    result = sweep.complaints_check_deadlines(now=loaded.now + dt.timedelta(minutes=1))
    assert result == {"checked": 10, "breaches": 10, "warnings": 0}


def _plan(queryset):
    return queryset.explain()


def test_the_sweep_and_the_queue_use_indexes_at_twenty_thousand_complaints(postgres):
    loaded = loader.load(20_000, overdue=200, vacuum=False, log=lambda message: None)
    now = loaded.now + dt.timedelta(minutes=1)
    plans = {
        "sweep": _plan(sweep.sweep_due(now)[: sweep.SWEEP_BATCH]),
        "api list": _plan(complaint_list().order_by("-created_at", "-id")[:50]),
        "queue": _plan(complaint_list().exclude(stage=Stage.CLOSED).order_by("resolve_by")[:50]),
        "overdue": _plan(complaint_list().filter(overdue_q(now)).order_by("-created_at", "-id")[:50]),
        # What the list's capped count sends (complaints.api.pagination).
        "overdue count": _plan(complaint_list().filter(overdue_q(now)).order_by().values("pk")[:10_001]),
        "escalated": _plan(complaint_list().filter(escalated=True).exclude(stage="closed")[:50]),
        "assignee": _plan(
            complaint_list()
            .filter(assignee_id=loaded.staff_ids[1])
            .exclude(stage=Stage.CLOSED)
            .order_by("resolve_by")[:50]
        ),
    }
    # The staff queue (/): candidates from index-ordered streams, then the page's rows.
    from django.db.models import Q

    from complaints.web.desk import QUEUE_LIMIT, nearest_deadlines_first

    mine = Q(assignee_id=loaded.staff_ids[0]) | Q(assignee__isnull=True, stage=Stage.CONTROL)
    plans["queue page"] = _plan(
        nearest_deadlines_first(queue_rows().exclude(stage="closed").filter(mine), QUEUE_LIMIT + 1)
    )
    plans["queue page, whole team"] = _plan(
        nearest_deadlines_first(queue_rows().exclude(stage="closed"), QUEUE_LIMIT + 1)
    )
    for name, plan in plans.items():
        # complaints_complaint itself (the small holds table, complaints_complainthold, may be scanned)
        assert not re.search(r"Seq Scan on complaints_complaint\b", plan), f"{name}:\n{plan}"
    assert "complaint_open_next_deadline" in plans["sweep"]
    assert "complaint_open_resolve_by" in plans["queue"]
    assert "complaint_created_at" in plans["api list"]
    # One person's open complaints come from a partial index over open complaints in
    # resolve_by order: the per-assignee one, or (at this small size, when the table's order
    # follows resolve_by closely) the queue's own, filtered. Never every open complaint sorted.
    assert re.search(r"Index Scan using complaint_open_(by_assignee|resolve_by) ", plans["assignee"]), plans[
        "assignee"
    ]
    assert "Sort" not in plans["assignee"].split("Nested Loop")[0], plans["assignee"]
    # Overdue is one range over its own index, not a walk through every open complaint.
    assert "complaint_open_overdue_from" in plans["overdue count"], plans["overdue count"]
    # ...because the planner knows how many complaints are overdue (the statistics on
    # overdue_from, migration 0017); without them it guesses a third of the table.
    overdue = complaint_list().filter(overdue_q(now)).order_by().values("pk")
    estimate = json.loads(overdue.explain(format="json"))[0]["Plan"]["Plan Rows"]
    open_ = Complaint.objects.exclude(stage=Stage.CLOSED)
    found = overdue.count()
    assert found == sum(c.is_overdue(now) for c in open_.only("stage", "respond_by", "resolve_by")) > 200
    assert found / 3 <= estimate <= found * 3, (estimate, found)


def test_the_weekly_report_reads_through_indexes_at_twenty_thousand_complaints(postgres):
    """Every query of the weekly report, EXPLAINed as it was sent: no scan of a whole table."""
    from django.test.utils import CaptureQueriesContext

    from complaints.reports import compose, weeks

    loaded = loader.load(20_000, overdue=200, vacuum=False, log=lambda message: None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    monday = weeks.last_full_week(now=loaded.now - dt.timedelta(days=8))
    with CaptureQueriesContext(connection) as captured:
        report = compose.build_report(monday, now=loaded.now)
    assert report  # the week has complaints to report on
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) >= 8
    plans = []
    with connection.cursor() as cursor:
        for sql in selects:
            cursor.execute(f"EXPLAIN {sql}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    for sql, plan in zip(selects, plans, strict=True):
        assert "Seq Scan on complaints_complaint " not in plan + " ", f"{sql}\n{plan}"
        assert "Seq Scan on complaints_complaintrecord" not in plan, f"{sql}\n{plan}"
    everything = "\n".join(plans)
    for index in ("complaint_closed_at", "complaint_created_at", "record_created_at"):
        assert index in everything
