"""A supervisor accepts the desk's suggestion in a real browser and staff see the issue
named on the complaint page."""

import pytest

pytestmark = pytest.mark.browser


def test_supervisor_accepts_a_suggestion_and_staff_see_the_issue(seeded_lists, login, live_server, artifacts):
    from complaints.models import SystemicIssue
    from complaints.systemic import suggestions
    from tests.factories import UserFactory
    from tests.systemic.helpers import leaks

    staff = UserFactory(username="lin", role="staff")
    complaints = leaks(staff, 5)
    assert len(suggestions.suggest_systemic_issues()) == 1
    boss = UserFactory(username="zhang", role="supervisor")
    page = login(boss)
    page.get_by_role("link", name="Systemic issues").click()
    page.get_by_label("Title of the new issue").fill("Model X kettles leak")
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("heading", name="Model X kettles leak").wait_for()
    assert page.locator('tr[id^="complaint-"]').count() == 5
    page.screenshot(path=str(artifacts / "systemic-issue.png"), full_page=True)
    issue = SystemicIssue.objects.get()
    page.get_by_role("button", name="Remove from this issue").first.click()
    page.get_by_text("removed from this issue").wait_for()
    assert issue.links.count() == 4
    page.context.clear_cookies()
    page = login(staff)
    linked = issue.links.first().complaint
    page.goto(f"{live_server.url}/complaints/{linked.pk}/")
    assert page.locator("#systemic-issue").get_by_role("link", name="Model X kettles leak").is_visible()
    assert {c.pk for c in complaints} >= {linked.pk}
