"""Two supervisors merging the same customers at once (PostgreSQL row locks)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from complaints.models import Complaint, ComplaintRecord
from customers.models import Customer
from customers.services import customer_merge
from tests.complaints.test_concurrency import race
from tests.factories import CustomerFactory, UserFactory, make_complaint

pytestmark = [pytest.mark.usefixtures("seeded_lists"), pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are checked on PostgreSQL (set DATABASE_URL)")


def _merge(duplicate, into, by):
    def call():
        try:
            customer_merge(duplicate=duplicate, into=into, by=by)
        except ValidationError as exc:
            return exc.messages[0]
        return "merged"

    return call


@pytest.mark.parametrize("rounds", range(3))
def test_the_same_merge_twice_at_once_merges_once(rounds):
    boss = UserFactory(username="zhang", role="supervisor")
    kept, duplicate = CustomerFactory(), CustomerFactory()
    complaint = make_complaint(by=boss, customer=duplicate)
    results = race([_merge(duplicate, kept, boss), _merge(duplicate, kept, boss)])
    assert sorted(results)[-1] == "merged" and "already merged" in sorted(results)[0]
    assert Complaint.objects.get().customer == kept
    assert ComplaintRecord.objects.filter(complaint=complaint, data__action="merge_customer").count() == 1


def test_merging_a_pair_both_ways_at_once_leaves_one_customer():
    boss = UserFactory(username="zhang", role="supervisor")
    a, b = CustomerFactory(), CustomerFactory()
    make_complaint(by=boss, customer=a)
    make_complaint(by=boss, customer=b)
    results = race([_merge(a, b, boss), _merge(b, a, boss)])
    assert results.count("merged") == 1
    assert Customer.objects.filter(merged_into__isnull=True).count() == 1
    kept = Customer.objects.get(merged_into__isnull=True)
    assert Complaint.objects.filter(customer=kept).count() == 2
