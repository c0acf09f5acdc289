"""A form sent twice files one complaint; texts have one limit; oversized bodies answer JSON."""

import json
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from complaints.limits import LONG_TEXT
from complaints.models import Complaint, ComplaintRecord
from customers.models import Customer
from tests.factories import CustomerFactory, UserFactory, make_complaint

pytestmark = pytest.mark.django_db

INTAKE = {
    "new_customer_name": "Wang Fang",
    "new_customer_phone": "139 0101 2323",
    "new_customer_email": "wang@example.com",
    "channel": "phone",
    "category": "product_quality",
    "severity": "minor",
    "content": "The kettle leaks.",
}
PUBLIC = {
    "name": "Li Lei",
    "phone": "+86 138 0013 8000",
    "email": "li@example.com",
    "what_happened": "The parcel came broken.",
    "desired_outcome": "A replacement.",
}


def _token(html):
    return re.search(r'name="submission" value="([^"]+)"', html).group(1)


def _staff_client():
    client = Client()
    client.force_login(UserFactory(username="lin", role="staff"))
    return client


def test_the_intake_page_sent_twice_logs_one_complaint_and_one_customer():
    client = _staff_client()
    token = _token(client.get("/complaints/new/").content.decode())
    first = client.post("/complaints/new/", {**INTAKE, "submission": token})
    second = client.post("/complaints/new/", {**INTAKE, "submission": token}, follow=True)
    complaint = Complaint.objects.get()
    assert Customer.objects.count() == 1
    assert first["Location"] == f"/complaints/{complaint.pk}/"
    assert second.redirect_chain[-1][0] == f"/complaints/{complaint.pk}/"
    assert "was already logged from this form" in second.content.decode()


def test_a_fresh_page_logs_a_second_complaint():
    client = _staff_client()
    customer = CustomerFactory()
    for _ in range(2):
        token = _token(client.get("/complaints/new/").content.decode())
        data = {**INTAKE, "customer": customer.pk, "new_customer_name": "", "new_customer_phone": ""}
        # The second one is about the same category: intake asks whether it is a repeat
        # (workflow.repeats); a different matter is logged as a new complaint.
        client.post("/complaints/new/", {**data, "submission": token, "repeat": "new"})
    assert Complaint.objects.count() == 2


def test_the_same_page_sent_again_with_other_text_asks_before_logging_another():
    client = _staff_client()
    token = _token(client.get("/complaints/new/").content.decode())
    client.post("/complaints/new/", {**INTAKE, "submission": token})
    again = client.post("/complaints/new/", {**INTAKE, "content": "Another thing.", "submission": token})
    assert again.status_code == 400
    html = again.content.decode()
    assert "already logged complaint" in html
    assert "Another thing." in html  # nothing typed is lost
    assert _token(html) != token
    assert Complaint.objects.count() == 1
    third = client.post(
        "/complaints/new/",
        {
            **INTAKE,
            "new_customer_phone": "",
            "new_customer_email": "",
            "customer": Customer.objects.get().pk,
            "content": "Another thing.",
            "submission": _token(html),
            # The customer's second complaint of this category: not a repeat (workflow.repeats).
            "repeat": "new",
        },
    )
    assert third.status_code == 302
    assert Complaint.objects.count() == 2


def test_the_public_form_sent_twice_files_one_complaint():
    client = Client()
    token = _token(client.get("/submit/").content.decode())
    first = client.post("/submit/", {**PUBLIC, "submission": token})
    second = client.post("/submit/", {**PUBLIC, "submission": token})
    complaint = Complaint.objects.get()
    assert Customer.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/track/{complaint.tracking_token}/?filed=1"


@pytest.mark.django_db(transaction=True)
def test_a_double_click_racing_itself_files_one_complaint(seeded_lists):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are checked on PostgreSQL (set DATABASE_URL)")
    user = UserFactory(username="lin", role="staff")
    token = "a" * 22
    barrier = threading.Barrier(2)
    answers = []

    def press():
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            answers.append(client.post("/complaints/new/", {**INTAKE, "submission": token})["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    complaint = Complaint.objects.get()
    assert Customer.objects.count() == 1
    assert answers == [f"/complaints/{complaint.pk}/"] * 2


def _api(user=None):
    client = APIClient()
    client.force_authenticate(user or UserFactory(username="lin", role="staff"))
    return client


def _new(customer):
    return {
        "customer": customer.pk,
        "channel": "phone",
        "category": "product_quality",
        "severity": "minor",
        "content": "The kettle leaks.",
    }


def test_the_api_files_one_complaint_per_idempotency_key():
    api, customer = _api(), CustomerFactory()
    first = api.post("/api/complaints/", _new(customer), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = api.post("/api/complaints/", _new(customer), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Complaint.objects.count() == 1
    assert ComplaintRecord.objects.filter(kind="content").count() == 1


def test_an_idempotency_key_reused_for_another_complaint_is_a_conflict():
    api, customer = _api(), CustomerFactory()
    api.post("/api/complaints/", _new(customer), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    other = api.post(
        "/api/complaints/", {**_new(customer), "content": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert other.status_code == 409
    assert "Idempotency-Key" in other.json()["detail"]
    assert Complaint.objects.count() == 1


def test_keys_belong_to_their_sender_and_bad_keys_are_refused():
    customer = CustomerFactory()
    _api().post("/api/complaints/", _new(customer), format="json", HTTP_IDEMPOTENCY_KEY="same")
    ana = _api(UserFactory(username="ana", role="staff"))
    assert (
        ana.post("/api/complaints/", _new(customer), format="json", HTTP_IDEMPOTENCY_KEY="same").status_code
        == 201
    )
    assert Complaint.objects.count() == 2
    for bad in ("x" * 201, "with space", ""):
        response = ana.post("/api/complaints/", _new(customer), format="json", HTTP_IDEMPOTENCY_KEY=bad)
        assert response.status_code == 400, bad
        assert "idempotency_key" in response.json()
    assert Complaint.objects.count() == 2


def test_one_limit_per_text_on_the_page_and_the_api(staff_user):
    too_long = "x" * (LONG_TEXT + 1)
    client = Client()
    client.force_login(staff_user)
    page = client.post("/complaints/new/", {**INTAKE, "content": too_long})
    assert page.status_code == 400
    assert f"at most {LONG_TEXT} characters" in str(page.context["form"].errors["content"])
    api = _api(staff_user)
    response = api.post("/api/complaints/", {**_new(CustomerFactory()), "content": too_long}, format="json")
    assert response.status_code == 400
    complaint = make_complaint(by=staff_user)
    client.post(f"/complaints/{complaint.pk}/", {"action": "listen"})
    establish = {"what_happened": too_long, "when_happened": "Monday", "desired_outcome": "A new one"}
    page = client.post(
        f"/complaints/{complaint.pk}/",
        {"action": "establish", **{f"establish-{k}": v for k, v in establish.items()}},
    )
    assert page.status_code == 400
    via_api = api.post(f"/api/complaints/{complaint.pk}/transitions/establish/", establish, format="json")
    assert via_api.status_code == 400
    assert f"at most {LONG_TEXT} characters" in " ".join(via_api.json()["what_happened"])
    assert not ComplaintRecord.objects.filter(complaint=complaint, data__transition="establish").exists()
    public = Client().post("/submit/", {**PUBLIC, "what_happened": too_long})
    assert public.status_code == 400


def test_a_body_over_the_upload_limit_answers_json_413(staff_user, settings):
    client = Client()
    client.force_login(staff_user)
    body = json.dumps({"content": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = client.post("/api/complaints/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "too large" in response.json()["detail"]
