"""Never lose what was typed: drafts survive a reload and a lost connection; a save clears
them; a failed submit focuses the first error; long texts fold behind "Show all"."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WHAT = "#id_establish-what_happened"
STAGE_SUBMIT = "section.stage-form form[data-draft] button[type=submit]"


@pytest.fixture
def staff(seeded_lists):
    from tests.factories import UserFactory

    return UserFactory(username="lin", role="staff")


@pytest.fixture
def listening(staff):
    """A complaint in Listen, so the page offers the Establish form."""
    from complaints.workflow.transitions import complaint_transition
    from tests.factories import make_complaint

    complaint, _ = complaint_transition(complaint=make_complaint(by=staff), name="listen", data={}, by=staff)
    return complaint


def _drafts(page):
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('clear-desk:draft:'))")


def test_intake_text_comes_back_after_a_reload(staff, login, live_server, artifacts):
    page = login(staff)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/complaints/new/")
    page.locator("#id_new_customer_name").fill("Wang Fang")
    page.locator("#id_content").fill("The fridge door was cracked when it arrived.")

    page.reload()

    expect(page.locator("#id_content")).to_have_value("The fridge door was cracked when it arrived.")
    expect(page.locator("#id_new_customer_name")).to_have_value("Wang Fang")
    expect(page.get_by_text("Draft restored")).to_be_visible()
    page.screenshot(path=artifacts / "drafts-intake-restored-390.png", full_page=True)

    page.get_by_role("button", name="Discard draft").click()
    expect(page.locator("#id_content")).to_have_value("")
    assert _drafts(page) == []


def test_stage_text_survives_a_submit_while_offline(staff, listening, login, live_server, page, artifacts):
    login(staff)
    url = f"{live_server.url}/complaints/{listening.pk}/"
    page.goto(url)
    page.locator(WHAT).fill("Door cracked on delivery, typed while the line was down.")

    page.context.set_offline(True)
    try:
        page.locator(STAGE_SUBMIT).click(no_wait_after=True)
        page.wait_for_timeout(300)
    finally:
        page.context.set_offline(False)
    page.goto(url)

    expect(page.locator(WHAT)).to_have_value("Door cracked on delivery, typed while the line was down.")
    expect(page.get_by_text("Draft restored")).to_be_visible()
    page.screenshot(path=artifacts / "drafts-stage-restored.png", full_page=True)


def test_a_saved_stage_form_leaves_no_draft(staff, listening, login, live_server, page):
    login(staff)
    url = f"{live_server.url}/complaints/{listening.pk}/"
    page.goto(url)
    page.locator(WHAT).fill("Door cracked on delivery")
    page.locator("#id_establish-when_happened").fill("Monday")
    page.locator("#id_establish-desired_outcome").fill("A new fridge")
    assert len(_drafts(page)) == 1

    page.locator(STAGE_SUBMIT).click()
    expect(page.locator(".messages .success")).to_be_visible()
    page.reload()

    assert _drafts(page) == []
    expect(page.get_by_text("Draft restored")).to_have_count(0)


def test_a_failed_submit_focuses_the_first_field_with_an_error(staff, listening, login, live_server, page):
    login(staff)
    page.goto(f"{live_server.url}/complaints/{listening.pk}/")
    page.locator("#id_establish-when_happened").fill("Monday")

    page.locator(STAGE_SUBMIT).click()

    expect(page.locator(WHAT)).to_be_focused()
    expect(page.locator(WHAT)).to_have_attribute("aria-invalid", "true")
    described = page.locator(WHAT).get_attribute("aria-describedby") or ""
    assert any(page.locator(f"#{part}.errorlist").count() for part in described.split())
    expect(page.locator("#id_establish-when_happened")).to_have_value("Monday")


def test_a_long_complaint_is_folded_behind_show_all(staff, login, live_server, page, artifacts):
    from tests.factories import make_complaint

    complaint = make_complaint(by=staff, content="The kettle leaks all over the counter. " * 1300)
    login(staff)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    summary = page.locator(".quote .long-text").first
    shown = page.locator(".quote [data-show-all]").first

    expect(shown).to_be_visible()
    folded = summary.evaluate("box => box.clientHeight")
    assert folded < summary.evaluate("box => box.scrollHeight")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=artifacts / "long-text-folded.png")

    shown.click()
    expect(shown).to_have_attribute("aria-expanded", "true")
    assert summary.evaluate("box => box.clientHeight") > folded
