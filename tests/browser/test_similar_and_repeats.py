"""Learning from earlier complaints in a real browser: the "How did we resolve this before?"
panel in Resolve, and intake's repeat warning, which keeps what was typed."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints.models import Complaint, ComplaintRecord
from tests.factories import CustomerFactory, UserFactory, make_complaint, walk

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_the_resolve_stage_shows_how_it_was_resolved_before(
    seeded_lists, login, live_server, artifacts, width
):
    staff = UserFactory(username="lin", role="staff")
    wang = CustomerFactory(name="Wang Fang")
    before = walk(
        make_complaint(
            by=staff,
            customer=wang,
            content="The kettle lid snapped off.",
            now=timezone.now() - dt.timedelta(days=60),
        ),
        staff,
        remedy="Sent a new lid by courier the same day.",
    )
    resolving = walk(
        make_complaint(by=staff, customer=wang, content="The kettle lid snapped again."), staff, to="resolve"
    )
    page = login(staff)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/complaints/{resolving.pk}/")
    panel = page.locator("#similar-cases")
    expect(panel.get_by_role("heading", name="How did we resolve this before?")).to_be_visible()
    expect(panel.locator(".similar-case")).to_have_count(1)
    expect(panel).to_contain_text("Sent a new lid by courier the same day.")
    expect(panel).to_contain_text("this customer")
    # In Resolve it comes before the form that closes the complaint.
    assert panel.bounding_box()["y"] < page.locator("#h-stage").bounding_box()["y"]
    page.screenshot(path=str(artifacts / f"similar-cases-resolve-{width}.png"), full_page=True)
    # No sideways scrolling on a phone: long labels in the record wrap.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    panel.get_by_role("link", name=before.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(before.reference)


def test_intake_warns_of_a_repeat_and_adds_the_contact_to_it(seeded_lists, login, live_server, artifacts):
    staff = UserFactory(username="lin", role="staff")
    wang = CustomerFactory(name="Wang Fang", phone="+86 139 0101 2323")
    earlier = make_complaint(
        by=staff, customer=wang, category="delivery", now=timezone.now() - dt.timedelta(days=3)
    )
    page = login(staff)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/complaints/new/")
    page.locator("#customer-search").fill("139 0101")
    page.locator("#customer-results button.result").first.click()
    expect(page.locator("#customer-chosen")).to_contain_text("Wang Fang")
    page.locator("#id_category").select_option("delivery")
    typed = "Still no parcel, the third call this week."
    page.locator("#id_content").fill(typed)
    page.get_by_role("button", name="Log the complaint").click()

    warning = page.locator("#repeat-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(earlier.reference)
    expect(warning).to_contain_text("3 days")
    expect(warning).to_contain_text("still open")
    # Nothing is lost: what was typed and the customer chosen are still on the form.
    expect(page.locator("#id_content")).to_have_value(typed)
    expect(page.locator("#customer-chosen")).to_contain_text("Wang Fang")
    page.screenshot(path=str(artifacts / "repeat-warning-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Complaint.objects.count() == 1

    warning.get_by_role("button", name=f"Add this contact to {earlier.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(earlier.reference)
    expect(page.locator(".timeline")).to_contain_text("Customer contacted again")
    expect(page.locator(".timeline")).to_contain_text(typed)
    assert Complaint.objects.count() == 1
    assert ComplaintRecord.objects.filter(complaint=earlier, data__action="contacted_again").count() == 1
