"""One customer, one record, whatever the phone format (issue 16, point 2)."""

import pytest
from django.test import Client

from complaints.models import Complaint
from customers.models import Customer
from customers.phones import InvalidPhone, normalize_phone, parse_phone
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

SAME_NUMBER = [
    "139 0101 2323",
    "+86 139-0101-2323",
    "0086 13901012323",
    "13901012323",
    "(139) 0101-2323",
    "１３９ ０１０１ ２３２３",  # full-width digits (a Chinese input method)
    "＋８６ １３９－０１０１－２３２３",  # full-width plus and dashes
    "+86 (139) 0101.2323",
]


@pytest.mark.parametrize("typed", SAME_NUMBER)
def test_every_format_of_a_number_is_one_e164_number(typed):
    assert normalize_phone(typed) == parse_phone(typed) == "+8613901012323"


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("010 6552 9988", "+861065529988"),  # a Beijing landline with its trunk 0
        ("+1 650 253 0000", "+16502530000"),
        ("0044 20 7946 0018", "+442079460018"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_other_numbers_and_blank(typed, e164):
    assert parse_phone(typed) == e164


@pytest.mark.parametrize("typed", ["123", "555 0101", "0722.333.444", "n/a", "+86 139 0101", "call me"])
def test_an_invalid_number_is_refused_clearly(typed):
    with pytest.raises(InvalidPhone) as refused:
        parse_phone(typed)
    assert "not a valid phone number" in str(refused.value.message)
    assert normalize_phone(typed) == ""  # the lenient form: "" for a search box


def test_the_default_region_is_a_setting(settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "PHONE_DEFAULT_REGION": "US"}
    assert parse_phone("650 253 0000") == "+16502530000"
    assert parse_phone("0086 139 0101 2323") == "+8613901012323"  # 00 still means international
    with pytest.raises(InvalidPhone):
        parse_phone("139 0101 2323")


def test_a_customer_is_stored_in_e164():
    customer = CustomerFactory(phone="139 0101 2323")
    customer.refresh_from_db()
    assert (customer.phone, customer.phone_normalized) == ("+8613901012323", "+8613901012323")


@pytest.mark.parametrize("second", ["+86 139-0101-2323", "0086 13901012323", "１３９０１０１２３２３"])
def test_the_api_refuses_a_second_customer_with_the_same_number(staff_api, second):
    first = staff_api.post("/api/customers/", {"name": "Wang Fang", "phone": "139 0101 2323"}).json()
    assert first["phone"] == "+8613901012323"
    response = staff_api.post("/api/customers/", {"name": "W. Fang", "phone": second})
    assert response.status_code == 400
    assert f"belongs to customer #{first['id']}" in response.json()["phone"][0]
    assert Customer.objects.count() == 1


def test_the_api_treats_138_with_and_without_86_as_one_customer(staff_api):
    staff_api.post("/api/customers/", {"name": "Li Lei", "phone": "+86 138 0013 8000"})
    assert staff_api.post("/api/customers/", {"name": "Li", "phone": "138 0013 8000"}).status_code == 400


def test_the_api_answers_400_for_an_invalid_number(staff_api):
    response = staff_api.post("/api/customers/", {"name": "Ghost", "phone": "12345"})
    assert response.status_code == 400
    assert "not a valid phone number" in response.json()["phone"][0]
    created = staff_api.post("/api/customers/", {"name": "Li", "phone": "13800138000"}).json()
    patched = staff_api.patch(f"/api/customers/{created['id']}/", {"phone": "0000"}, format="json")
    assert patched.status_code == 400 and "phone" in patched.json()


@pytest.mark.parametrize("query", [*SAME_NUMBER, "0101 2323", "139-0101"])
def test_the_api_search_finds_the_customer_in_any_format(staff_api, query):
    customer = CustomerFactory(name="Wang Fang", phone="+86 139 0101 2323")
    CustomerFactory(name="Someone Else", phone="+86 138 0013 8000")
    rows = staff_api.get("/api/customers/", {"search": query}).json()["results"]
    assert [row["id"] for row in rows] == [customer.pk]


def _intake(client, phone, **extra):
    return client.post(
        "/complaints/new/",
        {
            "new_customer_name": "W. Fang",
            "new_customer_phone": phone,
            "channel": "phone",
            "category": "product_quality",
            "severity": "minor",
            "content": "The kettle leaks again.",
            **extra,
        },
    )


@pytest.mark.parametrize("typed", ["+86 139-0101-2323", "0086 13901012323"])
def test_intake_says_whose_number_it_is_and_offers_that_customer(client, staff_user, typed):
    owner = CustomerFactory(name="Wang Fang", phone="139 0101 2323")
    client.force_login(staff_user)
    response = _intake(client, typed)
    html = response.content.decode()
    assert response.status_code == 400
    assert f"This phone number belongs to customer #{owner.pk} (Wang Fang)." in html
    assert 'id="use-phone-owner"' in html and f'data-customer-id="{owner.pk}"' in html
    assert "The kettle leaks again." in html  # nothing typed is lost
    assert Customer.objects.count() == 1 and not Complaint.objects.exists()


def test_intake_refuses_an_invalid_number_as_a_form_error(client, staff_user):
    client.force_login(staff_user)
    response = _intake(client, "12 34")
    assert response.status_code == 400
    assert "not a valid phone number" in response.content.decode()
    assert not Customer.objects.exists()


def test_intake_stores_a_new_customer_in_e164(client, staff_user):
    client.force_login(staff_user)
    assert _intake(client, "0086 139 0101 2323").status_code == 302
    assert Customer.objects.get().phone == "+8613901012323"


PUBLIC = {"name": "Wang Fang", "email": "", "what_happened": "Broken.", "desired_outcome": "A new one."}


@pytest.mark.parametrize("typed", ["+86 139-0101-2323", "0086 13901012323", "１３９ ０１０１ ２３２３"])
def test_the_public_form_finds_the_customer_in_any_format(typed):
    known = CustomerFactory(name="Wang F.", phone="139 0101 2323")
    response = Client().post("/submit/", {**PUBLIC, "phone": typed})
    assert response.status_code == 302
    assert Customer.objects.count() == 1
    assert Complaint.objects.get().customer == known


def test_the_public_form_refuses_an_invalid_number():
    response = Client().post("/submit/", {**PUBLIC, "phone": "123 456"})
    assert response.status_code == 400
    assert "not a valid phone number" in response.content.decode()
    assert not Customer.objects.exists()
