"""Preventive actions: opened by closing, moved by supervisors, flagged when overdue."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from complaints.exceptions import Conflict
from complaints.models import ComplaintRecord, PreventiveAction
from complaints.reports import prevention
from tests.reports.fixtures import handle, local

pytestmark = pytest.mark.django_db

CLOSED_AT = local(2026, 11, 16, 13)


@pytest.fixture
def action(staff_user):
    handle(
        by=staff_user,
        received=local(2026, 11, 16, 10),
        respond_after=timedelta(minutes=5),
        close_after=timedelta(hours=3),
        cause="defect",
        department="quality",
    )
    return PreventiveAction.objects.get()


def test_closing_opens_a_preventive_action(action):
    assert action.description == "Prevent defect next time."
    assert action.department.code == "quality"
    assert action.status == "open"
    assert action.created_at == CLOSED_AT
    assert action.due_at == CLOSED_AT + timedelta(days=30)
    outcome = ComplaintRecord.objects.get(complaint=action.complaint, kind="outcome")
    assert outcome.data["preventive_action"] == action.description


def test_due_days_come_from_settings(settings, staff_user):
    settings.CLEAR_DESK_REPORTS = {**settings.CLEAR_DESK_REPORTS, "PREVENTIVE_ACTION_DUE_DAYS": 7}
    handle(
        by=staff_user,
        received=local(2026, 11, 16, 10),
        respond_after=timedelta(minutes=5),
        close_after=timedelta(hours=3),
    )
    assert PreventiveAction.objects.get().due_at == CLOSED_AT + timedelta(days=7)


def test_supervisor_moves_done_then_verified_and_the_record_keeps_it(action, supervisor_user):
    at = local(2026, 11, 20, 9)
    action = prevention.preventive_action_set_status(
        action=action, status="done", by=supervisor_user, note="Fixed", now=at
    )
    assert (action.status, action.done_at, action.done_by) == ("done", at, supervisor_user)
    action = prevention.preventive_action_set_status(
        action=action, status="verified", by=supervisor_user, now=at
    )
    assert (action.status, action.verified_by) == ("verified", supervisor_user)
    records = ComplaintRecord.objects.filter(data__action="preventive_action_status").order_by("id")
    assert [(r.data["from"], r.data["to"], r.author_id) for r in records] == [
        ("open", "done", supervisor_user.pk),
        ("done", "verified", supervisor_user.pk),
    ]
    assert records[0].data["note"] == "Fixed"


def test_verified_is_final_and_open_cannot_jump_to_verified(action, supervisor_user):
    with pytest.raises(Conflict):
        prevention.preventive_action_set_status(action=action, status="verified", by=supervisor_user)
    prevention.preventive_action_set_status(action=action, status="done", by=supervisor_user)
    prevention.preventive_action_set_status(action=action, status="verified", by=supervisor_user)
    with pytest.raises(Conflict):
        prevention.preventive_action_set_status(action=action, status="open", by=supervisor_user)


def test_staff_and_managers_may_not_move_actions(action, staff_user, manager_user):
    for user in (staff_user, manager_user):
        with pytest.raises(PermissionDenied):
            prevention.preventive_action_set_status(action=action, status="done", by=user)
    assert PreventiveAction.objects.get().status == "open"


def test_overdue_flagging_is_bulk_and_once(action, supervisor_user, django_assert_num_queries):
    before_due = CLOSED_AT + timedelta(days=29)
    after_due = CLOSED_AT + timedelta(days=31)
    assert prevention.preventive_actions_flag_overdue(before_due) == 0
    assert list(prevention.preventive_actions_overdue(after_due)) == [action]
    with django_assert_num_queries(1):
        assert prevention.preventive_actions_flag_overdue(after_due) == 1
    assert prevention.preventive_actions_flag_overdue(after_due + timedelta(hours=1)) == 0
    action.refresh_from_db()
    assert (action.overdue, action.overdue_since) == (True, after_due)


def test_done_actions_are_not_overdue(action, supervisor_user):
    prevention.preventive_action_set_status(action=action, status="done", by=supervisor_user)
    assert prevention.preventive_actions_flag_overdue(CLOSED_AT + timedelta(days=40)) == 0


def test_overdue_task_runs_on_its_own(action):
    from complaints.reports.tasks import flag_overdue_preventive_actions

    PreventiveAction.objects.update(due_at=local(2020, 1, 1))
    assert flag_overdue_preventive_actions() == {"flagged": 1}


def test_the_deadline_sweep_flags_overdue_preventive_actions(action):
    from complaints.tasks import check_deadlines

    PreventiveAction.objects.update(due_at=local(2020, 1, 1))
    assert check_deadlines()["preventive_actions_flagged"] == 1
    assert PreventiveAction.objects.get().overdue is True
    assert check_deadlines()["preventive_actions_flagged"] == 0


def test_api_lists_for_managers_and_lets_only_supervisors_change(action, api, manager_user, supervisor_user):
    api.force_authenticate(manager_user)
    listed = api.get("/api/preventive-actions/?status=open")
    assert listed.status_code == 200
    assert [a["id"] for a in listed.json()["results"]] == [action.pk]
    assert listed.json()["results"][0]["department"] == "quality"
    assert (
        api.post(
            f"/api/preventive-actions/{action.pk}/status/", {"status": "done"}, format="json"
        ).status_code
        == 403
    )
    api.force_authenticate(supervisor_user)
    answer = api.post(
        f"/api/preventive-actions/{action.pk}/status/", {"status": "done", "note": "ok"}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "done"
    assert (
        api.post(
            f"/api/preventive-actions/{action.pk}/status/", {"status": "done"}, format="json"
        ).status_code
        == 409
    )
    assert (
        api.post(
            f"/api/preventive-actions/{action.pk}/status/", {"status": "nope"}, format="json"
        ).status_code
        == 400
    )
    assert (
        api.post("/api/preventive-actions/999999/status/", {"status": "done"}, format="json").status_code
        == 404
    )


def test_staff_cannot_read_preventive_actions(action, staff_api):
    assert staff_api.get("/api/preventive-actions/").status_code == 403


def test_page_button_marks_done(action, client, supervisor_user):
    client.force_login(supervisor_user)
    answer = client.post(
        f"/reports/preventive-actions/{action.pk}/status/", {"status": "done", "week": "2026-W47"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/reports/weekly/?week=2026-W47"
    assert PreventiveAction.objects.get().status == "done"
    again = client.post(f"/reports/preventive-actions/{action.pk}/status/", {"status": "done"}, follow=True)
    assert again.status_code == 200
    assert "cannot become" in again.content.decode()
