"""Letters and messages: acknowledgement, progress notices, the final response, the messages
on the tracking page, and the customer's replies."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from complaints.models import Category, Complaint, ComplaintRecord, Notification, ReferralText
from complaints.notifications import messages, outbox
from complaints.workflow import replies, transitions
from customers.models import ContactPreference, Language
from customers.public import public_file_complaint
from tests.factories import CLEAR_STEPS, CustomerFactory, UserFactory, make_complaint, walk

pytestmark = pytest.mark.django_db

CLOSE = dict(CLEAR_STEPS)["close"]


def _sent(complaint, kind=None):
    qs = ComplaintRecord.objects.filter(complaint=complaint, data__action=messages.CUSTOMER_MESSAGE)
    return list(qs.filter(data__message=kind) if kind else qs)


def _mail(complaint, prefix):
    return Notification.objects.filter(complaint=complaint, key__startswith=prefix)


# --- Acknowledgement -------------------------------------------------------------------


def test_staff_intake_acknowledges_with_reference_deadlines_in_words_and_a_tracking_link(staff_user):
    complaint = make_complaint(by=staff_user, severity="major")
    (ack,) = _mail(complaint, "acknowledgement:")
    complaint.refresh_from_db()
    assert complaint.reference in ack.subject and complaint.reference in ack.body
    assert "What happens next" in ack.body
    # Durations and moments in words, in the desk's zone (business hours make the span).
    words = messages.deadline_words(complaint)
    assert f"answer you within {words['respond_in']}, by {words['respond_by']}." in ack.body
    assert f"resolve it within {words['resolve_in']}, by {words['resolve_by']}." in ack.body
    assert words["respond_by"].endswith("(Asia/Shanghai)")
    assert words["respond_in"][0].isdigit() and ("h" in words["respond_in"] or "day" in words["respond_in"])
    assert complaint.tracking_token and f"/track/{complaint.tracking_token}/" in ack.body
    (filed,) = _sent(complaint, "acknowledgement")
    assert filed.data["body"] == ack.body and filed.data["to"] == complaint.customer.email
    assert filed.author is None


def test_api_intake_acknowledges_once_even_when_the_request_is_repeated(staff_api):
    customer = CustomerFactory()
    body = {
        "customer": customer.pk,
        "channel": "email",
        "category": "billing",
        "severity": "minor",
        "content": "Charged twice",
    }
    first = staff_api.post("/api/complaints/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = staff_api.post("/api/complaints/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"]
    complaint = Complaint.objects.get()
    assert _mail(complaint, "acknowledgement:").count() == 1
    assert len(_sent(complaint, "acknowledgement")) == 1


def test_public_submit_acknowledges_in_chinese_where_the_customer_wrote_from():
    complaint = public_file_complaint(
        name="王芳",
        phone="",
        email="wf@example.com",
        what_happened="水壶漏水",
        desired_outcome="换一个",
        language=Language.ZH_HANS,
    )
    (ack,) = _mail(complaint, "acknowledgement:")
    assert ack.to == "wf@example.com"
    assert complaint.reference in ack.subject
    with translation.override("zh-hans"):
        words = messages.deadline_words(complaint)
    assert "接下来" in ack.body and f"在 {words['respond_in']} 内" in ack.body
    assert any(unit in words["respond_in"] for unit in ("天", "小时", "分钟"))
    assert f"/track/{complaint.tracking_token}/" in ack.body


def test_no_acknowledgement_without_an_email_address(staff_user):
    complaint = make_complaint(by=staff_user, customer=CustomerFactory(email=""))
    assert not Notification.objects.filter(complaint=complaint).exists()
    assert _sent(complaint) == []
    assert Complaint.objects.get(pk=complaint.pk).tracking_token is None


def test_a_customer_who_wants_phone_calls_gets_no_email_and_the_record_says_why(staff_user):
    customer = CustomerFactory(contact_preference=ContactPreference.PHONE)
    complaint = make_complaint(by=staff_user, customer=customer)
    assert not Notification.objects.filter(complaint=complaint).exists()
    (withheld,) = ComplaintRecord.objects.filter(
        complaint=complaint, data__action=messages.CUSTOMER_MESSAGE_WITHHELD
    )
    assert withheld.data["message"] == "acknowledgement"
    assert withheld.data["why"] == "contact_preference" and withheld.data["contact_preference"] == "phone"
    client = Client()
    client.force_login(staff_user)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "No message sent to the customer: acknowledgement" in page
    assert "The customer asked not to be emailed." in page


# --- Progress notices ------------------------------------------------------------------


def test_progress_notices_at_each_customer_visible_step_exactly_once(staff_user):
    complaint = walk(make_complaint(by=staff_user), staff_user, "closed")
    kinds = [r.data["message"] for r in _sent(complaint)]
    assert kinds == ["acknowledgement", "responded", "proposed", "final_response", "survey"]
    assert _mail(complaint, "progress:").count() == 2
    # The same step told again (a repeated call) sends and files nothing more.
    assert messages.queue_progress_notice(complaint, "responded") is False
    assert len(_sent(complaint, "responded")) == 1


def test_hold_and_resume_notices_for_the_holds_branch(staff_user):
    complaint = walk(make_complaint(by=staff_user), staff_user, "listen")
    until = timezone.now() + timedelta(days=2)
    assert messages.queue_progress_notice(
        complaint, "on_hold", occurrence="hold-1", waiting_for="the courier's report", until=until
    )
    assert not messages.queue_progress_notice(complaint, "on_hold", occurrence="hold-1")
    assert messages.queue_progress_notice(complaint, "resumed", occurrence="hold-1")
    (hold,) = _sent(complaint, "on_hold")
    assert "We are waiting for: the courier's report." in hold.data["body"]
    assert "We expect to carry on by " in hold.data["body"]
    assert len(_sent(complaint, "resumed")) == 1
    with pytest.raises(ValueError):
        messages.queue_progress_notice(complaint, "paused")


def test_progress_notices_respect_the_contact_preference(staff_user):
    customer = CustomerFactory(contact_preference=ContactPreference.NONE)
    complaint = walk(make_complaint(by=staff_user, customer=customer), staff_user, "resolve")
    assert not Notification.objects.filter(complaint=complaint, to=customer.email).exists()
    withheld = ComplaintRecord.objects.filter(
        complaint=complaint, data__action=messages.CUSTOMER_MESSAGE_WITHHELD
    )
    assert sorted(r.data["message"] for r in withheld) == ["acknowledgement", "proposed", "responded"]


# --- Final response --------------------------------------------------------------------


def _resolving(staff_user, **customer):
    return walk(make_complaint(by=staff_user, customer=CustomerFactory(**customer)), staff_user, "resolve")


@pytest.mark.parametrize(
    ("resolution", "missing"),
    [
        ("full", {"decision_reasons", "customer_message", "remedy_due"}),
        ("partial", {"decision_reasons", "customer_message", "remedy_due"}),
        ("none", {"decision_reasons"}),
    ],
)
def test_close_without_the_final_response_blocks_is_400_naming_each(
    staff_api, staff_user, resolution, missing
):
    complaint = _resolving(staff_user)
    data = {
        **CLOSE,
        "resolution": resolution,
        "decision_reasons": "",
        "customer_message": "",
        "remedy_due": None,
    }
    response = staff_api.post(f"/api/complaints/{complaint.pk}/transitions/close/", data, format="json")
    assert response.status_code == 400
    assert set(response.json()) == missing
    assert Complaint.objects.get(pk=complaint.pk).stage == "resolve"


def test_close_without_any_referral_text_is_400(staff_api, staff_user, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "REFERRAL_TEXT": "", "REFERRAL_TEXT_ZH": ""}
    complaint = _resolving(staff_user)
    response = staff_api.post(f"/api/complaints/{complaint.pk}/transitions/close/", CLOSE, format="json")
    assert response.status_code == 400 and "referral_text" in response.json()


def test_web_close_without_reasons_shows_form_errors_and_keeps_the_text(client, staff_user):
    complaint = _resolving(staff_user)
    client.force_login(staff_user)
    post = {f"close-{k}": v for k, v in CLOSE.items()}
    post.update({"action": "close", "close-decision_reasons": "", "close-remedy_due": ""})
    post["close-customer_message"] = "A new kettle is on its way."
    response = client.post(f"/complaints/{complaint.pk}/", post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write the reasons for the decision: the final response must say why." in html
    assert "Give the date the remedy happens: an upheld complaint needs it." in html
    assert "A new kettle is on its way." in html  # what was typed stays
    public = html.split('id="fields-public"')[1].split("</fieldset>")[0]
    assert 'name="close-decision_reasons"' in public and 'name="close-remedy_due"' in public
    assert 'data-coach-for="id_close-decision_reasons"' in public  # coached as it is typed
    assert Complaint.objects.get(pk=complaint.pk).stage == "resolve"


def test_reasons_are_coached_like_the_other_customer_facing_fields(staff_api, staff_user):
    complaint = _resolving(staff_user)
    data = {**CLOSE, "decision_reasons": "That's company policy."}
    response = staff_api.post(f"/api/complaints/{complaint.pk}/transitions/close/", data, format="json")
    assert response.status_code == 200
    assert [w["rule"] for w in response.json()["warnings"]] == ["policy"]


def _close_with_everything(staff_user, language=Language.EN, **close):
    complaint = _resolving(staff_user, preferred_language=language, name="Wang Fang")
    data = {
        **CLOSE,
        "decision_reasons": "The kettle's seal was faulty from the factory.",
        "customer_message": "We are sending you a new kettle.",
        "remedy_due": "2026-12-20",
        **close,
    }
    complaint, _w = transitions.complaint_transition(
        complaint=complaint, name="close", data=data, by=staff_user
    )
    return complaint


def test_final_response_letter_and_email_carry_all_four_blocks(client, staff_user):
    complaint = _close_with_everything(staff_user)
    (email,) = _mail(complaint, "final_response:")
    client.force_login(staff_user)
    letter = client.get(f"/complaints/{complaint.pk}/letter/").content.decode()
    for text in (email.body, letter):
        assert "Upheld" in text
        assert "The kettle&#x27;s seal" in text or "The kettle's seal was faulty from the factory." in text
        assert "We are sending you a new kettle." in text
        assert "2026-12-20" in text
        assert "12315" in text  # the referral default
    assert "Our final response to your complaint" in email.subject
    assert "We sent a replacement by courier." not in letter + email.body  # internal remedy


def test_final_response_in_simplified_chinese(client, staff_user):
    complaint = _close_with_everything(
        staff_user,
        Language.ZH_HANS,
        resolution="partial",
        decision_reasons="水壶密封圈有缺陷。",
        customer_message="我们给您寄一个新水壶。",
    )
    (email,) = _mail(complaint, "final_response:")
    client.force_login(staff_user)
    letter = client.get(f"/complaints/{complaint.pk}/letter/").content.decode()
    for text in (email.body, letter):
        assert "部分成立" in text
        assert "水壶密封圈有缺陷。" in text and "我们给您寄一个新水壶。" in text
        assert "2026-12-20" in text and "12315" in text
        assert "Our decision" not in text and "Dear" not in text
    assert "最终答复" in email.subject


def test_not_upheld_needs_no_remedy_and_the_category_referral_text_wins(staff_user):
    category = Category.objects.get(code="product_quality")
    ReferralText.objects.create(text="Everyone else: our own review board.")
    ReferralText.objects.create(category=category, text="Product safety: the market regulator, 12315.")
    ReferralText.objects.create(category=category, text="An old text.", is_active=False)
    complaint = _close_with_everything(staff_user, resolution="none", customer_message="", remedy_due="")
    assert complaint.decision == "not_upheld"
    assert complaint.referral_text == "Product safety: the market regulator, 12315."
    (email,) = _mail(complaint, "final_response:")
    assert "Not upheld" in email.body and "What we will do to put it right" not in email.body
    # The letter keeps the words it was sent with.
    ReferralText.objects.filter(category=category).update(text="Changed later.")
    assert Complaint.objects.get(pk=complaint.pk).referral_text.startswith("Product safety")


# --- Messages on the tracking page -----------------------------------------------------


def test_tracking_page_lists_every_message_with_queued_and_delivered_times(staff_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    complaint = make_complaint(by=staff_user)
    outbox.deliver_pending()
    complaint = walk(complaint, staff_user, "listen")
    complaint.refresh_from_db()
    html = Client().get(f"/track/{complaint.tracking_token}/").content.decode()
    section = html.split('id="messages"')[1].split("</section>")[0]
    assert section.count('class="sent-message"') == 2
    assert "We have your complaint" in section and "We are looking into your complaint" in section
    assert section.count('class="message-delivered"') == 1  # the acknowledgement went out
    assert section.count('class="message-pending"') == 1  # the second waits for the outbox
    assert "Dear " in section  # the text itself
    assert len(mail.outbox) == 1


def test_tracking_page_queries_stay_fixed_however_many_messages(staff_user, django_assert_max_num_queries):
    complaint = walk(make_complaint(by=staff_user), staff_user, "resolve")
    for n in range(5):
        messages.queue_progress_notice(complaint, "on_hold", occurrence=str(n))
    complaint.refresh_from_db()
    with django_assert_max_num_queries(6):
        assert Client().get(f"/track/{complaint.tracking_token}/").status_code == 200


# --- Customer replies ------------------------------------------------------------------


def test_customer_reply_files_a_record_entry_shows_on_the_timeline_and_tells_the_assignee(client):
    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    complaint = walk(make_complaint(by=lin), lin, "listen")
    complaint.refresh_from_db()
    response = Client().post(
        f"/track/{complaint.tracking_token}/", {"reply-text": "The receipt number is 4711."}
    )
    assert response.status_code == 302 and response["Location"].endswith("?replied=1")
    (entry,) = ComplaintRecord.objects.filter(complaint=complaint, data__action=replies.CUSTOMER_REPLY)
    assert entry.kind == "content" and entry.author is None
    assert entry.data["text"] == "The receipt number is 4711."
    (notice,) = Notification.objects.filter(to="lin@example.com", key=f"reply:{entry.pk}")
    assert "4711" in notice.body and complaint.reference in notice.subject
    client.force_login(lin)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "The customer added information" in page and "The receipt number is 4711." in page


def test_an_empty_or_too_long_reply_is_a_form_error(staff_user):
    complaint = make_complaint(by=staff_user)
    complaint.refresh_from_db()
    url = f"/track/{complaint.tracking_token}/"
    assert Client().post(url, {"reply-text": "  "}).status_code == 400
    too_long = Client().post(url, {"reply-text": "x" * 20_001})
    assert too_long.status_code == 400 and "at most 20000 characters" in too_long.content.decode()
    assert not ComplaintRecord.objects.filter(data__action=replies.CUSTOMER_REPLY).exists()


def test_replies_are_rate_limited_per_address(staff_user, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "PUBLIC_REPLY_LIMIT": 2}
    complaint = make_complaint(by=staff_user)
    complaint.refresh_from_db()
    url = f"/track/{complaint.tracking_token}/"
    statuses = [Client().post(url, {"reply-text": f"note {n}"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert ComplaintRecord.objects.filter(data__action=replies.CUSTOMER_REPLY).count() == 2


def test_closed_complaint_says_replies_are_closed_and_how_to_reach_the_desk(staff_user, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "DESK_PHONE": "400-800-1234"}
    complaint = walk(make_complaint(by=staff_user), staff_user, "closed")
    url = f"/track/{complaint.tracking_token}/"
    html = Client().get(url).content.decode()
    assert 'id="replies-closed"' in html and "400-800-1234" in html
    assert 'name="reply-text"' not in html
    refused = Client().post(url, {"reply-text": "One more thing"})
    assert refused.status_code == 409
    assert not ComplaintRecord.objects.filter(data__action=replies.CUSTOMER_REPLY).exists()
    with pytest.raises(Exception, match="closed"):
        replies.customer_reply(complaint, "late")


def test_the_contact_preference_is_kept_through_the_api(staff_api):
    created = staff_api.post(
        "/api/customers/",
        {"name": "Li Na", "email": "li@example.com", "contact_preference": "post"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["contact_preference"] == "post"
    url = f"/api/customers/{created.json()['id']}/"
    changed = staff_api.patch(url, {"contact_preference": "email"}, format="json")
    assert changed.status_code == 200 and changed.json()["contact_preference"] == "email"
    assert staff_api.patch(url, {"contact_preference": "fax"}, format="json").status_code == 400
    assert (
        staff_api.post("/api/customers/", {"name": "X", "email": "x@example.com"}, format="json").json()[
            "contact_preference"
        ]
        == "email"
    )
