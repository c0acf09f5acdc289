import pytest

from tests.factories import CustomerFactory, make_complaint, walk


@pytest.fixture
def found(staff_user):
    """A closed complaint from 王芳 (phone stored as typed: 13901012323), an open one from
    Io Green, and one from Bo Chen that neither should turn up for."""
    wang = CustomerFactory(name="王芳", phone="13901012323", email="fang.wang@example.cn")
    al = CustomerFactory(name="Io Green", phone="+44 20 7946 0018", email="io.green@example.com")
    bo = CustomerFactory(name="Bo Chen", phone="+86 138 0000 0001", email="bo@example.org")
    closed = make_complaint(by=staff_user, customer=wang, content="The kettle lid snapped off.")
    closed = walk(closed, staff_user)
    opened = make_complaint(by=staff_user, customer=al, content="The parcel arrived broken.")
    other = make_complaint(by=staff_user, customer=bo, content="Nobody answered the billing line.")
    return {"closed": closed, "open": opened, "other": other}
