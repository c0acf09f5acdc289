"""Run docker-compose's shape by hand on one machine and check nothing is lost or doubled.

gunicorn (2 workers), two Celery workers and TWO beats on Redis, PostgreSQL. For
`--seconds` (default 300) a load generator files complaints through POST /api/complaints/
at `--rate` per second; a one-minute response and two-minute resolution target (set for
the run) make every one of them breach twice. Afterwards the script waits for the sweeps
and the outbox to drain, then checks:

- every complaint the API acknowledged (201) is saved, with its content record;
- every breach escalated exactly once: one respond and one resolve breach event per
  complaint, and one breach record each;
- every notification delivered exactly once: each outbox row is sent, and the file-based
  mail backend holds exactly one message per outbox key (X-Clear-Desk-Notification).

Usage: python manage.py shell -c "from bench import scaleout; scaleout.main()" or
bench/scaleout.sh [--seconds 300] [--rate 10]. Needs DATABASE_URL (PostgreSQL) and
REDIS_URL; it resets that database's complaints, so point it at a bench database.
"""

import argparse
import collections
import email
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from rest_framework.authtoken.models import Token

from complaints.models import Complaint, ComplaintRecord, DeadlineEvent, Notification, SLAPolicy
from customers.models import Customer

from . import http as bench_http
from . import loader

BREACHES = ("respond_breach", "resolve_breach")


def _start(args, env, log_path):
    log = open(log_path, "w")  # noqa: SIM115 - closed when the process is stopped
    process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603 - fixed
    process.log_file = log
    return process


def _stop(process):
    bench_http.stop(process)
    if getattr(process, "log_file", None):
        process.log_file.close()


class Intake:
    """Threads that POST complaints at a fixed total rate; remembers every acknowledged id."""

    def __init__(self, port, token, payload, rate, threads=4):
        self.port, self.token, self.payload, self.rate, self.threads = port, token, payload, rate, threads
        self.ids, self.failures, self.lock = [], collections.Counter(), threading.Lock()

    def _worker(self, stop_at, interval, offset):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        next_at = time.monotonic() + offset
        body = json.dumps(self.payload)
        headers = {"Content-Type": "application/json", "Authorization": f"Token {self.token}"}
        while next_at < stop_at:
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            try:
                conn.request("POST", "/api/complaints/", body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as exc:
                with self.lock:
                    self.failures[type(exc).__name__] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            with self.lock:
                if response.status == 201:
                    self.ids.append(json.loads(data)["id"])
                else:
                    self.failures[response.status] += 1
        conn.close()

    def run(self, seconds):
        stop_at = time.monotonic() + seconds
        interval = self.threads / self.rate
        workers = [
            threading.Thread(target=self._worker, args=(stop_at, interval, i * interval / self.threads))
            for i in range(self.threads)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()


def _delivered(mail_dir):
    """{outbox key: messages delivered} from the file-based backend's files."""
    counts = collections.Counter()
    for path in Path(mail_dir).glob("*.log"):
        text = path.read_text(errors="replace")
        # One file per connection; messages are separated by a line of 79 dashes.
        for chunk in text.split("-" * 79 + "\n"):
            if not chunk.strip():
                continue
            key = email.message_from_string(chunk).get("X-Clear-Desk-Notification") or ""
            counts["".join(key.split())] += 1  # long headers are folded; keys hold no spaces
    return counts


# How a breach reads in an escalation email or digest line (the bench runs in English).
_BREACH_WORDS = {"respond_breach": "(response deadline)", "resolve_breach": "(resolution deadline)"}


def _breaches_told(references):
    """Counter of (recipient, reference, breach kind) over the escalation emails in the outbox.

    A single breach is its own email (the reference in the subject, the reason in the
    body); several at once arrive as one digest per person, a line per breach.
    """
    told = collections.Counter()
    for to, subject, body in Notification.objects.filter(key__startswith="breach").values_list(
        "to", "subject", "body"
    ):
        lines = body.splitlines()
        for reference in references:
            if reference in subject:
                lines = [f"{reference} {body}"]
                break
        for line in lines:
            reference = line.split(" ", 1)[0]
            for kind, words in _BREACH_WORDS.items():
                if reference in references and words in line:
                    told[(to, reference, kind)] += 1
    return told


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300, help="intake duration (default 300)")
    parser.add_argument("--rate", type=float, default=10, help="complaints per second (default 10)")
    parser.add_argument("--background", type=int, default=20_000, help="complaints loaded first")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--drain", type=int, default=600, help="seconds to wait for sweeps and outbox")
    options = parser.parse_args(argv)
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        raise SystemExit("Set REDIS_URL (e.g. redis://127.0.0.1:6379/7).")
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # this run's broker database only

    print(f"loading {options.background} background complaints")
    loader.load(options.background, overdue=0, log=lambda message: None)
    # A one-minute response and two-minute resolution target: every complaint breaches twice.
    SLAPolicy.objects.filter(severity="minor", tier="").delete()
    SLAPolicy.objects.create(
        severity="minor",
        tier="",
        respond_within=1,
        respond_unit="minutes",
        resolve_within=2,
        resolve_unit="minutes",
    )
    Notification.objects.all().delete()
    staff = get_user_model().objects.get(username="bench-staff-1")
    token, _created = Token.objects.get_or_create(user=staff)
    customer = Customer.objects.filter(tier="C").order_by("id").first()
    payload = {
        "customer": customer.pk,
        "channel": "phone",
        "category": "delivery",
        "severity": "minor",
        "content": "The new fridge stopped cooling two days after it was installed.",
    }
    first_id = (Complaint.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1

    work = Path(tempfile.mkdtemp(prefix="clear-scaleout-"))
    mail_dir = work / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "LOG_LEVEL": "WARNING",
    }
    celery = str(Path(sys.executable).with_name("celery"))
    processes = []
    started = time.monotonic()
    try:
        processes.append(bench_http.start_gunicorn(options.port, extra_env=env))
        for i in (1, 2):
            processes.append(
                _start(
                    [
                        celery,
                        "-A",
                        "config",
                        "worker",
                        "--concurrency=2",
                        "-n",
                        f"bench{i}@%h",
                        "--loglevel=WARNING",
                    ],
                    env,
                    work / f"worker{i}.log",
                )
            )
            processes.append(
                _start(
                    [celery, "-A", "config", "beat", "--loglevel=WARNING", f"--schedule={work / f'beat{i}'}"],
                    env,
                    work / f"beat{i}.log",
                )
            )
        print(f"running: gunicorn x2, 2 workers, 2 beats; intake {options.rate}/s for {options.seconds} s")
        intake = Intake(options.port, token.key, payload, options.rate)
        intake.run(options.seconds)
        print(f"intake done: {len(intake.ids)} acknowledged, failures {dict(intake.failures)}")

        ids = set(intake.ids)
        drain_until = time.monotonic() + options.drain
        while time.monotonic() < drain_until:
            breached = (
                DeadlineEvent.objects.filter(complaint_id__in=ids, kind__in=BREACHES)
                .values("complaint_id")
                .distinct()
                .count()
            )
            events = DeadlineEvent.objects.filter(complaint_id__gte=first_id, kind__in=BREACHES).count()
            pending = Notification.objects.filter(status="pending").count()
            if events >= 2 * len(ids) and pending == 0:
                break
            print(
                f"  draining: {events}/{2 * len(ids)} breach events ({breached} complaints), "
                f"{pending} emails pending"
            )
            time.sleep(10)
    finally:
        for process in reversed(processes):
            try:
                _stop(process)
            except Exception as exc:  # keep stopping the others
                print(f"stopping {process.args[0]}: {exc}")
    elapsed = time.monotonic() - started

    # --- checks ---
    saved = Complaint.objects.filter(id__in=ids).count()
    unacknowledged = Complaint.objects.filter(id__gte=first_id).exclude(id__in=ids).count()
    with_content = (
        ComplaintRecord.objects.filter(complaint_id__in=ids, kind="content")
        .values("complaint_id")
        .distinct()
        .count()
    )
    per_complaint = (
        Complaint.objects.filter(id__in=ids)
        .annotate(
            respond=Count("deadline_events", filter=Q(deadline_events__kind="respond_breach")),
            resolve=Count("deadline_events", filter=Q(deadline_events__kind="resolve_breach")),
        )
        .values_list("respond", "resolve")
    )
    shape = collections.Counter(per_complaint)
    breach_records = collections.Counter(
        ComplaintRecord.objects.filter(complaint_id__in=ids, data__action="deadline_breach")
        .values_list("complaint_id", flat=True)
        .iterator()
    )
    records_shape = collections.Counter(breach_records.get(i, 0) for i in ids)
    statuses = collections.Counter(Notification.objects.values_list("status", flat=True))
    keys = set(Notification.objects.values_list("key", flat=True))
    delivered = _delivered(mail_dir)
    doubled = {k: n for k, n in delivered.items() if n > 1}
    missing = keys - set(delivered)
    stray = set(delivered) - keys

    references = set(Complaint.objects.filter(id__in=ids).values_list("reference", flat=True))
    supervisors = list(
        get_user_model()
        .objects.filter(groups__name="supervisor", is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    told = _breaches_told(references)
    told_shape = collections.Counter(
        told.get((to, reference, kind), 0)
        for to in supervisors
        for reference in references
        for kind in _BREACH_WORDS
    )
    checks = {
        "every acknowledged complaint saved": saved == len(ids) and with_content == len(ids),
        "every breach escalated once": shape == collections.Counter({(1, 1): len(ids)})
        and records_shape == collections.Counter({2: len(ids)}),
        "every breach told to each supervisor once": bool(supervisors)
        and told_shape == collections.Counter({1: 2 * len(references) * len(supervisors)}),
        "every notification delivered once": not doubled
        and not missing
        and not stray
        and statuses.get("pending", 0) == 0
        and statuses.get("failed", 0) == 0,
    }
    print(f"run took {elapsed:.0f} s; files in {work}")
    print(
        f"complaints acknowledged {len(ids)}, saved {saved}, with content record {with_content}, "
        f"saved without a 201 {unacknowledged}; intake failures {dict(intake.failures)}"
    )
    print(
        f"breach events per complaint (respond, resolve): {dict(shape)}; "
        f"breach records: {dict(records_shape)}"
    )
    print(
        f"breach mentions per (supervisor, complaint, deadline) over {len(supervisors)} supervisors: "
        f"{dict(told_shape)}"
    )
    print(
        f"outbox rows {sum(statuses.values())} {dict(statuses)}; "
        f"messages delivered {sum(delivered.values())} "
        f"for {len(delivered)} keys; doubled {len(doubled)}, missing {len(missing)}, stray {len(stray)}"
    )
    for name, ok in checks.items():
        print(f"{name:<40} {'OK' if ok else 'FAILED'}")
    return all(checks.values())
