"""Dates and times outside what the desk can keep are refused before anything is written."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import CallbackPromise, ComplaintRecord
from complaints.reports import weeks
from tests.factories import UserFactory, make_complaint, walk

FAR = "9999-12-31T23:59:59-14:00"


def _writes(complaint):
    return (
        CallbackPromise.objects.filter(complaint=complaint).count(),
        ComplaintRecord.objects.filter(complaint=complaint).count(),
    )


@pytest.mark.parametrize(
    ("due_at", "message"),
    [
        (FAR, "between 1900 and 9998"),
        ("2026-12-04T10:00:00+16:00", "between -15:59 and +15:59"),
        ("2026-12-04T10:00:00-16:30", "between -15:59 and +15:59"),
        ("1800-01-01T10:00:00+08:00", "between 1900 and 9998"),
    ],
)
def test_api_refuses_a_callback_the_desk_cannot_keep_and_writes_nothing(
    staff_api, complaint, due_at, message
):
    before = _writes(complaint)
    response = staff_api.post(
        f"/api/complaints/{complaint.pk}/callbacks/", {"due_at": due_at, "note": "x"}, format="json"
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()["due_at"])
    assert _writes(complaint) == before


def test_api_refuses_a_callback_more_than_a_year_ahead_or_in_the_past(staff_api, complaint):
    now = timezone.now()
    for due, message in ((now + dt.timedelta(days=400), "within the next year"), (now, "in the future")):
        response = staff_api.post(
            f"/api/complaints/{complaint.pk}/callbacks/",
            {"due_at": due.isoformat(), "note": "x"},
            format="json",
        )
        assert response.status_code == 400
        assert message in " ".join(response.json()["due_at"])
    assert not CallbackPromise.objects.filter(complaint=complaint).exists()
    ok = staff_api.post(
        f"/api/complaints/{complaint.pk}/callbacks/",
        {"due_at": (now + dt.timedelta(days=300)).isoformat(), "note": "x"},
        format="json",
    )
    assert ok.status_code == 201


def test_the_page_form_shows_a_field_error_for_the_year_10000_and_writes_nothing(
    client, staff_user, complaint
):
    client.force_login(staff_user)
    before = _writes(complaint)
    response = client.post(
        f"/complaints/{complaint.pk}/",
        {"action": "callback", "callback-due_at": FAR, "callback-note": "ring back"},
    )
    assert response.status_code == 400
    assert "between 1900 and 9998" in str(response.context["callback_form"].errors["due_at"])
    assert _writes(complaint) == before
    # The pages that list callbacks still open.
    assert client.get(f"/complaints/{complaint.pk}/").status_code == 200
    assert client.get(f"/customers/{complaint.customer_id}/").status_code == 200


@pytest.mark.parametrize(
    ("purchase_date", "message"),
    [("2999-01-01", "in the future"), ("1899-12-31", "from 1900 on"), ("0001-01-01", "from 1900 on")],
)
def test_a_purchase_date_must_have_happened(staff_api, complaint, purchase_date, message):
    staff_api.post(f"/api/complaints/{complaint.pk}/transitions/listen/", {}, format="json")
    response = staff_api.post(
        f"/api/complaints/{complaint.pk}/transitions/establish/",
        {
            "what_happened": "Broken",
            "when_happened": "Monday",
            "desired_outcome": "A new one",
            "purchase_date": purchase_date,
        },
        format="json",
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()["purchase_date"])


@pytest.mark.parametrize("week", ["0001-W01", "9999-W52", "1899-W10", "3000-W01"])
def test_report_weeks_outside_the_range_answer_400_everywhere(client, db, week):
    supervisor = UserFactory(username="zhang", role="supervisor")
    client.force_login(supervisor)
    assert client.get(f"/reports/weekly/?week={week}").status_code == 400
    assert client.get(f"/api/reports/weekly/?week={week}").status_code == 400
    assert client.post("/reports/weekly/rebuild/", {"week": week}).status_code == 400
    assert (
        client.post(
            "/api/reports/weekly/rebuild/", {"week": week}, content_type="application/json"
        ).status_code
        == 400
    )


def test_the_range_is_stated_once():
    with pytest.raises(weeks.BadWeek):
        weeks.parse_week("1899-W52")
    assert weeks.parse_week("1900-W02") == dt.date(1900, 1, 8)
    assert weeks.parse_week("2999-W01")


def test_a_closed_complaint_with_a_bad_date_still_refuses_first_on_the_date(staff_api, staff_user):
    complaint = walk(make_complaint(by=staff_user), staff_user)
    response = staff_api.post(
        f"/api/complaints/{complaint.pk}/callbacks/", {"due_at": FAR, "note": "x"}, format="json"
    )
    assert response.status_code == 400
