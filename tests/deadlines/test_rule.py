"""The deadline that applies now, and "overdue": one rule in Python and in SQL, callbacks included.

models.deadline_now() (the SQL expression the overdue index is built on) and
Complaint.deadline_now() (one complaint in hand) must answer the same for every stage,
deadline and callback case; every screen reads one of the two.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.deadlines.selectors import not_overdue_q, overdue_q
from complaints.escalations import queue
from complaints.models import Complaint, Stage, deadline_now
from complaints.workflow import callbacks
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)

# (stage, respond_by, resolve_by, callback_due_at) in hours from now; None: no callback.
CASES = [
    (stage, respond, resolve, callback)
    for stage in Stage.values
    for respond, resolve in [(2, 48), (-2, 48), (-50, -2), (2, -1)]
    for callback in [None, 1, -1, -3, 100]
]


def test_python_and_sql_agree_on_every_stage_deadline_and_callback(staff_user):
    now = timezone.now()
    made = []
    for stage, respond, resolve, callback in CASES:
        c = make_complaint(by=staff_user, now=now)
        Complaint.objects.filter(pk=c.pk).update(
            stage=stage,
            respond_by=now + respond * H,
            resolve_by=now + resolve * H,
            callback_due_at=None if callback is None else now + callback * H,
        )
        made.append(c.pk)
    in_sql = dict(Complaint.objects.filter(pk__in=made).annotate(d=deadline_now()).values_list("pk", "d"))
    overdue = set(Complaint.objects.filter(pk__in=made).filter(overdue_q(now)).values_list("pk", flat=True))
    not_overdue = set(
        Complaint.objects.filter(pk__in=made).filter(not_overdue_q(now)).values_list("pk", flat=True)
    )
    assert overdue.isdisjoint(not_overdue) and overdue | not_overdue == set(made)
    for pk, case in zip(made, CASES, strict=True):
        c = Complaint.objects.get(pk=pk)
        assert c.deadline_now() == in_sql[pk], case
        assert c.is_overdue(now) == (pk in overdue), case


def test_the_rule_itself():
    now = timezone.now()

    def due(stage, callback=None):
        c = Complaint(stage=stage, respond_by=now + H, resolve_by=now + 10 * H, callback_due_at=callback)
        return c.deadline_now()

    assert due(Stage.CONTROL) == now + H
    assert due(Stage.CONTROL, now + H / 2) == now + H / 2
    assert due(Stage.RESOLVE, now + H / 2) == now + H / 2
    assert due(Stage.RESOLVE, now + 20 * H) == now + 10 * H
    assert due(Stage.CLOSED, now - H) is None
    assert not Complaint(stage=Stage.CLOSED, respond_by=now - H, resolve_by=now - H).is_overdue(now)


def _missed_callback(staff_user):
    """A complaint well inside its service levels whose callback promise was missed."""
    now = timezone.now()
    c = make_complaint(by=staff_user, now=now)
    callbacks.complaint_promise_callback(
        complaint=c,
        data={"due_at": (now + H).isoformat(), "note": "after checking stock"},
        by=staff_user,
        now=now,
    )
    later = now + 2 * H
    assert later < c.respond_by
    return Complaint.objects.get(pk=c.pk), later


def test_a_missed_callback_is_overdue_on_the_page_and_in_the_api(client, staff_api, staff_user, time_machine):
    c, later = _missed_callback(staff_user)
    assert c.callback_due_at is not None
    time_machine.move_to(later)
    body = staff_api.get(f"/api/complaints/{c.pk}/").json()
    assert body["overdue"] is True
    assert body["next_deadline"] == staff_api.get(f"/api/complaints/{c.pk}/callbacks/").json()[0]["due_at"]
    assert body["time_left"] < 0
    listed = staff_api.get("/api/complaints/", {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in listed] == [c.pk]
    client.force_login(staff_user)
    assert 'class="badge badge-overdue"' in client.get(f"/complaints/{c.pk}/").content.decode()


def test_a_missed_callback_counts_on_the_escalation_queue(staff_user):
    c, later = _missed_callback(staff_user)
    Complaint.objects.filter(pk=c.pk).update(escalated=True, escalation_level=1, escalated_at=later)
    (row,) = queue.escalation_queue(now=later)
    assert row.due_at == c.callback_due_at and row.overdue_for == later - c.callback_due_at


def test_keeping_the_promise_gives_the_stage_deadline_back(staff_user):
    c, later = _missed_callback(staff_user)
    (promise,) = c.callbacks.all()
    callbacks.complaint_fulfil_callback(
        complaint=c, promise_id=promise.pk, data={"note": "called"}, by=staff_user, now=later
    )
    c.refresh_from_db()
    assert c.callback_due_at is None
    assert c.deadline_now() == min(c.respond_by, c.resolve_by) and not c.is_overdue(later)
