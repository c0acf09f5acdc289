"""Letters and messages in chromium: the customer adds information on the tracking page, and
a close without the final response's reasons is refused with the typed text kept."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_customer_adds_information_on_the_tracking_page_and_staff_see_it(
    seeded_lists, page, login, live_server, artifacts
):
    from complaints.models import Complaint, Notification
    from tests.factories import UserFactory, make_complaint, walk

    staff = UserFactory(username="lin", role="staff", email="lin@example.com")
    complaint = walk(make_complaint(by=staff), staff, "listen")
    token = Complaint.objects.get(pk=complaint.pk).tracking_token
    page.set_default_timeout(10_000)

    page.goto(f"{live_server.url}/track/{token}/")
    messages = page.locator("#messages .sent-message")
    expect(messages).to_have_count(2)  # the acknowledgement and "someone took it"
    expect(messages.first.locator(".message-subject")).to_contain_text("We have your complaint")
    page.get_by_label("Anything to add?").fill("The order number is 4711; call me after 18:00.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#reply-thanks")).to_be_visible()
    page.screenshot(path=str(artifacts / "track-reply-sent.png"), full_page=True)
    assert Notification.objects.filter(to="lin@example.com", key__startswith="reply:").count() == 1

    login(staff)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    entry = page.locator(".timeline .action-customer_reply")
    expect(entry).to_contain_text("The customer added information")
    expect(entry).to_contain_text("The order number is 4711")


def test_close_without_reasons_is_refused_keeps_the_text_and_then_closes(
    seeded_lists, page, login, live_server, artifacts
):
    from complaints.models import Complaint
    from tests.factories import UserFactory, make_complaint, walk

    staff = UserFactory(username="lin", role="staff")
    complaint = walk(make_complaint(by=staff), staff, "resolve")
    login(staff)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")

    page.get_by_label("Resolution").select_option("full")
    page.get_by_label("Message to the customer").fill("A new kettle reaches you on Friday.")
    page.get_by_label("Remedy given").fill("Courier ticket LOG-9")
    page.get_by_label("Preventive action").fill("Seal check before dispatch")
    page.get_by_label("Root cause").select_option("defect")
    page.get_by_label("Responsible department").select_option("logistics")
    page.get_by_role("button", name="Close the complaint").click()

    expect(page.locator("body")).to_contain_text(
        "Write the reasons for the decision: the final response must say why."
    )
    expect(page.locator("body")).to_contain_text("Give the date the remedy happens")
    expect(page.get_by_label("Message to the customer")).to_have_value("A new kettle reaches you on Friday.")
    page.screenshot(path=str(artifacts / "close-refused-no-reasons.png"), full_page=True)
    assert Complaint.objects.get(pk=complaint.pk).stage == "resolve"

    page.get_by_label("Reasons for the decision").fill("The kettle's seal was faulty from the factory.")
    page.get_by_label("Remedy happens on").fill(datetime.date.today().isoformat())
    page.get_by_role("button", name="Close the complaint").click()
    expect(page.locator(".step-current")).to_contain_text("Closed")
    closed = Complaint.objects.get(pk=complaint.pk)
    assert closed.stage == "closed" and closed.decision == "upheld"

    page.goto(f"{live_server.url}/complaints/{complaint.pk}/letter/")
    expect(page.locator("#decision")).to_contain_text("Upheld")
    expect(page.locator("#decision-reasons")).to_contain_text("seal was faulty")
    expect(page.locator(".customer-message")).to_contain_text("new kettle reaches you on Friday")
    expect(page.locator("#referral")).to_contain_text("12315")
    assert "LOG-9" not in page.content()
    page.screenshot(path=str(artifacts / "final-response-letter.png"), full_page=True)
