"""One complaint the sweep cannot read must not stop deadline checks for everyone else."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from complaints import tasks
from complaints.deadlines import sweep
from complaints.models import CallbackPromise, Complaint, SweepFailure
from tests.factories import UserFactory, make_complaint

SH = ZoneInfo("Asia/Shanghai")
TUESDAY_10 = dt.datetime(2026, 11, 17, 10, 0, tzinfo=SH)
LATER = TUESDAY_10 + dt.timedelta(minutes=75)  # both response deadlines (11:00) have passed


def _poison(complaint):
    """A callback promise in the year 10000, written behind the services' back."""
    promise = CallbackPromise.objects.create(
        complaint=complaint, due_at=TUESDAY_10 + dt.timedelta(minutes=5), note="x"
    )
    year_10000 = "10000-01-01 00:00:00+00" if connection.vendor == "postgresql" else "10000-01-01 00:00:00"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE complaints_callbackpromise SET due_at = %s WHERE id = %s", [year_10000, promise.pk]
        )
    Complaint.objects.filter(pk=complaint.pk).update(next_deadline_at=TUESDAY_10)


@pytest.fixture
def desk(db):
    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    UserFactory(username="zhang", role="supervisor", email="zhang@example.com")
    poisoned = make_complaint(by=lin, now=TUESDAY_10)
    healthy = make_complaint(by=lin, now=TUESDAY_10 + dt.timedelta(minutes=1))
    _poison(poisoned)
    return lin, poisoned, healthy


def test_one_sweep_escalates_the_healthy_complaint_beside_a_poisoned_one(desk):
    _lin, poisoned, healthy = desk
    result = sweep.complaints_check_deadlines(now=LATER)
    healthy.refresh_from_db()
    assert healthy.escalated and healthy.escalation_level == 1
    assert result["breaches"] == 1

    failure = SweepFailure.objects.get()
    assert failure.complaint_id == poisoned.pk
    assert failure.reference == poisoned.reference
    assert failure.count == 1
    # Parked for an hour, then tried again.
    parked = Complaint.objects.values_list("next_deadline_at", flat=True).get(pk=poisoned.pk)
    assert parked == LATER + sweep.SWEEP_PARK
    assert not Complaint.objects.values_list("escalated", flat=True).get(pk=poisoned.pk)


def test_the_parked_complaint_is_tried_again_and_counted(desk):
    sweep.complaints_check_deadlines(now=LATER)
    # Within the hour it is left alone; after it, tried again and counted again.
    sweep.complaints_check_deadlines(now=LATER + dt.timedelta(minutes=30))
    assert SweepFailure.objects.get().count == 1
    sweep.complaints_check_deadlines(now=LATER + dt.timedelta(minutes=61))
    assert SweepFailure.objects.get().count == 2


def test_health_check_and_escalation_queue_show_the_failure(desk, client, time_machine):
    _lin, poisoned, _healthy = desk
    time_machine.move_to(LATER, tick=False)
    sweep.complaints_check_deadlines(now=LATER)
    health = client.get("/health/").json()
    assert health == {"status": "degraded", "database": "ok", "sweep_failures": 1}
    client.force_login(UserFactory(username="zhang"))
    page = client.get("/escalations/")
    assert page.status_code == 200
    assert poisoned.reference in page.content.decode()
    assert "Deadline checks failing" in page.content.decode()


def test_health_check_is_ok_without_failures(client, db):
    assert client.get("/health/").json() == {"status": "ok", "database": "ok", "sweep_failures": 0}


def test_the_task_still_flags_preventive_actions_when_the_sweep_raises(db, monkeypatch):
    flagged = []

    def broken(*args, **kwargs):
        raise RuntimeError("sweep down")

    monkeypatch.setattr("complaints.deadlines.tasks.start_sweep", broken)
    monkeypatch.setattr(
        "complaints.deadlines.tasks.preventive_actions_flag_overdue", lambda now=None: flagged.append(1) or 0
    )
    with pytest.raises(RuntimeError):
        tasks.check_deadlines()
    assert flagged == [1]
