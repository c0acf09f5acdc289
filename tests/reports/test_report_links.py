"""Issue 16, point 9: the report's root causes and category counts link to their complaints."""

import html
import re
from datetime import timedelta

import pytest
from django.db.models import Q

from complaints.models import Complaint
from complaints.reports import weeks
from tests.reports.fixtures import WEEK, build_history, handle, local

pytestmark = pytest.mark.django_db

URL = f"/reports/weekly/?week={WEEK}"


@pytest.fixture
def history(staff_user, supervisor_user):
    build_history(staff_user, supervisor_user)


def _links(page):
    return [html.unescape(h) for h in re.findall(r'href="(/reports/complaints/\?[^"]+)"', page)]


def _listed(client, url):
    answer = client.get(url)
    assert answer.status_code == 200, answer.content[:300]
    page = answer.content.decode()
    table = page[page.index("report-complaints") :]
    return set(re.findall(r'href="/complaints/\d+/">([^<]+)</a>', table))


def _refs(condition):
    return set(Complaint.objects.filter(condition).values_list("reference", flat=True))


def test_every_root_cause_links_to_exactly_its_complaints(history, client, manager_user):
    client.force_login(manager_user)
    page = client.get(URL).content.decode()
    start, end = weeks.week_bounds(weeks.parse_week(WEEK))
    closed = Q(closed_at__gte=start, closed_at__lt=end)
    links = [link for link in _links(page) if "root_cause=" in link]
    assert [link.rsplit("=", 1)[1] for link in links] == ["supplier", "defect", "system_error"]
    for link, count in zip(links, (3, 1, 1), strict=True):
        cause = link.rsplit("=", 1)[1]
        listed = _listed(client, link)
        assert listed == _refs(closed & Q(root_cause__code=cause))
        assert len(listed) == count  # the count the report shows
    named = client.get(links[0]).content.decode()
    assert "Root cause: <strong>Supplier or partner</strong>" in named


@pytest.mark.parametrize(
    ("figure", "expected"),
    [("received", 3), ("closed", 3), ("open", 1)],
)
def test_category_counts_link_to_exactly_their_complaints(history, client, supervisor_user, figure, expected):
    client.force_login(supervisor_user)
    page = client.get(URL).content.decode()
    link = f"/reports/complaints/?week={WEEK}&figure={figure}&category=delivery"
    assert link in _links(page)
    listed = _listed(client, link)
    start, end = weeks.week_bounds(weeks.parse_week(WEEK))
    sets = {
        "received": Q(created_at__gte=start, created_at__lt=end),
        "closed": Q(closed_at__gte=start, closed_at__lt=end),
        "open": Q(created_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end)),
    }
    assert listed == _refs(sets[figure] & Q(category__code="delivery"))
    assert len(listed) == expected  # by_category's delivery row: (3, 3, 1)


def test_references_link_to_the_complaint(history, client, supervisor_user):
    client.force_login(supervisor_user)
    page = client.get(URL).content.decode()
    actions = page[page.index('id="actions-h"') :]
    for pk, reference in re.findall(r'href="/complaints/(\d+)/">([^<]+)</a>', actions):
        assert Complaint.objects.get(pk=pk).reference == reference
    assert len(re.findall(r'href="/complaints/\d+/"', actions)) >= 5


def test_bad_filters_are_400_not_500(client, manager_user):
    client.force_login(manager_user)
    for query in ("", "week=2026-W99", "week=x", f"week={WEEK}&figure=nope", f"week={WEEK}&tier=Z"):
        assert client.get(f"/reports/complaints/?{query}").status_code == 400, query


def test_staff_may_not_read_the_list(client, staff_user):
    client.force_login(staff_user)
    assert client.get(f"/reports/complaints/?week={WEEK}").status_code == 403


def test_the_list_costs_the_same_queries_whatever_it_holds(
    client, manager_user, staff_user, django_assert_num_queries
):
    client.force_login(manager_user)
    url = f"/reports/complaints/?week={WEEK}&figure=received"

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    empty = count()
    for i in range(3):
        handle(by=staff_user, received=local(2026, 11, 16, 9) + timedelta(hours=i))
    assert count() == empty
    for i in range(3, 8):
        handle(by=staff_user, received=local(2026, 11, 16, 9) + timedelta(hours=i))
    with django_assert_num_queries(empty):
        page = client.get(url).content.decode()
    assert page.count('href="/complaints/') == 8


def test_the_list_pages_by_fifty(client, manager_user, staff_user, settings):
    from complaints.web import reports

    client.force_login(manager_user)
    for i in range(reports.LIST_PAGE_SIZE + 2):
        handle(by=staff_user, received=local(2026, 11, 16, 0) + timedelta(minutes=30 * i))
    url = f"/reports/complaints/?week={WEEK}&figure=received"
    first = client.get(url).content.decode()
    assert first.count('href="/complaints/') == reports.LIST_PAGE_SIZE
    assert 'rel="next"' in first
    second = client.get(url + "&page=2").content.decode()
    assert second.count('href="/complaints/') == 2
    assert 'rel="prev"' in second and 'rel="next"' not in second
