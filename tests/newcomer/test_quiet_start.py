"""First start is quiet: the demo's past sends no email, no axes banner, a 403 is one line,
`manage.py bench` without PostgreSQL is one line."""

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from complaints.models import Complaint, Notification
from complaints.notifications import outbox

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db
def test_demo_history_leaves_no_email_to_send():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_history", stdout=io.StringIO())
    assert Notification.objects.exists()  # the history did write its emails...
    assert not Notification.objects.filter(status=Notification.Status.PENDING).exists()  # ...none to send
    assert outbox.deliver_pending() == (0, 0)
    # The deadlines the demo's past already passed were swept while loading it, so the
    # first sweep after start has nothing of the past to mail about.
    from complaints.deadlines import sweep

    sweep.complaints_check_deadlines()
    assert not Notification.objects.filter(status=Notification.Status.PENDING).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_what_happens_after_the_demo_is_loaded_sends_mail():
    from complaints.escalations import services as escalation_services
    from tests.factories import UserFactory

    call_command("seed_demo", stdout=io.StringIO())
    complaint = Complaint.objects.filter(closed_at__isnull=True, escalated_at__isnull=True).first()
    escalation_services.complaint_escalate(
        complaint=complaint, data={"reason": "Asked for a manager."}, by=UserFactory(role="staff")
    )
    assert Notification.objects.filter(status=Notification.Status.PENDING, complaint=complaint).exists()
    sent, _failed = outbox.deliver_pending()
    assert sent >= 1


@pytest.mark.django_db
def test_withheld_emails_keep_their_text_and_why():
    with outbox.withheld(why="demo data"):
        outbox.queue_email(to="a@example.com", subject="Hello", body="Text", key="withheld:1")
    outbox.queue_email(to="b@example.com", subject="Hello", body="Text", key="queued:1")
    withheld = Notification.objects.get(key="withheld:1")
    assert (withheld.status, withheld.last_error, withheld.body) == ("failed", "cancelled: demo data", "Text")
    assert Notification.objects.get(key="queued:1").status == "pending"


def test_axes_prints_no_banner():
    from django.conf import settings

    assert settings.AXES_VERBOSE is False
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    environ.pop("DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "AXES" not in run.stdout + run.stderr


def _console_handler():
    return next(h for h in logging.getLogger().handlers if h.get_name() == "console")


@pytest.mark.django_db
def test_a_403_logs_one_warning_line_without_traceback(client, staff_user, settings, caplog):
    settings.DEBUG = True  # as in `make run`
    client.force_login(staff_user)
    console = _console_handler()
    stream = io.StringIO()
    previous = console.setStream(stream)
    caplog.clear()
    try:
        with caplog.at_level(logging.WARNING):
            response = client.get("/reports/weekly/")
    finally:
        console.setStream(previous)
    assert response.status_code == 403
    assert stream.getvalue().splitlines() == ["Forbidden (Permission denied): /reports/weekly/"]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        "Forbidden (Permission denied): /reports/weekly/"
    ]


def test_a_server_error_keeps_its_traceback():
    from config.log_filters import ClientErrorsInOneLine

    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    for status, kept in ((500, True), (403, False)):
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", None, exc_info)
        record.status_code = status
        assert ClientErrorsInOneLine().filter(record)
        assert (record.exc_info is not None) is kept


def test_bench_without_postgres_says_so_in_one_line():
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    environ.pop("DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "manage.py", "bench", "--n", "10"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "CommandError: The bench loader needs PostgreSQL (set DATABASE_URL)."
    ]
    assert "Traceback" not in run.stdout + run.stderr
