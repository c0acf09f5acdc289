"""A supervisor sees the header's escalation badge, opens the queue and follows a row to its complaint."""

from datetime import timedelta

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_supervisor_follows_the_badge_to_the_complaint(seeded_lists, login, live_server, artifacts, width):
    from django.utils import timezone

    from complaints.escalations import services
    from tests.factories import UserFactory, make_complaint

    staff = UserFactory(username="lin", role="staff")
    complaint = make_complaint(by=staff, now=timezone.now() - timedelta(hours=3))
    services.complaint_escalate(
        complaint=complaint, data={"reason": "The customer asked for a manager."}, by=staff
    )
    supervisor = UserFactory(username="zhang", role="supervisor")
    services.complaint_add_note(complaint=complaint, data={"text": "Call back after lunch."}, by=supervisor)
    page = login(supervisor)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/")
    badge = page.locator("#escalation-badge")
    assert badge.is_visible()
    assert badge.inner_text() == "1"
    page.screenshot(path=str(artifacts / f"escalation-badge-{width}.png"), full_page=True)
    page.locator("#escalations-link").click()
    page.wait_for_url(f"{live_server.url}/escalations/")
    row = page.locator(f"#escalation-{complaint.pk}")
    assert row.get_by_text("The customer asked for a manager.").is_visible()
    assert row.get_by_text("Call back after lunch.").is_visible()
    page.screenshot(path=str(artifacts / f"escalation-queue-{width}.png"), full_page=True)
    row.get_by_role("link", name=complaint.reference).click()
    page.wait_for_url(f"{live_server.url}/complaints/{complaint.pk}/")
    assert page.get_by_text(complaint.reference).first.is_visible()
    page.screenshot(path=str(artifacts / f"escalation-complaint-{width}.png"), full_page=True)
