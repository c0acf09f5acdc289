"""Each CLEAR transition's behaviour is declared once, on the model."""

import pytest

from complaints.models import Complaint, ComplaintRecord, Stage
from complaints.workflow import transitions
from tests.factories import make_complaint, walk

pytestmark = pytest.mark.django_db


def test_every_stage_has_one_way_out_with_its_button_and_known_steps():
    for stage in Stage.values:
        name, custom = Complaint.transition_leaving(stage)
        assert getattr(Complaint, name)
        assert str(custom["button"])
        assert set(custom.get("checks", ())) <= set(transitions.CHECKS)
        assert set(custom.get("prepare", ())) <= set(transitions.PREPARE)
        assert set(custom.get("after", ())) <= set(transitions.AFTER)


def test_reopen_files_its_reason_and_restarts_the_resolution_window(staff_user, client):
    c = walk(make_complaint(by=staff_user), staff_user, "closed")
    old_resolve_by = c.resolve_by
    c, _warnings = transitions.complaint_transition(
        complaint=c, name="reopen", data={"reason": "The replacement leaks too."}, by=staff_user
    )
    assert c.stage == Stage.LISTEN and c.closed_at is None and c.resolve_by > old_resolve_by
    entry = c.records.filter(kind=ComplaintRecord.Kind.PROCESS).last()
    assert entry.data["transition"] == "reopen" and entry.data["reason"] == "The replacement leaks too."
    client.force_login(staff_user)
    assert "The replacement leaks too." in client.get(f"/complaints/{c.pk}/").content.decode()


def test_the_page_shows_the_declared_button(staff_user, client):
    c = make_complaint(by=staff_user)
    client.force_login(staff_user)
    page = client.get(f"/complaints/{c.pk}/").content.decode()
    assert "Take it and start listening" in page and "you become its owner" in page
    page = client.get(f"/complaints/{c.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Take it and start listening" not in page
