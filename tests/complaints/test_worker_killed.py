"""A worker killed (kill -9) in the middle of sending loses no email and sends none twice.

The guarantee: at-least-once delivery with a claim that expires. A worker claims rows for
OUTBOX_CLAIM_SECONDS; if it dies before the mail server has accepted a message, the row
is still pending and the next worker sends it once the claim has expired. (A crash in
the instant after the server accepted and before the row is marked sent would repeat
that one message; every message carries a Message-ID derived from its key so the
duplicate is recognisable.)
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from django.db import connection

from complaints import tasks
from complaints.models import Notification
from complaints.notifications import outbox
from tests.complaints.test_celery_worker import wait_for

ROOT = Path(__file__).resolve().parent.parent.parent


class HoldingSink:
    """An SMTP server that holds the first message without answering, then accepts all."""

    def __init__(self):
        self.accepted = []
        self.holding = True
        self.held = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.holding:
            self.held.set()
            await asyncio.sleep(30)  # the worker dies while it waits for this answer
            return "451 Try again later"
        self.accepted.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_worker(env):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_twice(redis_url, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process shares the test database: needs PostgreSQL (DATABASE_URL)")
    from aiosmtpd.controller import Controller

    from config.celery import app

    monkeypatch.setitem(app.conf, "broker_url", redis_url)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")

    sink = HoldingSink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        db = connection.settings_dict
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DEBUG": "False",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}"
                f"/{db['NAME']}"
            ),
            "REDIS_URL": redis_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "OUTBOX_CLAIM_SECONDS": "3",
        }
        for n in range(3):
            outbox.queue_email(to=f"sup{n}@example.com", subject=f"Escalated {n}", body="...", key=f"k{n}")

        first = start_worker(env)
        try:
            tasks.deliver_notifications.delay()
            assert sink.held.wait(30), "the worker never reached the mail server"
            os.kill(first.pid, signal.SIGKILL)
            first.wait(10)
        finally:
            if first.poll() is None:
                first.kill()

        assert sink.accepted == []
        assert Notification.objects.filter(status="pending").count() == 3
        assert Notification.objects.exclude(claim="").count() == 3  # still claimed by the dead worker

        sink.holding = False
        second = start_worker(env)
        try:
            time.sleep(3.5)  # the dead worker's claim expires

            def all_sent():
                if not Notification.objects.filter(status="pending").exists():
                    return True
                tasks.deliver_notifications.delay()
                time.sleep(1)
                return False

            assert wait_for(all_sent, 40)
        finally:
            second.send_signal(signal.SIGTERM)
            try:
                second.wait(10)
            except subprocess.TimeoutExpired:
                second.kill()
    finally:
        smtp.stop()

    ids = [m["Message-ID"] for m in sink.accepted]
    assert sorted(m["Subject"] for m in sink.accepted) == ["Escalated 0", "Escalated 1", "Escalated 2"]
    assert len(set(ids)) == 3
    assert sorted(ids) == sorted(outbox.message_id(f"k{n}") for n in range(3))
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
