"""The Monday task: one snapshot per week, one email per manager, through the outbox."""

import socket
from datetime import timedelta

import pytest
from django.core import mail

from complaints.models import Notification, WeeklyReportSnapshot
from complaints.notifications import outbox
from complaints.reports import publishing
from tests.factories import UserFactory
from tests.reports.fixtures import WEEK, handle, local

pytestmark = pytest.mark.django_db

MONDAY_MORNING = local(2026, 11, 23, 7)


@pytest.fixture
def managers(db):
    ones = [
        UserFactory(username="maria", role="manager", email="maria@example.com"),
        UserFactory(username="ion", role="manager", email="ion@example.com"),
    ]
    UserFactory(username="noemail", role="manager", email="")
    gone = UserFactory(username="gone", role="manager", email="gone@example.com")
    gone.is_active = False
    gone.save()
    UserFactory(username="sup", role="supervisor", email="sup@example.com")
    return ones


@pytest.fixture
def history(staff_user):
    handle(
        by=staff_user,
        received=local(2026, 11, 16, 9),
        respond_after=timedelta(minutes=10),
        close_after=timedelta(hours=3),
        cause="supplier",
        score=5,
    )


def test_task_publishes_once_and_emails_each_manager_once(history, managers):
    for _ in range(3):  # two beats and a retry
        snapshot, _queued = publishing.publish_last_week(now=MONDAY_MORNING)
    assert list(WeeklyReportSnapshot.objects.values_list("week", "version")) == [(WEEK, 1)]
    assert snapshot.data["totals"]["received"] == 1
    weekly = Notification.objects.filter(key__startswith="weekly-report:")
    assert sorted(weekly.values_list("key", flat=True)) == sorted(
        f"weekly-report:{WEEK}:{m.pk}" for m in managers
    )
    assert sorted(weekly.values_list("to", flat=True)) == ["ion@example.com", "maria@example.com"]
    outbox.deliver_pending(now=MONDAY_MORNING + timedelta(minutes=1))
    assert set(weekly.values_list("status", flat=True)) == {"sent"}
    sent = [m for m in mail.outbox if WEEK in m.subject]
    assert sorted(m.to[0] for m in sent) == ["ion@example.com", "maria@example.com"]
    message = sent[0]
    assert WEEK in message.subject
    html = message.alternatives[0][0]
    assert f"/reports/weekly/?week={WEEK}" in html
    assert "Supplier or partner" in html
    assert f"/reports/weekly/?week={WEEK}" in message.body


def test_celery_task_wraps_the_service(history, managers, time_machine):
    from complaints.reports.tasks import publish_weekly_report

    time_machine.move_to(MONDAY_MORNING)
    assert publish_weekly_report() == {"week": WEEK, "version": 1, "queued": 2}
    assert WeeklyReportSnapshot.objects.count() == 1


def test_beat_schedule_runs_monday_morning():
    from config.celery import app

    entry = app.conf.beat_schedule["publish-weekly-report"]
    assert entry["task"] == "complaints.report_tasks.publish_weekly_report"
    schedule = entry["schedule"]
    assert schedule.day_of_week == {1} and schedule.hour == {7} and schedule.minute == {0}
    # Overdue preventive actions are flagged by the every-minute deadline sweep.
    sweep = app.conf.beat_schedule["check-deadlines"]
    assert sweep["task"] == "complaints.tasks.check_deadlines"
    assert sweep["schedule"] == 60.0


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_email_reaches_a_real_smtp_server(history, managers, settings):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.envelopes = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            self.envelopes.append(envelope)
            return "250 Message accepted for delivery"

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        # Only the weekly emails are pending: anything queued by the history is sent first.
        outbox.deliver_pending(now=MONDAY_MORNING)
        inbox.envelopes.clear()
        publishing.publish_last_week(now=MONDAY_MORNING)
        assert outbox.deliver_pending(now=MONDAY_MORNING + timedelta(minutes=1)) == (2, 0)
    finally:
        controller.stop()
    assert sorted(e.rcpt_tos[0] for e in inbox.envelopes) == ["ion@example.com", "maria@example.com"]
    raw = inbox.envelopes[0].content.decode()
    assert "text/html" in raw
    assert WEEK in raw
