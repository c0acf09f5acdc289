"""The weekly report: systemic issues new and open with their complaint counts, and "did the
fix work?" for preventive actions verified effective, with exact figures on a known history
(week under test 2026-W47, Monday 16 November, Asia/Shanghai)."""

from datetime import timedelta

import pytest
import time_machine

from complaints.models import Complaint, PreventiveAction, RootCause, SystemicIssue, SystemicIssueComplaint
from complaints.reports import compose, weeks
from complaints.reports.present import csv_tables, present
from tests.factories import make_complaint
from tests.reports.fixtures import local

pytestmark = pytest.mark.django_db

MONDAY = weeks.parse_week("2026-W47")
NOW = local(2026, 11, 30, 10)


def received(by, at, cause=None):
    complaint = make_complaint(by=by, now=at)
    if cause:
        Complaint.objects.filter(pk=complaint.pk).update(root_cause=RootCause.objects.get(code=cause))
    return complaint


def action(by, *, cause, done, verified, status="verified"):
    complaint = make_complaint(by=by, now=local(2026, 6, 1, 9))
    return PreventiveAction.objects.create(
        complaint=complaint,
        root_cause=RootCause.objects.get(code=cause),
        description=f"Fix for {cause}",
        due_at=done,
        created_at=done - timedelta(days=3),
        status=status,
        done_at=done,
        verified_at=verified,
    )


def issue(title, opened, *, closed=None, links=()):
    item = SystemicIssue.objects.create(
        title=title,
        opened_at=opened,
        status="closed" if closed else "investigating",
        closed_at=closed,
        fixed_at=closed,
    )
    for complaint, at in links:
        SystemicIssueComplaint.objects.create(issue=item, complaint=complaint, linked_at=at)
    return item


@pytest.fixture
def history(staff_user):
    by = staff_user
    # "supplier", fixed on Wednesday 21 October (week 43): before = weeks 39-42, after = 44-47.
    for at in [(2026, 9, 22, 9), (2026, 9, 22, 15), (2026, 10, 1, 9), (2026, 10, 15, 9), (2026, 10, 16, 9)]:
        received(by, local(*at), "supplier")
    received(by, local(2026, 10, 18, 23, 30), "supplier")  # Sunday night: the last of week 42
    received(by, local(2026, 9, 20, 9), "supplier")  # week 38: too early
    received(by, local(2026, 10, 20, 9), "supplier")  # week 43, the week of the fix: neither
    received(by, local(2026, 10, 22, 9), "supplier")
    for at in [(2026, 10, 27, 9), (2026, 11, 3, 9), (2026, 11, 20, 9)]:
        received(by, local(*at), "supplier")
    received(by, local(2026, 11, 24, 9), "supplier")  # after the report's week
    received(by, local(2026, 10, 1, 9), "defect")  # another cause
    received(by, local(2026, 10, 27, 9))  # no cause yet
    supplier = action(by, cause="supplier", done=local(2026, 10, 21, 14), verified=local(2026, 11, 18, 9))
    # "training", fixed on Wednesday 4 November (week 45): before = weeks 41-44, after so far 46-47.
    for at in [(2026, 10, 10, 9), (2026, 11, 1, 20)]:
        received(by, local(*at), "training")
    received(by, local(2026, 11, 10, 9), "training")
    training = action(by, cause="training", done=local(2026, 11, 4, 10), verified=local(2026, 11, 20, 9))
    # Not followed: done but not verified; verified after the week; done too long ago.
    action(by, cause="defect", done=local(2026, 10, 21, 9), verified=None, status="done")
    action(by, cause="capacity", done=local(2026, 10, 21, 9), verified=local(2026, 11, 25, 9))
    action(by, cause="system_error", done=local(2026, 8, 10, 9), verified=local(2026, 9, 1, 9))
    # Issues: one opened this week, one still open from before, one closed, one opened later.
    complaints = list(Complaint.objects.order_by("id")[:5])
    new = issue("Model X leaks", local(2026, 11, 17, 9), links=[(complaints[0], local(2026, 11, 17, 10))] * 1)
    SystemicIssueComplaint.objects.create(
        issue=new, complaint=complaints[1], linked_at=local(2026, 11, 18, 9)
    )
    old = issue(
        "Late couriers in the north",
        local(2026, 10, 5, 9),
        links=[(complaints[2], local(2026, 10, 6, 9)), (complaints[3], local(2026, 11, 25, 9))],
    )
    issue("Billing double charge", local(2026, 10, 1, 9), closed=local(2026, 11, 11, 9))
    issue("Opened later", local(2026, 11, 24, 9))
    return {"supplier": supplier, "training": training, "new": new, "old": old}


def test_the_report_lists_new_and_open_issues_with_their_complaints(history):
    report = compose.build_report(MONDAY, now=NOW)
    rows = [(i["title"], i["new"], i["complaints"], i["status"]) for i in report["systemic_issues"]]
    # the complaint linked after the week's end is not counted in it
    assert rows == [
        ("Model X leaks", True, 2, "investigating"),
        ("Late couriers in the north", False, 1, "investigating"),
    ]


def test_did_the_fix_work_counts_the_four_weeks_before_and_after(history):
    report = compose.build_report(MONDAY, now=NOW)
    figures = {f["root_cause"]: f for f in report["fix_effect"]}
    assert list(figures) == ["training", "supplier"]  # the most recently done first
    supplier = figures["supplier"]
    assert (supplier["before"], supplier["after"], supplier["weeks_after"]) == (6, 3, 4)
    assert supplier["change"] == -3 and supplier["change_pct"] == -50.0
    training = figures["training"]
    # two of the four weeks after have passed: shown, but not compared yet
    assert (training["before"], training["after"], training["weeks_after"]) == (2, 1, 2)
    assert training["change"] is None
    shown = present(report)
    assert [f["done_on"] for f in shown["fix_effect"]] == ["2026-11-04", "2026-10-21"]
    _header, rows = csv_tables(shown)["fix_effect"]
    assert rows[1][4:] == [6, 3, 4, -3]
    _header, rows = csv_tables(shown)["systemic_issues"]
    assert [r[-1] for r in rows] == [2, 1]


def test_a_week_later_the_partial_window_has_grown(history):
    report = compose.build_report(MONDAY + timedelta(weeks=1), now=NOW + timedelta(weeks=1))
    figures = {f["root_cause"]: f for f in report["fix_effect"]}
    # week 48 holds the 24 November complaint; the supplier's after-window stays weeks 44-47
    assert (figures["supplier"]["after"], figures["supplier"]["weeks_after"]) == (3, 4)
    assert figures["training"]["weeks_after"] == 3
    assert "capacity" in figures  # verified on 25 November, in week 48


def test_the_report_still_runs_a_fixed_number_of_queries(history, django_assert_num_queries):
    with django_assert_num_queries(compose.QUERIES_PER_REPORT):
        compose.build_report(MONDAY, now=NOW)


def test_the_report_page_shows_both_sections(history, client, manager_user):
    client.force_login(manager_user)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/reports/weekly/?week=2026-W47").content.decode()
    assert 'id="systemic-issues"' in page and "Model X leaks" in page
    assert f'id="fix-{history["supplier"].pk}"' in page and "(2 weeks so far)" in page


def test_a_report_published_before_the_register_still_shows(history):
    data = compose.build_report(MONDAY, now=NOW)
    del data["systemic_issues"], data["fix_effect"]
    shown = present(data)
    assert shown["systemic_issues"] == [] and shown["fix_effect"] == []
