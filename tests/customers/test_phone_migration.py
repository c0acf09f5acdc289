"""Migration 0004: stored phones become E.164; invalid ones and shared numbers are reported."""

import importlib
import io

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from customers.models import Customer
from customers.selectors import customer_with_phone

pytestmark = pytest.mark.django_db

migration = importlib.import_module("customers.migrations.0004_phones_e164")


def _legacy(*rows):
    """Customers as 0003 stored them (bulk_create skips today's save())."""
    return Customer.objects.bulk_create(
        Customer(name=name, phone=phone, phone_normalized=key, email="") for name, phone, key in rows
    )


def test_phones_become_e164_and_shared_numbers_stay_two_customers():
    first, second, third, odd, other = _legacy(
        ("Wang Fang", "139 0101 2323", "13901012323"),
        ("W. Fang", "+86 139-0101-2323", "+8613901012323"),
        ("Fang W.", "0086 13901012323", "008613901012323"),
        ("Odd", "0722.333.444", "0722333444"),
        ("Li Lei", "１３８ ００１３ ８０００", "13800138000"),
    )
    out = io.StringIO()

    unparseable, duplicates = migration.phones_to_e164(apps, None, out=out)

    rows = {c.pk: c for c in Customer.objects.all()}
    for customer in (first, second, third):
        assert (rows[customer.pk].phone, rows[customer.pk].phone_normalized) == ("+8613901012323",) * 2
    assert [rows[c.pk].phone_duplicate for c in (first, second, third)] == [False, True, True]
    assert (rows[other.pk].phone, rows[other.pk].phone_duplicate) == ("+8613800138000", False)
    # Not a valid number: left exactly as it was, and said so.
    assert (rows[odd.pk].phone, rows[odd.pk].phone_normalized) == ("0722.333.444", "0722333444")
    assert unparseable == [odd.pk]
    assert duplicates == [(first.pk, second.pk, "+8613901012323"), (first.pk, third.pk, "+8613901012323")]
    said = out.getvalue()
    assert f"#{odd.pk}" in said and "left as typed" in said
    assert f"Customers #{first.pk} and #{second.pk} share +8613901012323" in said
    # The oldest answers for the number; a new customer with it is still refused.
    assert customer_with_phone("+86 139 0101 2323") == rows[first.pk]
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(name="Fourth", phone="13901012323")


def test_running_it_again_changes_nothing():
    _legacy(("Wang Fang", "139 0101 2323", "13901012323"))
    migration.phones_to_e164(apps, None, out=io.StringIO())
    before = list(Customer.objects.values_list("phone", "phone_normalized", "phone_duplicate"))
    assert migration.phones_to_e164(apps, None, out=io.StringIO()) == ([], [])
    assert list(Customer.objects.values_list("phone", "phone_normalized", "phone_duplicate")) == before


def test_an_old_invalid_phone_is_still_found_by_its_digits(staff_api):
    (odd,) = _legacy(("Odd", "0722.333.444", "0722333444"))
    migration.phones_to_e164(apps, None, out=io.StringIO())
    rows = staff_api.get("/api/customers/", {"search": "0722 333 444"}).json()["results"]
    assert [row["id"] for row in rows] == [odd.pk]
    # Editing the name keeps the old phone as it was; a new invalid one is refused.
    assert staff_api.patch(f"/api/customers/{odd.pk}/", {"name": "Odd Ltd"}, format="json").status_code == 200
    assert (
        staff_api.patch(f"/api/customers/{odd.pk}/", {"phone": "0722 999"}, format="json").status_code == 400
    )
