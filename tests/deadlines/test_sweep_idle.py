"""A sweep with nothing due (most minutes) is one indexed query: no lane tasks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.deadlines import sweep
from tests.factories import make_complaint


@pytest.mark.django_db
def test_nothing_due_is_one_query_and_no_lane_tasks(staff_user, monkeypatch, django_assert_num_queries):
    from complaints.deadlines import tasks

    make_complaint(by=staff_user)
    # As on PostgreSQL, where the beat fans out to two lanes.
    monkeypatch.setattr(sweep, "sweep_lanes", lambda: 2)

    def no_group(*args, **kwargs):
        raise AssertionError("a sweep with nothing due started lane tasks")

    monkeypatch.setattr(tasks, "group", no_group)
    with django_assert_num_queries(1):
        assert tasks.start_sweep(timezone.now() - timedelta(minutes=1)) == {
            "checked": 0,
            "breaches": 0,
            "warnings": 0,
        }


@pytest.mark.django_db
def test_something_due_is_still_swept(staff_user):
    c = make_complaint(by=staff_user)
    result = sweep.complaints_check_deadlines(now=c.resolve_by + timedelta(minutes=1))
    assert result["breaches"] >= 1


def test_decide_is_pure_and_raises_the_level_once_per_breach():
    now = timezone.now()
    row = sweep.SweepRow._make([None] * len(sweep.SweepRow._fields))._replace(
        responded_at=None,
        respond_by=now - timedelta(hours=2),
        resolve_by=now - timedelta(hours=1),
        respond_warn_at=now - timedelta(hours=3),
        resolve_warn_at=now - timedelta(hours=2),
        escalation_level=1,
    )
    before = row
    due = sweep.decide(
        row, handled=set(), callback_dues=[], now=now, breach_reason=lambda kind, deadline: f"{kind} missed"
    )
    assert row is before  # rows are immutable: deciding writes nothing
    breaches = [s for s in due.steps if s.is_breach]
    assert [(s.kind, s.level) for s in breaches] == [("respond_breach", 2), ("resolve_breach", 3)]
    assert [s.deadline for s in due.steps] == sorted(s.deadline for s in due.steps)
    # Already handled: nothing more is due.
    handled = {(s.kind, s.deadline) for s in due.steps}
    again = sweep.decide(row, handled=handled, callback_dues=[], now=now, breach_reason=str)
    assert again.steps == []
