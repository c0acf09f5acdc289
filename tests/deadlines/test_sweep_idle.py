"""A sweep with nothing due (most minutes) is one indexed query: no second lane, no new connection."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.deadlines import sweep
from tests.factories import make_complaint


@pytest.mark.django_db
def test_nothing_due_is_one_query_and_no_second_lane(staff_user, monkeypatch, django_assert_num_queries):
    make_complaint(by=staff_user)
    # As on PostgreSQL outside a transaction, where two lanes would run.
    monkeypatch.setattr(sweep, "_sweep_lanes", lambda: 2)

    def no_threads(*args, **kwargs):
        raise AssertionError("a sweep with nothing due started a second lane")

    monkeypatch.setattr(sweep, "ThreadPoolExecutor", no_threads)
    with django_assert_num_queries(1):
        assert sweep.complaints_check_deadlines(now=timezone.now() - timedelta(minutes=1)) == {
            "checked": 0,
            "breaches": 0,
            "warnings": 0,
        }


@pytest.mark.django_db
def test_something_due_is_still_swept(staff_user):
    c = make_complaint(by=staff_user)
    result = sweep.complaints_check_deadlines(now=c.resolve_by + timedelta(minutes=1))
    assert result["breaches"] >= 1
