"""Issue 16, points 4-6: compensation approval on the complaint page, what the customer
asked for, and the message to the customer kept apart from internal notes."""

from decimal import Decimal

import pytest
from django.test import Client

from complaints.escalations import compensation
from complaints.models import CompensationRequest, Complaint, ComplaintRecord
from customers.models import Language
from customers.public import public_file_complaint
from tests.factories import CLEAR_STEPS, CustomerFactory, make_complaint, walk

pytestmark = pytest.mark.django_db

CLOSE = {f"close-{k}": v for k, v in dict(CLEAR_STEPS)["close"].items()}
INTERNAL_REMEDY = "Refund ref RX-99 booked on cost centre 4411, asdfgh"
INTERNAL_PREVENTION = "Retrain Zhang on the returns desk"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _page(client, complaint):
    return client.get(f"/complaints/{complaint.pk}/").content.decode()


def _close(client, complaint, **extra):
    data = {"action": "close", **CLOSE, **{f"close-{k}": v for k, v in extra.items()}}
    return client.post(f"/complaints/{complaint.pk}/", data)


def _ask(client, complaint, amount="350", reason="Broken twice; the customer lost a day's work."):
    return client.post(
        f"/complaints/{complaint.pk}/",
        {"action": "compensation", "compensation-amount": amount, "compensation-reason": reason},
    )


@pytest.fixture
def resolving(staff_user):
    return walk(make_complaint(by=staff_user), staff_user, "resolve")


# --- 4. compensation above the limit ----------------------------------------------------


def test_resolve_shows_the_limit_and_the_request_form(staff_user, resolving, settings):
    settings.COMPENSATION_APPROVAL_ABOVE = "200"
    html = _page(client_for(staff_user), resolving)
    assert 'id="compensation-limit"' in html and "200" in html
    assert 'name="compensation-amount"' in html and 'name="compensation-reason"' in html
    assert 'id="compensation-status"' not in html


def test_close_above_the_limit_is_refused_and_the_request_starts_from_that_amount(staff_user, resolving):
    response = _close(client_for(staff_user), resolving, compensation="350")
    assert response.status_code == 409
    html = response.content.decode()
    assert "needs a supervisor" in html
    assert 'name="compensation-amount" value="350' in html
    assert Complaint.objects.get(pk=resolving.pk).stage == "resolve"


def test_request_from_the_page_calls_the_service_and_shows_waiting(staff_user, resolving):
    client = client_for(staff_user)
    assert _ask(client, resolving).status_code == 302
    request = CompensationRequest.objects.get(complaint=resolving)
    assert request.amount == Decimal("350") and request.status == "pending"
    assert request.requested_by == staff_user
    entry = resolving.records.filter(data__action="compensation_request").get()
    assert Decimal(entry.data["amount"]) == Decimal("350")
    html = _page(client, resolving)
    assert "Waiting for a supervisor" in html
    assert 'name="compensation-amount"' not in html  # one open request at a time
    assert "Compensation approval requested" in html  # the record says so
    # Still waiting: closing with 350 is refused.
    assert _close(client, resolving, compensation="350").status_code == 409
    assert Complaint.objects.get(pk=resolving.pk).stage == "resolve"


def test_invalid_request_shows_the_errors(staff_user, resolving):
    response = _ask(client_for(staff_user), resolving, amount="0", reason="")
    assert response.status_code == 400
    assert not CompensationRequest.objects.exists()


def test_after_approval_closing_is_offered_and_works(staff_user, supervisor_user, resolving):
    client = client_for(staff_user)
    _ask(client, resolving)
    request = CompensationRequest.objects.get()
    # The supervisor decides on the escalation queue, which links back to the complaint.
    boss = client_for(supervisor_user)
    queue = boss.get("/escalations/").content.decode()
    assert f'href="/complaints/{resolving.pk}/"' in queue
    assert boss.post(f"/escalations/compensation/{request.pk}/approve/", {"note": "Fair"}).status_code == 302
    html = _page(client, resolving)
    assert "Approved up to 350.00" in html
    assert 'name="close-compensation" value="350.00"' in html  # the close form starts from it
    assert _close(client, resolving, compensation="400").status_code == 409  # above the approval
    assert _close(client, resolving, compensation="350").status_code == 302
    closed = Complaint.objects.get(pk=resolving.pk)
    assert closed.stage == "closed" and closed.compensation == Decimal("350")


def test_refused_request_shows_the_supervisors_note_and_may_be_asked_again(
    staff_user, supervisor_user, resolving
):
    client = client_for(staff_user)
    _ask(client, resolving)
    request = CompensationRequest.objects.get()
    client_for(supervisor_user).post(
        f"/escalations/compensation/{request.pk}/refuse/", {"note": "Offer a voucher instead."}
    )
    html = _page(client, resolving)
    assert "Refused: 350.00" in html
    assert "Offer a voucher instead." in html
    assert 'name="compensation-amount"' in html
    assert _close(client, resolving, compensation="350").status_code == 409


def test_the_page_and_the_api_share_one_service(staff_user, resolving):
    made = compensation.compensation_request(
        complaint=resolving, data={"amount": "300", "reason": "API"}, by=staff_user
    )
    html = _page(client_for(staff_user), resolving)
    assert "Waiting for a supervisor" in html
    response = _ask(client_for(staff_user), resolving)  # a second one while the first waits
    assert response.status_code == 409
    assert CompensationRequest.objects.get() == made


# --- 5. what the customer asked for ----------------------------------------------------


def _public(**extra):
    return public_file_complaint(
        name="Wang Fang",
        phone="",
        email="wang@example.com",
        what_happened="The kettle leaks.",
        desired_outcome="A new kettle, and please call me in the evening.",
        language="en",
        **extra,
    )


def test_requested_remedy_is_kept_shown_prefilled_and_both_versions_filed(staff_user):
    complaint = _public()
    assert complaint.requested_remedy == "A new kettle, and please call me in the evening."
    intake = complaint.records.get(kind=ComplaintRecord.Kind.CONTENT)
    assert intake.data["requested_remedy"] == complaint.requested_remedy
    client = client_for(staff_user)
    html = _page(client, complaint)  # Control
    assert 'id="requested-remedy"' in html and "please call me in the evening" in html
    walk(complaint, staff_user, "listen")
    html = _page(client, complaint)
    assert "A new kettle, and please call me in the evening.</textarea>" in html  # Listen's form
    staff_version = "Replacement kettle; call back after 18:00."
    response = client.post(
        f"/complaints/{complaint.pk}/",
        {
            "action": "establish",
            "establish-what_happened": "Kettle leaks at the base",
            "establish-when_happened": "Monday",
            "establish-desired_outcome": staff_version,
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.desired_outcome == staff_version
    assert complaint.requested_remedy == "A new kettle, and please call me in the evening."
    filed = [r.data for r in complaint.records.order_by("created_at", "id")]
    assert filed[0]["requested_remedy"] == complaint.requested_remedy
    assert filed[-1]["desired_outcome"] == staff_version
    html = _page(client, complaint)
    assert "please call me in the evening" in html and staff_version in html


def test_staff_logged_complaints_have_no_requested_remedy(staff_user, complaint):
    assert "requested_remedy" not in complaint.records.get(kind="content").data
    assert 'id="requested-remedy"' not in _page(client_for(staff_user), complaint)


# --- 6. internal text stays internal -------------------------------------------------


def test_resolve_form_labels_who_reads_what(staff_user, resolving):
    html = _page(client_for(staff_user), resolving)
    public = html.split('id="fields-public"')[1].split("</fieldset>")[0]
    internal = html.split('id="fields-internal"')[1].split("</fieldset>")[0]
    assert "Shown to the customer" in public and 'name="close-customer_message"' in public
    assert 'data-coach-for="id_close-customer_message"' in public
    assert "Internal notes" in internal
    for name in ("remedy", "preventive_action", "root_cause", "compensation"):
        assert f'name="close-{name}"' in internal
    assert "English" in public  # the customer's language


def _closed_public(
    staff_user, language=Language.EN, message="We are sending you a new kettle today.", **close
):
    complaint = _public()
    complaint.customer.preferred_language = language
    complaint.customer.save(update_fields=["preferred_language"])
    return walk(
        complaint,
        staff_user,
        "closed",
        customer_message=message,
        remedy=INTERNAL_REMEDY,
        preventive_action=INTERNAL_PREVENTION,
        **close,
    )


def test_tracking_page_and_letter_show_only_the_customer_message(staff_user):
    complaint = _closed_public(staff_user)
    track = Client().get(f"/track/{complaint.tracking_token}/").content.decode()
    letter = client_for(staff_user).get(f"/complaints/{complaint.pk}/letter/").content.decode()
    for html in (track, letter):
        assert "We are sending you a new kettle today." in html
        assert INTERNAL_REMEDY not in html and INTERNAL_PREVENTION not in html
        assert "RX-99" not in html and "asdfgh" not in html


def test_chinese_letter_carries_the_chinese_message_and_no_internal_english(staff_user):
    complaint = _closed_public(staff_user, Language.ZH_HANS, message="我们今天给您寄出一个新水壶。")
    letter = client_for(staff_user).get(f"/complaints/{complaint.pk}/letter/").content.decode()
    assert "我们今天给您寄出一个新水壶。" in letter
    assert INTERNAL_REMEDY not in letter and INTERNAL_PREVENTION not in letter


def test_without_a_message_the_customer_reads_a_neutral_sentence(staff_user):
    # Not upheld: no remedy owed, so no message either.
    complaint = _closed_public(staff_user, message="", resolution="none")
    # An old complaint: written before there was a message to the customer.
    Complaint.objects.filter(pk=complaint.pk).update(customer_message="")
    track = Client().get(f"/track/{complaint.tracking_token}/").content.decode()
    letter = client_for(staff_user).get(f"/complaints/{complaint.pk}/letter/").content.decode()
    assert "finished handling it" in track
    assert "used what you told us" in letter
    for html in (track, letter):
        assert INTERNAL_REMEDY not in html and INTERNAL_PREVENTION not in html
    zh = CustomerFactory(name="王芳", preferred_language=Language.ZH_HANS)
    Complaint.objects.filter(pk=complaint.pk).update(customer=zh)
    letter = client_for(staff_user).get(f"/complaints/{complaint.pk}/letter/").content.decode()
    assert "used what you told us" not in letter  # translated, not English
    assert INTERNAL_REMEDY not in letter


def test_coach_flags_a_bad_customer_message(staff_user, resolving):
    client = client_for(staff_user)
    response = _close(client, resolving, customer_message="Well, you get what you pay for.")
    assert response.status_code == 302
    closed = Complaint.objects.get(pk=resolving.pk)
    assert closed.stage == "closed"
    entry = closed.records.filter(data__transition="close").get()
    assert [w["rule"] for w in entry.data["warnings"]] == ["pay_for"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Coach" in m and "you get what you pay for" in m for m in messages)
