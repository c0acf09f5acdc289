import re

import pytest

pytestmark = pytest.mark.browser


def test_customer_files_follows_and_rates_a_complaint(seeded_lists, page, live_server, artifacts, login):
    from complaints.models import Complaint, ComplaintRecord
    from customers.models import SurveyInvitation
    from tests.factories import UserFactory
    from tests.public.flow import close_complaint

    # The customer, without an account.
    page.goto(f"{live_server.url}/submit/")
    page.get_by_label("Your name").fill("Wang Fang")
    page.get_by_label("Phone").fill("+86 138 0013 8000")
    page.get_by_label("Email").fill("wang@example.com")
    page.get_by_label("What happened?").fill("The kettle I bought on Monday leaks from the base.")
    page.get_by_label("What would you like us to do?").fill("A replacement kettle, please.")
    page.screenshot(path=str(artifacts / "public-submit.png"), full_page=True)
    page.get_by_role("button", name="Send my complaint").click()
    page.wait_for_url(re.compile(r".*/track/[^/]+/\?filed=1$"))

    complaint = Complaint.objects.get()
    assert page.locator("#reference").inner_text() == complaint.reference
    link = page.locator("#tracking-link").get_attribute("href")
    assert link.endswith(f"/track/{complaint.tracking_token}/")
    assert page.locator("#stage").inner_text() == "Received"
    page.screenshot(path=str(artifacts / "public-track-received.png"), full_page=True)

    # Staff handle and close it.
    staff = UserFactory(username="lin", role="staff")
    close_complaint(complaint, staff, customer_message="A new kettle is on its way to you.")

    # The customer comes back through the private link and answers the survey.
    page.goto(link)
    assert page.locator("#stage").inner_text() == "Closed"
    # Issue 16: the message written for the customer, never the internal remedy.
    assert "A new kettle is on its way to you." in page.locator("#customer-message").inner_text()
    assert "We sent a replacement by courier." not in page.content()
    page.screenshot(path=str(artifacts / "public-track-closed.png"), full_page=True)
    page.locator("#survey-link").click()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Anything you would like to add?").fill("Quick and friendly, thank you.")
    page.screenshot(path=str(artifacts / "public-survey.png"), full_page=True)
    page.get_by_role("button", name="Send my answer").click()
    page.get_by_role("heading", name="Thank you for your answer").wait_for()
    page.screenshot(path=str(artifacts / "public-survey-thanks.png"), full_page=True)

    complaint.refresh_from_db()
    assert complaint.satisfaction_score == 4
    assert complaint.records.filter(kind=ComplaintRecord.Kind.SATISFACTION).count() == 1
    assert SurveyInvitation.objects.get(complaint=complaint).is_answered

    # Staff print the thank-you letter.
    login(staff)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/letter/")
    assert "A new kettle is on its way to you." in page.locator(".customer-message").inner_text()
    assert "Fragile goods now ship in double boxes." not in page.content()
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    page.screenshot(path=str(artifacts / "thank-you-letter-print.png"), full_page=True)
