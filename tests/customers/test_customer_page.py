from datetime import date, timedelta

import pytest
from django.utils import timezone

from complaints.workflow import callbacks, satisfaction
from customers.models import Customer, ValueFigure
from tests.factories import CustomerFactory, make_complaint
from tests.public.flow import close_complaint

pytestmark = pytest.mark.django_db


def _history(customer, staff_user, complaints):
    for n in range(complaints):
        complaint = make_complaint(by=staff_user, customer=customer)
        if n % 2 == 0:
            complaint = close_complaint(complaint, staff_user)
            satisfaction.complaint_record_satisfaction(
                complaint=complaint, data={"score": 4, "comment": "ok"}, by=staff_user
            )
        else:
            callbacks.complaint_promise_callback(
                complaint=complaint,
                data={"due_at": (timezone.now() + timedelta(hours=2)).isoformat(), "note": "Check stock"},
                by=staff_user,
            )


def _count_queries(client, url, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        return client.get(url)


def test_customer_page_shows_tier_value_history_and_promises(client, staff_user):
    customer = CustomerFactory(name="Wang Fang")
    ValueFigure.objects.create(
        customer=customer, period=timezone.localdate().replace(day=1), revenue=900, profit=100
    )
    _history(customer, staff_user, 2)
    client.force_login(staff_user)
    response = client.get(f"/customers/{customer.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wang Fang" in html
    assert "925.00" in html  # 10 years x 100 - 75
    assert "Fully resolved" in html and "We sent a replacement by courier." in html
    assert "4/5" in html
    assert "Check stock" in html
    assert f"/complaints/{customer.complaints.filter(stage='closed').get().pk}/letter/" in html


def test_customer_page_costs_the_same_queries_for_many_complaints(
    client, staff_user, django_assert_num_queries
):
    few, many = CustomerFactory(), CustomerFactory()
    _history(few, staff_user, 2)
    _history(many, staff_user, 8)
    client.force_login(staff_user)
    client.get(f"/customers/{few.pk}/")  # warm the session
    # session, user, groups, customer, complaints, callbacks, tier history, yearly profit x2
    with django_assert_num_queries(9):
        assert client.get(f"/customers/{few.pk}/").status_code == 200
    with django_assert_num_queries(9):
        response = client.get(f"/customers/{many.pk}/")
    assert response.content.decode().count("<tr>") == 1 + 8


def test_customer_page_needs_a_desk_role(client, no_role_user):
    customer = CustomerFactory()
    assert client.get(f"/customers/{customer.pk}/").status_code == 302
    client.force_login(no_role_user)
    assert client.get(f"/customers/{customer.pk}/").status_code == 403


def test_unknown_customer_is_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/customers/999999/").status_code == 404


def test_supervisor_sets_the_tier_on_the_page(client, supervisor_user, staff_user):
    customer = CustomerFactory()
    client.force_login(staff_user)
    assert client.post(f"/customers/{customer.pk}/tier/", {"tier": "A", "reason": "x"}).status_code == 403
    client.force_login(supervisor_user)
    response = client.post(f"/customers/{customer.pk}/tier/", {"tier": "A", "reason": ""})
    assert response.status_code == 400
    assert Customer.objects.get(pk=customer.pk).tier == "D"
    response = client.post(f"/customers/{customer.pk}/tier/", {"tier": "A", "reason": "Key account"})
    assert response.status_code == 302
    assert Customer.objects.get(pk=customer.pk).tier == "A"
    assert "Key account" in client.get(f"/customers/{customer.pk}/").content.decode()


def test_value_figures_do_not_count_outside_the_last_year(client, staff_user):
    customer = CustomerFactory()
    ValueFigure.objects.create(customer=customer, period=date(2000, 1, 1), revenue=1, profit=100)
    client.force_login(staff_user)
    assert "-75.00" in client.get(f"/customers/{customer.pk}/").content.decode()


def test_api_takes_the_preferred_language(staff_api):
    created = staff_api.post(
        "/api/customers/", {"name": "Li Na", "phone": "13900001111", "preferred_language": "zh-hans"}
    )
    assert created.status_code == 201, created.json()
    assert created.json()["preferred_language"] == "zh-hans"
    bad = staff_api.post("/api/customers/", {"name": "X", "phone": "13900002222", "preferred_language": "fr"})
    assert bad.status_code == 400
    updated = staff_api.patch(f"/api/customers/{created.json()['id']}/", {"preferred_language": "en"})
    assert updated.json()["preferred_language"] == "en"
