from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from complaints.models import Notification
from complaints.notifications import outbox

pytestmark = pytest.mark.django_db


def test_queue_is_idempotent_per_key():
    for _ in range(3):
        outbox.queue_email(to="sup@example.com", subject="S", body="B", key="escalation:1:respond")
    assert Notification.objects.count() == 1


def test_deliver_sends_each_pending_email_once():
    outbox.queue_email(to="a@example.com", subject="One", body="Body", key="k1", html="<p>Body</p>")
    outbox.queue_email(to="b@example.com", subject="Two", body="Body", key="k2")
    assert outbox.deliver_pending() == (2, 0)
    assert outbox.deliver_pending() == (0, 0)
    assert sorted(m.subject for m in mail.outbox) == ["One", "Two"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_failed_delivery_is_retried_later(monkeypatch):
    outbox.queue_email(to="a@example.com", subject="One", body="Body", key="k1")

    def broken(notification):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(outbox, "_send", broken)
    assert outbox.deliver_pending() == (0, 1)
    row = Notification.objects.get()
    assert row.status == "pending"
    assert row.attempts == 1
    assert "SMTP down" in row.last_error
    assert outbox.deliver_pending() == (0, 0)  # backing off

    monkeypatch.undo()
    later = timezone.now() + timedelta(minutes=3)
    assert outbox.deliver_pending(now=later) == (1, 0)
    assert len(mail.outbox) == 1


def test_a_claim_held_by_another_worker_is_skipped_until_it_expires():
    outbox.queue_email(to="a@example.com", subject="One", body="Body", key="k1")
    now = timezone.now()
    Notification.objects.update(claim="other", claimed_until=now + timedelta(minutes=5))
    assert outbox.deliver_pending(now=now) == (0, 0)
    # The other worker died: once its claim expires the email goes out.
    assert outbox.deliver_pending(now=now + timedelta(minutes=6)) == (1, 0)
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts(monkeypatch):
    outbox.queue_email(to="a@example.com", subject="One", body="Body", key="k1")
    Notification.objects.update(attempts=outbox.MAX_ATTEMPTS - 1)
    monkeypatch.setattr(outbox, "_send", lambda n: (_ for _ in ()).throw(OSError("nope")))
    outbox.deliver_pending()
    assert Notification.objects.get().status == "failed"
