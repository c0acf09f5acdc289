"""`PORT=8123 make run` serves at http://127.0.0.1:8123 and the links in emails point there."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def settings_in_subprocess(**env):
    """SITE_URL and CLEAR_DESK["SITE_URL"] as a fresh process reads them from `env`."""
    environ = {k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_URL"}}
    environ.update(env, DJANGO_SETTINGS_MODULE="config.settings.local")
    code = (
        "from django.conf import settings; print(settings.SITE_URL); print(settings.CLEAR_DESK['SITE_URL'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, check=True
    ).stdout
    return out.splitlines()[-2:]


def test_site_url_follows_port():
    assert settings_in_subprocess(PORT="8123") == ["http://127.0.0.1:8123"] * 2


def test_site_url_defaults_to_port_8000():
    assert settings_in_subprocess() == ["http://127.0.0.1:8000"] * 2


def test_site_url_set_wins_over_port():
    assert (
        settings_in_subprocess(PORT="8123", SITE_URL="https://desk.example.com")
        == ["https://desk.example.com"] * 2
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_passes_port_and_site_url_to_honcho():
    environ = {k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_URL"}}
    out = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, env=environ, capture_output=True, text=True, check=True
    ).stdout
    honcho = next(line for line in out.splitlines() if "honcho start" in line)
    assert "PORT=8123" in honcho.split()
    assert "SITE_URL=http://127.0.0.1:8123" in honcho.split()
    assert "http://127.0.0.1:8123" in out  # the address make prints


def test_procfile_serves_on_the_port_honcho_gives_the_web_process():
    # honcho gives the first process PORT and each later one PORT+100, so the web process
    # must be the one that reads it; SITE_URL is passed whole (the Makefile above).
    lines = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert next(iter(lines)) == "web"
    assert "runserver 127.0.0.1:$PORT" in lines["web"]
