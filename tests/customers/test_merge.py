"""Merging a duplicate customer into another (issue 16, point 2)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from complaints.models import Complaint, ComplaintRecord
from customers.models import Customer, TierChange, ValueFigure
from customers.services import customer_merge, customer_set_tier
from tests.factories import CustomerFactory, make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(staff_user, supervisor_user):
    kept = CustomerFactory(name="Wang Fang", phone="+86 139 0101 2323", email="")
    duplicate = CustomerFactory(name="W. Fang", phone="+86 138 0013 8000", email="wf@example.com")
    complaints = [make_complaint(by=staff_user, customer=duplicate) for _ in range(2)]
    make_complaint(by=staff_user, customer=kept)
    ValueFigure.objects.create(customer=kept, period=date(2026, 10, 1), revenue=100, profit=10)
    ValueFigure.objects.create(customer=duplicate, period=date(2026, 10, 1), revenue=50, profit=5)
    ValueFigure.objects.create(customer=duplicate, period=date(2026, 11, 1), revenue=70, profit=7)
    customer_set_tier(customer=duplicate, tier="B", reason="Key account.", by=supervisor_user)
    return kept, duplicate, complaints


def test_merge_moves_complaints_figures_and_history_and_both_sides_say_so(pair, supervisor_user):
    kept, duplicate, complaints = pair

    summary = customer_merge(duplicate=duplicate, into=kept, by=supervisor_user)

    assert (summary.complaints, summary.value_figures, summary.tier_changes) == (2, 2, 1)
    assert Complaint.objects.filter(customer=kept).count() == 3
    assert not Complaint.objects.filter(customer=duplicate).exists()
    figures = dict(ValueFigure.objects.filter(customer=kept).values_list("period", "revenue"))
    assert figures == {date(2026, 10, 1): 150, date(2026, 11, 1): 70}  # same period added up
    assert not ValueFigure.objects.filter(customer=duplicate).exists()
    assert TierChange.objects.filter(customer=kept, reason="Key account.").exists()
    for complaint in complaints:
        entry = ComplaintRecord.objects.filter(complaint=complaint).last()
        assert entry.data == {
            "action": "merge_customer",
            "merged_customer": duplicate.pk,
            "kept_customer": kept.pk,
        }
        assert entry.author == supervisor_user
    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert (duplicate.merged_into, duplicate.merged_by) == (kept, supervisor_user)
    assert kept.email == "wf@example.com"  # a detail the kept customer lacked
    assert kept.phone == "+8613901012323"


def test_the_merged_phone_finds_the_kept_customer(pair, supervisor_user, staff_api):
    kept, duplicate, _ = pair
    customer_merge(duplicate=duplicate, into=kept, by=supervisor_user)
    rows = staff_api.get("/api/customers/", {"search": "138 0013 8000"}).json()["results"]
    assert rows == []  # the merged customer is no search result ...
    response = staff_api.post("/api/customers/", {"name": "Again", "phone": "0086 13800138000"})
    assert response.status_code == 400  # ... and its number belongs to the kept customer
    assert f"#{kept.pk}" in response.json()["phone"][0]


def test_both_customer_pages_say_so(pair, client, supervisor_user):
    kept, duplicate, _ = pair
    client.force_login(supervisor_user)
    asked = client.post(f"/customers/{kept.pk}/merge/", {"duplicate": "138 0013 8000"})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert f"Merge customer #{duplicate.pk} (W. Fang) into customer #{kept.pk} (Wang Fang)?" in html
    assert "2 complaints and 2 value figures move" in html
    assert not Customer.objects.filter(merged_into__isnull=False).exists()  # asked, not done

    done = client.post(f"/customers/{kept.pk}/merge/", {"duplicate": f"#{duplicate.pk}", "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == f"/customers/{kept.pk}/"
    kept_page = client.get(f"/customers/{kept.pk}/").content.decode()
    assert f"Customer #{duplicate.pk} (W. Fang) was merged into this one" in kept_page
    assert "2 complaints moved" in kept_page
    merged_page = client.get(f"/customers/{duplicate.pk}/").content.decode()
    assert f"This customer was merged into customer #{kept.pk} (Wang Fang)" in merged_page
    assert f'href="/customers/{kept.pk}/"' in merged_page
    assert 'id="merge-form"' not in merged_page


def test_staff_cannot_merge(pair, client, staff_user):
    kept, duplicate, _ = pair
    client.force_login(staff_user)
    body = {"duplicate": duplicate.pk, "confirm": "on"}
    assert client.post(f"/customers/{kept.pk}/merge/", body).status_code == 403
    assert client.post("/customers/987654/merge/", body).status_code == 403  # role first, then the object
    assert 'id="merge-form"' not in client.get(f"/customers/{kept.pk}/").content.decode()
    api = APIClient()
    api.force_authenticate(staff_user)
    assert api.post(f"/api/customers/{kept.pk}/merge/", {"duplicate": duplicate.pk}).status_code == 403
    with pytest.raises(PermissionDenied):
        customer_merge(duplicate=duplicate, into=kept, by=staff_user)
    assert not Customer.objects.filter(merged_into__isnull=False).exists()


def test_a_customer_cannot_be_merged_into_itself(pair, client, supervisor_user):
    kept, _duplicate, _ = pair
    client.force_login(supervisor_user)
    response = client.post(f"/customers/{kept.pk}/merge/", {"duplicate": kept.pk, "confirm": "on"})
    assert response.status_code == 400
    assert "cannot be merged into itself" in response.content.decode()
    with pytest.raises(ValidationError):
        customer_merge(duplicate=kept, into=kept, by=supervisor_user)


def test_merge_refuses_an_unknown_or_already_merged_customer(pair, client, supervisor_user):
    kept, duplicate, _ = pair
    client.force_login(supervisor_user)
    unknown = client.post(f"/customers/{kept.pk}/merge/", {"duplicate": "987654"})
    assert unknown.status_code == 400 and "No customer has this number or phone." in unknown.content.decode()
    customer_merge(duplicate=duplicate, into=kept, by=supervisor_user)
    again = client.post(f"/customers/{kept.pk}/merge/", {"duplicate": duplicate.pk, "confirm": "on"})
    assert again.status_code == 400 and "was already merged" in again.content.decode()


def test_the_api_merges_for_a_supervisor(pair, supervisor_user):
    kept, duplicate, _ = pair
    api = APIClient()
    api.force_authenticate(supervisor_user)
    response = api.post(f"/api/customers/{kept.pk}/merge/", {"duplicate": "+86 138-0013-8000"})
    assert response.status_code == 200 and response.json()["id"] == kept.pk
    assert api.get(f"/api/customers/{duplicate.pk}/").json()["merged_into"] == kept.pk
    refused = api.post(f"/api/customers/{kept.pk}/merge/", {"duplicate": kept.pk})
    assert refused.status_code == 400 and "duplicate" in refused.json()


def test_intake_with_a_merged_customer_logs_on_the_kept_one(pair, client, staff_user, supervisor_user):
    kept, duplicate, _ = pair
    customer_merge(duplicate=duplicate, into=kept, by=supervisor_user)
    client.force_login(staff_user)
    body = {"customer": duplicate.pk, "channel": "phone", "category": "product_quality", "severity": "minor"}
    # The kept customer's earlier complaints of this category make intake ask (workflow.repeats).
    asked = client.post("/complaints/new/", {**body, "content": "Still broken."})
    assert asked.status_code == 200 and 'id="repeat-warning"' in asked.content.decode()
    response = client.post("/complaints/new/", {**body, "content": "Still broken.", "repeat": "new"})
    assert response.status_code == 302
    assert Complaint.objects.get(content="Still broken.").customer == kept


def test_merging_shared_numbers_from_the_migration_lifts_the_mark(supervisor_user):
    older = CustomerFactory(phone="+86 139 0101 2323")
    younger = Customer.objects.create(name="Younger", phone="+86 139 7777 0000")
    Customer.objects.filter(pk=younger.pk).update(
        phone="+8613901012323", phone_normalized="+8613901012323", phone_duplicate=True
    )
    younger.refresh_from_db()
    customer_merge(duplicate=older, into=younger, by=supervisor_user)
    younger.refresh_from_db()
    assert younger.phone_duplicate is False  # the only customer with the number now
