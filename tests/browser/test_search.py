"""The header's search box: a staff member on the queue finds a closed complaint."""

import pytest
from playwright.sync_api import expect

from tests.factories import CustomerFactory, UserFactory, make_complaint, walk

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_the_header_box_finds_a_closed_complaint(seeded_lists, login, live_server, artifacts, width):
    staff = UserFactory(username="lin", role="staff")
    wang = CustomerFactory(name="王芳", phone="13901012323", email="fang.wang@example.cn")
    closed = walk(make_complaint(by=staff, customer=wang, content="The kettle lid snapped off."), staff)
    make_complaint(by=staff, customer=CustomerFactory(name="Io Green"))
    page = login(staff)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/")
    box = page.get_by_role("searchbox", name="Find a complaint")
    expect(box).to_be_visible()
    box.fill("王芳")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator("table.search-results tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(closed.reference)
    expect(results.first).to_contain_text("Closed")
    page.screenshot(path=str(artifacts / f"search-closed-{width}.png"), full_page=True)
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("link", name=closed.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(closed.reference)
