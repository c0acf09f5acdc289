"""A supervisor acknowledges an escalation from the queue in a real browser."""

from datetime import timedelta

import pytest

pytestmark = pytest.mark.browser


def test_supervisor_acknowledges_from_the_queue(seeded_lists, login, live_server, artifacts):
    from django.utils import timezone

    from complaints.escalations import services
    from complaints.models import Complaint, ComplaintRecord
    from tests.factories import CustomerFactory, UserFactory, make_complaint

    staff = UserFactory(username="lin", role="staff")
    complaint = make_complaint(
        by=staff, customer=CustomerFactory(tier="A"), now=timezone.now() - timedelta(hours=3)
    )
    services.complaint_escalate(
        complaint=complaint, data={"reason": "The customer asked for a manager."}, by=staff
    )
    supervisor = UserFactory(username="zhang", role="supervisor")
    page = login(supervisor)
    page.goto(f"{live_server.url}/escalations/")
    row = page.locator(f"#escalation-{complaint.pk}")
    assert row.get_by_text("The customer asked for a manager.").is_visible()
    assert row.get_by_text("VIP").is_visible()
    row.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url(f"{live_server.url}/escalations/")
    assert page.get_by_text("Escalation acknowledged.").is_visible()
    page.screenshot(path=str(artifacts / "escalations.png"), full_page=True)
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.escalation_acknowledged_by_id == supervisor.pk
    assert ComplaintRecord.objects.filter(complaint=complaint, data__action="acknowledge_escalation").exists()
