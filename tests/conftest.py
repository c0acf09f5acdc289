import os

import pytest
from rest_framework.test import APIClient

from .factories import UserFactory, make_complaint


def _flush_as_table_owner():
    """Let the suite's flush between transactional tests empty the append-only tables.

    Their triggers refuse TRUNCATE whatever the session says; the suite connects as the
    tables' owner, so its flush switches those triggers off and on again around the
    TRUNCATE, in the flush's own transaction (DDL only the owner or a superuser may run).
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    from complaints.redaction import APPEND_ONLY_TABLES

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        guarded = [self.quote_name(table) for table in APPEND_ONLY_TABLES if table in tables]
        if not statements or not guarded:
            return statements
        return [
            *(f"ALTER TABLE {table} DISABLE TRIGGER USER;" for table in guarded),
            *statements,
            *(f"ALTER TABLE {table} ENABLE TRIGGER USER;" for table in guarded),
        ]

    DatabaseOperations.sql_flush = sql_flush


_flush_as_table_owner()


def _live_server_without_nagle():
    """Answer live_server requests without Nagle's delay.

    The test server writes the status line and headers, then the body, as separate small
    packets; with Nagle's algorithm the body waits for the client's delayed ACK of the first
    (about 40 ms on Linux), which made each request of the API fuzzer and the browser tests
    take 40 ms instead of 2.
    """
    from django.core.servers.basehttp import WSGIRequestHandler

    WSGIRequestHandler.disable_nagle_algorithm = True


_live_server_without_nagle()

# Playwright's sync API runs an event loop; the ORM calls beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_service_level_rules():
    """Each test starts without cached SLA rules or categories (a rolled-back test's rows must not linger)."""
    from complaints.deadlines import outside
    from complaints.deadlines import policies as sla
    from complaints.workflow import selectors

    sla.forget_rules()
    selectors.forget_categories()
    outside.forget_regimes()
    yield
    sla.forget_rules()
    selectors.forget_categories()
    outside.forget_regimes()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the header's escalation count is kept a minute)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a page asked for in Chinese (LocaleMiddleware
    activates it for the thread) must not word the next test's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def staff_user(db):
    return UserFactory(username="lin", role="staff")


@pytest.fixture
def other_staff_user(db):
    return UserFactory(username="ana", role="staff")


@pytest.fixture
def supervisor_user(db):
    return UserFactory(username="zhang", role="supervisor")


@pytest.fixture
def manager_user(db):
    return UserFactory(username="maria", role="manager")


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="visitor")


@pytest.fixture
def api():
    """An API client; call .force_authenticate(user) to act as someone."""
    return APIClient()


@pytest.fixture
def staff_api(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


@pytest.fixture
def complaint(staff_user):
    return make_complaint(by=staff_user)


def redis_url_or_skip():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set; start Redis and export REDIS_URL to run this test")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis at {url} does not answer ({exc})")
    return url


@pytest.fixture
def redis_url():
    return redis_url_or_skip()


def is_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture
def seeded_lists(transactional_db):
    """Groups and editable lists again, for tests whose database was flushed (live_server)."""
    from django.contrib.auth.models import Group

    from complaints.defaults import ensure_defaults
    from complaints.models import Category, Department, RootCause

    ensure_defaults(Group, Category, RootCause, Department)
