"""A real Celery worker against Redis runs the sweep and the delivery (skipped without Redis)."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from complaints.models import Complaint, ComplaintRecord, DeadlineEvent, Notification
from tests.factories import CustomerFactory, UserFactory, make_complaint


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def worker_app(redis_url, monkeypatch):
    from config.celery import app

    monkeypatch.setitem(app.conf, "broker_url", redis_url)
    monkeypatch.setitem(app.conf, "result_backend", redis_url)
    monkeypatch.setitem(
        app.conf, "broker_transport_options", {"socket_connect_timeout": 1, "socket_timeout": 5}
    )
    # Drop anything an earlier, interrupted run left in our Redis database's queue.
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    return app


@pytest.mark.redis
@pytest.mark.usefixtures("seeded_lists")
@pytest.mark.django_db(transaction=True)
def test_worker_escalates_overdue_complaints_and_delivers_pending_mail_once(
    worker_app, redis_url, monkeypatch
):
    from rest_framework.test import APIClient

    from complaints import tasks
    from tests.complaints.test_broker_down import closed_port

    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    UserFactory(username="zhang", role="supervisor", email="zhang@example.com")
    # Logged three days ago (while the broker was down, say): long past both deadlines.
    overdue = make_complaint(by=lin, now=timezone.now() - timedelta(days=3))
    # The broker is down while an A-tier complaint is filed: the request still succeeds and
    # the supervisors' note waits in the outbox.
    monkeypatch.setitem(worker_app.conf, "broker_url", f"redis://127.0.0.1:{closed_port()}/0")
    client = APIClient()
    client.force_authenticate(lin)
    filed = client.post(
        "/api/complaints/",
        {
            "customer": CustomerFactory(tier="A").pk,
            "channel": "phone",
            "category": "billing",
            "severity": "minor",
            "content": "Charged twice.",
        },
        format="json",
    )
    assert filed.status_code == 201
    vip = Complaint.objects.get(pk=filed.json()["id"])
    # The supervisors' note and both customers' acknowledgements.
    assert Notification.objects.filter(status="pending").count() == 3
    monkeypatch.setitem(worker_app.conf, "broker_url", redis_url)  # the broker is back

    with start_worker(worker_app, pool="threads", concurrency=2, perform_ping_check=False):
        # Two beats firing at the same moment: both sweeps run, the breach is filed once.
        tasks.check_deadlines.delay()
        tasks.check_deadlines.delay()
        assert wait_for(lambda: DeadlineEvent.objects.filter(complaint=overdue).exists())
        time.sleep(0.5)  # let the second sweep finish too
        tasks.deliver_notifications.delay()
        assert wait_for(lambda: not Notification.objects.filter(status="pending").exists())
        tasks.deliver_notifications.delay()  # a second delivery finds nothing to send
        time.sleep(0.5)

    overdue.refresh_from_db()
    assert overdue.escalated is True
    assert overdue.escalated_at == overdue.resolve_by  # the latest breach, at its deadline
    breaches = ComplaintRecord.objects.filter(complaint=overdue, data__action="deadline_breach")
    assert sorted(r.data["deadline"] for r in breaches) == ["resolve_breach", "respond_breach"]
    assert overdue.escalation_level == 2
    assert not Complaint.objects.get(pk=vip.pk).escalated
    subjects = sorted(m.subject for m in mail.outbox)
    # Both acknowledgements (the overdue complaint's too), the A-tier note, two escalations.
    assert len(subjects) == Notification.objects.filter(status="sent").count() == 5
    assert sum("We have your complaint" in s for s in subjects) == 2
    assert sum("A-tier" in s for s in subjects) == 1
    assert sum("Escalated" in s for s in subjects) == 2
