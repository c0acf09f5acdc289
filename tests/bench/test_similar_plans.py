"""Similar past cases (complaints.workflow.similar) read through their partial indexes at a
realistic row count (PostgreSQL plans, with real statistics): each candidate stream is a short
walk from the end of its index, never a scan of the closed complaints."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import loader
from complaints.models import Complaint, Stage
from complaints.workflow import similar

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    if connection.vendor != "postgresql":
        pytest.skip("the bench loader and query plans need PostgreSQL (set DATABASE_URL)")
    found = loader.load(20_000, overdue=200, vacuum=False, log=lambda message: None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return found


def _plans(complaint, analyze=False):
    staff = get_user_model().objects.get(username="bench-staff-1")
    with CaptureQueriesContext(connection) as captured:
        found = similar.similar_complaints(complaint=complaint, user=staff)
    selects = [q["sql"] for q in captured.captured_queries if "similarity" in q["sql"]]
    assert len(selects) == 1, captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {'(ANALYZE) ' if analyze else ''}{selects[0]}")
        return found, "\n".join(row[0] for row in cursor.fetchall())


def test_an_open_complaint_reads_its_customer_and_category_from_their_indexes(loaded):
    complaint = Complaint.objects.exclude(stage=Stage.CLOSED).order_by("-id").first()
    found, plan = _plans(complaint)
    assert len(found) == similar.LIMIT
    assert "Seq Scan on complaints_complaint" not in plan, plan
    assert "complaint_closed_by_customer" in plan, plan
    assert "complaint_closed_by_category" in plan, plan
    # Each stream stops at its LIMIT: the customer's five, the category's latest CANDIDATES.
    assert plan.count("Limit") >= 3, plan


def test_a_complaint_with_a_product_reads_the_product_index_too(loaded):
    complaint = (
        Complaint.objects.filter(stage=Stage.CLOSED).exclude(product="").order_by("-closed_at").first()
    )
    found, plan = _plans(complaint)
    assert found and all(s.complaint.stage == Stage.CLOSED for s in found)
    assert "Seq Scan on complaints_complaint" not in plan, plan
    assert "complaint_closed_by_product" in plan, plan


def test_an_old_closed_complaint_starts_the_walk_at_its_own_closing(loaded):
    """Cases for a complaint closed months ago: the streams begin at its closing instead of
    stepping over every later closing of its category to find the earlier ones."""
    closed = Complaint.objects.filter(stage=Stage.CLOSED).order_by("closed_at")
    complaint = closed[closed.count() // 4]
    found, plan = _plans(complaint, analyze=True)
    assert len(found) == similar.LIMIT
    assert all(s.complaint.created_at < complaint.created_at for s in found)
    assert all(s.complaint.closed_at <= complaint.closed_at for s in found)
    skipped = sum(int(n) for n in re.findall(r"Rows Removed by Filter: (\d+)", plan))
    # A quarter of the way in, a category holds ~1,700 later closings; the walk reads the
    # candidates it needs and those received after it while it was open (a handful).
    assert skipped < 100, plan
