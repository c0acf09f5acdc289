"""Issue 16, point 9: the page says when a week is published; the CSV's dates are in the report's zone."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from complaints import time_zones
from complaints.models import PreventiveAction, WeeklyReportSnapshot
from complaints.reports import publishing, weeks
from tests.reports.fixtures import WEEK, handle, local

pytestmark = pytest.mark.django_db

URL = f"/reports/weekly/?week={WEEK}"


@pytest.fixture
def history(staff_user):
    handle(
        by=staff_user,
        received=local(2026, 11, 16, 22),
        respond_after=timedelta(minutes=10),
        close_after=timedelta(hours=3),  # closed Tue 01:00 in Shanghai, Mon 17:00 UTC
    )


def test_publish_then_the_page_says_published_by_whom(history, client, manager_user):
    client.force_login(manager_user)
    before = client.get(URL).content.decode()
    assert "Live figures" in before
    assert "Publish this week" in before and "Publish again" not in before
    answer = client.post("/reports/weekly/rebuild/", {"week": WEEK}, follow=True)
    page = answer.content.decode()
    assert f"Report {WEEK} published." in page
    snapshot = WeeklyReportSnapshot.objects.get(week=WEEK)
    built = timezone.localtime(snapshot.updated_at, weeks.tz()).strftime("%Y-%m-%d %H:%M")
    assert f"Published version 1, built {built} by {manager_user.get_username()}" in page
    assert "Live figures" not in page
    assert "Publish again" in page and "Publish this week" not in page
    again = client.post("/reports/weekly/rebuild/", {"week": WEEK}, follow=True).content.decode()
    assert f"Report {WEEK} published again (version 2)." in again
    assert "Published version 2" in again and "first published" in again


def test_the_monday_run_is_named_as_the_builder(history, client, supervisor_user):
    publishing.report_publish(monday=weeks.parse_week(WEEK), now=local(2026, 11, 23, 7))
    client.force_login(supervisor_user)
    page = client.get(URL).content.decode()
    assert "Published version 1, built 2026-11-23 07:00 by the Monday run" in page


def test_the_api_says_when_and_by_whom(history, api, manager_user):
    api.force_authenticate(manager_user)
    assert api.get(f"/api/reports/weekly/?week={WEEK}").json()["published"] is None
    published = api.post("/api/reports/weekly/rebuild/", {"week": WEEK}, format="json").json()["published"]
    assert published["version"] == 1
    assert published["built_by"] == manager_user.get_username()
    assert published["published_at"] and published["built_at"]


def test_a_running_week_offers_no_publishing(client, manager_user, time_machine):
    time_machine.move_to(local(2026, 11, 25, 12))
    client.force_login(manager_user)
    page = client.get("/reports/weekly/?week=2026-W48").content.decode()
    assert "It can be published once the week is over." in page
    assert "data-publish>" not in page


def test_csv_dates_are_in_the_report_time_zone_whatever_the_reader_chose(history, client, supervisor_user):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    action = PreventiveAction.objects.get()
    # Due 30 days after the closing, Tue 2026-11-17 01:00 in Shanghai: 2026-12-17 01:00 there,
    # still 2026-12-16 in UTC.
    assert timezone.localtime(action.due_at, weeks.tz()).strftime("%Y-%m-%d %H:%M") == "2026-12-17 01:00"
    action.description = '=HYPERLINK("http://evil.example")'
    action.save(update_fields=["description"])
    # The reader works in Los Angeles (complaints.time_zones): 2026-12-16 09:00 there.
    time_zones.time_zone_set(user=supervisor_user, time_zone="America/Los_Angeles")
    client.force_login(supervisor_user)
    answer = client.get(URL + "&format=csv&table=preventive_actions")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][3] == "Due"
    assert rows[1][3] == "2026-12-17 01:00"
    assert rows[1][1].startswith("'=")  # csvsafe still neutralises formulas
    # The page shows the same date.
    page = client.get(URL).content.decode()
    assert "2026-12-17" in page[page.index('id="actions-h"') :]
