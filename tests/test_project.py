"""The project's own plumbing: migrations in sync, schema valid, compose file sane."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_openapi_schema_is_valid_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = yaml.safe_load((tmp_path / "schema.yml").read_text())
    paths = schema["paths"]
    for name in ["listen", "establish", "apologize", "resolve", "close", "reopen"]:
        assert f"/api/complaints/{{id}}/transitions/{name}/" in paths
    close = schema["components"]["schemas"]["CloseTransitionRequest"]
    assert set(close["required"]) == {
        "resolution",
        "decision_reasons",
        "remedy",
        "preventive_action",
        "root_cause",
        "responsible_department",
    }


def test_compose_file_has_the_multi_machine_shape():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on missing {dependency}"
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert services["web"]["environment"]["REDIS_URL"].startswith("redis://")


def test_compose_file_shares_attachments_through_an_s3_store():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert "minio" in services and "minio/minio" in services["minio"]["image"]
    for name in ("web", "worker"):
        environment = services[name]["environment"]
        assert environment["AWS_S3_ENDPOINT_URL"].endswith("http://minio:9000}")
        assert environment["AWS_STORAGE_BUCKET_NAME"]
        assert "minio-bucket" in services[name]["depends_on"]
    assert "minio" in services["minio-bucket"]["depends_on"]


def test_procfile_runs_web_worker_and_beat():
    lines = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert set(lines) == {"web", "worker", "beat"}


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert "==" in line, line
    text = (ROOT / "requirements.txt").read_text()
    assert "django-fsm-2==" in text
    assert "\ndjango-fsm==" not in text


def test_production_settings_refuse_to_start_without_secret_key(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("SECRET_KEY", raising=False)
    for name in ["config.settings.production", "config.settings.base"]:
        sys.modules.pop(name, None)
    with pytest.raises(ImproperlyConfigured):
        importlib.import_module("config.settings.production")
    sys.modules.pop("config.settings.base", None)
    sys.modules.pop("config.settings.production", None)


@pytest.mark.django_db
def test_postgresql_runs_the_desks_short_queries_without_jit():
    """Compiling plans cost the weekly report more than it saved (README: DATABASE_JIT)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
