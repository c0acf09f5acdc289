from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import CallbackPromise, ComplaintRecord

pytestmark = pytest.mark.django_db


def promise(client, complaint_id, **data):
    return client.post(f"/api/complaints/{complaint_id}/callbacks/", data, format="json")


def test_promise_a_callback_and_keep_it(staff_api, complaint, staff_user):
    due = timezone.now() + timedelta(minutes=10)
    response = promise(staff_api, complaint.pk, due_at=due.isoformat(), note="Call back after checking stock")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["fulfilled_at"] is None
    assert created["promised_by"] == staff_user.pk
    record = ComplaintRecord.objects.filter(complaint=complaint).last()
    assert record.data["action"] == "promise_callback"
    assert record.data["note"] == "Call back after checking stock"

    listed = staff_api.get(f"/api/complaints/{complaint.pk}/callbacks/").json()
    assert [p["id"] for p in listed] == [created["id"]]

    kept = staff_api.post(
        f"/api/complaints/{complaint.pk}/callbacks/{created['id']}/fulfil/", {"note": "Stock arrives Friday"}
    )
    assert kept.status_code == 200
    assert kept.json()["fulfilled_by"] == staff_user.pk
    assert ComplaintRecord.objects.filter(complaint=complaint).last().data == {
        "action": "fulfil_callback",
        "promise": created["id"],
        "note": "Stock arrives Friday",
    }
    again = staff_api.post(f"/api/complaints/{complaint.pk}/callbacks/{created['id']}/fulfil/", {})
    assert again.status_code == 409


def test_callback_in_the_past_is_refused(staff_api, complaint):
    response = promise(staff_api, complaint.pk, due_at=(timezone.now() - timedelta(minutes=1)).isoformat())
    assert response.status_code == 400
    assert "due_at" in response.json()
    assert promise(staff_api, complaint.pk, due_at="soon").status_code == 400
    assert not CallbackPromise.objects.exists()


def test_fulfil_an_unknown_promise_is_404(staff_api, complaint):
    response = staff_api.post(f"/api/complaints/{complaint.pk}/callbacks/999/fulfil/", {})
    assert response.status_code == 404


def test_manager_cannot_promise(api, manager_user, complaint):
    api.force_authenticate(manager_user)
    response = promise(api, complaint.pk, due_at=(timezone.now() + timedelta(hours=1)).isoformat())
    assert response.status_code == 403
