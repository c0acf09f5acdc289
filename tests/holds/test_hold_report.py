"""The weekly report shows time on hold, in a fixed number of queries."""

import statistics
from datetime import timedelta

import pytest

from complaints.reports import compose, weeks
from complaints.workflow import holds
from tests.factories import make_complaint
from tests.reports.fixtures import local

pytestmark = pytest.mark.django_db

MONDAY = weeks.parse_week("2026-W47")  # 16-22 November 2026, Asia/Shanghai


def held(by, start, hours=None, how="resumed"):
    c = make_complaint(by=by, now=start - timedelta(hours=1))
    holds.put_on_hold(c, kind="customer", reason="photo", by=by, now=start)
    if hours is not None:
        holds.resume_hold(c, by=by, how=how, now=start + timedelta(hours=hours))
    return c


@pytest.mark.parametrize("n", [2, 12])
def test_the_report_counts_holds_and_their_time_in_fixed_queries(staff_user, n, django_assert_num_queries):
    for i in range(n):
        held(staff_user, local(2026, 11, 16, 10) + timedelta(minutes=i), hours=2 + 2 * (i % 3))
    held(staff_user, local(2026, 11, 10, 10), hours=24 * 7)  # began the week before, ended in it
    held(staff_user, local(2026, 11, 20, 10))  # still on hold at the end of the week
    held(staff_user, local(2026, 11, 24, 10), hours=1)  # the week after
    with django_assert_num_queries(compose.QUERIES_PER_REPORT):
        report = compose.build_report(MONDAY, now=local(2026, 11, 30, 10))
    figures = report["holds"]
    assert figures["started"] == n + 1
    assert figures["ended"] == n + 1
    assert figures["on_hold_at_end"] == 1 and figures["no_answer"] == 0
    lasted = [(2 + 2 * (i % 3)) * 3600 for i in range(n)] + [7 * 24 * 3600]
    assert figures["total_seconds"] == sum(lasted)
    assert figures["median_seconds"] == statistics.median(lasted)


def test_the_report_page_shows_time_on_hold(client, manager_user, staff_user):
    held(staff_user, local(2026, 11, 16, 10), hours=3)
    held(staff_user, local(2026, 11, 17, 10), hours=5)
    client.force_login(manager_user)
    page = client.get("/reports/weekly/", {"week": "2026-W47"}).content.decode()
    assert 'id="holds"' in page
    assert "<dd data-holds-started>2</dd>" in page
    assert "<dd data-holds-total>8 h 0 min</dd>" in page
    assert "<dd data-holds-median>4 h 0 min</dd>" in page
    csv = client.get(
        "/reports/weekly/", {"week": "2026-W47", "format": "csv", "table": "holds"}
    ).content.decode()
    assert "Total time on hold (s)" in csv and "28800" in csv
