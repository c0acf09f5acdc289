"""A manager reads the weekly report in a real browser and sees the Pareto chart."""

from datetime import timedelta

import pytest

pytestmark = pytest.mark.browser


def test_manager_sees_the_pareto_chart(seeded_lists, login, live_server, artifacts):
    from tests.factories import UserFactory
    from tests.reports.fixtures import WEEK, handle, local

    staff = UserFactory(username="lin", role="staff")
    for i, cause in enumerate(["supplier", "supplier", "supplier", "defect", "training"]):
        handle(
            by=staff,
            received=local(2026, 11, 16, 9 + i),
            respond_after=timedelta(minutes=10 + 20 * i),
            close_after=timedelta(hours=3 + 10 * i),
            cause=cause,
            score=1 + i,
        )
    manager = UserFactory(username="maria", role="manager")
    page = login(manager)
    page.goto(f"{live_server.url}/reports/weekly/?week={WEEK}")
    chart = page.locator("#pareto-chart svg.chart-pareto")
    chart.wait_for(state="visible")
    assert chart.is_visible()
    assert page.locator("#pareto-chart svg rect.bar").count() == 3
    assert page.locator("#pareto-chart svg polyline.cumulative").is_visible()
    assert page.get_by_role("heading", name="Brief for all staff").is_visible()
    page.set_viewport_size({"width": 1200, "height": 1800})
    page.screenshot(path=str(artifacts / "report.png"), full_page=True)


def test_manager_publishes_and_follows_a_root_cause_to_its_complaints(
    seeded_lists, login, live_server, artifacts
):
    from complaints.models import Complaint
    from tests.factories import UserFactory
    from tests.reports.fixtures import WEEK, handle, local

    staff = UserFactory(username="lin", role="staff")
    for i, cause in enumerate(["supplier", "supplier", "supplier", "defect"]):
        handle(
            by=staff,
            received=local(2026, 11, 16, 9 + i),
            respond_after=timedelta(minutes=10),
            close_after=timedelta(hours=3),
            cause=cause,
        )
    supplier = set(Complaint.objects.filter(root_cause__code="supplier").values_list("reference", flat=True))
    manager = UserFactory(username="maria", role="manager")
    page = login(manager)
    page.goto(f"{live_server.url}/reports/weekly/?week={WEEK}")
    page.get_by_role("button", name="Publish this week").click()
    page.wait_for_selector(".report-published")
    assert "Published version 1" in page.locator(".report-published").inner_text()
    assert "by maria" in page.locator(".report-published").inner_text()
    assert page.get_by_role("button", name="Publish again").is_visible()
    assert page.get_by_role("button", name="Publish this week").count() == 0
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "report-published-390.png"), full_page=True)
    page.locator('a[data-cause="supplier"]').click()
    page.wait_for_selector("table.report-complaints")
    listed = set(page.locator("table.report-complaints tbody td:first-child a").all_inner_texts())
    assert listed == supplier
    page.screenshot(path=str(artifacts / "report-complaints-390.png"), full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})
    page.screenshot(path=str(artifacts / "report-complaints.png"), full_page=True)
