"""Issue 16, point 9: one preventive action per complaint and root cause; done is never overdue."""

from datetime import timedelta

import pytest

from complaints.models import PreventiveAction
from complaints.reports import compose, prevention, weeks
from tests.reports.fixtures import WEEK, close, handle, local, move

pytestmark = pytest.mark.django_db

RECEIVED = local(2026, 11, 16, 10)
CLOSED_AT = RECEIVED + timedelta(hours=3)


def _reopen_and_walk(complaint, by, at):
    complaint, _w = move(complaint, "reopen", {"reason": "It broke again."}, by, at)
    steps = [
        ("establish", {"what_happened": "Broken again", "when_happened": "Tue", "desired_outcome": "Refund"}),
        ("apologize", {"restatement": "It broke again.", "customer_confirmed": True}),
        ("resolve", {"apology": "I am sorry for the trouble."}),
    ]
    for i, (name, data) in enumerate(steps, start=1):
        complaint, _w = move(complaint, name, data, by, at + timedelta(minutes=i))
    return complaint


@pytest.fixture
def closed(staff_user):
    complaint, _w = handle(
        by=staff_user,
        received=RECEIVED,
        respond_after=timedelta(minutes=5),
        close_after=timedelta(hours=3),
        cause="supplier",
    )
    return complaint


def test_reopened_and_closed_again_for_the_same_cause_keeps_one_action(closed, staff_user):
    first = PreventiveAction.objects.get()
    complaint = _reopen_and_walk(closed, staff_user, local(2026, 11, 17, 9))
    close(complaint, staff_user, local(2026, 11, 17, 10), cause="supplier", department="quality")
    action = PreventiveAction.objects.get()  # still one
    assert action.pk == first.pk
    assert action.root_cause.code == "supplier"
    assert action.department.code == "quality"  # the later closing's owner, while still open
    assert action.due_at == first.due_at
    report = compose.build_report(weeks.parse_week(WEEK), now=local(2026, 11, 23, 10))
    assert [a["complaint"] for a in report["preventive"]["actions"]] == [closed.reference]
    assert report["preventive"]["opened"] == 1


def test_a_done_action_is_not_rewritten_by_a_later_closing(closed, staff_user, supervisor_user):
    action = PreventiveAction.objects.get()
    prevention.preventive_action_set_status(action=action, status="done", by=supervisor_user)
    complaint = _reopen_and_walk(closed, staff_user, local(2026, 11, 17, 9))
    close(complaint, staff_user, local(2026, 11, 17, 10), cause="supplier", department="quality")
    action.refresh_from_db()
    assert PreventiveAction.objects.count() == 1
    assert (action.status, action.department.code) == ("done", "logistics")


def test_closed_again_for_another_cause_is_another_action(closed, staff_user):
    complaint = _reopen_and_walk(closed, staff_user, local(2026, 11, 17, 9))
    close(complaint, staff_user, local(2026, 11, 17, 10), cause="defect", department="quality")
    assert sorted(PreventiveAction.objects.values_list("root_cause__code", flat=True)) == [
        "defect",
        "supplier",
    ]


def test_existing_duplicates_show_once_in_the_report(closed):
    """Rows filed before the fix (two actions for one closing twice) count once."""
    first = PreventiveAction.objects.get()
    PreventiveAction.objects.create(
        complaint=closed,
        root_cause=first.root_cause,
        description=first.description,
        department=first.department,
        due_at=first.due_at + timedelta(hours=1),
        created_at=first.created_at + timedelta(hours=1),
    )
    report = compose.build_report(weeks.parse_week(WEEK), now=local(2026, 11, 23, 10))
    assert len(report["preventive"]["actions"]) == 1
    assert report["preventive"]["opened"] == 1
    assert report["preventive"]["open_at_end"] == 1


# --- overdue: one rule ----------------------------------------------------------------

DUE = CLOSED_AT + timedelta(days=30)


@pytest.mark.parametrize(
    ("status", "done_after_days", "asked_after_days", "overdue"),
    [
        ("open", None, 29, False),  # not due yet
        ("open", None, 31, True),  # open and past due
        ("done", 10, 31, False),  # done before it was due
        ("done", 35, 40, False),  # done late: no longer overdue once done
        ("done", 35, 31, True),  # ... but it was overdue before it was done (the report's history)
        ("verified", 10, 60, False),
    ],
)
def test_overdue_rule(closed, supervisor_user, status, done_after_days, asked_after_days, overdue):
    action = PreventiveAction.objects.get()
    if done_after_days is not None:
        done_at = CLOSED_AT + timedelta(days=done_after_days)
        prevention.preventive_action_set_status(action=action, status="done", by=supervisor_user, now=done_at)
        if status == "verified":
            prevention.preventive_action_set_status(
                action=action, status="verified", by=supervisor_user, now=done_at
            )
    at = CLOSED_AT + timedelta(days=asked_after_days)
    assert PreventiveAction.objects.filter(prevention.overdue_q(at)).exists() is overdue
    assert prevention.with_overdue(PreventiveAction.objects, at).get().is_overdue is overdue


def test_done_clears_the_flag_and_the_task_never_flags_it_again(closed, supervisor_user):
    action = PreventiveAction.objects.get()
    late = DUE + timedelta(days=1)
    assert prevention.preventive_actions_flag_overdue(late) == 1
    prevention.preventive_action_set_status(action=action, status="done", by=supervisor_user, now=late)
    action.refresh_from_db()
    assert (action.overdue, action.overdue_since) == (False, None)
    assert prevention.preventive_actions_flag_overdue(late + timedelta(days=5)) == 0
    # Not done after all: open again, and overdue again.
    prevention.preventive_action_set_status(action=action, status="open", by=supervisor_user, now=late)
    assert prevention.preventive_actions_flag_overdue(late + timedelta(days=6)) == 1


def test_api_and_page_say_a_done_action_is_not_overdue(closed, api, client, supervisor_user):
    action = PreventiveAction.objects.get()
    PreventiveAction.objects.update(due_at=local(2020, 1, 1))
    prevention.preventive_action_set_status(action=action, status="done", by=supervisor_user)
    PreventiveAction.objects.update(overdue=True)  # a stale flag from before the fix
    api.force_authenticate(supervisor_user)
    listed = api.get("/api/preventive-actions/").json()["results"]
    assert [(a["id"], a["status"], a["overdue"], a["root_cause"]) for a in listed] == [
        (action.pk, "done", False, "supplier")
    ]
    assert api.get("/api/preventive-actions/?overdue=true").json()["results"] == []
    assert len(api.get("/api/preventive-actions/?overdue=false").json()["results"]) == 1
    client.force_login(supervisor_user)
    page = client.get(f"/reports/weekly/?week={WEEK}").content.decode()
    actions = page[page.index('id="actions-h"') :]
    assert closed.reference in actions
    assert 'class="overdue"' not in actions and "<strong>overdue</strong>" not in actions


def test_api_and_page_say_an_open_action_past_due_is_overdue(closed, api, client, supervisor_user):
    PreventiveAction.objects.update(due_at=local(2020, 1, 1))  # not flagged by the task yet
    api.force_authenticate(supervisor_user)
    assert [a["overdue"] for a in api.get("/api/preventive-actions/?overdue=true").json()["results"]] == [
        True
    ]
    client.force_login(supervisor_user)
    page = client.get(f"/reports/weekly/?week={WEEK}").content.decode()
    assert "<strong>overdue</strong>" in page[page.index('id="actions-h"') :]
