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
