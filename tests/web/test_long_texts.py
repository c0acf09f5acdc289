"""Long texts on the complaint page are collapsed behind "Show all"; short ones are not."""

import pytest

from tests.factories import CustomerFactory, UserFactory, make_complaint

pytestmark = pytest.mark.django_db


def test_fifty_thousand_characters_of_content_are_collapsible(client):
    me = UserFactory(username="lin", role="staff")
    long = make_complaint(by=me, content="The kettle leaks. " * 2800)
    # Without email: the acknowledgement filed on the timeline is a long text of its own.
    short = make_complaint(by=me, content="The kettle leaks.", customer=CustomerFactory(email=""))
    client.force_login(me)

    page = client.get(f"/complaints/{long.pk}/").content.decode()
    assert page.count("data-long-text") >= 2  # the summary and the filed record
    assert "data-show-all" in page and "Show all" in page
    assert "The kettle leaks. " * 50 in page  # all of it is there, only folded

    assert "data-long-text" not in client.get(f"/complaints/{short.pk}/").content.decode()


def test_show_all_reads_in_chinese(client):
    me = UserFactory(username="lin", role="staff")
    long = make_complaint(by=me, content="水壶漏水。" * 400)
    client.force_login(me)

    page = client.get(f"/complaints/{long.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "显示全部" in page
