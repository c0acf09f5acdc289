"""On hold: the desk's own clocks pause, every screen reads the pause through the one rule,
and on resume the deadlines get back the working time they had left."""

import datetime as dt
import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from complaints.deadlines import calendar, sweep
from complaints.deadlines.calendar import Calendar, resumed_deadline, working_minutes_between
from complaints.deadlines.selectors import not_overdue_q, overdue_q
from complaints.exceptions import Conflict
from complaints.models import Complaint, ComplaintHold, ComplaintRecord, Notification, Stage, deadline_now
from complaints.workflow import callbacks, holds, transitions
from tests.factories import CustomerFactory, make_complaint, walk

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


def actions(complaint):
    return [r.data.get("action") for r in ComplaintRecord.objects.filter(complaint=complaint).order_by("id")]


# --- the calendar arithmetic (pure) -------------------------------------------------------

WEEKDAYS = Calendar(tz=SH)


def test_working_minutes_between_skips_nights_and_weekends():
    # Friday 16:00 to Monday 10:00: two hours on Friday, one on Monday.
    assert working_minutes_between(WEEKDAYS, at(2026, 11, 20, 16), at(2026, 11, 23, 10)) == 180
    assert working_minutes_between(WEEKDAYS, at(2026, 11, 23, 10), at(2026, 11, 20, 16)) == 0
    assert working_minutes_between(WEEKDAYS, at(2026, 11, 21, 10), at(2026, 11, 22, 10)) == 0


@pytest.mark.parametrize(
    "start, minutes",
    [(at(2026, 11, 20, 16), 180), (at(2026, 11, 18, 8), 9 * 60 * 3), (at(2026, 11, 20, 17, 59), 1)],
)
def test_working_minutes_between_undoes_add_working_minutes(start, minutes):
    end = calendar.add_working_minutes(WEEKDAYS, start, minutes)
    assert working_minutes_between(WEEKDAYS, start, end) == minutes


def test_a_deadline_gets_back_the_working_time_it_had_left():
    # Paused Friday 16:00 with three working hours left (Fri 16-18, Mon 9-10); resumed on
    # Wednesday 14:00: three working hours from then.
    assert resumed_deadline(WEEKDAYS, at(2026, 11, 23, 10), at(2026, 11, 20, 16), at(2026, 11, 25, 14)) == at(
        2026, 11, 25, 17
    )
    # A deadline already passed when the pause began stays passed.
    passed = at(2026, 11, 20, 12)
    assert resumed_deadline(WEEKDAYS, passed, at(2026, 11, 20, 16), at(2026, 11, 25, 14)) == passed


# --- putting on hold and resuming ---------------------------------------------------------


def test_on_hold_the_deadline_that_applies_now_is_none_and_resume_gives_it_back(staff_user):
    now = timezone.now()
    c = make_complaint(by=staff_user, now=now)
    before = Complaint.objects.get(pk=c.pk).deadline_now()
    hold = holds.put_on_hold(
        c, kind="customer", reason="Waiting for the receipt photo", by=staff_user, now=now
    )
    c = Complaint.objects.get(pk=c.pk)
    assert c.stage == Stage.CONTROL and c.hold == hold and c.is_on_hold
    assert c.deadline_now() is None and not c.is_overdue(now + 1000 * H)
    assert c.next_deadline_at is None
    assert hold.paused_deadline == before and hold.started_by == staff_user
    assert Complaint.objects.filter(pk=c.pk).annotate(d=deadline_now()).get().d is None
    holds.resume_hold(c, by=staff_user, how="resumed", now=now)
    c = Complaint.objects.get(pk=c.pk)
    hold.refresh_from_db()
    assert (
        c.hold is None
        and hold.ended_at == now
        and hold.ended_how == "resumed"
        and hold.ended_by == staff_user
    )
    assert c.deadline_now() == before  # resumed the moment it was paused: nothing moves
    assert c.next_deadline_at is not None
    assert actions(c)[-2:] == ["hold", "resume"]
    entries = ComplaintRecord.objects.filter(complaint=c, kind="process").order_by("id")
    assert entries[len(entries) - 2].data == {
        "action": "hold",
        "hold": hold.pk,
        "kind": "customer",
        "reason": "Waiting for the receipt photo",
    }
    assert entries[len(entries) - 1].author == staff_user


def test_hold_twice_resume_twice_and_closed_complaints_are_conflicts(staff_user):
    c = make_complaint(by=staff_user)
    with pytest.raises(Conflict):
        holds.resume_hold(c, by=staff_user)
    holds.put_on_hold(c, kind="third_party", reason="Courier's report", by=staff_user)
    with pytest.raises(Conflict):
        holds.put_on_hold(c, kind="customer", reason="again", by=staff_user)
    assert holds.resume_if_on_hold(c) is not None
    assert holds.resume_if_on_hold(c) is None
    closed = walk(make_complaint(by=staff_user), staff_user)
    with pytest.raises(Conflict):
        holds.put_on_hold(closed, kind="customer", reason="x", by=staff_user)
    assert ComplaintHold.objects.filter(complaint=closed).count() == 0


def test_python_and_sql_agree_on_held_complaints_in_every_stage(staff_user):
    now = timezone.now()
    made = []
    cases = [
        (stage, held, resolve) for stage in Stage.values for held in (False, True) for resolve in (-2, 5)
    ]
    for stage, held, resolve in cases:
        c = make_complaint(by=staff_user, now=now)
        if held:
            holds.put_on_hold(c, kind="customer", reason="photo", by=staff_user, now=now - 3 * H)
        Complaint.objects.filter(pk=c.pk).update(
            stage=stage, respond_by=now + resolve * H, resolve_by=now + resolve * H, callback_due_at=now - H
        )
        made.append(c.pk)
    in_sql = dict(Complaint.objects.filter(pk__in=made).annotate(d=deadline_now()).values_list("pk", "d"))
    overdue = set(Complaint.objects.filter(pk__in=made).filter(overdue_q(now)).values_list("pk", flat=True))
    not_overdue = set(
        Complaint.objects.filter(pk__in=made).filter(not_overdue_q(now)).values_list("pk", flat=True)
    )
    assert overdue.isdisjoint(not_overdue) and overdue | not_overdue == set(made)
    for pk, (stage, held, resolve) in zip(made, cases, strict=True):
        c = Complaint.objects.get(pk=pk)
        assert c.deadline_now() == in_sql[pk], (stage, held, resolve)
        assert c.is_overdue(now) == (pk in overdue), (stage, held, resolve)
        if held:
            assert in_sql[pk] is None and pk not in overdue


def test_a_transition_while_on_hold_resumes_first(staff_user):
    c = make_complaint(by=staff_user)
    hold = holds.put_on_hold(c, kind="customer", reason="photo", by=staff_user)
    c = Complaint.objects.get(pk=c.pk)
    c, _warnings = transitions.complaint_transition(complaint=c, name="listen", data={}, by=staff_user)
    c = Complaint.objects.get(pk=c.pk)
    hold.refresh_from_db()
    assert c.stage == Stage.LISTEN and c.hold is None and c.deadline_now() is not None
    assert hold.ended_how == "moved_on"
    # the resume, then the transition's entry (and the progress notice it sent the customer)
    assert [a for a in actions(c) if a != "customer_message"][-2:] == ["resume", None]
    entries = ComplaintRecord.objects.filter(complaint=c).order_by("-id")
    last = next(r for r in entries if r.data.get("action") != "customer_message")
    assert last.data["transition"] == "listen"


def test_the_sweep_ignores_complaints_on_hold_and_picks_them_up_after(staff_user):
    logged = at(2026, 11, 17, 10)
    c = make_complaint(by=staff_user, now=logged)  # minor: respond within 1 working hour
    holds.put_on_hold(c, kind="customer", reason="photo", by=staff_user, now=logged + timedelta(minutes=30))
    # A callback promised while on hold keeps its time but wakes no sweep.
    callbacks.complaint_promise_callback(
        complaint=c,
        data={"due_at": (logged + 2 * H).isoformat(), "note": ""},
        by=staff_user,
        now=logged + H / 2,
    )
    assert Complaint.objects.get(pk=c.pk).next_deadline_at is None
    Complaint.objects.filter(pk=c.pk).update(next_deadline_at=logged)  # even if something set one
    result = sweep.complaints_check_deadlines(now=logged + 30 * H)
    # Looked at (outside clocks never pause), but nothing of the desk's own is due on hold.
    assert result["breaches"] == 0 and result["warnings"] == 0
    assert not Complaint.objects.get(pk=c.pk).escalated
    assert Complaint.objects.get(pk=c.pk).next_deadline_at is None
    holds.resume_hold(c, by=staff_user, how="resumed", now=logged + 30 * H)
    c = Complaint.objects.get(pk=c.pk)
    # Half an hour of the response window was left: Wednesday 16:00 + 30 min.
    assert c.respond_by == logged + 30 * H + timedelta(minutes=30)
    assert sweep.complaints_check_deadlines(now=c.respond_by + timedelta(minutes=1))["breaches"] >= 1


# --- the business calendar across a weekend and a public holiday (PostgreSQL) -------------


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("checked on PostgreSQL (set DATABASE_URL)")


def test_paused_on_friday_afternoon_resumed_after_a_weekend_and_a_holiday(
    postgres, staff_user, settings, time_machine
):
    """Qingming 2026: Friday 3 April, the weekend, then Monday 6 April is a public holiday."""
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "HOLIDAY_COUNTRY": "CN"}
    thursday = at(2026, 4, 2, 10)
    time_machine.move_to(thursday, tick=False)
    c = make_complaint(by=staff_user, severity="major", now=thursday)
    # Seven working days: Apr 2 (8 h), 3, 7, 8, 9, 10, 13 and one hour of the 14th.
    assert c.resolve_by == at(2026, 4, 14, 10)
    transitions.complaint_transition(complaint=c, name="listen", data={}, by=staff_user, now=thursday + H)
    friday = at(2026, 4, 3, 16)
    callbacks.complaint_promise_callback(
        complaint=c,
        data={"due_at": at(2026, 4, 3, 17).isoformat(), "note": ""},
        by=staff_user,
        now=friday - H,
    )
    time_machine.move_to(friday, tick=False)
    holds.put_on_hold(c, kind="customer", reason="Waiting for the receipt", by=staff_user)
    monday_holiday = at(2026, 4, 6, 11)
    time_machine.move_to(monday_holiday, tick=False)
    assert not Complaint.objects.filter(overdue_q(monday_holiday)).exists()
    holds.resume_hold(c, by=staff_user, how="customer_replied")
    c = Complaint.objects.get(pk=c.pk)
    # 48 working hours were left (Friday 16-18, then Apr 7-13 and an hour of the 14th); the
    # clock restarts on Tuesday 09:00, the first working moment after the holiday.
    assert c.resolve_by == at(2026, 4, 14, 12)
    # The promise had one working hour left: Tuesday 10:00.
    assert c.callback_due_at == at(2026, 4, 7, 10)
    assert c.callbacks.get().due_at == at(2026, 4, 7, 10)
    assert c.deadline_now() == at(2026, 4, 7, 10)
    assert Complaint.objects.annotate(d=deadline_now()).get(pk=c.pk).d == at(2026, 4, 7, 10)
    assert c.next_deadline_at <= at(2026, 4, 7, 10)


def test_a_deadline_passed_before_the_hold_stays_passed(staff_user):
    logged = at(2026, 11, 17, 10)
    c = make_complaint(by=staff_user, now=logged)
    respond_by = c.respond_by
    holds.put_on_hold(c, kind="customer", reason="photo", by=staff_user, now=logged + 2 * H)
    holds.resume_hold(c, by=staff_user, how="resumed", now=logged + 50 * H)
    c = Complaint.objects.get(pk=c.pk)
    assert c.respond_by == respond_by and c.is_overdue(logged + 50 * H)


# --- reminders and running out (the beat task) ---------------------------------------------


def test_the_customer_is_reminded_once_in_their_language(staff_user, settings):
    settings.HOLD_REMINDER_DAYS, settings.HOLD_MAX_DAYS = 5, 14
    start = timezone.now() - timedelta(days=6)
    customer = CustomerFactory(preferred_language="zh-hans")
    c = make_complaint(by=staff_user, customer=customer, now=start)
    holds.put_on_hold(c, kind="customer", reason="发票照片", by=staff_user, now=start)
    assert holds.holds_check(now=start + timedelta(days=4)) == {"reminded": 0, "returned": 0}
    assert holds.holds_check() == {"reminded": 1, "returned": 0}
    assert holds.holds_check() == {"reminded": 0, "returned": 0}
    (mail,) = Notification.objects.filter(key__startswith="hold-reminder")
    assert mail.to == customer.email and c.reference in mail.subject
    assert "发票照片" in mail.body and "您" in mail.body
    assert actions(c).count("hold_reminder") == 1


def test_no_email_no_reminder_but_the_record_says_so(staff_user, settings):
    start = timezone.now() - timedelta(days=6)
    c = make_complaint(by=staff_user, customer=CustomerFactory(email=""), now=start)
    holds.put_on_hold(c, kind="customer", reason="photo", by=staff_user, now=start)
    assert holds.holds_check()["reminded"] == 1
    assert not Notification.objects.filter(key__startswith="hold-reminder").exists()
    entry = ComplaintRecord.objects.filter(complaint=c, data__action="hold_reminder").get()
    assert entry.data["emailed"] is False


def test_after_max_days_it_comes_back_flagged_to_the_assignee(client, staff_user, settings):
    start = timezone.now() - timedelta(days=15)
    c = make_complaint(by=staff_user, now=start)
    transitions.complaint_transition(complaint=c, name="listen", data={}, by=staff_user, now=start)
    hold = holds.put_on_hold(c, kind="customer", reason="photo", by=staff_user, now=start)
    assert holds.holds_check()["returned"] == 1
    assert holds.holds_check()["returned"] == 0
    c = Complaint.objects.get(pk=c.pk)
    hold.refresh_from_db()
    assert (
        c.hold is None
        and c.back_from_hold == hold
        and hold.ended_how == "no_answer"
        and hold.ended_by is None
    )
    client.force_login(staff_user)
    for page in ("/", f"/complaints/{c.pk}/"):
        assert "Came back from hold: no answer in 15 days" in client.get(page).content.decode(), page
    # Moving it on answers the flag.
    transitions.complaint_transition(
        complaint=c,
        name="establish",
        data={"what_happened": "x", "when_happened": "Monday", "desired_outcome": "y"},
        by=staff_user,
    )
    assert Complaint.objects.get(pk=c.pk).back_from_hold is None


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


@pytest.mark.usefixtures("seeded_lists")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rounds", range(2))
def test_two_beats_at_once_remind_and_return_each_hold_once(rounds, settings):
    from tests.factories import UserFactory

    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are checked on PostgreSQL (set DATABASE_URL)")
    lin = UserFactory(username="lin", role="staff")
    now = timezone.now()
    returning = [make_complaint(by=lin, now=now - timedelta(days=15)) for _ in range(8)]
    reminded = [make_complaint(by=lin, now=now - timedelta(days=6)) for _ in range(8)]
    for c in returning:
        holds.put_on_hold(c, kind="customer", reason="photo", by=lin, now=now - timedelta(days=15))
    for c in reminded:
        holds.put_on_hold(c, kind="third_party", reason="courier", by=lin, now=now - timedelta(days=6))
    results = _race([lambda: holds.holds_check(now=now), lambda: holds.holds_check(now=now)])
    assert sum(r["returned"] for r in results) == 8
    assert sum(r["reminded"] for r in results) == 8
    for c in returning:
        assert ComplaintRecord.objects.filter(complaint=c, data__action="resume").count() == 1
        assert Complaint.objects.get(pk=c.pk).hold is None
    for c in reminded:
        assert Notification.objects.filter(complaint=c, key__startswith="hold-reminder").count() == 1
        assert ComplaintRecord.objects.filter(complaint=c, data__action="hold_reminder").count() == 1
    assert ComplaintHold.objects.filter(ended_how="no_answer").count() == 8


def test_the_beat_runs_the_hold_check():
    from config.celery import app

    entry = app.conf.beat_schedule["check-holds"]
    assert entry["task"] == "complaints.tasks.check_holds"
    import complaints.tasks

    assert complaints.tasks.check_holds.name == "complaints.tasks.check_holds"


def test_a_clock_hour_deadline_outside_working_hours_keeps_its_evening_stretch():
    # A minor complaint's 24 hours end on Wednesday 20:00; paused Wednesday 10:00 (eight
    # working hours, then two evening hours left), resumed Thursday 10:00.
    deadline = at(2026, 11, 18, 20)
    assert resumed_deadline(WEEKDAYS, deadline, at(2026, 11, 18, 10), at(2026, 11, 19, 10)) == at(
        2026, 11, 19, 20
    )
    # Resumed the moment it was paused: nothing moves.
    assert resumed_deadline(WEEKDAYS, deadline, at(2026, 11, 18, 10), at(2026, 11, 18, 10)) == deadline


def test_a_severity_or_tier_change_keeps_the_time_spent_on_hold(staff_user):
    from complaints.deadlines import schedule
    from complaints.workflow import severity

    customer = CustomerFactory(tier="C")
    logged = at(2026, 11, 17, 10)  # Tuesday
    c = make_complaint(by=staff_user, customer=customer, severity="minor", now=logged)
    transitions.complaint_transition(complaint=c, name="listen", data={}, by=staff_user, now=logged)
    # On hold from Tuesday 11:00 to Thursday 11:00: two working days given back.
    holds.put_on_hold(c, kind="customer", reason="photo", by=staff_user, now=logged + H)
    holds.resume_hold(c, by=staff_user, how="resumed", now=at(2026, 11, 19, 11))
    severity.complaint_change_severity(
        complaint=c,
        data={"severity": "major", "reason": "Someone got hurt"},
        by=staff_user,
        now=at(2026, 11, 19, 12),
    )
    # Seven working days from Tuesday 10:00 is Thursday 26 Nov 10:00; plus the two on hold.
    assert Complaint.objects.get(pk=c.pk).resolve_by == at(2026, 11, 30, 10)
    customer.tier = "A"
    customer.save()
    assert schedule.complaints_recompute_deadlines_for_customer(customer) == 1
    # Tier A, major: four working days (Monday 23 Nov 10:00), plus the two on hold.
    assert Complaint.objects.get(pk=c.pk).resolve_by == at(2026, 11, 25, 10)
