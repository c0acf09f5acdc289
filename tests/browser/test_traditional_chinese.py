"""The complaint page in Traditional Chinese, chosen with the switcher, on a desk and a phone."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Characters that exist only in Simplified Chinese (their Traditional forms: 訴戶責處級時間這們
# 說對麼問題請電話郵認為發現進錄條聯開關應). None may reach a reader of Traditional Chinese.
SIMPLIFIED_ONLY = "诉户责处级时间这们说对么问题请电话邮认为发现进录条联开关应"


def test_complaint_page_in_traditional_chinese(seeded_lists, login, live_server, artifacts):
    from tests.factories import CustomerFactory, UserFactory, make_complaint, walk

    staff = UserFactory(username="mei", role="staff")
    customer = CustomerFactory(name="陳美玲", phone="+886 912 345 678", preferred_language="zh-hant")
    complaint = walk(make_complaint(by=staff, customer=customer), staff, "establish")
    page = login(staff)
    page.set_default_timeout(10_000)
    expect(page.locator("#lang option")).to_have_text(["English", "简体中文", "繁體中文"])
    page.locator("#lang").select_option("zh-hant")
    page.locator("#lang + button").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")

    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    stepper = page.locator(".stepper")
    for stage in ("控制", "傾聽", "建立同理心", "道歉", "解決"):
        expect(stepper).to_contain_text(stage)
    expect(page.locator("header")).to_contain_text("我的待辦")
    main = page.locator("main").inner_text()
    assert "產品品質" in main  # the category, stored in Simplified, read in Traditional
    assert "陳美玲" in main
    leftovers = sorted({ch for ch in page.locator("body").inner_text() if ch in SIMPLIFIED_ONLY})
    assert not leftovers, f"Simplified characters on the Traditional page: {leftovers}"
    page.screenshot(path=str(artifacts / "complaint_zh_hant.png"), full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator(".stepper")).to_contain_text("傾聽")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "complaint_zh_hant_phone.png"), full_page=True)
