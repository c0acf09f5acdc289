"""/api/systemic-issues/: every role reads, supervisors and managers change, errors as documented."""

import json

import pytest
from rest_framework.test import APIClient

from complaints.models import ComplaintRecord, SystemicIssue
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db


def as_user(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_supervisor_opens_links_and_unlinks_through_the_api(supervisor_user, staff_user):
    client = as_user(supervisor_user)
    response = post(client, "/api/systemic-issues/", {"title": "Model X leaks", "owner": staff_user.pk})
    assert response.status_code == 201, response.content
    issue = response.json()
    assert issue["status"] == "open" and issue["owner_username"] == "lin" and issue["complaints"] == []
    one, two = make_complaint(by=staff_user), make_complaint(by=staff_user)
    response = post(
        client, f"/api/systemic-issues/{issue['id']}/complaints/", {"complaints": [one.pk, two.pk]}
    )
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["complaints"]] == [two.reference, one.reference]
    assert ComplaintRecord.objects.filter(complaint=one, data__action="systemic_issue_link").exists()
    listed = as_user(staff_user).get("/api/systemic-issues/").json()["results"]
    assert [(i["title"], i["complaint_count"]) for i in listed] == [("Model X leaks", 2)]
    response = client.delete(f"/api/systemic-issues/{issue['id']}/complaints/{one.pk}/")
    assert response.status_code == 204
    assert client.delete(f"/api/systemic-issues/{issue['id']}/complaints/{one.pk}/").status_code == 409
    response = client.patch(
        f"/api/systemic-issues/{issue['id']}/",
        json.dumps({"status": "fixed"}),
        content_type="application/json",
    )
    assert (
        response.status_code == 200
        and response.json()["fixed_at"]
        and response.json()["title"] == "Model X leaks"
    )


def test_staff_reads_but_does_not_change(staff_user, supervisor_user, complaint):
    issue = SystemicIssue.objects.create(title="Leaks")
    client = as_user(staff_user)
    assert client.get(f"/api/systemic-issues/{issue.pk}/").status_code == 200
    assert post(client, "/api/systemic-issues/", {"title": "Mine"}).status_code == 403
    assert (
        post(
            client, f"/api/systemic-issues/{issue.pk}/complaints/", {"complaints": [complaint.pk]}
        ).status_code
        == 403
    )
    assert client.delete(f"/api/systemic-issues/{issue.pk}/complaints/{complaint.pk}/").status_code == 403
    # role first, then the object: a missing issue is a 403 too for staff changing it
    assert post(client, "/api/systemic-issues/987654/complaints/", {"complaints": [1]}).status_code == 403
    assert client.get("/api/systemic-issues/987654/").status_code == 404


def test_bad_input_is_a_400_with_a_message(manager_user, complaint):
    client = as_user(manager_user)
    issue = SystemicIssue.objects.create(title="Leaks")
    for body in (
        {"title": ""},
        {"title": 5},
        {"title": "x" * 201},
        {"title": "ok", "status": "gone"},
        {"title": "ok", "owner": 987654},
    ):
        response = post(client, "/api/systemic-issues/", body)
        assert response.status_code == 400, body
    for body in (
        {"complaints": []},
        {"complaints": ["1"]},
        {"complaints": [987654]},
        {"complaints": True},
        [],
    ):
        response = post(client, f"/api/systemic-issues/{issue.pk}/complaints/", body)
        assert response.status_code == 400, body
        assert "complaints" in response.json() or "non_field_errors" in response.json()
    body = json.dumps({"description": None})
    response = client.patch(f"/api/systemic-issues/{issue.pk}/", body, content_type="application/json")
    assert response.status_code == 400 and "description" in response.json()
    assert not SystemicIssue.objects.exclude(pk=issue.pk).exists()
