"""Supervisors handle escalations through the API; everything lands in the filed record."""

import pytest
from rest_framework.test import APIClient

from complaints.models import Complaint, ComplaintRecord, Notification
from tests.factories import CustomerFactory, UserFactory, make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_api(supervisor_user):
    supervisor_user.email = "zhang@example.com"
    supervisor_user.save()
    client = APIClient()
    client.force_authenticate(supervisor_user)
    return client


def url(complaint, path):
    return f"/api/complaints/{complaint.pk}/{path}/"


def last_record(complaint):
    return ComplaintRecord.objects.filter(complaint=complaint).order_by("id").last()


def test_staff_escalates_and_a_supervisor_acknowledges(staff_api, supervisor_api, complaint, supervisor_user):
    assert (
        staff_api.post(url(complaint, "escalate"), {"reason": "Wants a manager"}, format="json").status_code
        == 200
    )
    # Supervisors hear about a hand escalation too (through the outbox).
    assert Notification.objects.filter(to="zhang@example.com", key__startswith="escalate:").count() == 1

    assert staff_api.post(url(complaint, "escalation/acknowledge"), {}, format="json").status_code == 403
    response = supervisor_api.post(url(complaint, "escalation/acknowledge"), {"note": "On it"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["escalation_acknowledged_by"] == supervisor_user.pk
    assert body["escalation_level"] == 1
    assert last_record(complaint).data == {"action": "acknowledge_escalation", "note": "On it"}
    assert last_record(complaint).author == supervisor_user
    again = supervisor_api.post(url(complaint, "escalation/acknowledge"), {}, format="json")
    assert again.status_code == 409


def test_acknowledging_without_an_escalation_is_a_conflict(supervisor_api, complaint):
    assert supervisor_api.post(url(complaint, "escalation/acknowledge"), {}, format="json").status_code == 409


def test_escalate_to_a_higher_level(staff_api, supervisor_api, complaint):
    staff_api.post(url(complaint, "escalate"), {"reason": "Angry"}, format="json")
    response = supervisor_api.post(
        url(complaint, "escalate"), {"reason": "Needs the manager", "level": 2}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["escalation_level"] == 2
    assert last_record(complaint).data == {"action": "escalate", "reason": "Needs the manager", "level": 2}
    same = supervisor_api.post(url(complaint, "escalate"), {"reason": "again", "level": 2}, format="json")
    assert same.status_code == 409
    bad = supervisor_api.post(url(complaint, "escalate"), {"reason": "x", "level": 9}, format="json")
    assert bad.status_code == 400
    assert "level" in bad.json()


def test_deescalate_needs_a_reason_and_is_filed(staff_api, supervisor_api, complaint):
    staff_api.post(url(complaint, "escalate"), {"reason": "Angry"}, format="json")
    assert supervisor_api.post(url(complaint, "escalation/deescalate"), {}, format="json").status_code == 400
    assert (
        staff_api.post(url(complaint, "escalation/deescalate"), {"reason": "x"}, format="json").status_code
        == 403
    )
    response = supervisor_api.post(
        url(complaint, "escalation/deescalate"), {"reason": "Customer calmed down"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["escalated"] is False
    assert response.json()["escalation_level"] == 0
    assert last_record(complaint).data == {
        "action": "deescalate",
        "from_level": 1,
        "reason": "Customer calmed down",
    }
    again = supervisor_api.post(url(complaint, "escalation/deescalate"), {"reason": "x"}, format="json")
    assert again.status_code == 409


def test_reassign_to_another_staff_member(supervisor_api, complaint, other_staff_user, manager_user):
    other_staff_user.email = "ana@example.com"
    other_staff_user.save()
    response = supervisor_api.post(
        url(complaint, "reassign"),
        {"assignee": other_staff_user.pk, "note": "Ana knows kettles"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["assignee"] == other_staff_user.pk
    assert last_record(complaint).data == {
        "action": "reassign",
        "from": None,
        "to": other_staff_user.pk,
        "note": "Ana knows kettles",
    }
    assert Notification.objects.filter(to="ana@example.com", key__startswith="reassign:").count() == 1
    # A manager reads but does not work complaints; an unknown id is a field error.
    bad = supervisor_api.post(url(complaint, "reassign"), {"assignee": manager_user.pk}, format="json")
    assert bad.status_code == 400
    assert "assignee" in bad.json()
    assert (
        supervisor_api.post(url(complaint, "reassign"), {"assignee": 999999}, format="json").status_code
        == 400
    )
    same = supervisor_api.post(url(complaint, "reassign"), {"assignee": other_staff_user.pk}, format="json")
    assert same.status_code == 409


def test_notes_land_in_the_record(staff_api, manager_user, complaint):
    assert staff_api.post(url(complaint, "notes"), {"text": ""}, format="json").status_code == 400
    response = staff_api.post(url(complaint, "notes"), {"text": "Called the warehouse"}, format="json")
    assert response.status_code == 200
    assert last_record(complaint).data == {"action": "note", "text": "Called the warehouse"}
    manager = APIClient()
    manager.force_authenticate(manager_user)
    assert manager.post(url(complaint, "notes"), {"text": "hi"}, format="json").status_code == 403


def test_a_tier_complaints_are_visible_to_supervisors_from_the_start(staff_user, supervisor_api):
    vip = make_complaint(by=staff_user, customer=CustomerFactory(tier="A"))
    ordinary = make_complaint(by=staff_user, customer=CustomerFactory(tier="C"))
    escalated = make_complaint(by=staff_user, customer=CustomerFactory(tier="D"))
    Complaint.objects.filter(pk=escalated.pk).update(escalated=True, escalation_level=1)

    rows = supervisor_api.get("/api/complaints/?supervisor_attention=true").json()["results"]
    assert sorted(r["id"] for r in rows) == sorted([vip.pk, escalated.pk])
    flags = {
        r["id"]: r["supervisor_attention"] for r in supervisor_api.get("/api/complaints/").json()["results"]
    }
    assert flags == {vip.pk: True, ordinary.pk: False, escalated.pk: True}
    # Supervisors were told about the A-tier complaint when it was logged.
    assert Notification.objects.filter(key=f"vip:{vip.pk}:{UserFactory(username='zhang').pk}").count() == 1
    assert not Notification.objects.filter(key__startswith=f"vip:{ordinary.pk}:").exists()


def test_queue_fields_time_left_and_level(staff_api, staff_user):
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    start = dt.datetime(2026, 11, 17, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(start, tick=False):
        complaint = make_complaint(by=staff_user)
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        row = staff_api.get(f"/api/complaints/{complaint.pk}/").json()
    assert row["time_left"] == 40 * 60
    assert row["overdue"] is False
    assert row["escalation_level"] == 0
    with time_machine.travel(start + dt.timedelta(minutes=70), tick=False):
        row = staff_api.get(f"/api/complaints/{complaint.pk}/").json()
        assert [r["id"] for r in staff_api.get("/api/complaints/?overdue=true").json()["results"]] == [
            complaint.pk
        ]
    assert row["time_left"] == -10 * 60
    assert row["overdue"] is True
