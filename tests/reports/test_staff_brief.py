"""The brief for all staff (/brief/): the latest published week's, for every desk role."""

from datetime import timedelta

import pytest

from complaints.models import WeeklyReportSnapshot
from complaints.reports import publishing
from tests.factories import UserFactory
from tests.reports.fixtures import WEEK, handle, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(staff_user):
    handle(
        by=staff_user,
        received=local(2026, 11, 16, 9),
        respond_after=timedelta(minutes=10),
        close_after=timedelta(hours=3),
        cause="supplier",
        score=5,
    )


def test_nothing_published_yet_says_so(client, staff_user, history):
    client.force_login(staff_user)
    response = client.get("/brief/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="staff-brief-none"' in page
    assert WEEK not in page  # the live, unpublished figures are not shown


@pytest.mark.parametrize("role", ["staff", "supervisor", "manager"])
def test_every_desk_role_reads_the_latest_published_brief(client, history, role):
    publishing.publish_last_week(now=local(2026, 11, 23, 7))
    assert WeeklyReportSnapshot.objects.filter(week=WEEK).exists()
    client.force_login(UserFactory(role=role))
    page = client.get("/brief/").content.decode()
    assert f"Week {WEEK}" in page
    assert 'id="staff-brief"' in page
    assert "1 complaint" in page
    assert 'href="/brief/"' in page  # the header links to it


def test_staff_get_403_on_the_report_but_read_the_brief(client, staff_user, history):
    publishing.publish_last_week(now=local(2026, 11, 23, 7))
    client.force_login(staff_user)
    assert client.get("/reports/weekly/").status_code == 403
    assert client.get("/brief/").status_code == 200


def test_brief_needs_a_desk_role(client):
    assert client.get("/brief/").status_code == 302
    client.force_login(UserFactory(role=None))
    assert client.get("/brief/").status_code == 403
