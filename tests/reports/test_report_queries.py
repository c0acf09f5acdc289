"""The report runs the same number of SQL queries however many complaints the week holds."""

from datetime import timedelta

import pytest

from complaints.reports import compose, weeks
from tests.reports.fixtures import handle, local

pytestmark = pytest.mark.django_db

MONDAY = weeks.parse_week("2026-W47")


def fill(staff, n):
    causes = ["supplier", "defect", "training", "capacity", "system_error"]
    for i in range(n):
        handle(
            by=staff,
            received=local(2026, 11, 16, 9) + timedelta(hours=2 * i),
            respond_after=timedelta(minutes=10 + i),
            close_after=timedelta(hours=3 + i),
            cause=causes[i % len(causes)],
            score=1 + i % 5,
            channel=["phone", "email", "counter"][i % 3],
            tier="ABCD"[i % 4],
        )


@pytest.mark.parametrize("n", [5, 50])
def test_report_query_count_is_fixed(staff_user, n, django_assert_num_queries):
    fill(staff_user, n)
    with django_assert_num_queries(compose.QUERIES_PER_REPORT):
        report = compose.build_report(MONDAY, now=local(2026, 11, 30, 10))
    assert report["totals"]["received"] == n
    assert sum(c["count"] for c in report["root_causes"]) == n
    # ten, plus outside deadlines, holds, systemic issues and the fix check (three), the
    # vulnerable split and the redress figures
    assert compose.QUERIES_PER_REPORT == 17
