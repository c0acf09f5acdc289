import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_complaint

pytestmark = pytest.mark.django_db


def as_fresh(client):
    """Authenticate with a freshly loaded user, as a real request would (no cached roles)."""
    user = client.handler._force_user
    client.force_authenticate(type(user).objects.get(pk=user.pk))
    return client


def count_queries(client, url):
    as_fresh(client)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_complaint_list_queries_do_not_grow_with_page_size(staff_api, staff_user):
    for _ in range(3):
        make_complaint(by=staff_user)
    small = count_queries(staff_api, "/api/complaints/?page_size=2")
    for _ in range(30):
        make_complaint(by=staff_user)
    large = count_queries(staff_api, "/api/complaints/?page_size=30")
    assert small == large


def test_complaint_list_runs_three_queries(staff_api, staff_user, django_assert_num_queries):
    for _ in range(20):
        make_complaint(by=staff_user)
    # groups of the user, count, page of rows with customer/assignee/category joined
    as_fresh(staff_api)
    with django_assert_num_queries(3):
        assert staff_api.get("/api/complaints/?page_size=20").status_code == 200


def test_complaint_detail_and_records_run_a_fixed_number_of_queries(
    staff_api, complaint, django_assert_num_queries
):
    as_fresh(staff_api)
    with django_assert_num_queries(2):
        assert staff_api.get(f"/api/complaints/{complaint.pk}/").status_code == 200
    as_fresh(staff_api)
    with django_assert_num_queries(3):
        assert staff_api.get(f"/api/complaints/{complaint.pk}/records/").status_code == 200


def test_customer_list_queries_do_not_grow(staff_api, staff_user):
    from tests.factories import CustomerFactory

    CustomerFactory.create_batch(2)
    small = count_queries(staff_api, "/api/customers/?page_size=2")
    CustomerFactory.create_batch(30)
    assert count_queries(staff_api, "/api/customers/?page_size=30") == small
