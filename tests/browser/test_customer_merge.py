"""Issue 16, point 2 in a real browser: intake offers the customer who has the phone, and a
supervisor merges a duplicate on the customer page."""

import re

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint
from customers.models import Customer
from tests.factories import CustomerFactory, UserFactory, make_complaint

pytestmark = pytest.mark.browser


def test_intake_offers_the_customer_who_has_the_phone_and_keeps_the_text(
    seeded_lists, login, live_server, artifacts
):
    owner = CustomerFactory(name="Wang Fang", phone="139 0101 2323")
    page = login(UserFactory(username="lin", role="staff"))
    page.goto(f"{live_server.url}/complaints/new/")
    page.get_by_label(re.compile(r"^Name")).fill("W. Fang")
    page.get_by_label(re.compile(r"^Phone")).fill("0086 13901012323")
    page.get_by_label("Category").select_option(index=1)
    page.get_by_label("What the customer says").fill("The kettle leaks from the bottom.")
    page.get_by_role("button", name="Log the complaint").click()

    expect(page.locator(".intake")).to_contain_text(f"This phone number belongs to customer #{owner.pk}")
    use = page.get_by_role("button", name="Use this customer")
    expect(use).to_be_visible()
    page.screenshot(path=str(artifacts / "intake-phone-owner.png"), full_page=True)
    use.click()
    expect(page.locator("#customer-chosen")).to_contain_text("Wang Fang")
    expect(page.locator("#new-customer")).to_be_hidden()
    expect(page.get_by_label("What the customer says")).to_have_value("The kettle leaks from the bottom.")
    page.get_by_role("button", name="Log the complaint").click()
    page.wait_for_url(re.compile(r"/complaints/\d+/$"))
    assert Complaint.objects.get().customer_id == owner.pk
    assert Customer.objects.count() == 1


def test_a_supervisor_merges_a_duplicate_on_the_customer_page(seeded_lists, login, live_server, artifacts):
    desk = UserFactory(username="lin", role="staff")
    kept = CustomerFactory(name="Wang Fang", phone="+86 139 0101 2323")
    duplicate = CustomerFactory(name="W. Fang", phone="+86 138 0013 8000")
    moved = make_complaint(by=desk, customer=duplicate)
    page = login(UserFactory(username="zhang", role="supervisor"))
    page.goto(f"{live_server.url}/customers/{kept.pk}/")
    page.get_by_label("Duplicate customer (number or phone)").fill("138-0013-8000")
    page.get_by_role("button", name="Review the merge").click()
    expect(page.locator("#merge-confirm")).to_contain_text(f"Merge customer #{duplicate.pk} (W. Fang)")
    page.screenshot(path=str(artifacts / "customer-merge-confirm.png"), full_page=True)
    page.get_by_role("button", name="Merge", exact=True).click()
    page.wait_for_url(f"{live_server.url}/customers/{kept.pk}/")
    expect(page.locator("#merged-from")).to_contain_text(f"Customer #{duplicate.pk} (W. Fang) was merged")
    expect(page.locator("#complaint-history")).to_contain_text(moved.reference)
    page.screenshot(path=str(artifacts / "customer-merge-kept.png"), full_page=True)
    page.goto(f"{live_server.url}/customers/{duplicate.pk}/")
    expect(page.locator("#merged-into")).to_contain_text(f"merged into customer #{kept.pk}")
    page.get_by_role("link", name=f"Go to customer #{kept.pk}").click()
    page.wait_for_url(f"{live_server.url}/customers/{kept.pk}/")
    page.screenshot(path=str(artifacts / "customer-merge-merged.png"), full_page=True)
