"""A staff member takes a complaint from intake to closed in a real browser, in English and Chinese."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints.models import Complaint

pytestmark = pytest.mark.browser

LABELS = {
    "en": {
        "new": "New complaint",
        "find": "Find by phone or name",
        "name": "Name",
        "phone": "Phone",
        "category": "Category",
        "major": "Major",
        "content": "What the customer says",
        "log": "Log the complaint",
        "take": "Take it and start listening",
        "what": "What happened",
        "when": "When it happened",
        "wants": "Remedy the customer wants",
        "restatement": "The complaint in your own words",
        "confirmed": "The customer confirmed my summary",
        "to_apology": "Summary confirmed: apologise",
        "apology": "Apology to the customer",
        "to_resolve": "Apology given: resolve",
        "resolution": "Resolution",
        "reasons": "Reasons for the decision",
        "message": "Message to the customer",
        "remedy_due": "Remedy happens on",
        "remedy": "Remedy given",
        "preventive": "Preventive action",
        "root_cause": "Root cause",
        "department": "Responsible department",
        "close": "Close the complaint",
        "closed": "Closed",
        "record": "Filed record",
        "coach": "Coach",
        "try_instead": "Try instead",
        "bad_phrase": "I'm sorry, but that's company policy.",
        "good_apology": "I'm sorry this has caused you so much trouble.",
    },
    "zh": {
        "new": "新建投诉",
        "find": "按电话或姓名查找",
        "category": "类别",
        "major": "严重",
        "content": "客户陈述",
        "log": "登记投诉",
        "take": "接手并开始倾听",
        "what": "事情经过",
        "when": "发生时间",
        "wants": "客户期望的补救措施",
        "restatement": "用您自己的话复述投诉",
        "confirmed": "客户已确认我的复述",
        "to_apology": "客户已确认复述：道歉",
        "apology": "向客户致歉",
        "to_resolve": "已道歉：解决",
        "resolution": "处理结果",
        "reasons": "决定的理由",
        "message": "给客户的话",
        "remedy_due": "补救日期",
        "remedy": "已提供的补救措施",
        "preventive": "预防措施",
        "root_cause": "根本原因",
        "department": "责任部门",
        "close": "结案",
        "closed": "已结案",
        "record": "存档记录",
        "coach": "辅导",
        "try_instead": "建议改为",
        "bad_phrase": "对不起，但是这是公司的规定。",
        "good_apology": "很抱歉给您带来了这么多麻烦。",
    },
}


def walk_to_closed(page, t, customer_step, warning_shot=None, before_listening=None):
    page.set_default_timeout(10_000)
    page.get_by_role("link", name=t["new"]).first.click()
    customer_step(page)
    page.get_by_label(t["category"]).select_option("delivery")
    page.get_by_label(t["major"], exact=True).check()
    page.get_by_label(t["content"]).fill("The fridge came with a cracked door. <script>alert(1)</script>")
    page.get_by_role("button", name=t["log"]).click()
    page.wait_for_url(re.compile(r"/complaints/\d+/$"))
    expect(page.locator("body")).to_contain_text("<script>alert(1)</script>")  # shown as text

    if before_listening:
        before_listening(page)
    page.get_by_role("button", name=t["take"]).click()
    page.get_by_label(t["what"]).fill("Door cracked on delivery")
    page.get_by_label(t["when"]).fill("Monday")
    page.get_by_label(t["wants"]).fill("A new fridge")
    page.locator("button.primary").click()

    page.get_by_label(t["restatement"]).fill("The fridge arrived on Monday with a cracked door.")
    page.get_by_label(t["confirmed"]).check()
    page.get_by_role("button", name=t["to_apology"]).click()

    # The coach warns while typing, with why and a better alternative, and never blocks.
    apology = page.get_by_label(t["apology"])
    apology.press_sequentially(t["bad_phrase"], delay=5)
    warning = page.locator(".coach-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(t["try_instead"])
    if warning_shot:
        page.screenshot(path=warning_shot, full_page=True)
    apology.fill(t["good_apology"])
    page.get_by_role("button", name=t["to_resolve"]).click()

    page.get_by_label(t["resolution"]).select_option("full")
    page.get_by_label(t["reasons"]).fill("The door was cracked when it left our depot.")
    page.get_by_label(t["message"]).fill("A new fridge reaches you on Tuesday.")
    page.get_by_label(t["remedy_due"]).fill(datetime.date.today().isoformat())
    page.get_by_label(t["remedy"]).fill("New fridge delivered on Tuesday.")
    page.get_by_label(t["preventive"]).fill("Corner protectors on every fridge.")
    page.get_by_label(t["root_cause"]).select_option("defect")
    page.get_by_label(t["department"]).select_option("logistics")
    page.get_by_role("button", name=t["close"]).click()

    expect(page.locator(".step-current")).to_contain_text(t["closed"])
    # The messages to the customer are filed beside the steps (entries of their own).
    timeline = page.locator(".timeline .entry:not(.action-customer_message)")
    # received, then listen, establish, apologize, resolve, close, and the outcome filed on
    # closing (plus the callback promise where one was made)
    expect(timeline).to_have_count(8 if before_listening else 7)
    expect(page.get_by_role("heading", name=t["record"])).to_be_visible()
    expect(page.locator(".coach")).to_contain_text(t["coach"])


def test_staff_member_walks_a_new_customer_complaint_to_closed(seeded_lists, login, artifacts):
    from tests.factories import UserFactory

    page = login(UserFactory(username="lin", role="staff"))
    t = LABELS["en"]

    def new_customer(page):
        page.get_by_label(t["find"]).fill("Wang Fang")
        expect(page.locator("#customer-results")).to_contain_text("No customer found")
        page.get_by_label(re.compile(r"^Name")).fill("Wang Fang")
        page.get_by_label(re.compile(r"^Phone")).fill("+86 139 0000 1111")

    def promise_callback(page):
        page.get_by_text("Promise a callback").click()
        due = timezone.localtime() + datetime.timedelta(minutes=10)
        page.get_by_label("Call back by").fill(due.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name="Promise the callback").click()
        expect(page.locator(".deadlines")).to_contain_text("min left")

    walk_to_closed(
        page,
        t,
        new_customer,
        warning_shot=str(artifacts / "complaint-coach-en.png"),
        before_listening=promise_callback,
    )
    complaint = Complaint.objects.get()
    assert complaint.stage == "closed"
    assert complaint.customer.name == "Wang Fang"
    titles = page.locator(".timeline .entry-head strong").all_inner_texts()
    assert titles[:2] == ["Complaint received", "Callback promised"]
    assert titles[2:] == [
        "Control → Listen",
        "Listen → Establish empathy",
        "Establish empathy → Apologize",
        "Apologize → Resolve",
        "Resolve → Closed",
        "Outcome",
    ]
    page.screenshot(path=str(artifacts / "complaint-en.png"), full_page=True)


def test_the_same_walk_in_chinese_shows_chinese_labels(seeded_lists, login, artifacts):
    from tests.factories import CustomerFactory, UserFactory

    customer = CustomerFactory(name="李雷", phone="+86 138 0013 8000", tier="A")
    page = login(UserFactory(username="mei", role="staff"))
    page.locator("#lang").select_option("zh-hans")
    page.locator("#lang + button").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    t = LABELS["zh"]

    def existing_customer(page):
        page.get_by_label(t["find"]).press_sequentially("13800138000", delay=10)
        page.get_by_role("button", name=re.compile("李雷")).click()
        expect(page.locator("#customer-chosen")).to_contain_text("李雷")

    walk_to_closed(page, t, existing_customer)
    complaint = Complaint.objects.get()
    assert complaint.customer == customer and complaint.stage == "closed"
    expect(page.locator(".stepper")).to_contain_text("倾听")
    page.screenshot(path=str(artifacts / "complaint-zh.png"), full_page=True)
