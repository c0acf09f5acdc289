"""Issue 16, points 4 and 6 in chromium: Resolve with compensation above the limit, asked for
and approved on the pages, the message to the customer apart from the internal notes."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _resolving(staff):
    from tests.factories import make_complaint, walk

    return walk(make_complaint(by=staff), staff, "resolve")


def _log_in(page, url, user):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{url}/")


def test_resolve_with_compensation_above_the_limit_is_approved_and_closed(
    seeded_lists, login, live_server, browser, artifacts, settings
):
    from complaints.models import CompensationRequest, Complaint
    from tests.factories import UserFactory

    settings.COMPENSATION_APPROVAL_ABOVE = "200"
    staff = UserFactory(username="lin", role="staff")
    boss = UserFactory(username="zhou", role="supervisor")
    complaint = _resolving(staff)
    page = login(staff)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    expect(page.locator("#compensation-limit")).to_contain_text("200")
    expect(page.locator("#fields-public legend")).to_have_text("Shown to the customer")
    expect(page.locator("#fields-internal legend")).to_have_text("Internal notes")

    # Closing with 350 is refused, and the request starts from that amount.
    page.get_by_label("Resolution").select_option("full")
    page.get_by_label("Reasons for the decision").fill("The parcel was crushed in our depot.")
    page.get_by_label("Remedy happens on").fill(date.today().isoformat())
    page.locator("#id_close-customer_message").fill(
        "We are sending you a new parcel and 350 for the trouble."
    )
    page.get_by_label("Remedy given").fill("Re-ship via courier, ticket LOG-17")
    page.get_by_label("Preventive action").fill("Double boxes for fragile goods")
    page.get_by_label("Root cause").select_option("defect")
    page.get_by_label("Responsible department").select_option("logistics")
    page.locator("#id_close-compensation").fill("350")
    page.locator("button.primary").click()
    expect(page.locator(".alert-bad")).to_contain_text("needs a supervisor")
    expect(page.locator("#id_compensation-amount")).to_have_value("350")
    page.locator("#id_compensation-reason").fill("Second broken parcel; the customer lost a day.")
    page.get_by_role("button", name="Request approval").click()
    expect(page.locator("#compensation-status")).to_contain_text("Waiting for a supervisor")
    page.screenshot(path=str(artifacts / "resolve-approval-waiting-en.png"), full_page=True)

    # The supervisor, in a browser of their own, approves from the queue and follows the link.
    context = browser.new_context()
    boss_page = context.new_page()
    boss_page.set_default_timeout(10_000)
    _log_in(boss_page, live_server.url, boss)
    boss_page.goto(f"{live_server.url}/escalations/")
    row = boss_page.locator(f"#escalation-{complaint.pk}")
    expect(row).to_contain_text("Compensation requested: 350")
    boss_page.screenshot(path=str(artifacts / "resolve-approval-queue-en.png"), full_page=True)
    row.get_by_role("button", name="Approve").click()
    boss_page.wait_for_url(f"{live_server.url}/escalations/")
    assert CompensationRequest.objects.get().status == "approved"
    context.close()

    # Back with the staff member: approved up to 350, the close is offered and goes through.
    page.reload()
    expect(page.locator("#compensation-status")).to_contain_text("Approved up to 350.00")
    # The approved amount, or the same amount as typed before (the draft keeps what was typed).
    expect(page.locator("#id_close-compensation")).to_have_value(re.compile(r"^350(\.00)?$"))
    page.screenshot(path=str(artifacts / "resolve-approval-approved-en.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "resolve-approval-approved-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Resolution").select_option("full")
    page.get_by_label("Reasons for the decision").fill("The parcel was crushed in our depot.")
    page.get_by_label("Remedy happens on").fill(date.today().isoformat())
    page.locator("#id_close-customer_message").fill(
        "We are sending you a new parcel and 350 for the trouble."
    )
    page.get_by_label("Remedy given").fill("Re-ship via courier, ticket LOG-17")
    page.get_by_label("Preventive action").fill("Double boxes for fragile goods")
    page.get_by_label("Root cause").select_option("defect")
    page.get_by_label("Responsible department").select_option("logistics")
    page.locator("button.primary").click()
    expect(page.locator(".step-current")).to_contain_text("Closed")
    closed = Complaint.objects.get(pk=complaint.pk)
    assert closed.stage == "closed" and str(closed.compensation) == "350.00"

    # The letter gives the customer's message only.
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/letter/")
    expect(page.locator(".customer-message")).to_contain_text("350 for the trouble")
    assert "LOG-17" not in page.content() and "Double boxes" not in page.content()
    page.screenshot(path=str(artifacts / "resolve-letter-en.png"), full_page=True)


def test_resolve_stage_in_chinese_labels_who_reads_what(seeded_lists, login, live_server, artifacts):
    from complaints.models import CompensationRequest
    from tests.factories import UserFactory

    staff = UserFactory(username="mei", role="staff")
    complaint = _resolving(staff)
    page = login(staff)
    page.set_default_timeout(10_000)
    page.locator("#lang").select_option("zh-hans")
    page.locator("#lang + button").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    expect(page.locator("#fields-public legend")).to_have_text("客户可见")
    expect(page.locator("#fields-internal legend")).to_have_text("内部备注")
    page.get_by_text("申请审批").first.click()
    page.locator("#id_compensation-amount").fill("350")
    page.locator("#id_compensation-reason").fill("第二次破损。")
    page.locator("#compensation-request button").click()
    expect(page.locator("#compensation-status")).to_contain_text("等待主管审批")
    assert CompensationRequest.objects.get().amount == 350
    # The coach checks the message to the customer as it is typed.
    page.locator("#id_close-customer_message").press_sequentially("一分钱一分货。", delay=5)
    expect(page.locator(".coach-warning")).to_be_visible()
    page.screenshot(path=str(artifacts / "resolve-approval-waiting-zh.png"), full_page=True)
    assert re.search(r"/complaints/\d+/$", page.url)
