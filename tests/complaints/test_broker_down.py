"""A saved complaint never waits on (or fails because of) the broker.

Web requests write notification rows (the outbox) and never publish to Celery; the broker
timeouts make any producer that does publish fail fast instead of hanging.
"""

import socket
import threading
import time

import pytest
from celery import Celery
from django.conf import settings
from rest_framework.test import APIClient

from complaints.models import Complaint, ComplaintRecord, Notification
from tests.factories import CustomerFactory, UserFactory


def closed_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now: connections are refused
    return port


@pytest.fixture
def black_hole():
    """A port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(32)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()
    server.close()


def producer(url):
    """A Celery app configured like ours, pointed at `url` with the Redis timeouts."""
    app = Celery("producer-under-test")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = url
    app.conf.broker_transport_options = settings.REDIS_BROKER_TRANSPORT_OPTIONS
    return app


@pytest.mark.parametrize("where", ["closed", "black_hole"])
def test_a_producer_fails_fast_when_the_broker_is_unreachable(where, request):
    port = closed_port() if where == "closed" else request.getfixturevalue("black_hole")
    app = producer(f"redis://127.0.0.1:{port}/0")
    started = time.monotonic()
    with pytest.raises(Exception):  # noqa: B017 - kombu/redis raise different errors per failure
        app.send_task("complaints.tasks.deliver_notifications")
    assert time.monotonic() - started < 5


@pytest.fixture(params=["closed", "black_hole"])
def broken_broker(request, monkeypatch):
    """Point the project's Celery app at a dead broker and record any attempt to publish."""
    from config.celery import app

    port = closed_port() if request.param == "closed" else request.getfixturevalue("black_hole")
    monkeypatch.setitem(app.conf, "broker_url", f"redis://127.0.0.1:{port}/0")
    monkeypatch.setitem(app.conf, "broker_transport_options", settings.REDIS_BROKER_TRANSPORT_OPTIONS)
    published = []
    real_send_task = Celery.send_task

    def spy(self, *args, **kwargs):
        published.append(args[:1])
        return real_send_task(self, *args, **kwargs)

    monkeypatch.setattr(Celery, "send_task", spy)
    from celery.app.task import Task

    real_apply_async = Task.apply_async

    def spy_apply(self, *args, **kwargs):
        published.append(self.name)
        return real_apply_async(self, *args, **kwargs)

    monkeypatch.setattr(Task, "apply_async", spy_apply)
    return published


@pytest.mark.django_db
def test_filing_and_transitioning_work_while_the_broker_is_down(broken_broker, staff_user):
    UserFactory(username="zhang", role="supervisor", email="zhang@example.com")
    vip = CustomerFactory(tier="A")
    client = APIClient()
    client.force_authenticate(staff_user)

    def timed(method, path, data=None):
        started = time.monotonic()
        response = getattr(client, method)(path, data or {}, format="json")
        return response, time.monotonic() - started

    response, took = timed(
        "post",
        "/api/complaints/",
        {
            "customer": vip.pk,
            "channel": "phone",
            "category": "product_quality",
            "severity": "major",
            "content": "The fridge stopped cooling.",
        },
    )
    assert response.status_code == 201, response.content
    assert took < 2
    complaint_id = response.json()["id"]

    for path, data in [
        (f"/api/complaints/{complaint_id}/transitions/listen/", {}),
        (f"/api/complaints/{complaint_id}/escalate/", {"reason": "VIP is furious"}),
    ]:
        response, took = timed("post", path, data)
        assert response.status_code == 200, response.content
        assert took < 2

    complaint = Complaint.objects.get(pk=complaint_id)
    assert complaint.stage == "listen"
    assert complaint.escalated is True
    # Content, listen, escalation, and the two messages to the customer (filed with them).
    assert ComplaintRecord.objects.filter(complaint=complaint).count() == 5
    # The supervisor's and the customer's emails wait in the outbox for the delivery task.
    pending = Notification.objects.filter(complaint=complaint, status="pending")
    assert sorted(n.key.split(":")[0] for n in pending) == ["acknowledgement", "escalate", "progress", "vip"]
    assert broken_broker == []  # nothing in the request path talked to the broker


def test_no_web_code_publishes_tasks():
    """Views, API views and services never call .delay()/.apply_async(): only beat and tasks do."""
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    offenders = []
    for folder in ("complaints", "customers", "config"):
        for path in (root / folder).rglob("*.py"):
            if "migrations" in path.parts or path.name in {"tasks.py", "celery.py"}:
                continue
            text = path.read_text()
            if ".delay(" in text or ".apply_async(" in text or "send_task(" in text:
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
