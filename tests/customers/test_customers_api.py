import pytest

from customers.phones import normalize_phone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("+86 138-0013-8000", "+8613800138000"),
        ("+86 (138) 0013 8000", "+8613800138000"),
        ("１３８ ００１３ ８０００", "+8613800138000"),
        ("＋86 138 0013 8000", "+8613800138000"),
        ("0722.333.444", ""),  # not a valid number (issue 16: E.164 or nothing)
        ("", ""),
        ("n/a", ""),
    ],
)
def test_normalize_phone(typed, normal):
    assert normalize_phone(typed) == normal


def test_customer_is_found_however_the_phone_is_typed(staff_api):
    created = staff_api.post("/api/customers/", {"name": "Wang Fang", "phone": "+86 138-0013-8000"}).json()
    for query in ["13800138000", "138 0013 8000", "138-0013", "wang"]:
        rows = staff_api.get("/api/customers/", {"search": query}).json()["results"]
        assert [r["id"] for r in rows] == [created["id"]], query
    assert staff_api.get("/api/customers/", {"search": "nobody"}).json()["results"] == []


def test_same_phone_twice_is_refused_with_a_pointer_to_the_existing_customer(staff_api):
    first = staff_api.post("/api/customers/", {"name": "Wang Fang", "phone": "13800138000"}).json()
    response = staff_api.post("/api/customers/", {"name": "W. Fang", "phone": "138 0013 8000"})
    assert response.status_code == 400
    assert f"#{first['id']}" in response.json()["phone"][0]


def test_customer_needs_a_way_to_be_reached(staff_api):
    response = staff_api.post("/api/customers/", {"name": "Ghost"})
    assert response.status_code == 400
    assert "phone" in response.json()
    response = staff_api.post("/api/customers/", {"name": "Ghost", "email": "not-an-email"})
    assert response.status_code == 400
    assert "email" in response.json()


def test_tier_is_read_only(staff_api):
    created = staff_api.post("/api/customers/", {"name": "A", "phone": "13900000001", "tier": "A"}).json()
    assert created["tier"] == "D"
    response = staff_api.patch(f"/api/customers/{created['id']}/", {"tier": "A"}, format="json")
    assert response.status_code == 200
    assert response.json()["tier"] == "D"


def test_update_keeps_phone_normalised(staff_api):
    created = staff_api.post("/api/customers/", {"name": "A", "phone": "13900000111"}).json()
    staff_api.patch(f"/api/customers/{created['id']}/", {"phone": "139 0022 2333"}, format="json")
    rows = staff_api.get("/api/customers/", {"search": "13900222333"}).json()["results"]
    assert [r["id"] for r in rows] == [created["id"]]
