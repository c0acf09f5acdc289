"""The deadline sweep: warns once, escalates each breach once, and only reads overdue rows."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from complaints.deadlines import sweep as sweep_module
from complaints.models import Complaint, ComplaintRecord, DeadlineEvent, Notification
from complaints.workflow import callbacks, transitions
from tests.factories import CustomerFactory, UserFactory, make_complaint

SH = ZoneInfo("Asia/Shanghai")
TUESDAY_10 = dt.datetime(2026, 11, 17, 10, 0, tzinfo=SH)


def minutes(n):
    return dt.timedelta(minutes=n)


def sweep(now):
    return sweep_module.complaints_check_deadlines(now=now)


def people():
    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    zhang = UserFactory(username="zhang", role="supervisor", email="zhang@example.com")
    maria = UserFactory(username="maria", role="manager", email="maria@example.com")
    return lin, zhang, maria


def logged(lin, severity="minor", when=TUESDAY_10, **extra):
    return make_complaint(by=lin, severity=severity, now=when, **extra)


def actions(complaint):
    return [r.data.get("action") for r in ComplaintRecord.objects.filter(complaint=complaint).order_by("id")]


@pytest.mark.django_db
def test_overdue_complaint_is_escalated_once_with_the_breach_time():
    lin, *_ = people()
    complaint = logged(lin)  # respond by 11:00 (1 working hour)
    result = sweep(TUESDAY_10 + minutes(75))
    assert result["breaches"] == 1
    complaint.refresh_from_db()
    assert complaint.escalated is True
    assert complaint.escalation_level == 1
    # The breach happened at the deadline, not when the sweep noticed it.
    assert complaint.escalated_at == TUESDAY_10 + minutes(60)
    assert "response deadline" in complaint.escalation_reason
    record = ComplaintRecord.objects.filter(complaint=complaint).last()
    assert record.kind == "process"
    assert record.author is None
    assert record.data == {
        "action": "deadline_breach",
        "deadline": "respond_breach",
        "due": (TUESDAY_10 + minutes(60)).astimezone(dt.UTC).isoformat(),
        "level": 1,
    }
    mail = Notification.objects.filter(key__startswith="breach:")
    assert [n.to for n in mail] == ["zhang@example.com"]  # level 1: supervisors only
    assert mail.get().status == "pending"
    assert f"{complaint.reference} from {complaint.customer.name} needs a supervisor" in mail.get().body


@pytest.mark.django_db
def test_second_sweep_escalates_nothing():
    lin, *_ = people()
    complaint = logged(lin)
    later = TUESDAY_10 + minutes(75)
    sweep(later)
    before = (
        ComplaintRecord.objects.count(),
        Notification.objects.count(),
        DeadlineEvent.objects.count(),
        Complaint.objects.values_list("escalation_level", "escalated_at", "next_deadline_at").get(),
    )
    assert sweep(later) == {"checked": 0, "breaches": 0, "warnings": 0}
    assert sweep(later + minutes(5))["breaches"] == 0
    after = (
        ComplaintRecord.objects.count(),
        Notification.objects.count(),
        DeadlineEvent.objects.count(),
        Complaint.objects.values_list("escalation_level", "escalated_at", "next_deadline_at").get(),
    )
    assert after == before
    assert actions(complaint).count("deadline_breach") == 1


@pytest.mark.django_db
def test_warning_at_three_quarters_is_sent_once_to_whoever_holds_it():
    lin, *_ = people()
    complaint = logged(lin)  # respond window 10:00-11:00, warned at 10:45
    assert sweep(TUESDAY_10 + minutes(44))["checked"] == 0
    assert sweep(TUESDAY_10 + minutes(46)) == {"checked": 1, "breaches": 0, "warnings": 1}
    assert sweep(TUESDAY_10 + minutes(50)) == {"checked": 0, "breaches": 0, "warnings": 0}
    warnings = Notification.objects.filter(key__startswith="warning:")
    assert [n.to for n in warnings] == ["lin@example.com"]  # in Control: the person who logged it
    assert actions(complaint).count("deadline_warning") == 1
    complaint.refresh_from_db()
    assert complaint.escalated is False
    assert complaint.next_deadline_at == TUESDAY_10 + minutes(60)


@pytest.mark.django_db
def test_responding_in_time_leaves_only_the_resolution_window():
    lin, *_ = people()
    complaint = logged(lin)
    with time_machine.travel(TUESDAY_10 + minutes(20), tick=False):
        transitions.complaint_transition(complaint=complaint, name="listen", data={}, by=lin)
    result = sweep(TUESDAY_10 + minutes(90))
    assert result == {"checked": 1, "breaches": 0, "warnings": 0}
    complaint.refresh_from_db()
    assert complaint.escalated is False
    # Next look: 75% of the 24-hour resolution window.
    assert complaint.next_deadline_at == TUESDAY_10 + dt.timedelta(hours=18)
    sweep(TUESDAY_10 + dt.timedelta(hours=18, minutes=1))
    sweep(TUESDAY_10 + dt.timedelta(hours=25))
    assert actions(complaint)[-2:] == ["deadline_warning", "deadline_breach"]
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1
    assert complaint.escalated_at == TUESDAY_10 + dt.timedelta(hours=24)


@pytest.mark.django_db
def test_each_breach_raises_the_level_and_level_two_tells_managers():
    lin, *_ = people()
    complaint = logged(lin)
    sweep(TUESDAY_10 + minutes(61))  # response missed
    sweep(TUESDAY_10 + dt.timedelta(hours=25))  # resolution missed too
    complaint.refresh_from_db()
    assert complaint.escalation_level == 2
    second = Notification.objects.filter(key__startswith=f"breach:{complaint.pk}:resolve_breach")
    assert sorted(n.to for n in second) == ["maria@example.com", "zhang@example.com"]


@pytest.mark.django_db
def test_a_broken_callback_promise_is_a_breach(staff_user):
    lin, *_ = people()
    complaint = logged(lin)
    with time_machine.travel(TUESDAY_10 + minutes(1), tick=False):
        transitions.complaint_transition(complaint=complaint, name="listen", data={}, by=lin)
        kept = callbacks.complaint_promise_callback(
            complaint=complaint, data={"due_at": TUESDAY_10 + minutes(10), "note": "kept"}, by=lin
        )
        callbacks.complaint_promise_callback(
            complaint=complaint, data={"due_at": TUESDAY_10 + minutes(20), "note": "broken"}, by=lin
        )
    complaint.refresh_from_db()
    assert complaint.next_deadline_at == TUESDAY_10 + minutes(10)
    callbacks.complaint_fulfil_callback(
        complaint=complaint, promise_id=kept.pk, data={}, by=lin, now=TUESDAY_10 + minutes(9)
    )
    assert sweep(TUESDAY_10 + minutes(25))["breaches"] == 1
    assert sweep(TUESDAY_10 + minutes(26))["breaches"] == 0
    event = DeadlineEvent.objects.get()
    assert (event.kind, event.deadline) == ("callback_breach", TUESDAY_10 + minutes(20))
    complaint.refresh_from_db()
    assert complaint.escalated_at == TUESDAY_10 + minutes(20)
    assert "callback" in complaint.escalation_reason


@pytest.mark.django_db
def test_closed_complaints_are_never_escalated():
    lin, *_ = people()
    complaint = logged(lin)
    Complaint.objects.filter(pk=complaint.pk).update(stage="closed")
    assert sweep(TUESDAY_10 + dt.timedelta(days=3))["checked"] == 0
    assert not DeadlineEvent.objects.exists()


@pytest.mark.django_db
def test_unique_constraint_backs_up_exactly_once():
    lin, *_ = people()
    complaint = logged(lin)
    DeadlineEvent.objects.create(complaint=complaint, kind="respond_breach", deadline=complaint.respond_by)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineEvent.objects.create(
            complaint=complaint, kind="respond_breach", deadline=complaint.respond_by
        )


def _healthy(lin, count):
    """Open complaints far from any deadline, written in bulk (the sweep must not read them)."""
    customer = CustomerFactory()
    category = Complaint.objects.first().category
    future = TUESDAY_10 + dt.timedelta(days=30)
    Complaint.objects.bulk_create(
        Complaint(
            reference=f"OK-{i:06d}",
            customer=customer,
            channel="phone",
            category=category,
            severity="minor",
            content="fine",
            created_by=lin,
            created_at=TUESDAY_10,
            respond_by=future,
            resolve_by=future,
            respond_warn_at=future,
            resolve_warn_at=future,
            next_deadline_at=future,
        )
        for i in range(count)
    )


# SELECT the due complaints (FOR UPDATE SKIP LOCKED), their handled events, their open
# callbacks, INSERT events, INSERT records, SELECT recipients, INSERT notifications, one
# bulk UPDATE: 8 statements, plus SAVEPOINT/RELEASE because the test already runs inside a
# transaction (a worker's sweep opens a real transaction instead). Several breaches make one
# digest per person; a lone breach's own email also reads its customer's name (one more).
SWEEP_QUERIES = 10


@pytest.mark.django_db
@pytest.mark.parametrize("healthy", [10, 1000])
def test_sweep_query_count_does_not_grow_with_healthy_complaints(healthy, django_assert_num_queries):
    lin, *_ = people()
    overdue = [logged(lin) for _ in range(3)]
    _healthy(lin, healthy)
    assert Complaint.objects.count() == 3 + healthy
    with django_assert_num_queries(SWEEP_QUERIES):
        result = sweep(TUESDAY_10 + minutes(61))
    assert result == {"checked": 3, "breaches": 3, "warnings": 0}
    assert DeadlineEvent.objects.filter(complaint__in=overdue).count() == 3


@pytest.mark.django_db
def test_a_sweep_with_nothing_due_is_one_query(django_assert_num_queries):
    lin, *_ = people()
    logged(lin)
    _healthy(lin, 50)
    with django_assert_num_queries(3):  # SAVEPOINT, one indexed SELECT, RELEASE
        assert sweep(TUESDAY_10 + minutes(5)) == {"checked": 0, "breaches": 0, "warnings": 0}


@pytest.mark.django_db
def test_batches_cover_more_overdue_complaints_than_one_batch():
    lin, *_ = people()
    complaints = [logged(lin) for _ in range(5)]
    result = sweep_module.complaints_check_deadlines(now=TUESDAY_10 + minutes(61), batch=2)
    assert result["breaches"] == 5
    assert DeadlineEvent.objects.filter(complaint__in=complaints).count() == 5


def race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

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
@pytest.mark.parametrize("rounds", range(3))
def test_two_sweeps_at_the_same_moment_escalate_each_complaint_once(rounds):
    """Two workers (or two beats) run the sweep at once: every breach is filed exactly once."""
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are checked on PostgreSQL (set DATABASE_URL)")
    lin, *_ = people()
    complaints = [logged(lin) for _ in range(30)]
    now = TUESDAY_10 + minutes(61)
    results = race([lambda: sweep(now), lambda: sweep(now)])
    assert sum(r["breaches"] for r in results) == 30
    for complaint in complaints:
        assert (
            ComplaintRecord.objects.filter(complaint=complaint, data__action="deadline_breach").count() == 1
        )
        assert DeadlineEvent.objects.filter(complaint=complaint).count() == 1
    assert set(Complaint.objects.values_list("escalation_level", flat=True)) == {1}
    # One supervisor: each sweep that found breaches sends one email; every complaint is
    # named in exactly one of them.
    bodies = list(Notification.objects.filter(key__startswith="breach").values_list("to", "body"))
    assert {to for to, _body in bodies} == {"zhang@example.com"}
    assert 1 <= len(bodies) <= 2
    for complaint in complaints:
        assert sum(body.count(complaint.reference) for _to, body in bodies) == 1


@pytest.mark.usefixtures("seeded_lists")
@pytest.mark.django_db
def test_on_postgresql_the_beat_fans_out_to_lane_tasks_that_word_as_it_would(monkeypatch):
    """The beat starts a group of lane tasks (here run eagerly); between them they escalate
    each complaint once, in the beat's language and time zone."""
    if connection.vendor != "postgresql":
        pytest.skip("lanes run on PostgreSQL only (set DATABASE_URL)")
    from complaints.deadlines import tasks
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    lin, *_ = people()
    complaints = [logged(lin) for _ in range(40)]
    lanes = []
    real_lane = sweep_module.complaints_check_deadlines

    def lane(**kwargs):
        lanes.append(real_lane(**kwargs))
        return lanes[-1]

    monkeypatch.setattr(sweep_module, "complaints_check_deadlines", lane)
    with translation.override("zh-hans"), timezone.override(ZoneInfo("Europe/Bucharest")):
        assert tasks.start_sweep(TUESDAY_10 + minutes(61)) == {"lanes": sweep_module.sweep_lanes()}

    assert len(lanes) == sweep_module.sweep_lanes() == 2
    assert sum(result["breaches"] for result in lanes) == 40
    digests = list(Notification.objects.filter(key__startswith="breaches:"))
    assert digests and all(mail.subject.startswith("已升级") for mail in digests)
    deadline = timezone.localtime(complaints[0].respond_by, ZoneInfo("Europe/Bucharest"))
    reasons = set(Complaint.objects.values_list("escalation_reason", flat=True))
    assert reasons == {f"截至 {deadline:%Y-%m-%d %H:%M} 仍无人受理该投诉（响应期限）。"}, reasons
    for complaint in complaints:
        assert DeadlineEvent.objects.filter(complaint=complaint).count() == 1
        breaches = ComplaintRecord.objects.filter(complaint=complaint, data__action="deadline_breach")
        assert breaches.count() == 1
    assert set(Complaint.objects.values_list("escalation_level", flat=True)) == {1}


@pytest.mark.django_db
def test_where_lanes_cannot_share_rows_the_beat_sweeps_itself(monkeypatch):
    from complaints.deadlines import tasks

    lin, *_ = people()
    for _ in range(5):
        logged(lin)
    monkeypatch.setattr(sweep_module, "sweep_lanes", lambda: 1)

    def no_group(*args, **kwargs):
        raise AssertionError("a one-lane sweep started lane tasks")

    monkeypatch.setattr(tasks, "group", no_group)
    assert tasks.start_sweep(TUESDAY_10 + minutes(61))["breaches"] == 5


@pytest.mark.django_db
def test_queue_filters_and_the_sweep_use_their_partial_indexes():
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL (set DATABASE_URL)")
    from complaints.deadlines.selectors import overdue_q

    lin, *_ = people()
    logged(lin)
    _healthy(lin, 3000)
    now = TUESDAY_10 + minutes(61)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint")
    due = (
        Complaint.objects.filter(next_deadline_at__lte=now)
        .exclude(stage="closed")
        .order_by("next_deadline_at")
    )
    assert "complaint_open_next_deadline" in due.explain()
    overdue = Complaint.objects.filter(overdue_q(now)).explain()
    assert "complaint_open_overdue_from" in overdue
    assert "complaint_escalated" in Complaint.objects.filter(escalated=True).explain()


@pytest.mark.django_db
def test_a_sweep_that_slips_past_the_claim_rolls_back_instead_of_escalating_twice(monkeypatch):
    """Simulate a second sweep that did not see the first one's event: the constraint stops it."""
    from complaints.deadlines import calendar as deadlines

    lin, *_ = people()
    complaint = logged(lin)
    sweep(TUESDAY_10 + minutes(61))
    Complaint.objects.filter(pk=complaint.pk).update(next_deadline_at=TUESDAY_10)  # due again
    real = deadlines.due_events
    monkeypatch.setattr(deadlines, "due_events", lambda watched, handled, now: real(watched, set(), now))
    records = ComplaintRecord.objects.count()
    assert sweep(TUESDAY_10 + minutes(62)) == {"checked": 0, "breaches": 0, "warnings": 0}
    assert ComplaintRecord.objects.count() == records
    assert DeadlineEvent.objects.count() == 1
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1


@pytest.mark.django_db
def test_a_reopened_complaint_gets_a_fresh_resolution_window(staff_user):
    """Reopening long after the first deadline does not escalate at the next sweep."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from complaints.models import Complaint
    from tests.factories import make_complaint, walk

    start = timezone.now() - timedelta(days=30)
    with time_machine.travel(start, tick=False):
        complaint = walk(make_complaint(by=staff_user, severity="minor"), staff_user)
    transitions.complaint_transition(
        complaint=Complaint.objects.get(pk=complaint.pk),
        name="reopen",
        data={"reason": "Broke again"},
        by=staff_user,
    )
    reopened = Complaint.objects.get(pk=complaint.pk)
    assert reopened.resolve_by > timezone.now()
    sweep_module.complaints_check_deadlines()
    assert Complaint.objects.get(pk=complaint.pk).escalated is False


@pytest.mark.django_db
def test_many_breaches_in_one_sweep_make_one_digest_per_person():
    """An outage or a backlog: a supervisor gets one email listing the escalations, not one each."""
    lin, *_ = people()
    late = [logged(lin) for _ in range(3)]
    sweep(TUESDAY_10 + minutes(61))  # three response breaches at once: level 1
    digests = Notification.objects.filter(key__startswith="breaches:")
    assert [n.to for n in digests] == ["zhang@example.com"]  # level 1: supervisors only
    digest = digests.get()
    assert "3 complaints" in digest.subject
    assert digest.complaint_id is None
    for complaint in late:
        line = next(line for line in digest.body.splitlines() if complaint.reference in line)
        assert "level 1" in line
        assert "response deadline" in line
    # Customer names stay out of the digest; the references lead to them.
    assert not any(complaint.customer.name in digest.body for complaint in late)
    assert not Notification.objects.filter(key__startswith="breach:").exists()

    sweep(TUESDAY_10 + dt.timedelta(hours=25))  # the resolutions missed too: level 2
    second = Notification.objects.filter(key__startswith="breaches:").exclude(pk=digest.pk)
    assert sorted(n.to for n in second) == ["maria@example.com", "zhang@example.com"]
    for mail in second:
        assert all(complaint.reference in mail.body for complaint in late)
        assert "level 2" in mail.body


@pytest.mark.django_db
def test_the_digest_speaks_chinese_when_the_desk_does():
    from django.utils import translation

    lin, *_ = people()
    late = [logged(lin) for _ in range(2)]
    with translation.override("zh-hans"):
        sweep(TUESDAY_10 + minutes(61))
    digest = Notification.objects.get(key__startswith="breaches:")
    assert digest.subject == "已升级：2 件投诉超过期限"
    assert digest.body.startswith("以下 2 件投诉已超过期限，需要主管处理：")
    for complaint in late:
        assert f"{complaint.reference}（第 1 级，" in digest.body
    assert "升级队列会列出它们" in digest.body
