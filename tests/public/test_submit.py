import re

import pytest
from django.test import Client
from django.utils import translation

from complaints.models import Complaint, ComplaintRecord, Notification
from customers.models import Customer, RateLimitCounter
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Wang Fang",
    "phone": "+86 138 0013 8000",
    "email": "wang@example.com",
    "what_happened": "The kettle I bought on Monday leaks.",
    "desired_outcome": "A replacement kettle.",
}


def test_form_page_is_public(client):
    response = client.get("/submit/")
    assert response.status_code == 200
    assert 'name="what_happened"' in response.content.decode()
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_filing_creates_customer_and_complaint_and_answers_with_reference_and_link(client):
    response = client.post("/submit/", GOOD, follow=True)
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    html = response.content.decode()
    assert complaint.reference in html
    assert f"/track/{complaint.tracking_token}/" in html
    assert len(complaint.tracking_token) >= 40
    assert (complaint.channel, complaint.severity, complaint.category.code) == ("web_form", "minor", "other")
    assert complaint.created_by is None
    assert complaint.what_happened == GOOD["what_happened"]
    assert complaint.desired_outcome == GOOD["desired_outcome"]
    customer = complaint.customer
    assert (customer.name, customer.phone_normalized, customer.email) == (
        "Wang Fang",
        "+8613800138000",
        GOOD["email"],
    )
    record, acknowledgement = complaint.records.all()
    assert record.kind == ComplaintRecord.Kind.CONTENT and record.author is None
    assert acknowledgement.data["action"] == "customer_message" and acknowledgement.author is None
    mail = Notification.objects.get()
    assert mail.to == GOOD["email"] and complaint.reference in mail.subject
    assert f"/track/{complaint.tracking_token}/" in mail.body


def test_known_customer_is_found_by_phone_and_details_are_not_overwritten(client):
    known = CustomerFactory(name="Wang F.", phone="13800138000", email="")
    client.post("/submit/", {**GOOD, "phone": "138-0013-8000", "name": "Someone Else"})
    complaint = Complaint.objects.get()
    assert complaint.customer == known
    known.refresh_from_db()
    assert known.name == "Wang F." and known.email == GOOD["email"]  # missing email filled in
    assert Customer.objects.count() == 1


def test_known_customer_is_found_by_email(client):
    known = CustomerFactory(phone="", email="Wang@Example.com")
    client.post("/submit/", {**GOOD, "phone": ""})
    assert Complaint.objects.get().customer == known


def test_without_email_no_acknowledgement_is_queued(client):
    client.post("/submit/", {**GOOD, "email": ""})
    assert Complaint.objects.count() == 1
    assert not Notification.objects.exists()


def test_chinese_visitor_gets_a_chinese_customer_and_email(client):
    client.cookies["django_language"] = "zh-hans"
    client.post("/submit/", GOOD)
    complaint = Complaint.objects.get()
    assert complaint.customer.preferred_language == "zh-hans"
    assert "投诉" in Notification.objects.get().subject


@pytest.mark.parametrize(
    ("change", "field", "english", "chinese"),
    [
        ({"name": ""}, "name", "Please tell us your name", "请告诉我们您的姓名"),
        ({"name": "   "}, "name", "Please tell us your name", "请告诉我们您的姓名"),
        ({"what_happened": ""}, "what_happened", "Please describe what happened", "描述发生了什么"),
        ({"desired_outcome": ""}, "desired_outcome", "what would put things right", "怎样做能让您满意"),
        ({"email": "wang@"}, "email", "does not look complete", "不完整"),
        ({"phone": "12"}, "phone", "looks too short", "太短"),
        ({"phone": "", "email": ""}, None, "phone number or an email address", "电话号码或电子邮箱"),
        ({"what_happened": "x" * 20001}, "what_happened", "at most 20000 characters", "20000"),
    ],
)
def test_every_validation_error_is_friendly_in_both_languages(client, change, field, english, chinese):
    response = client.post("/submit/", {**GOOD, **change})
    assert response.status_code == 400
    form = response.context["form"]
    errors = form.errors[field] if field else form.non_field_errors()
    assert english in " ".join(errors)
    assert english in response.content.decode()
    client.cookies["django_language"] = "zh-hans"
    response = client.post("/submit/", {**GOOD, **change})
    assert response.status_code == 400
    assert chinese in response.content.decode()
    assert not Complaint.objects.exists()


def test_submissions_are_rate_limited_per_client_ip(client, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "PUBLIC_SUBMIT_LIMIT": 3, "PUBLIC_SUBMIT_WINDOW": 3600}
    for n in range(3):
        assert client.post("/submit/", {**GOOD, "phone": f"1380000000{n}"}).status_code == 302
    response = client.post("/submit/", {**GOOD, "phone": "13800000009"})
    assert response.status_code == 429
    assert "try again" in response.content.decode()
    assert Complaint.objects.count() == 3
    # Another client is not affected; the counter lives in the database, not in Redis.
    other = Client(REMOTE_ADDR="10.0.0.7")
    assert other.post("/submit/", {**GOOD, "phone": "13800000008"}).status_code == 302
    assert RateLimitCounter.objects.get(key="submit:127.0.0.1").hits == 4


def test_rate_limit_counts_the_proxy_supplied_address_when_configured(settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "PUBLIC_SUBMIT_LIMIT": 1, "TRUSTED_PROXY_COUNT": 1}
    first = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert first.post("/submit/", GOOD).status_code == 302
    assert second.post("/submit/", {**GOOD, "phone": "13900000001"}).status_code == 302
    assert first.post("/submit/", {**GOOD, "phone": "13900000002"}).status_code == 429


def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/submit/", GOOD).status_code == 403
    assert not Complaint.objects.exists()
    page = client.get("/submit/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post("/submit/", {**GOOD, "csrfmiddlewaretoken": token}).status_code == 302
    assert Complaint.objects.count() == 1


def test_form_labels_are_translated():
    with translation.override("zh-hans"):
        from customers.forms import PublicComplaintForm

        assert str(PublicComplaintForm().fields["name"].label) != "Your name"
