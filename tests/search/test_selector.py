"""The one search rule (complaints.workflow.search): every complaint a user may read, open
and closed, by reference, customer name, phone, email or the complaint's own words."""

import pytest
from django.utils import timezone

from complaints.models import Complaint
from complaints.workflow import search
from customers.models import Customer
from tests.factories import CustomerFactory, make_complaint


def refs(user, query):
    return [c.reference for c in search.complaint_search(user=user, query=query)]


@pytest.mark.parametrize(
    "query",
    [
        "{ref}",  # the whole reference
        "{ref_lower_part}",  # part of it, any case
        "王芳",  # a two-character Chinese name
        "芳",  # one Chinese character is enough
        "+86 139-0101-2323",  # the phone in another format than it was stored in
        "139 0101 2323",
        "0101-2323",  # part of the phone
        "fang.wang@example.cn",  # email
        "FANG.WANG",  # part of the email, any case
        "kettle",  # a word the customer said
        "LID SNAPPED",
        "１３９０１０１２３２３",  # full-width digits from a Chinese input method
    ],
)
def test_a_closed_complaint_is_found(staff_user, found, query):
    closed = found["closed"]
    assert closed.stage == "closed" and closed.closed_at
    query = query.format(ref=closed.reference, ref_lower_part=closed.reference[2:-1].lower())
    assert refs(staff_user, query) == [closed.reference]


def test_two_latin_letters_find_a_name(staff_user, found):
    assert refs(staff_user, "io") == [found["open"].reference]
    assert refs(staff_user, "Bo") == [found["other"].reference]


def test_open_ones_first_then_the_most_recent(staff_user, found):
    # All three have "example" in the customer's email.
    later = make_complaint(
        by=staff_user,
        customer=CustomerFactory(name="Cy Dee", phone="+1 555 0100", email="cy@example.net"),
        now=timezone.now() + timezone.timedelta(minutes=5),
    )
    assert refs(staff_user, "example") == [
        later.reference,
        found["other"].reference,
        found["open"].reference,
        found["closed"].reference,
    ]


@pytest.mark.parametrize("query", ["", "   ", "a", "7", "\x07", "é"])
def test_too_short_finds_nothing_rather_than_everything(staff_user, found, query):
    assert not search.is_long_enough(query)
    assert search.complaint_match(query) is None
    assert refs(staff_user, query) == []


@pytest.mark.parametrize("query", ["%", "__", "%%", "_a", "'; DROP TABLE x; --", "a" * 5000, "😀😀", "\\\\"])
def test_odd_input_is_searched_as_text(staff_user, found, query):
    assert refs(staff_user, query) == []


def test_a_user_who_may_not_read_complaints_finds_none(no_role_user, found):
    assert refs(no_role_user, found["closed"].reference) == []
    assert refs(no_role_user, "王芳") == []


def test_every_desk_role_finds_closed_complaints(manager_user, supervisor_user, found):
    for user in (manager_user, supervisor_user):
        assert refs(user, "王芳") == [found["closed"].reference]


def test_one_query_however_many_match(staff_user, found, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(search.complaint_search(user=staff_user, query="example"))
        assert [r.customer.name for r in rows]  # the customer comes in the same query
    for i in range(20):
        make_complaint(by=staff_user, customer=CustomerFactory(email=f"more{i}@example.com"))
    with django_assert_num_queries(1):
        rows = list(search.complaint_search(user=staff_user, query="example"))
        assert len(rows) == 23 and [r.customer.name for r in rows]
    assert Complaint.objects.count() == 23


def test_a_phone_stored_before_numbers_were_kept_in_e164_is_found(staff_user, found):
    """Phones stored as digits only (13901012323) are found by the number typed with its
    country code, and by part of it."""
    closed = found["closed"]
    Customer.objects.filter(pk=closed.customer_id).update(phone_normalized="13901012323")
    for typed in ("+86 139-0101-2323", "0086 139 0101 2323", "13901012323", "0101-2323"):
        assert refs(staff_user, typed) == [closed.reference], typed
