"""Figures over real HTTP: gunicorn with 2 workers on loopback, wrk as the load generator.

- the staff queue under load, and the peak resident memory (VmHWM) of each web worker;
- intake: POST /api/complaints/ next to the bench-only bare view doing one INSERT, in
  alternating rounds in the same run, printed as a ratio; beside them two diagnostic
  yardsticks: the API floor (DRF and the token check, no work) and intake's service
  without the API (the same reads and writes, nothing around them).
"""

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from rest_framework.authtoken.models import Token

from complaints.models import Complaint
from customers.models import Customer

from .measure import Figure

BASE_DIR = Path(settings.BASE_DIR)


def _wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port}")


def start_gunicorn(port, workers=2, extra_env=None):
    """Start gunicorn (config.settings.bench) on loopback; returns the Popen of the master."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    _wait_for_port(port)
    return process


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def worker_pids(master_pid):
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            pids.append(int(stat.parent.name))
    return pids


def memory_kib(pid):
    """(current RSS, peak RSS) of a process in KiB, from /proc/<pid>/status."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _sep, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found.get("VmRSS", 0), found.get("VmHWM", 0)


def wrk(url, *, seconds, connections=4, threads=1, method="GET", body=None, headers=None):
    """Run wrk; return (requests per second, requests, non-2xx/3xx answers, socket errors)."""
    headers = headers or {}
    lines = [f'wrk.method = "{method}"']
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body)}")
    for name, value in headers.items():
        lines.append(f'wrk.headers["{name}"] = "{value}"')
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n")
    try:
        result = subprocess.run(  # noqa: S603 - wrk from PATH, arguments we build
            [
                shutil.which("wrk"),
                "-t",
                str(threads),
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    text = result.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return rate, requests, int(bad.group(1)) if bad else 0, errors.group(1) if errors else ""


def _cleanup_after(first_new_id):
    """Remove what the HTTP run added, so the loaded data keeps describing its moment."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # past the record trigger
        for table in ("complaints_complaintrecord", "complaints_notification", "complaints_deadlineevent"):
            cursor.execute(f"DELETE FROM {table} WHERE complaint_id >= %s", [first_new_id])  # noqa: S608
        cursor.execute("DELETE FROM complaints_complaint WHERE id >= %s", [first_new_id])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE complaints_complaint")


def run(*, port=8790, seconds=10, rounds=2, log=print):
    if shutil.which("wrk") is None:
        log("intake and memory figures: n/a (wrk is not installed: apt-get install -y wrk)")
        return []
    User = get_user_model()
    staff = User.objects.get(username="bench-staff-1")
    token, _created = Token.objects.get_or_create(user=staff)
    client = Client()
    client.force_login(staff)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    customer = Customer.objects.filter(tier="C").order_by("id").first()
    payload = {
        "customer": customer.pk,
        "channel": "phone",
        "category": "delivery",
        "severity": "minor",
        "content": "The courier left the parcel in the rain and the contents are soaked.",
    }
    first_new_id = (Complaint.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    figures = []
    master = start_gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    try:
        workers = worker_pids(master.pid)
        cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
        wrk(f"{base}/", seconds=2, headers=cookie)  # warm-up: every worker has loaded the code
        rate, requests, bad, errors = wrk(f"{base}/", seconds=seconds, headers=cookie)
        peak = max(memory_kib(pid)[1] for pid in workers) / 1024
        figures.append(
            Figure(
                "queue page under load (gunicorn x2, wrk -c4)",
                rate,
                unit="req/s",
                note=f"{requests} requests, {bad} not 2xx/3xx{', socket errors ' + errors if errors else ''}",
            )
        )
        figures.append(Figure("peak RSS of a web worker serving the queue", peak, unit="MiB"))
        headers = {"Content-Type": "application/json", "Authorization": f"Token {token.key}"}
        # The same body to each, in alternating rounds of one run.
        targets = {
            "bare": "/bench/insert/",
            "api": "/api/complaints/",
            "floor": "/bench/api-floor/",
            "service": "/bench/service-create/",
        }
        rates = {name: [] for name in targets}
        bad = dict.fromkeys(targets, 0)

        def post(path, duration):
            return wrk(
                f"{base}{path}", seconds=duration, method="POST", body=json.dumps(payload), headers=headers
            )

        for path in targets.values():
            post(path, 2)  # warm-up
        for _round in range(rounds):
            for name, path in targets.items():
                rate, _n, not_ok, _e = post(path, seconds)
                rates[name].append(rate)
                bad[name] += not_ok
        api, bare, floor, service = (
            statistics.median(rates[name]) for name in ("api", "bare", "floor", "service")
        )
        figures.append(
            Figure("intake POST /api/complaints/", api, unit="req/s", note=f"{bad['api']} not 2xx")
        )
        figures.append(Figure("bare one-INSERT view", bare, unit="req/s", note=f"{bad['bare']} not 2xx"))
        figures.append(
            Figure("intake / bare-insert throughput", 100 * api / bare, unit="%", target=60, better="higher")
        )
        figures.append(
            Figure(
                "API floor / bare-insert throughput",
                100 * floor / bare,
                unit="%",
                note=f"{floor:.1f} req/s, {bad['floor']} not 2xx: DRF, token check with roles, JSON in "
                "and out, nothing else",
            )
        )
        figures.append(
            Figure(
                "intake's service alone / bare-insert",
                100 * service / bare,
                unit="%",
                note=f"{service:.1f} req/s, {bad['service']} not 2xx: the customer read, the complaint and "
                "its content record in one transaction, no DRF, token or validation",
            )
        )
        peak_after = max(memory_kib(pid)[1] for pid in workers) / 1024
        figures.append(Figure("peak RSS of a web worker after intake", peak_after, unit="MiB"))
    finally:
        stop(master)
        _cleanup_after(first_new_id)
    for figure in figures:
        log(figure.line())
    return figures
