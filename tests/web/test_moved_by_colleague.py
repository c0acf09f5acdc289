"""A colleague moved the complaint first: the page says who and when, and keeps the text."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from complaints.workflow.transitions import complaint_transition
from tests.factories import CLEAR_STEPS, UserFactory, make_complaint

pytestmark = pytest.mark.django_db

ESTABLISH = dict(CLEAR_STEPS)["establish"]


def test_stage_post_after_a_colleague_moved_it_says_who_and_when_and_keeps_the_text(client):
    li = UserFactory(username="lina", first_name="Li", last_name="Na", role="staff")
    me = UserFactory(username="lin", role="staff")
    moved_at = dt.datetime(2026, 12, 4, 14, 2, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moved_at - dt.timedelta(hours=1), tick=False):
        complaint = make_complaint(by=me)
        complaint, _ = complaint_transition(complaint=complaint, name="listen", data={}, by=me)
    with time_machine.travel(moved_at, tick=False):
        complaint_transition(complaint=complaint, name="establish", data=ESTABLISH, by=li)

    client.force_login(me)
    with time_machine.travel(moved_at + dt.timedelta(minutes=3), tick=False):
        response = client.post(
            f"/complaints/{complaint.pk}/",
            {
                "action": "establish",
                "establish-what_happened": "My own notes, typed for ten minutes.",
                "establish-when_happened": "Yesterday",
                "establish-desired_outcome": "A new kettle",
            },
        )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Li Na moved this complaint to Establish empathy at 14:02." in page
    assert "My own notes, typed for ten minutes." in page
    assert "What you typed (not saved)" in page


def test_moved_message_names_the_username_without_a_full_name_and_reads_in_chinese(client):
    ana = UserFactory(username="ana", first_name="", role="staff")
    me = UserFactory(username="lin", role="staff")
    complaint = make_complaint(by=me)
    complaint_transition(complaint=complaint, name="listen", data={}, by=ana)

    client.force_login(me)
    response = client.post(
        f"/complaints/{complaint.pk}/", {"action": "listen"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 409
    assert "ana 已在" in response.content.decode()
