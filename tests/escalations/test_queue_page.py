"""The escalation queue page: links, notes, follow-ups, and the header's badge."""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.escalations import services
from complaints.models import Complaint
from complaints.workflow import satisfaction
from tests.factories import UserFactory, make_complaint

pytestmark = pytest.mark.django_db


def escalated(staff, reason="The customer asked for a manager."):
    complaint = make_complaint(by=staff)
    return services.complaint_escalate(complaint=complaint, data={"reason": reason}, by=staff)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]


def test_rows_link_to_the_complaint(client, staff_user, supervisor_user):
    complaint = escalated(staff_user)
    client.force_login(supervisor_user)
    page = client.get("/escalations/").content.decode()
    assert f'href="/complaints/{complaint.pk}/"' in page


def test_rows_show_the_latest_notes_with_who_and_when(client, staff_user, supervisor_user):
    complaint = escalated(staff_user)
    at = dt.datetime(2026, 11, 17, 9, 30, tzinfo=dt.UTC)
    for n in range(1, 5):
        services.complaint_add_note(
            complaint=complaint,
            data={"text": f"Note number {n}"},
            by=supervisor_user,
            now=at + timedelta(minutes=n),
        )
    client.force_login(supervisor_user)
    page = client.get("/escalations/").content.decode()
    row = page[page.index(f'id="escalation-{complaint.pk}"') :]
    for n in (2, 3, 4):
        assert f"Note number {n}" in row
    assert "Note number 1" not in row  # only the latest three
    assert row.index("Note number 4") < row.index("Note number 2")  # newest first
    assert "zhang, 11-17" in row


def test_closed_follow_up_is_listed_until_acknowledged(client, staff_user, supervisor_user):
    complaint = make_complaint(by=staff_user)
    Complaint.objects.filter(pk=complaint.pk).update(stage="closed", closed_at=timezone.now())
    satisfaction.complaint_record_customer_satisfaction(
        complaint=complaint, data={"score": 1, "comment": "Bad."}, source="survey"
    )
    client.force_login(supervisor_user)
    page = client.get("/escalations/").content.decode()
    assert f'id="escalation-{complaint.pk}"' in page
    assert "Follow-up needed" in page
    assert "The customer rated the outcome 1 out of 5." in page
    services.complaint_acknowledge_escalation(complaint=complaint, data={"note": ""}, by=supervisor_user)
    assert f'id="escalation-{complaint.pk}"' not in client.get("/escalations/").content.decode()


def test_badge_counts_unacknowledged_escalations_for_supervisors(client, staff_user, supervisor_user):
    first, second = escalated(staff_user), escalated(staff_user)
    services.complaint_acknowledge_escalation(complaint=first, data={"note": ""}, by=supervisor_user)
    assert second
    client.force_login(supervisor_user)
    page = client.get("/").content.decode()
    assert 'id="escalation-badge"' in page
    badge = page[
        page.index('id="escalations-link"') : page.index("</a>", page.index('id="escalations-link"'))
    ]
    assert '<span class="badge badge-escalated nav-badge" id="escalation-badge"' in badge
    assert ">1</span>" in badge


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_no_badge_for_staff_or_managers(client, staff_user, role):
    escalated(staff_user)
    client.force_login(UserFactory(role=role))
    page = client.get("/").content.decode()
    assert 'id="escalation-badge"' not in page


def test_no_badge_when_nothing_waits(client, supervisor_user):
    client.force_login(supervisor_user)
    assert 'id="escalation-badge"' not in client.get("/").content.decode()


def test_badge_is_counted_at_most_once_a_minute(client, staff_user, supervisor_user):
    escalated(staff_user)
    client.force_login(supervisor_user)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert len(count_queries(client, "/")) == 1
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert count_queries(client, "/") == []  # cached: no count query
        escalated(staff_user)
        assert ">1</span>" in client.get("/").content.decode()  # still the cached count
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert len(count_queries(client, "/")) == 1
        assert ">2</span>" in client.get("/").content.decode()


def test_badge_costs_one_query_on_a_page(client, staff_user, supervisor_user, django_assert_num_queries):
    """The supervisor's queue page costs what the staff member's does plus the count."""
    escalated(staff_user)
    client.force_login(staff_user)
    client.get("/")
    with CaptureQueriesContext(connection) as staff_page:
        client.get("/")
    client.force_login(supervisor_user)
    client.get("/escalations/")  # warm the session; the count is cached now
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as supervisor_page:
        client.get("/")
    assert len(supervisor_page) == len(staff_page) + 1
