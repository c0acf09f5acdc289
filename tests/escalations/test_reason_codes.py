"""Reasons the desk writes itself are stored as a code and worded for each reader."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from complaints.deadlines import sweep
from complaints.escalations import services
from complaints.models import Complaint
from complaints.notifications.messages import escalation_reason_text
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
TUESDAY_10 = dt.datetime(2026, 11, 17, 10, 0, tzinfo=SH)


def breached(staff):
    complaint = make_complaint(by=staff, now=TUESDAY_10)  # respond by 11:00
    sweep.complaints_check_deadlines(now=TUESDAY_10 + dt.timedelta(minutes=75))
    return Complaint.objects.get(pk=complaint.pk)


def test_sweep_stores_the_breach_as_a_code_and_its_values(staff_user):
    complaint = breached(staff_user)
    assert complaint.escalation_reason_code == "respond_breach"
    assert dt.datetime.fromisoformat(
        complaint.escalation_reason_values["deadline"]
    ) == TUESDAY_10 + dt.timedelta(hours=1)
    assert "response deadline" in complaint.escalation_reason  # the text is still written


def test_the_same_code_reads_in_each_readers_language(client, staff_user, supervisor_user):
    complaint = breached(staff_user)
    client.force_login(supervisor_user)
    english = client.get("/escalations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/escalations/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Nobody took the complaint by" in english
    assert "仍无人受理该投诉" in chinese
    assert "Nobody took the complaint by" not in chinese
    with translation.override("zh-hans"):
        assert "仍无人受理该投诉（响应期限）" in escalation_reason_text(complaint)


def test_low_satisfaction_is_stored_as_a_code(staff_user):
    from complaints.workflow import satisfaction

    complaint = make_complaint(by=staff_user)
    Complaint.objects.filter(pk=complaint.pk).update(stage="closed")
    satisfaction.complaint_record_customer_satisfaction(
        complaint=complaint, data={"score": 2, "comment": ""}, source="survey"
    )
    complaint.refresh_from_db()
    assert (complaint.escalation_reason_code, complaint.escalation_reason_values) == (
        "low_satisfaction",
        {"score": 2},
    )
    with translation.override("en"):
        assert escalation_reason_text(complaint) == "The customer rated the outcome 2 out of 5."
    with translation.override("zh-hans"):
        assert escalation_reason_text(complaint) == "客户对处理结果的评分为 2 分（满分 5 分）。"


def test_a_typed_reason_stays_as_typed_in_every_language(client, staff_user, supervisor_user):
    complaint = services.complaint_escalate(
        complaint=make_complaint(by=staff_user), data={"reason": "Customer wants a manager."}, by=staff_user
    )
    assert (complaint.escalation_reason_code, complaint.escalation_reason_values) == ("", None)
    client.force_login(supervisor_user)
    for language in ("en", "zh-hans"):
        page = client.get("/escalations/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert "Customer wants a manager." in page


def test_a_typed_escalation_replaces_an_earlier_code(staff_user, supervisor_user):
    complaint = breached(staff_user)
    services.complaint_escalate(
        complaint=complaint, data={"reason": "Calling in a manager.", "level": 2}, by=supervisor_user
    )
    complaint.refresh_from_db()
    assert (complaint.escalation_reason_code, complaint.escalation_reason_values) == ("", None)
    with translation.override("zh-hans"):
        assert escalation_reason_text(complaint) == "Calling in a manager."


def test_old_rows_with_only_text_keep_their_text(staff_user):
    complaint = make_complaint(by=staff_user)
    Complaint.objects.filter(pk=complaint.pk).update(
        escalated=True, escalation_level=1, escalation_reason="Written before codes."
    )
    complaint.refresh_from_db()
    with translation.override("zh-hans"):
        assert escalation_reason_text(complaint) == "Written before codes."
