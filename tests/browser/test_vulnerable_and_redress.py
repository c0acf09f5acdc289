"""In a real browser: staff flag a customer as vulnerable and see the banner on the complaint;
the redress panel takes an offer, the customer's yes and the payment."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from complaints.models import Redress
from tests.factories import CustomerFactory, UserFactory, make_complaint, walk

pytestmark = pytest.mark.browser


def test_flag_a_customer_and_see_the_banner_on_the_complaint(seeded_lists, login, live_server, artifacts):
    staff = UserFactory(username="lin", role="staff")
    customer = CustomerFactory(name="Wang Fang")
    complaint = make_complaint(by=staff, customer=customer)
    page = login(staff)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.get_by_label("Why the customer needs extra care").select_option("bereavement")
    page.get_by_label("Note for colleagues").fill("Her husband died last month; call after 10:00.")
    page.get_by_role("button", name="Flag as vulnerable").click()
    # No review date and not permanent: the form says so and keeps the note.
    expect(page.locator("#vulnerability-form")).to_contain_text("Give a review date, or tick Permanent.")
    expect(page.get_by_label("Note for colleagues")).to_have_value(
        "Her husband died last month; call after 10:00."
    )
    review = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    page.get_by_label("Review by").fill(review)
    page.get_by_role("button", name="Flag as vulnerable").click()
    page.wait_for_url(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.locator("#vulnerability-banner")).to_contain_text(
        f"Vulnerable customer: Bereavement — review by {review}"
    )
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    expect(page.locator("#vulnerability-banner")).to_contain_text("Vulnerable customer: Bereavement")
    expect(page.locator("#vulnerability-note")).to_contain_text("call after 10:00")
    page.screenshot(path=str(artifacts / "vulnerable-banner.png"), full_page=True)


def test_redress_offer_accept_pay_on_the_complaint_page(seeded_lists, login, live_server, artifacts):
    staff = UserFactory(username="lin", role="staff")
    complaint = walk(make_complaint(by=staff), staff, "resolve")
    page = login(staff)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    panel = page.locator("#redress")
    panel.get_by_text("Offer redress", exact=True).first.click()
    panel.get_by_label("Amount").fill("45.00")
    panel.get_by_label("What is offered").fill("Refund of the delivery fee")
    panel.get_by_role("button", name="Offer redress").click()
    page.wait_for_url(re.compile(rf"/complaints/{complaint.pk}/$"))
    expect(page.locator("#redress-ledger")).to_contain_text("Refund of the delivery fee")
    panel.get_by_text("The customer accepts", exact=True).first.click()
    panel.get_by_role("button", name="The customer accepts").click()
    page.wait_for_url(re.compile(rf"/complaints/{complaint.pk}/$"))
    panel.get_by_text("Record the payment", exact=True).first.click()
    panel.get_by_label("Paid on").fill(dt.date.today().isoformat())
    panel.get_by_label("Payment method").select_option("bank_transfer")
    panel.get_by_label("Payment reference").fill("TX-20261206")
    panel.get_by_role("button", name="Record the payment").click()
    page.wait_for_url(re.compile(rf"/complaints/{complaint.pk}/$"))
    expect(page.locator("#redress-ledger")).to_contain_text("TX-20261206")
    expect(page.locator(".timeline")).to_contain_text("Redress paid")
    page.screenshot(path=str(artifacts / "redress-panel.png"), full_page=True)
    assert Redress.objects.get().status == "paid"
