"""Traditional Chinese (zh-hant): chosen by the browser or the switcher, recorded for the
customer who writes in it, and used for their letter and emails and for stored labels."""

import re

import pytest
from django.utils import translation

from complaints import wording
from complaints.models import Category, Notification
from customers.models import Customer, Language
from tests.factories import CustomerFactory, make_complaint, walk
from tests.public.flow import close_complaint

pytestmark = pytest.mark.django_db

SUBMIT_TITLE = {"zh-hant": "告訴我們哪裡出了問題", "zh-hans": "告诉我们哪里出了问题"}
FORM = {
    "name": "陳美玲",
    "phone": "+886 912 345 678",
    "email": "mei@example.com.tw",
    "what_happened": "週一買的熱水壺漏水。",
    "desired_outcome": "換一個新的。",
}


@pytest.mark.parametrize(
    "header", ["zh-TW", "zh-HK", "zh-Hant", "zh-Hant-TW", "zh-MO", "zh-TW,zh;q=0.9,en;q=0.5"]
)
def test_a_traditional_browser_gets_traditional_pages(client, header):
    page = client.get("/submit/", HTTP_ACCEPT_LANGUAGE=header).content.decode()
    assert '<html lang="zh-hant">' in page
    assert SUBMIT_TITLE["zh-hant"] in page
    assert SUBMIT_TITLE["zh-hans"] not in page


@pytest.mark.parametrize("header", ["zh-CN", "zh", "zh-Hans", "zh-SG", "zh-Hans-CN"])
def test_a_simplified_browser_keeps_simplified_pages(client, header):
    page = client.get("/submit/", HTTP_ACCEPT_LANGUAGE=header).content.decode()
    assert '<html lang="zh-hans">' in page
    assert SUBMIT_TITLE["zh-hans"] in page


def test_the_switcher_offers_each_language_in_its_own_script(client):
    page = client.get("/submit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    options = re.findall(r'<option value="(en|zh-hans|zh-hant)"[^>]*>([^<]+)</option>', page)
    assert options == [("en", "English"), ("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]


def test_switching_to_traditional_sticks_over_the_browsers_language(client):
    answer = client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/submit/"})
    assert answer.status_code == 302 and answer["Location"] == "/submit/"
    page = client.get("/submit/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert SUBMIT_TITLE["zh-hant"] in page
    assert re.search(r'<option value="zh-hant" selected>', page)


def test_a_customer_who_writes_in_traditional_prefers_it_and_is_answered_in_it(client):
    answer = client.post("/submit/", FORM, HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert answer.status_code == 302
    customer = Customer.objects.get()
    assert customer.preferred_language == Language.ZH_HANT
    email = Notification.objects.get()
    assert email.subject.startswith("我們已收到您的投訴 ")
    assert "感謝您告訴我們出了什麼問題" in email.body
    assert "感谢" not in email.body and "们" not in email.body
    # The tracking page the customer lands on speaks Traditional too.
    track = client.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert "謝謝，我們已收到您的投訴。" in track


def test_simplified_and_english_writers_keep_their_language(client):
    client.post("/submit/", FORM, HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.post(
        "/submit/",
        {**FORM, "phone": "+86 139 0000 1111", "email": "a@example.com"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert sorted(Customer.objects.values_list("preferred_language", flat=True)) == ["en", "zh-hans"]


def test_letter_and_survey_email_for_a_traditional_customer(client, staff_user):
    customer = CustomerFactory(name="陳美玲", email="mei@example.com.tw", preferred_language=Language.ZH_HANT)
    complaint = close_complaint(make_complaint(by=staff_user, customer=customer), staff_user)
    client.force_login(staff_user)
    # The desk reads English; the letter still follows the customer.
    letter = client.get(f"/complaints/{complaint.pk}/letter/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "尊敬的陳美玲：" in letter
    assert "感謝您告訴我們您遇到的問題" in letter and "此致敬禮" in letter
    assert "感谢您告诉我们" not in letter and "Dear" not in letter
    survey = Notification.objects.get(key__startswith="survey:")
    assert survey.subject == f"我們對 {complaint.reference} 的處理您滿意嗎？"


def test_stored_labels_read_in_traditional(client, staff_user):
    complaint = make_complaint(by=staff_user, category="product_quality")
    category = Category.objects.get(code="product_quality")
    assert category.label_zh == "产品质量"  # stored in Simplified
    with translation.override("zh-hant"):
        assert str(category) == "產品品質"
    with translation.override("zh-hans"):
        assert str(category) == "产品质量"
    with translation.override("en"):
        assert str(category) == "Product quality"
    client.force_login(staff_user)
    page = client.get(f"/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert "產品品質" in page and "产品质量" not in page
    assert "傾聽" in page and "我的待辦" in page


def test_the_resolve_stage_asks_staff_to_write_in_traditional(client, staff_user):
    customer = CustomerFactory(preferred_language=Language.ZH_HANT)
    complaint = walk(make_complaint(by=staff_user, customer=customer), staff_user, "resolve")
    client.force_login(staff_user)
    page = client.get(f"/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Write in Traditional Chinese, the language they chose." in page
    page = client.get(f"/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="zh-HK").content.decode()
    assert "請用客戶選擇的語言（繁體中文）書寫。" in page


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("叫对方“冷静”会让他们觉得自己被敷衍。", "叫對方「冷靜」會讓他們覺得自己被敷衍。"),
        ("请留下电话号码或电子邮箱", "請留下電話號碼或電子郵件"),
        ("您的账号", "您的帳號"),
        ("响应期限", "回應期限"),
        ("前 4 周平均", "前 4 週平均"),
        ("服务周到", "服務周到"),
        ("周先生", "周先生"),
        ("社交媒体", "社群媒體"),
        ("已发布第 %(version)s 版，{count} 条", "已發布第 %(version)s 版，{count} 條"),
        ("Don’t “panic”", "Don’t 「panic」"),
    ],
)
def test_to_traditional_uses_the_desks_wording(simplified, traditional):
    assert wording.to_traditional(simplified) == traditional


def test_prefers_traditional_only_for_traditional_codes():
    for code, expected in [
        ("zh-hant", True),
        ("zh-tw", True),
        ("zh-hant-hk", True),
        ("zh-hans", False),
        ("en", False),
    ]:
        with translation.override(code):
            assert wording.prefers_traditional() is expected, code
            assert wording.prefers_chinese() is code.startswith("zh")


def test_the_coach_answers_a_traditional_reader_in_traditional(api, staff_user):
    api.force_authenticate(staff_user)
    answer = api.post(
        "/api/coach/check/", {"text": "請您冷靜一點。"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-TW"
    )
    assert answer.status_code == 200
    warnings = answer.json()["warnings"]
    assert warnings, "the coach should catch 冷靜 written in Traditional characters"
    text = " ".join(w["why"] + w["suggestion"] for w in warnings)
    assert "「冷靜」" in text and "会" not in text and "让" not in text


def test_a_rule_written_in_the_admin_in_simplified_reads_in_traditional():
    from complaints.coaching import phrasebook
    from complaints.models import AvoidPhrase

    AvoidPhrase.objects.create(
        rule="just_wait",
        language="zh",
        pattern="请稍等",
        why="Waiting without a time makes it worse.",
        why_zh="让客户干等会让他们更生气。",
        suggestion="Say when you will be back.",
        suggestion_zh="告诉客户您几点回复。",
    )
    with translation.override("zh-hant"):
        (warning,) = [w for w in phrasebook.check_text("請稍等。") if w.rule == "just_wait"]
        assert (warning.why, warning.suggestion) == ("讓客戶乾等會讓他們更生氣。", "告訴客戶您幾點回覆。")
    with translation.override("zh-hans"):
        (warning,) = [w for w in phrasebook.check_text("请稍等。") if w.rule == "just_wait"]
        assert warning.why == "让客户干等会让他们更生气。"
