"""Odd input to the report and preventive-action API answers 4xx, never 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/api/preventive-actions/99999999999999999999999/status/", "/api/preventive-actions/abc/status/"]
)
def test_odd_ids_are_404(api, supervisor_user, url):
    api.force_authenticate(supervisor_user)
    assert api.post(url, {"status": "done"}, format="json").status_code == 404


@pytest.mark.parametrize("query", ["status=zzz", "week=2026-W4%00", "week=2026-W4", "week=99999-W01"])
def test_odd_queries_are_4xx(api, supervisor_user, query):
    api.force_authenticate(supervisor_user)
    assert api.get(f"/api/preventive-actions/?{query}").status_code in (200, 400)
    assert api.get(f"/api/reports/weekly/?{query}").status_code in (200, 400)


@pytest.mark.parametrize("body", [[], "text", {"week": None}, {"week": 2026}, {"week": ["2026-W47"]}])
def test_odd_rebuild_bodies_are_400(api, manager_user, body):
    api.force_authenticate(manager_user)
    assert api.post("/api/reports/weekly/rebuild/", body, format="json").status_code == 400


def test_a_week_the_year_does_not_have_is_404(api, manager_user):
    api.force_authenticate(manager_user)
    assert api.get("/api/reports/weekly/?week=2026-W54").status_code == 404
    assert api.get("/api/reports/weekly/?week=2025-W53").status_code == 404
    assert api.get("/api/reports/weekly/?week=2026-W53").status_code == 200
    assert api.post("/api/reports/weekly/rebuild/", {"week": "2026-W54"}, format="json").status_code == 404


def test_overdue_filter_is_strict(api, manager_user):
    api.force_authenticate(manager_user)
    assert api.get("/api/preventive-actions/?overdue=true").status_code == 200
    assert api.get("/api/preventive-actions/?overdue=maybe").status_code == 400
