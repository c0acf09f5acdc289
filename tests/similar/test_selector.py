"""How did we resolve this before? (complaints.workflow.similar): the customer's own closed
complaints first, then the same category or product by closeness of wording; closed only,
earlier only, readable only, at most five."""

import pytest

from complaints.models import Complaint
from complaints.workflow import similar
from tests.factories import make_complaint

from .conftest import closed_case

pytestmark = pytest.mark.django_db


def refs(found):
    return [s.complaint.reference for s in found]


def test_the_customer_first_then_the_product_then_the_category_by_wording(staff_user, cases):
    new = cases["new"]
    Complaint.objects.filter(pk=new.pk).update(product="kettle k-40")
    new.refresh_from_db()
    found = similar.similar_complaints(complaint=new, user=staff_user)
    assert refs(found) == [
        # Wang's own, newest closing first, whatever they were about...
        cases["wang_billing"].reference,
        cases["wang_old"].reference,
        # ...then the same product (any case, another category)...
        cases["same_product"].reference,
        # ...then the same category, by how much the words have in common.
        cases["close_words"].reference,
        cases["some_words"].reference,
    ]
    assert [(s.same_customer, s.same_product) for s in found] == [
        (True, False),
        (True, False),
        (False, True),
        (False, False),
        (False, False),
    ]
    assert found[3].similarity > found[4].similarity > 0
    # Each case carries how it was resolved.
    first = found[3].complaint
    assert first.resolution == "full" and first.remedy and first.root_cause.code == "process_gap"


def test_without_the_product_only_the_category_is_compared(staff_user, cases):
    found = similar.similar_complaints(complaint=cases["new"], user=staff_user)
    shown = refs(found)
    assert cases["same_product"].reference not in shown
    assert shown[2:] == [
        cases["close_words"].reference,
        cases["some_words"].reference,
        cases["other_words"].reference,
    ]


def test_the_same_product_is_found_in_another_category(staff_user, cases):
    new = cases["new"]
    Complaint.objects.filter(pk=new.pk).update(product="KETTLE K-40")
    new.refresh_from_db()
    found = similar.similar_complaints(complaint=new, user=staff_user)
    assert refs(found)[2] == cases["same_product"].reference
    # Another category and another product: never, however alike the words.
    assert cases["other_category"].reference not in refs(found)


def test_only_closed_and_earlier_complaints_never_itself(staff_user, cases):
    found = refs(similar.similar_complaints(complaint=cases["new"], user=staff_user, limit=5))
    assert cases["still_open"].reference not in found
    assert cases["new"].reference not in found
    # Seen from an older complaint, the ones received after it are not "before".
    older = similar.similar_complaints(complaint=cases["close_words"], user=staff_user)
    assert cases["some_words"].reference not in refs(older)
    assert cases["close_words"].reference not in refs(older)


def test_at_most_five(staff_user, cases):
    for days in range(30, 36):
        closed_case(staff_user, days_ago=days, customer=cases["wang"], content="Lid snapped.")
    found = similar.similar_complaints(complaint=cases["new"], user=staff_user, limit=50)
    assert len(found) == 5 and all(s.same_customer for s in found)


def test_only_for_those_who_may_read_complaints(no_role_user, manager_user, cases):
    assert similar.similar_complaints(complaint=cases["new"], user=no_role_user) == []
    # A manager reads every complaint (complaints.access), so sees the same cases.
    assert len(similar.similar_complaints(complaint=cases["new"], user=manager_user)) == 5


def test_a_first_complaint_has_none(staff_user):
    assert similar.similar_complaints(complaint=make_complaint(by=staff_user), user=staff_user) == []


def test_one_query(staff_user, cases, django_assert_num_queries):
    similar.similar_complaints(complaint=cases["new"], user=staff_user)  # the role, read once
    with django_assert_num_queries(1):
        similar.similar_complaints(complaint=cases["new"], user=staff_user)


def test_the_python_measure_follows_pg_trgm():
    assert similar.similarity("kettle", "kettle") == 1.0
    assert similar.similarity("kettle", "") == 0.0
    assert similar.trigrams("Cat") == {"  c", " ca", "cat", "at "}
    close = similar.similarity("the kettle lid snapped", "the kettle lid broke")
    far = similar.similarity("the kettle lid snapped", "charged twice")
    assert close > far
