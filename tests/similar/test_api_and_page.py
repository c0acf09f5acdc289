"""GET /api/complaints/{id}/similar/ and the complaint page's "How did we resolve this
before?" panel read the same selector."""

import pytest
from django.urls import reverse

from complaints.models import Complaint
from tests.factories import CustomerFactory, make_complaint, walk

from .conftest import closed_case

pytestmark = pytest.mark.django_db


def test_the_api_answers_the_cases_with_their_outcome(staff_api, cases):
    response = staff_api.get(f"/api/complaints/{cases['new'].pk}/similar/")
    assert response.status_code == 200
    body = response.json()
    assert [row["reference"] for row in body][:2] == [
        cases["wang_billing"].reference,
        cases["wang_old"].reference,
    ]
    assert len(body) == 5
    row = body[2]
    assert row["reference"] == cases["close_words"].reference
    assert row["url"] == reverse("complaint-detail", args=[cases["close_words"].pk])
    assert row["same_customer"] is False and row["similarity"] > 0
    assert row["resolution"] == "full"
    assert row["remedy"] == "We sent a replacement by courier."
    assert row["root_cause"] == "process_gap"
    assert row["category"] == "product_quality"
    assert "satisfaction_score" in row


def test_the_api_answers_404_for_no_such_complaint(staff_api):
    assert staff_api.get("/api/complaints/999999/similar/").status_code == 404


def test_the_api_refuses_users_without_a_role(api, no_role_user, complaint):
    api.force_authenticate(no_role_user)
    assert api.get(f"/api/complaints/{complaint.pk}/similar/").status_code == 403


def test_a_manager_reads_the_cases(api, manager_user, cases):
    api.force_authenticate(manager_user)
    response = api.get(f"/api/complaints/{cases['new'].pk}/similar/")
    assert response.status_code == 200 and len(response.json()) == 5


def test_an_empty_list_when_there_is_nothing_before(staff_api, complaint):
    response = staff_api.get(f"/api/complaints/{complaint.pk}/similar/")
    assert response.status_code == 200 and response.json() == []


def test_the_page_shows_the_panel_with_each_outcome(client, staff_user, cases):
    client.force_login(staff_user)
    html = client.get(reverse("complaint-detail", args=[cases["new"].pk])).content.decode()
    panel = html[html.index('id="similar-cases"') :]
    panel = panel[: panel.index("</section>")]
    assert "How did we resolve this before?" in panel
    for key in ("wang_billing", "wang_old", "close_words", "some_words", "other_words"):
        assert cases[key].reference in panel
    assert f'href="{reverse("complaint-detail", args=[cases["close_words"].pk])}"' in panel
    assert "We sent a replacement by courier." in panel
    assert "Fully resolved" in panel
    assert "this customer" in panel
    assert cases["still_open"].reference not in panel


def test_the_panel_sits_above_the_form_in_resolve(client, staff_user, cases):
    resolving = walk(make_complaint(by=staff_user, customer=cases["wang"]), staff_user, to="resolve")
    client.force_login(staff_user)
    html = client.get(reverse("complaint-detail", args=[resolving.pk])).content.decode()
    assert html.index('id="similar-cases"') < html.index('id="h-stage"')
    listening = walk(make_complaint(by=staff_user, customer=cases["wang"]), staff_user, to="listen")
    html = client.get(reverse("complaint-detail", args=[listening.pk])).content.decode()
    assert html.index('id="h-stage"') < html.index('id="similar-cases"') < html.index('id="h-timeline"')


def test_the_page_says_when_there_is_nothing_before(client, staff_user, complaint):
    client.force_login(staff_user)
    html = client.get(reverse("complaint-detail", args=[complaint.pk])).content.decode()
    assert "No earlier closed complaint of this customer, category or product yet." in html


def test_the_panel_costs_the_same_few_queries_however_many_cases(
    client, staff_user, django_assert_max_num_queries
):
    wang = CustomerFactory()
    new = make_complaint(by=staff_user, customer=wang, content="Lid snapped off.")
    client.force_login(staff_user)
    url = reverse("complaint-detail", args=[new.pk])
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        assert client.get(url).status_code == 200
    baseline = len(few)
    for days in range(2, 9):
        closed_case(
            staff_user, days_ago=days + 30, customer=wang if days % 2 else None, content="Lid snapped."
        )
    assert Complaint.objects.filter(stage="closed").count() == 7
    with django_assert_max_num_queries(baseline):
        html = client.get(url).content.decode()
    assert html.count('class="similar-case"') == 5


@pytest.mark.parametrize(
    ("language", "heading", "mine"),
    [("zh-hans", "以前是怎么解决的？", "该客户"), ("zh-hant", "以前是怎麼解決的？", "該客戶")],
)
def test_the_panel_speaks_chinese(client, staff_user, cases, language, heading, mine):
    client.force_login(staff_user)
    url = reverse("complaint-detail", args=[cases["new"].pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in html and mine in html
