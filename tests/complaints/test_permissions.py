"""Who may do what under /api/: anonymous 401, managers read-only, staff and supervisors work."""

import pytest
from rest_framework.test import APIClient

from tests.factories import make_complaint, walk

pytestmark = pytest.mark.django_db

READS = [
    "/api/complaints/",
    "/api/complaints/{id}/",
    "/api/complaints/{id}/records/",
    "/api/customers/",
    "/api/customers/{customer}/",
    "/api/options/",
    "/api/schema/",
    "/api/docs/",
]

WRITES = [
    ("post", "/api/customers/", {"name": "New", "phone": "139 0055 0101"}, 201),
    ("patch", "/api/customers/{customer}/", {"name": "Renamed"}, 200),
    ("post", "/api/complaints/", "new-complaint", 201),
    ("post", "/api/complaints/{id}/transitions/listen/", {}, 200),
    ("post", "/api/complaints/{id}/escalate/", {"reason": "help"}, 200),
    ("post", "/api/complaints/{closed}/satisfaction/", {"score": 5}, 200),
    ("post", "/api/complaints/{closed}/transitions/reopen/", {"reason": "not fixed"}, 200),
]


@pytest.fixture
def world(staff_user):
    complaint = make_complaint(by=staff_user)
    closed = make_complaint(by=staff_user)
    walk(closed, staff_user)
    return {"id": complaint.pk, "closed": closed.pk, "customer": complaint.customer_id}


def client_for(request, role):
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(request.getfixturevalue(f"{role}_user"))
    return client


def body_for(data, world):
    if data == "new-complaint":
        return {
            "customer": world["customer"],
            "channel": "phone",
            "category": "billing",
            "severity": "minor",
            "content": "Charged twice",
        }
    return data


@pytest.mark.parametrize("url", READS)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("no_role", 403), ("staff", 200), ("supervisor", 200), ("manager", 200)],
)
def test_reads(request, world, url, role, expected):
    client = client_for(request, role)
    response = client.get(url.format(**world))
    if url in ("/api/schema/", "/api/docs/") and role != "anonymous":
        expected = 200 if role != "no_role" else 403
    assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize(("method", "url", "data", "ok"), WRITES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("no_role", 403), ("manager", 403), ("staff", None), ("supervisor", None)],
)
def test_writes(request, world, method, url, data, ok, role, expected):
    client = client_for(request, role)
    response = getattr(client, method)(url.format(**world), body_for(data, world), format="json")
    assert response.status_code == (expected or ok), response.content[:300]


def test_manager_sees_no_available_transitions(request, world):
    client = client_for(request, "manager")
    body = client.get(f"/api/complaints/{world['id']}/").json()
    assert body["available_transitions"] == []
    staff = client_for(request, "staff")
    assert staff.get(f"/api/complaints/{world['id']}/").json()["available_transitions"] == ["listen"]


def test_token_endpoint_is_open_to_anonymous(api):
    response = api.post("/api/token/", {"username": "nobody", "password": "x"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_inactive_user_is_refused(api, staff_user):
    staff_user.is_active = False
    staff_user.save()
    api.force_authenticate(staff_user)
    assert api.get("/api/complaints/").status_code == 403


def test_coach_check_is_open_to_every_role_but_not_anonymous(request, world):
    for role, expected in [("anonymous", 401), ("no_role", 403), ("manager", 200), ("staff", 200)]:
        client = client_for(request, role)
        response = client.post("/api/coach/check/", {"text": "hello"}, format="json")
        assert response.status_code == expected, role
