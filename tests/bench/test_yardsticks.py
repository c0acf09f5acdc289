"""The bench's yardstick views for intake do what their figures claim, no more and no less:
the bare view writes one row, the API floor writes nothing, and the service view files
the complaint with its content record as intake does."""

import json

import pytest
from rest_framework.authtoken.models import Token

from bench import views
from complaints.deadlines import policies
from complaints.models import Complaint, ComplaintRecord
from tests.factories import CustomerFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


@pytest.fixture
def body():
    views._author.clear()  # the service view keeps its staff member per process
    return {
        "customer": CustomerFactory().pk,
        "channel": "phone",
        "category": "delivery",
        "severity": "minor",
        "content": "The parcel arrived soaked.",
    }


def _post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_the_bare_view_writes_one_complaint_and_nothing_else(client, body):
    answer = _post(client, "/bench/insert/", body)
    assert answer.status_code == 201
    complaint = Complaint.objects.get(pk=answer.json()["id"])
    assert complaint.reference.startswith("BARE-")
    assert complaint.content == body["content"]
    assert not ComplaintRecord.objects.exists()


def test_the_service_view_files_the_complaint_with_its_content_record(client, body):
    author = UserFactory(username="bench-staff-1", role="staff")
    answer = _post(client, "/bench/service-create/", body)
    assert answer.status_code == 201
    complaint = Complaint.objects.get(pk=answer.json()["id"])
    assert answer.json()["reference"] == complaint.reference
    assert complaint.customer_id == body["customer"]
    assert (complaint.created_by, complaint.stage) == (author, "control")
    due = policies.deadlines_for("minor", complaint.customer.tier, complaint.created_at)
    assert (complaint.respond_by, complaint.resolve_by) == (due.respond_by, due.resolve_by)
    record = ComplaintRecord.objects.get(complaint=complaint, kind="content")
    assert (record.data["content"], record.author) == (body["content"], author)


def test_the_api_floor_checks_the_token_and_writes_nothing(client, body):
    token = Token.objects.create(user=UserFactory(username="floor", role="staff"))
    assert _post(client, "/bench/api-floor/", body).status_code == 401
    answer = _post(client, "/bench/api-floor/", body, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert answer.status_code == 201
    assert answer.json() == {"received": sorted(body)}
    assert not Complaint.objects.exists()


def test_the_yardsticks_take_posts_only(client):
    for path in ("/bench/insert/", "/bench/service-create/"):
        assert client.get(path).status_code == 405
