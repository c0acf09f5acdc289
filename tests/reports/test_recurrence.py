"""Issue 16, point 9: "keeps coming back" is a real signal (complaints.reports.recurrence)."""

from datetime import timedelta

import pytest

from complaints.reports import compose, weeks
from complaints.reports.recurrence import RECURRING_MIN_WEEKS, recurring_causes
from tests.reports.fixtures import WEEK, handle, local

# Each case: closings per cause over the five weeks (oldest first, the report's week last),
# and the causes that keep coming back.
CASES = [
    ("nothing closed", {}, set()),
    ("all zero", {"a": [0, 0, 0, 0, 0]}, set()),
    # Every cause every week, equally often: none weighs more than the typical one.
    ("all alike", {"a": [1, 1, 1, 1, 1], "b": [1, 1, 1, 1, 1], "c": [1, 1, 1, 1, 1]}, set()),
    # The demo desk: every cause now and then, one cause twice as often.
    (
        "one heavy cause among many",
        {
            "supplier": [2, 2, 2, 2, 2],
            "defect": [1, 1, 0, 1, 1],
            "training": [1, 0, 1, 1, 1],
            "capacity": [0, 1, 1, 1, 1],
            "it": [1, 1, 1, 0, 1],
            "process": [1, 1, 1, 1, 0],
            "comms": [0, 1, 1, 0, 1],
        },
        {"supplier"},
    ),
    ("heavy but only two weeks", {"a": [0, 0, 0, 5, 5], "b": [1, 0, 1, 0, 1], "c": [0, 0, 0, 0, 1]}, set()),
    (
        "three weeks, this week among them",
        {"a": [1, 0, 1, 0, 2], "b": [1, 0, 0, 0, 0], "c": [0, 0, 1, 0, 0]},
        {"a"},
    ),
    (
        "not this week: not coming back",
        {"a": [2, 2, 2, 2, 0], "b": [1, 0, 0, 0, 1], "c": [0, 1, 0, 0, 0]},
        set(),
    ),
    (
        "at the median is not above it",
        {"a": [1, 1, 1, 0, 1], "b": [1, 1, 1, 1, 0], "c": [0, 0, 0, 0, 1]},
        set(),
    ),
    ("a single cause: its share is the median", {"a": [1, 1, 1, 1, 1]}, set()),
    (
        "two above the median",
        {"a": [3, 3, 3, 0, 3], "b": [2, 2, 2, 2, 2], "c": [0, 0, 0, 0, 1], "d": [1, 0, 0, 0, 0]},
        {"a", "b"},
    ),
]


@pytest.mark.parametrize(("weeks_by_cause", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_rule(weeks_by_cause, expected):
    assert recurring_causes(weeks_by_cause) == expected


def test_min_weeks_is_a_threshold():
    counts = {"a": [0, 0, 2, 2, 2], "b": [0, 0, 0, 0, 1], "c": [0, 0, 0, 1, 0]}
    assert RECURRING_MIN_WEEKS == 3
    assert recurring_causes(counts) == {"a"}
    assert recurring_causes(counts, min_weeks=4) == set()


@pytest.mark.django_db
def test_in_the_report_only_the_real_recurring_cause_fires(staff_user, settings):
    """Six causes turn up in at least 3 of the 5 weeks; only supplier, twice as often, is flagged."""
    assert settings.CLEAR_DESK_REPORTS["RECURRING_WEEKS"] == 3
    mondays = weeks.trend_mondays(weeks.parse_week(WEEK))
    light = {  # which of the five weeks each light cause turns up in
        "defect": (0, 1, 3, 4),
        "training": (0, 2, 3, 4),
        "capacity": (1, 2, 3, 4),
        "system_error": (0, 1, 2, 4),
        "process_gap": (1, 2, 4),
    }
    for week_index, monday in enumerate(mondays):
        day = local(monday.year, monday.month, monday.day, 9)
        plan = ["supplier", "supplier"] + [c for c, seen in light.items() if week_index in seen]
        for i, cause in enumerate(plan):
            handle(
                by=staff_user,
                received=day + timedelta(hours=i),
                respond_after=timedelta(minutes=5),
                close_after=timedelta(minutes=30),
                cause=cause,
            )
    report = compose.build_report(weeks.parse_week(WEEK), now=local(2026, 11, 23, 10))
    seen_three_weeks = {c["code"] for c in report["root_causes"] if c["weeks_seen"] >= 3}
    assert seen_three_weeks == {"supplier", "defect", "training", "capacity", "system_error", "process_gap"}
    assert [c["code"] for c in report["recurring_causes"]] == ["supplier"]
    assert {c["code"]: c["recurring"] for c in report["root_causes"]} == {
        "supplier": True,
        "defect": False,
        "training": False,
        "capacity": False,
        "system_error": False,
        "process_gap": False,
    }
