"""One escalate(): the manual action, the deadline sweep and a low satisfaction score all
raise the level by one, give the reason and the time, and clear the acknowledgement."""

from datetime import timedelta

import pytest

from complaints.deadlines.sweep import complaints_check_deadlines
from complaints.escalations import queue, services
from complaints.escalations.rules import is_low_satisfaction
from complaints.models import Complaint, Notification
from complaints.workflow import satisfaction
from tests.factories import UserFactory, make_complaint, walk

pytestmark = pytest.mark.django_db


def test_manual_then_sweep_then_low_score_each_raise_the_level_by_one(staff_user, supervisor_user):
    c = make_complaint(by=staff_user)
    walk(c, staff_user, "listen")
    c = services.complaint_escalate(complaint=c, data={"reason": "asked for a manager"}, by=staff_user)
    assert (c.escalation_level, c.escalation_reason) == (1, "asked for a manager")
    services.complaint_acknowledge_escalation(complaint=c, data={}, by=supervisor_user)
    later = Complaint.objects.get(pk=c.pk).resolve_by + timedelta(minutes=5)
    complaints_check_deadlines(now=later)
    c.refresh_from_db()
    assert c.escalation_level == 2 and c.escalation_acknowledged_at is None
    assert c.escalated_at == c.resolve_by
    walk(c, staff_user, "closed")
    c = satisfaction.complaint_record_satisfaction(
        complaint=c, data={"score": 2, "comment": "nobody called"}, by=staff_user, now=later
    )
    c.refresh_from_db()
    assert c.escalation_level == 3 and c.escalated_at == later and c.escalation_acknowledged_at is None
    assert "2 out of 5" in c.escalation_reason


def test_a_low_score_entered_by_staff_escalates_the_closed_complaint_into_the_queue(
    staff_user, supervisor_user, settings
):
    supervisor = UserFactory(username="zhao", email="zhao@example.com", role="supervisor")
    c = make_complaint(by=staff_user)
    walk(c, staff_user, "closed")
    satisfaction.complaint_record_satisfaction(
        complaint=c, data={"score": 1, "comment": "rude"}, by=staff_user
    )
    c.refresh_from_db()
    assert c.escalated and c.escalation_level == 1
    (row,) = queue.escalation_queue()
    assert row.pk == c.pk and row.follow_up
    mail = Notification.objects.get(to=supervisor.email)
    assert c.reference in mail.subject and "rude" in mail.body
    # Acknowledged, it leaves the queue (closed: nothing more to watch).
    services.complaint_acknowledge_escalation(complaint=c, data={"note": "called back"}, by=supervisor_user)
    assert queue.escalation_queue() == []


def test_the_threshold_is_one_setting(staff_user, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "LOW_SATISFACTION_AT_MOST": 3}
    c = make_complaint(by=staff_user)
    walk(c, staff_user, "closed")
    satisfaction.complaint_record_satisfaction(complaint=c, data={"score": 3, "comment": ""}, by=staff_user)
    c.refresh_from_db()
    assert c.escalated and c.escalation_level == 1
    assert is_low_satisfaction(3) and not is_low_satisfaction(4)


def test_score_three_by_default_escalates_nothing(staff_user):
    c = make_complaint(by=staff_user)
    walk(c, staff_user, "closed")
    satisfaction.complaint_record_satisfaction(complaint=c, data={"score": 3, "comment": ""}, by=staff_user)
    c.refresh_from_db()
    assert not c.escalated and c.escalation_level == 0
