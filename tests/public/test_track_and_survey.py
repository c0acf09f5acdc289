from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from complaints.escalations import services as escalation_services
from complaints.models import Complaint, ComplaintRecord, Notification
from complaints.workflow import callbacks, transitions
from customers.models import SurveyInvitation
from customers.public import public_file_complaint, survey_answer
from tests.factories import CustomerFactory, UserFactory, make_complaint

from .flow import close_complaint

pytestmark = pytest.mark.django_db


def _filed(email="wang@example.com", name="Wang Fang"):
    return public_file_complaint(
        name=name,
        phone="",
        email=email,
        what_happened="The kettle leaks.",
        desired_outcome="A new kettle.",
        language="en",
    )


@pytest.fixture
def worker(db):
    return UserFactory(username="staffer_xq", first_name="Qiu", last_name="Staffmember", role="staff")


def test_tracking_shows_stage_and_promised_times(client, worker):
    complaint = _filed()
    response = client.get(f"/track/{complaint.tracking_token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert complaint.reference in html and "Received" in html
    assert timezone.localtime(complaint.respond_by).strftime("%Y-%m-%d %H:%M") in html
    # Never sent to another site; same-origin because the page's own forms (reply, files) need
    # an Origin for CSRF (browsers send "Origin: null" from a no-referrer page).
    assert response["Referrer-Policy"] == "same-origin"
    complaint, _ = transitions.complaint_transition(complaint=complaint, name="listen", data={}, by=worker)
    due = timezone.now() + timedelta(hours=3)
    callbacks.complaint_promise_callback(
        complaint=complaint,
        data={"due_at": due.isoformat(), "note": "INTERNAL: check the warehouse"},
        by=worker,
    )
    html = client.get(f"/track/{complaint.tracking_token}/").content.decode()
    assert "Being looked into" in html
    assert timezone.localtime(due).strftime("%Y-%m-%d %H:%M") in html


def test_tracking_never_shows_internal_notes_staff_or_other_customers(client, worker):
    complaint = _filed()
    other = _filed(email="secret-neighbour@example.com", name="Neighbour Zhao")
    complaint, _ = transitions.complaint_transition(complaint=complaint, name="listen", data={}, by=worker)
    escalation_services.complaint_escalate(
        complaint=complaint, data={"reason": "INTERNAL-ESCALATION customer is difficult"}, by=worker
    )
    callbacks.complaint_promise_callback(
        complaint=complaint,
        data={"due_at": (timezone.now() + timedelta(hours=1)).isoformat(), "note": "INTERNAL-PROMISE-NOTE"},
        by=worker,
    )
    for name, data in [
        ("establish", {"what_happened": "x", "when_happened": "y", "desired_outcome": "z"}),
        (
            "apologize",
            {
                "restatement": "INTERNAL-RESTATEMENT",
                "customer_confirmed": True,
                "customer_feelings": "INTERNAL-FEELINGS angry",
            },
        ),
    ]:
        complaint, _ = transitions.complaint_transition(complaint=complaint, name=name, data=data, by=worker)
    html = client.get(f"/track/{complaint.tracking_token}/").content.decode()
    for secret in [
        "INTERNAL-ESCALATION",
        "INTERNAL-PROMISE-NOTE",
        "INTERNAL-RESTATEMENT",
        "INTERNAL-FEELINGS",
        "Staffmember",
        worker.username,
        "Neighbour Zhao",
        "secret-neighbour",
        other.reference,
        other.tracking_token,
        "Establish empathy",
    ]:
        assert secret not in html, secret


def test_closed_complaint_shows_what_was_done_and_the_survey_link(client, worker):
    complaint = close_complaint(_filed(), worker, customer_message="A new kettle is on its way to you.")
    html = client.get(f"/track/{complaint.tracking_token}/").content.decode()
    # Issue 16: the customer reads the message written for them; remedy and preventive
    # action are internal notes.
    assert "A new kettle is on its way to you." in html
    assert "We sent a replacement by courier." not in html
    assert "Fragile goods now ship in double boxes." not in html
    # Internal classification and the people involved stay inside.
    for internal in ["process_gap", "Process gap", "Logistics", "Staffmember", worker.username, "I am sorry"]:
        assert internal not in html, internal
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    assert f"/survey/{invitation.token}/" in html


@pytest.mark.parametrize("token", ["nope", "x" * 43, "%20"])
def test_wrong_tracking_token_is_404(client, token):
    _filed()
    assert client.get(f"/track/{token}/").status_code == 404


def test_staff_created_complaint_has_no_tracking_page_until_a_link_is_sent(client, worker):
    # No email: no acknowledgement, so no link was ever given out.
    make_complaint(by=worker, customer=CustomerFactory(email=""))
    assert Complaint.objects.get().tracking_token is None
    assert client.get("/track/None/").status_code == 404


def test_closing_queues_a_single_use_survey_email(worker, django_capture_on_commit_callbacks):
    complaint = close_complaint(_filed(), worker)
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    assert len(invitation.token) >= 40
    mail = Notification.objects.get(key=f"survey:{invitation.pk}")
    assert mail.to == "wang@example.com" and f"/survey/{invitation.token}/" in mail.body


def test_closing_without_email_still_offers_the_survey_on_the_tracking_page(worker):
    complaint = public_file_complaint(
        name="Li", phone="13912345678", email="", what_happened="x", desired_outcome="y", language="en"
    )
    complaint = close_complaint(complaint, worker)
    assert SurveyInvitation.objects.filter(complaint=complaint).exists()
    assert not Notification.objects.exists()


def test_survey_answer_becomes_a_satisfaction_record_and_the_link_works_once(client, worker):
    complaint = close_complaint(_filed(), worker)
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    url = f"/survey/{invitation.token}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"score": "4", "comment": "Quick and kind."})
    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.satisfaction_score == 4
    record = complaint.records.get(kind=ComplaintRecord.Kind.SATISFACTION)
    assert record.data == {"score": 4, "comment": "Quick and kind.", "source": "survey"}
    assert record.author is None
    assert not complaint.escalated
    # Second use: refused, nothing changes.
    assert client.post(url, {"score": "1", "comment": "again"}).status_code == 410
    assert client.get(url).status_code == 410
    assert survey_answer(token=invitation.token, score=1, comment="") is None
    complaint.refresh_from_db()
    assert complaint.satisfaction_score == 4
    assert complaint.records.filter(kind=ComplaintRecord.Kind.SATISFACTION).count() == 1


def test_survey_validation_and_unknown_token(client, worker):
    complaint = close_complaint(_filed(), worker)
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    for bad in [{}, {"score": "0"}, {"score": "6"}, {"score": "five"}]:
        response = client.post(f"/survey/{invitation.token}/", bad)
        assert response.status_code == 400
        assert "Please choose a score from 1 to 5." in response.content.decode()
    assert client.get("/survey/unknown-token/").status_code == 404
    assert client.post("/survey/unknown-token/", {"score": "5"}).status_code == 404


def test_survey_is_csrf_protected(worker):
    complaint = close_complaint(_filed(), worker)
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    assert (
        Client(enforce_csrf_checks=True).post(f"/survey/{invitation.token}/", {"score": "5"}).status_code
        == 403
    )


@pytest.mark.parametrize("score", [1, 2])
def test_low_score_flags_the_complaint_to_supervisors(client, worker, score):
    supervisor = UserFactory(username="zhang", email="zhang@example.com", role="supervisor")
    UserFactory(username="nomail", email="", role="supervisor")
    complaint = close_complaint(_filed(), worker)
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    response = client.post(f"/survey/{invitation.token}/", {"score": str(score), "comment": "Still leaking"})
    assert response.status_code == 200
    assert "supervisor" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.escalated and complaint.escalated_at is not None
    assert f"{score} out of 5" in complaint.escalation_reason
    flag = complaint.records.filter(kind=ComplaintRecord.Kind.PROCESS).last()
    assert flag.data["action"] == "low_satisfaction" and flag.data["escalated"] is True
    mail = Notification.objects.get(to=supervisor.email)
    assert complaint.reference in mail.subject and "Still leaking" in mail.body


def test_score_three_does_not_flag(client, worker):
    complaint = close_complaint(_filed(), worker)
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    client.post(f"/survey/{invitation.token}/", {"score": "3"})
    complaint.refresh_from_db()
    assert not complaint.escalated
    assert not complaint.records.filter(data__action="low_satisfaction").exists()


def test_low_score_on_an_already_escalated_complaint_escalates_it_one_level_more(client, worker):
    complaint = _filed()
    complaint, _ = transitions.complaint_transition(complaint=complaint, name="listen", data={}, by=worker)
    complaint = escalation_services.complaint_escalate(
        complaint=complaint, data={"reason": "first"}, by=worker
    )
    complaint = close_complaint_from_listen(complaint, worker)
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    client.post(f"/survey/{invitation.token}/", {"score": "1"})
    complaint.refresh_from_db()
    # One escalate(): level + 1, the new reason, and no acknowledgement yet; the first
    # escalation stays in the record.
    assert complaint.escalation_level == 2 and complaint.escalation_acknowledged_at is None
    assert complaint.escalation_reason == "The customer rated the outcome 1 out of 5."
    assert complaint.records.get(data__action="escalate").data["reason"] == "first"
    assert complaint.records.get(data__action="low_satisfaction").data["escalated"] is True


def close_complaint_from_listen(complaint, worker):
    from .flow import STEPS

    for name, data in STEPS[1:]:
        complaint, _ = transitions.complaint_transition(complaint=complaint, name=name, data=data, by=worker)
    return complaint


def test_staff_follow_up_call_still_records_satisfaction(staff_api, staff_user):
    complaint = close_complaint(_filed(), staff_user)
    response = staff_api.post(
        f"/api/complaints/{complaint.pk}/satisfaction/", {"score": 5, "comment": "Call"}
    )
    assert response.status_code == 200
    assert complaint.records.filter(kind="satisfaction").count() == 1


def test_tracking_page_query_count_is_fixed(client, worker, django_assert_num_queries):
    complaint = close_complaint(_filed(), worker)
    # the address's wrong-link counter, the complaint (with customer and category), its
    # callbacks, the files the customer sent, its open survey, the messages sent (with their
    # delivery times)
    with django_assert_num_queries(6):
        assert client.get(f"/track/{complaint.tracking_token}/").status_code == 200


def test_guessing_links_is_slowed_down_and_survives_without_redis(client, settings):
    """Unknown tokens count per address (in the database); past the limit every lookup is 429."""
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "PUBLIC_LOOKUP_MISS_LIMIT": 3}
    for n in range(3):
        assert client.get(f"/track/guess{n}/").status_code == 404
    assert client.get("/track/guess-again/").status_code == 429
    assert client.get("/survey/guess-again/").status_code == 429
    other_address = client.get("/track/guess-x/", REMOTE_ADDR="10.9.9.9")
    assert other_address.status_code == 404
