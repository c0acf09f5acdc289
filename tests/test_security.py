"""Logins are throttled, sessions renewed, production settings pass Django's deploy check."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def login(client, password):
    return client.post("/accounts/login/", {"username": "lin", "password": password})


def test_five_failed_logins_lock_the_account_for_a_while(client, staff_user):
    for _ in range(4):
        response = login(client, "wrong")
        assert response.status_code == 200  # the form again, with an error
    assert login(client, "wrong").status_code == 429  # the fifth failure locks
    locked = login(client, "pw")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = login(client, "pw")
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(staff_user.pk)


def test_token_endpoint_is_throttled_too(api, staff_user):
    for _ in range(4):
        assert api.post("/api/token/", {"username": "lin", "password": "x"}, format="json").status_code == 400
    assert api.post("/api/token/", {"username": "lin", "password": "x"}, format="json").status_code == 429
    response = api.post("/api/token/", {"username": "lin", "password": "pw"}, format="json")
    assert response.status_code == 429


def test_failed_logins_are_logged(client, staff_user):
    from axes.models import AccessAttempt

    login(client, "wrong")
    attempt = AccessAttempt.objects.get(username="lin")
    assert attempt.failures_since_start == 1


def test_login_renews_the_session_key(client, staff_user):
    client.get("/accounts/login/")
    session = client.session
    session["before"] = "x"
    session.save()
    before = session.session_key
    assert login(client, "pw").status_code == 302
    assert client.session.session_key != before


def test_production_settings_pass_the_deploy_check():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k" * 10 + "-Vq3!x9#Lr2@pZ7$wN5^tB8&hJ4*mC6(yF1)dG0_sK-eQ",
        "ALLOWED_HOSTS": "desk.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_and_api_send_a_content_security_policy_without_inline_scripts(client, staff_user):
    client.force_login(staff_user)
    for url in ["/", "/complaints/new/", "/accounts/login/", "/api/options/", "/submit/"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'", url
        assert "unsafe-inline" not in directives["script-src"]
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"


def test_no_template_carries_an_inline_script_or_handler():
    import re

    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=\"", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "emails" not in path.parts and "email_" not in path.name and inline.search(path.read_text())
    ]
    assert offenders == []


def test_production_responses_carry_the_security_headers(settings, client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_CONTENT_TYPE_NOSNIFF = True
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response
