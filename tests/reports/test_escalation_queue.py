"""The supervisors' queue: ordering, every action with its record, compensation approval."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.escalations import compensation
from complaints.escalations import services as escalation_services
from complaints.escalations.queue import escalation_queue
from complaints.models import CompensationRequest, Complaint, ComplaintRecord
from tests.factories import CustomerFactory, make_complaint
from tests.reports.fixtures import move

pytestmark = pytest.mark.django_db


NOW = timezone.now()


def escalated(staff, *, overdue_hours=3.0, tier="D", reason="Help"):
    """An escalated complaint still in Control whose response deadline passed `overdue_hours` ago.

    The deadlines are set directly: the service levels (per tier, working hours) are not what
    this queue is about.
    """
    complaint = make_complaint(by=staff, customer=CustomerFactory(tier=tier), now=NOW - timedelta(days=1))
    escalation_services.complaint_escalate(complaint=complaint, data={"reason": reason}, by=staff)
    Complaint.objects.filter(pk=complaint.pk).update(
        respond_by=NOW - timedelta(hours=overdue_hours), resolve_by=NOW + timedelta(days=3)
    )
    return Complaint.objects.get(pk=complaint.pk)


def test_queue_orders_by_how_long_overdue_then_vip(staff_user, django_assert_num_queries):
    late_d = escalated(staff_user, overdue_hours=4.2, tier="D")
    late_vip = escalated(staff_user, overdue_hours=4.0, tier="A")  # same whole hours late: VIP first
    later_d = escalated(staff_user, overdue_hours=8, tier="D")
    fresh_vip = escalated(staff_user, overdue_hours=-0.5, tier="A")  # not overdue yet
    make_complaint(by=staff_user)  # not escalated: not in the queue
    # the rows, their pending compensation, their latest notes
    with django_assert_num_queries(3):
        rows = escalation_queue(NOW)
    assert [c.pk for c in rows] == [later_d.pk, late_vip.pk, late_d.pk, fresh_vip.pk]
    assert rows[0].urgency == 8
    assert rows[-1].overdue_for == timedelta(0)


@pytest.fixture
def queue_item(staff_user):
    return escalated(staff_user, reason="The customer wants a manager.")


def test_staff_and_managers_cannot_open_the_queue(client, staff_user, manager_user):
    assert client.get("/escalations/").status_code == 302
    for user in (staff_user, manager_user):
        client.force_login(user)
        assert client.get("/escalations/").status_code == 403


def test_supervisor_sees_the_queue(client, supervisor_user, queue_item):
    client.force_login(supervisor_user)
    page = client.get("/escalations/").content.decode()
    assert queue_item.reference in page
    assert "The customer wants a manager." in page


def actions(complaint):
    return [r.data.get("action") for r in ComplaintRecord.objects.filter(complaint=complaint).order_by("id")]


def test_acknowledge_from_the_page_files_it(client, supervisor_user, queue_item):
    client.force_login(supervisor_user)
    answer = client.post(f"/escalations/{queue_item.pk}/acknowledge/", {"note": "On it"})
    assert answer.status_code == 302
    queue_item.refresh_from_db()
    assert queue_item.escalation_acknowledged_by == supervisor_user
    assert actions(queue_item)[-1] == "acknowledge_escalation"
    again = client.post(f"/escalations/{queue_item.pk}/acknowledge/", {}, follow=True)
    assert "no open escalation" in again.content.decode()


def test_reassign_from_the_page_files_it(client, supervisor_user, other_staff_user, queue_item):
    client.force_login(supervisor_user)
    client.post(
        f"/escalations/{queue_item.pk}/reassign/", {"assignee": other_staff_user.pk, "note": "Ana knows"}
    )
    queue_item.refresh_from_db()
    assert queue_item.assignee == other_staff_user
    assert actions(queue_item)[-1] == "reassign"


def test_deescalate_needs_a_note_and_files_it(client, supervisor_user, queue_item):
    client.force_login(supervisor_user)
    page = client.post(
        f"/escalations/{queue_item.pk}/deescalate/", {"reason": ""}, follow=True
    ).content.decode()
    assert Complaint.objects.get(pk=queue_item.pk).escalated
    assert "required" in page.lower()
    client.post(f"/escalations/{queue_item.pk}/deescalate/", {"reason": "Customer called back, all fine"})
    queue_item.refresh_from_db()
    assert not queue_item.escalated
    record = ComplaintRecord.objects.filter(complaint=queue_item).order_by("id").last()
    assert record.data["action"] == "deescalate"
    assert record.data["reason"] == "Customer called back, all fine"
    assert escalation_queue() == []


def test_note_from_the_page_files_it(client, supervisor_user, queue_item):
    client.force_login(supervisor_user)
    client.post(f"/escalations/{queue_item.pk}/note/", {"text": "Call before noon"})
    assert actions(queue_item)[-1] == "note"
    assert client.post(f"/escalations/{queue_item.pk}/bogus/", {}).status_code == 404


# --- compensation ---------------------------------------------------------------------

CLOSE = {
    "resolution": "full",
    "decision_reasons": "The parcel was lost in transit.",
    "customer_message": "We are refunding you.",
    "remedy_due": timezone.localdate().isoformat(),
    "remedy": "Refund.",
    "preventive_action": "Check parcels.",
    "root_cause": "supplier",
    "responsible_department": "logistics",
}


def ready_to_close(staff):
    complaint = make_complaint(by=staff)
    at = timezone.now()
    complaint, _w = move(complaint, "listen", {}, staff, at)
    complaint, _w = move(
        complaint,
        "establish",
        {"what_happened": "x", "when_happened": "y", "desired_outcome": "z"},
        staff,
        at,
    )
    complaint, _w = move(complaint, "apologize", {"restatement": "r", "customer_confirmed": True}, staff, at)
    complaint, _w = move(complaint, "resolve", {"apology": "I am sorry."}, staff, at)
    return complaint


def close_url(complaint):
    return f"/api/complaints/{complaint.pk}/transitions/close/"


def test_close_with_large_compensation_needs_approval(staff_user, supervisor_user, staff_api, settings):
    settings.COMPENSATION_APPROVAL_ABOVE = "100"
    complaint = ready_to_close(staff_user)
    answer = staff_api.post(close_url(complaint), {**CLOSE, "compensation": "150.00"}, format="json")
    assert answer.status_code == 409
    assert "approval" in answer.json()["detail"]
    # Within the limit needs nothing.
    small = ready_to_close(staff_user)
    assert (
        staff_api.post(close_url(small), {**CLOSE, "compensation": "100.00"}, format="json").status_code
        == 200
    )

    asked = staff_api.post(
        f"/api/complaints/{complaint.pk}/compensation-requests/",
        {"amount": "150.00", "reason": "Broken twice"},
        format="json",
    )
    assert asked.status_code == 201
    # One open request at a time.
    assert (
        staff_api.post(
            f"/api/complaints/{complaint.pk}/compensation-requests/",
            {"amount": "150", "reason": "x"},
            format="json",
        ).status_code
        == 409
    )
    # Staff cannot approve their own request.
    assert (
        staff_api.post(
            f"/api/compensation-requests/{asked.json()['id']}/approve/", {}, format="json"
        ).status_code
        == 403
    )
    assert escalation_queue()[0].pk == complaint.pk  # waiting for a supervisor
    compensation.compensation_decide(
        request=CompensationRequest.objects.get(), approve=True, data={"note": "OK"}, by=supervisor_user
    )
    # A larger amount than approved is still refused.
    assert (
        staff_api.post(close_url(complaint), {**CLOSE, "compensation": "151.00"}, format="json").status_code
        == 409
    )
    assert (
        staff_api.post(close_url(complaint), {**CLOSE, "compensation": "150.00"}, format="json").status_code
        == 200
    )
    assert [a for a in actions(complaint) if a and a.startswith("compensation")] == [
        "compensation_request",
        "compensation_approved",
    ]


def test_refused_compensation_keeps_the_gate_shut(client, staff_user, supervisor_user, staff_api, settings):
    settings.COMPENSATION_APPROVAL_ABOVE = "100"
    complaint = ready_to_close(staff_user)
    request = compensation.compensation_request(
        complaint=complaint, data={"amount": "300", "reason": "Goodwill"}, by=staff_user
    )
    client.force_login(supervisor_user)
    assert (
        client.post(f"/escalations/compensation/{request.pk}/refuse/", {"note": "Too much"}).status_code
        == 302
    )
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_note) == (
        "refused",
        supervisor_user,
        "Too much",
    )
    assert (
        staff_api.post(close_url(complaint), {**CLOSE, "compensation": "300"}, format="json").status_code
        == 409
    )
    page = client.post(f"/escalations/compensation/{request.pk}/approve/", {}, follow=True).content.decode()
    assert "already been decided" in page
    assert client.post(f"/escalations/compensation/{request.pk}/maybe/", {}).status_code == 404


def test_supervisor_may_close_with_large_compensation(supervisor_user, api, settings):
    settings.COMPENSATION_APPROVAL_ABOVE = "100"
    complaint = ready_to_close(supervisor_user)
    api.force_authenticate(supervisor_user)
    assert api.post(close_url(complaint), {**CLOSE, "compensation": "500"}, format="json").status_code == 200
