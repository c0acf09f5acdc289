"""On a phone (390 x 844) the queues and the report read as cards and nothing scrolls sideways."""

from datetime import timedelta

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


# The elements that reach past the right edge, to say what overflows when the test fails.
PAST_THE_EDGE = """(width) => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width)
    .slice(0, 5).map((el) => el.tagName + ' ' + (el.innerText || '').slice(0, 40))"""


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (
        f"{page.url} is {width}px wide on a {PHONE['width']}px screen: "
        f"{page.evaluate(PAST_THE_EDGE, PHONE['width'])}"
    )


def assert_on_screen(locator):
    """Visible, and inside the screen's width (not cut off at the right edge)."""
    assert locator.is_visible()
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]


def on_phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_queue_on_a_phone_is_cards_with_deadline_and_link(seeded_lists, page, login, live_server, artifacts):
    from django.utils import timezone

    from tests.factories import CustomerFactory, UserFactory, make_complaint

    staff = UserFactory(username="lin", role="staff")
    make_complaint(
        by=staff,
        customer=CustomerFactory(name="Wang Fang", tier="A"),
        severity="major",
        now=timezone.now() - timedelta(hours=5),
    )
    make_complaint(by=staff, customer=CustomerFactory(name="Ion Georgescu"))
    on_phone(page)
    login(staff)
    page.goto(f"{live_server.url}/")
    assert_no_sideways_scroll(page)
    first = page.locator("table.queue tbody tr").first
    assert_on_screen(first.locator("td[data-label='Reference'] a"))
    deadline = first.locator("td[data-label='Next deadline']")
    assert_on_screen(deadline.locator("time"))
    assert "left" in deadline.inner_text() or "overdue" in deadline.inner_text()
    # A card, not a squeezed table row: the cells stack, each under the card's full width.
    reference_cell = first.locator("td[data-label='Reference']").bounding_box()
    assert deadline.bounding_box()["y"] > reference_cell["y"]
    assert reference_cell["width"] > PHONE["width"] / 2
    page.screenshot(path=str(artifacts / "phone-queue.png"), full_page=True)


def test_escalation_queue_on_a_phone(seeded_lists, page, login, live_server, artifacts):
    from django.utils import timezone

    from complaints.escalations import services
    from tests.factories import CustomerFactory, UserFactory, make_complaint

    staff = UserFactory(username="lin", role="staff")
    complaint = make_complaint(
        by=staff, customer=CustomerFactory(tier="A"), now=timezone.now() - timedelta(hours=3)
    )
    services.complaint_escalate(
        complaint=complaint,
        data={"reason": "The customer asked for a manager, twice, and wants a call back today."},
        by=staff,
    )
    supervisor = UserFactory(username="zhang", role="supervisor")
    on_phone(page)
    login(supervisor)
    page.goto(f"{live_server.url}/escalations/")
    assert_no_sideways_scroll(page)
    card = page.locator(f"#escalation-{complaint.pk}")
    assert_on_screen(card.get_by_role("link", name=complaint.reference))
    assert_on_screen(card.locator("td[data-label='Overdue by']"))
    assert_on_screen(card.get_by_role("button", name="Acknowledge"))
    page.screenshot(path=str(artifacts / "phone-escalations.png"), full_page=True)


def test_weekly_report_on_a_phone(seeded_lists, page, login, live_server, artifacts):
    from tests.factories import UserFactory
    from tests.reports.fixtures import WEEK, handle, local

    staff = UserFactory(username="lin", role="staff")
    for i, cause in enumerate(["supplier", "supplier", "defect", "training"]):
        handle(
            by=staff,
            received=local(2026, 11, 16, 9 + i),
            respond_after=timedelta(minutes=10 + 20 * i),
            close_after=timedelta(hours=3 + 10 * i),
            cause=cause,
            score=1 + i,
        )
    manager = UserFactory(username="maria", role="manager")
    on_phone(page)
    login(manager)
    page.goto(f"{live_server.url}/reports/weekly/?week={WEEK}")
    page.locator("#pareto-chart svg").wait_for(state="visible")
    assert_no_sideways_scroll(page)
    causes = page.locator("section[aria-labelledby='pareto-h'] table tbody tr").first
    assert_on_screen(causes.locator("td[data-label='Count']"))
    action = page.locator("table.actions tbody tr").first
    assert_on_screen(action.locator("td[data-label='Due']"))
    assert_on_screen(action.locator("td[data-label='Complaint']"))
    page.screenshot(path=str(artifacts / "phone-report.png"), full_page=True)
    page.goto(f"{live_server.url}/reports/")
    assert_no_sideways_scroll(page)


def test_tracking_page_wraps_the_long_private_link(seeded_lists, page, live_server, artifacts):
    from customers.public import public_file_complaint

    complaint = public_file_complaint(
        name="Wang Fang",
        phone="+86 138 0013 8000",
        email="wang@example.com",
        what_happened="The kettle leaks from the base.",
        desired_outcome="A new kettle.",
        language="en",
    )
    on_phone(page).goto(f"{live_server.url}/track/{complaint.tracking_token}/?filed=1")
    link = page.locator("#tracking-link")
    assert len(link.inner_text()) * 7 > PHONE["width"]  # longer than one line of the screen
    assert_no_sideways_scroll(page)
    assert_on_screen(link)
    page.screenshot(path=str(artifacts / "phone-tracking-link.png"), full_page=True)
