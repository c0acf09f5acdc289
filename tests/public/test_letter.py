import pytest

from customers.models import Customer
from tests.factories import CustomerFactory, make_complaint

from .flow import close_complaint

pytestmark = pytest.mark.django_db


def test_thank_you_letter_gives_the_customer_message_and_the_signatory(client, staff_user, settings):
    settings.CLEAR_DESK = {
        **settings.CLEAR_DESK,
        "LETTER_SIGNATORY": "Chen Jie",
        "LETTER_SIGNATORY_TITLE": "Head of Service",
    }
    customer = CustomerFactory(name="Wang Fang")
    complaint = close_complaint(
        make_complaint(by=staff_user, customer=customer),
        staff_user,
        customer_message="We sent you a new kettle and now pack every kettle in a double box.",
    )
    client.force_login(staff_user)
    with_queries = client.get(f"/complaints/{complaint.pk}/letter/")
    assert with_queries.status_code == 200
    html = with_queries.content.decode()
    assert "Dear Wang Fang" in html
    # Issue 16: the letter gives the message written for the customer, not the internal notes.
    assert "We sent you a new kettle and now pack every kettle in a double box." in html
    assert "Fragile goods now ship in double boxes." not in html
    assert "Chen Jie" in html and "Head of Service" in html
    assert complaint.reference in html
    assert "customers.css" in html  # the print styles


def test_letter_is_in_the_customers_language(client, staff_user):
    customer = CustomerFactory(
        name="王芳", preferred_language=Customer._meta.get_field("preferred_language").choices[1][0]
    )
    complaint = close_complaint(make_complaint(by=staff_user, customer=customer), staff_user)
    client.force_login(staff_user)
    html = client.get(f"/complaints/{complaint.pk}/letter/").content.decode()
    assert "王芳" in html
    assert "Dear" not in html
    assert "尊敬的" in html


def test_letter_waits_for_closing_and_needs_a_role(client, staff_user, no_role_user):
    complaint = make_complaint(by=staff_user)
    client.force_login(staff_user)
    assert client.get(f"/complaints/{complaint.pk}/letter/").status_code == 404
    assert client.get("/complaints/999999/letter/").status_code == 404
    client.force_login(no_role_user)
    assert client.get(f"/complaints/{complaint.pk}/letter/").status_code == 403
