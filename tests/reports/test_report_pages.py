"""Who may read the report, and what the page, the CSV and the API answer."""

import csv
import io
from datetime import timedelta

import pytest

from complaints.models import WeeklyReportSnapshot
from tests.reports.fixtures import WEEK, handle, local

pytestmark = pytest.mark.django_db

URL = f"/reports/weekly/?week={WEEK}"


@pytest.fixture
def history(staff_user):
    for i, cause in enumerate(["supplier", "supplier", "defect"]):
        handle(
            by=staff_user,
            received=local(2026, 11, 16, 9 + i),
            respond_after=timedelta(minutes=10),
            close_after=timedelta(hours=3),
            cause=cause,
            score=4,
        )


def test_anonymous_is_sent_to_login(client):
    answer = client.get(URL)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


def test_anonymous_api_is_401(api):
    assert api.get(f"/api/reports/weekly/?week={WEEK}").status_code == 401


def test_staff_gets_403(client, staff_user, staff_api):
    client.force_login(staff_user)
    assert client.get(URL).status_code == 403
    assert client.get("/reports/").status_code == 403
    assert staff_api.get(f"/api/reports/weekly/?week={WEEK}").status_code == 403
    assert staff_api.post("/api/reports/weekly/rebuild/", {"week": WEEK}, format="json").status_code == 403


@pytest.mark.parametrize("persona", ["manager_user", "supervisor_user"])
def test_managers_and_supervisors_read_the_page(history, client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    answer = client.get(URL)
    assert answer.status_code == 200
    page = answer.content.decode()
    assert 'class="chart chart-pareto"' in page
    assert 'class="chart chart-trend"' in page
    assert "Supplier or partner" in page
    assert "Live figures" in page


def test_page_is_in_chinese_too(history, client, manager_user):
    client.force_login(manager_user)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "供应商或合作方" in page


def test_bad_week_is_400_not_500(client, manager_user, api):
    client.force_login(manager_user)
    assert client.get("/reports/weekly/?week=2026-W99").status_code == 400
    api.force_authenticate(manager_user)
    answer = api.get("/api/reports/weekly/?week=nope")
    assert answer.status_code == 400
    assert "week" in answer.json()


def test_csv_of_the_pareto(history, client, manager_user):
    client.force_login(manager_user)
    answer = client.get(URL + "&format=csv&table=root_causes")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Code", "Root cause", "Count", "Share %", "Cumulative %"]
    assert [r[:5] for r in rows[1:]] == [
        ["supplier", "Supplier or partner", "2", "66.7", "66.7"],
        ["defect", "Product defect", "1", "33.3", "100.0"],
    ]


def test_every_table_exports(history, client, manager_user):
    from complaints.reports.compose import build_report
    from complaints.reports.present import csv_tables, present
    from complaints.reports.weeks import parse_week

    client.force_login(manager_user)
    names = list(csv_tables(present(build_report(parse_week(WEEK)))))
    assert names == [
        "by_channel",
        "by_category",
        "by_severity",
        "by_tier",
        "root_causes",
        "departments",
        "service_levels",
        "holds",
        "outside_deadlines",
        "satisfaction",
        "satisfaction_by_resolution",
        "preventive_actions",
        "systemic_issues",
        "fix_effect",
        "coaching",
        "trend",
        "vulnerable_customers",
        "redress_by_category",
        "redress_by_root_cause",
    ]
    for name in names:
        answer = client.get(URL + f"&format=csv&table={name}")
        assert answer.status_code == 200, name
    assert client.get(URL + "&format=csv&table=nope").status_code == 404


def test_api_returns_the_figures(history, api, manager_user):
    api.force_authenticate(manager_user)
    answer = api.get(f"/api/reports/weekly/?week={WEEK}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["week"] == WEEK
    assert body["totals"] == {"received": 3, "closed": 3, "open": 0}
    assert [c["code"] for c in body["root_causes"]] == ["supplier", "defect"]
    assert body["published"] is None


def test_rebuild_from_the_page_publishes_then_bumps_version(history, client, supervisor_user):
    client.force_login(supervisor_user)
    answer = client.post("/reports/weekly/rebuild/", {"week": WEEK})
    assert answer.status_code == 302
    assert WeeklyReportSnapshot.objects.get(week=WEEK).version == 1
    client.post("/reports/weekly/rebuild/", {"week": WEEK})
    assert WeeklyReportSnapshot.objects.get(week=WEEK).version == 2
    assert client.post("/reports/weekly/rebuild/", {"week": "x"}).status_code == 400
    page = client.get(URL).content.decode()
    assert "Published version 2" in page
    listing = client.get("/reports/").content.decode()
    assert f"?week={WEEK}" in listing


def test_published_week_stays_as_published(history, api, manager_user, staff_user):
    api.force_authenticate(manager_user)
    assert api.post("/api/reports/weekly/rebuild/", {"week": WEEK}, format="json").status_code == 200
    handle(
        by=staff_user,
        received=local(2026, 11, 18, 9),
        respond_after=timedelta(minutes=10),
        close_after=timedelta(hours=2),
    )
    kept = api.get(f"/api/reports/weekly/?week={WEEK}").json()
    assert kept["totals"]["received"] == 3
    assert kept["published"]["version"] == 1
    rebuilt = api.post("/api/reports/weekly/rebuild/", {"week": WEEK}, format="json").json()
    assert rebuilt["totals"]["received"] == 4
    assert rebuilt["published"]["version"] == 2
    assert api.post("/api/reports/weekly/rebuild/", {"week": "2026"}, format="json").status_code == 400


def _page_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_page_queries_do_not_grow_with_the_week(client, manager_user, staff_user):
    client.force_login(manager_user)

    def add(n, hour):
        for i in range(n):
            handle(
                by=staff_user,
                received=local(2026, 11, 17, hour) + timedelta(minutes=i),
                respond_after=timedelta(minutes=10),
                close_after=timedelta(hours=3),
                cause=["supplier", "defect", "training"][i % 3],
                score=1 + i % 5,
            )

    add(3, 9)
    small = _page_queries(client)
    add(20, 12)
    assert _page_queries(client) == small


def test_a_running_week_cannot_be_published(api, client, manager_user, time_machine):
    time_machine.move_to(local(2026, 11, 25, 12))  # Wednesday of 2026-W48
    api.force_authenticate(manager_user)
    answer = api.post("/api/reports/weekly/rebuild/", {"week": "2026-W48"}, format="json")
    assert answer.status_code == 409
    assert "not ended" in answer.json()["detail"]
    client.force_login(manager_user)
    page = client.post("/reports/weekly/rebuild/", {"week": "2026-W48"}, follow=True).content.decode()
    assert "not ended" in page
    assert "Publish this week" not in page
    assert not WeeklyReportSnapshot.objects.exists()
    assert api.post("/api/reports/weekly/rebuild/", {"week": "2026-W47"}, format="json").status_code == 200
