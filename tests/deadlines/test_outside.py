"""Outside deadlines (a regulator's clocks): regimes, assignment, due moments, stops, the
sweep's warnings and breaches, the complaint page, the API and the weekly report."""

import datetime as dt
import importlib
import threading
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client

from complaints.deadlines import calendar, outside
from complaints.deadlines import sweep as sweep_module
from complaints.models import (
    CalendarDay,
    Category,
    ComplaintClock,
    ComplaintRecord,
    Notification,
    Regime,
    RegimeClock,
    RegimeRule,
)
from complaints.reports import compose, weeks
from complaints.workflow import intake, transitions
from tests.factories import CustomerFactory, UserFactory, make_complaint, walk

SH = ZoneInfo("Asia/Shanghai")
THURSDAY_10 = dt.datetime(2026, 11, 19, 10, 0, tzinfo=SH)
DAY_OFF = dt.date(2026, 11, 23)  # the Monday after: a company day off


def make_regime(code="uk-test", clocks=None, *, enabled=True, rule=None):
    """A regime with clocks (code, amount, unit, due at closing time, stops when) and,
    with `rule`, one assignment rule (its fields)."""
    regime = Regime.objects.create(
        code=code, name=f"Regime {code}", name_zh=f"制度 {code}", is_enabled=enabled
    )
    for position, (clock, amount, unit, closing, stops) in enumerate(
        clocks
        or [
            ("summary", 3, "working_days", True, "closed"),
            ("final", 56, "calendar_days", False, "closed"),
        ]
    ):
        RegimeClock.objects.create(
            regime=regime,
            code=clock,
            name=f"Clock {clock}",
            name_zh=f"时钟 {clock}",
            amount=amount,
            unit=unit,
            end_of_business_day=closing,
            stops_at=stops,
            position=position,
        )
    if rule is not None:
        RegimeRule.objects.create(regime=regime, **rule)
    return regime


def clocks_of(complaint):
    return {
        c.clock.code: c for c in ComplaintClock.objects.filter(complaint=complaint).select_related("clock")
    }


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


# --- the examples ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_three_examples_are_seeded_and_not_in_use():
    migration = importlib.import_module("complaints.migrations.0029_regimes")
    if not Regime.objects.exists():  # an earlier transactional test emptied the tables
        migration.seed(django_apps, None)
    migration.seed(django_apps, None)  # running it again adds nothing
    found = {r.code: r for r in Regime.objects.prefetch_related("clocks")}
    assert set(found) == {"12315-referral", "fca-disp", "cfpb"}
    assert not any(r.is_enabled for r in found.values())
    assert not RegimeRule.objects.exists()
    shape = {
        code: [(c.code, c.amount, c.unit, c.end_of_business_day, c.stops_at) for c in r.clocks.all()]
        for code, r in found.items()
    }
    assert shape == {
        "12315-referral": [
            ("answer", 7, "working_days", False, "first_response"),
            ("mediation", 45, "working_days", False, "closed"),
        ],
        "fca-disp": [
            ("summary-resolution", 3, "working_days", True, "closed"),
            ("final-response", 56, "calendar_days", False, "closed"),
        ],
        "cfpb": [
            ("response", 15, "calendar_days", False, "first_response"),
            ("final-response", 60, "calendar_days", False, "closed"),
        ],
    }
    assert all(r.name_zh for r in found.values())
    # Not in use: a new complaint gets none of them, whatever it is.
    staff = UserFactory(username="lin", role="staff")
    assert make_complaint(by=staff, channel="email").regime_id is None


# --- due moments (pure) -----------------------------------------------------------------


def business(days_off=()):
    return calendar.Calendar(tz=SH, days_off=frozenset(days_off))


def test_working_days_skip_the_weekend_and_a_day_off_and_end_at_closing_time():
    due, warn = calendar.outside_due(
        business({DAY_OFF}), THURSDAY_10, 3, calendar.WORKING_DAYS, end_of_business_day=True
    )
    # Fri 20 (1), weekend, Mon 23 off, Tue 24 (2), Wed 25 (3) at 18:00.
    assert due == dt.datetime(2026, 11, 25, 18, 0, tzinfo=SH)
    assert warn == THURSDAY_10 + (due - THURSDAY_10) * calendar.WARN_AT


def test_without_closing_time_the_clock_runs_to_midnight_and_the_receipt_day_never_counts():
    late_evening = dt.datetime(2026, 11, 19, 23, 30, tzinfo=SH)
    due, _warn = calendar.outside_due(business(), late_evening, 1, calendar.WORKING_DAYS)
    assert due.astimezone(SH).date() == dt.date(2026, 11, 20)
    assert due.astimezone(SH).time() == dt.time.max
    saturday = dt.datetime(2026, 11, 21, 9, 0, tzinfo=SH)
    due, _warn = calendar.outside_due(business(), saturday, 1, calendar.WORKING_DAYS)
    assert due.astimezone(SH).date() == dt.date(2026, 11, 23)


def test_calendar_days_count_weekends_and_days_off_alike():
    due, _warn = calendar.outside_due(business({DAY_OFF}), THURSDAY_10, 56, calendar.CALENDAR_DAYS)
    assert due.astimezone(SH).date() == dt.date(2027, 1, 14)
    due, _warn = calendar.outside_due(business(), THURSDAY_10, 15, calendar.CALENDAR_DAYS)
    assert due.astimezone(SH).date() == dt.date(2026, 12, 4)


def test_a_clock_of_its_own_warns_that_many_days_before():
    due, warn = calendar.outside_due(
        business({DAY_OFF}), THURSDAY_10, 3, calendar.WORKING_DAYS, end_of_business_day=True, warn_before=1
    )
    assert warn == dt.datetime(2026, 11, 24, 18, 0, tzinfo=SH)  # the working day before, not the day off
    due, warn = calendar.outside_due(business(), THURSDAY_10, 56, calendar.CALENDAR_DAYS, warn_before=7)
    assert due - warn == dt.timedelta(days=7)


# --- assignment at intake -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_matching_rule_in_use_gives_the_regime_at_intake(staff_user):
    CalendarDay.objects.create(date=DAY_OFF, kind=CalendarDay.Kind.DAY_OFF)
    disabled = make_regime("off", rule={"channel": "email", "position": 0, "is_enabled": False})
    fca = make_regime("uk-test", rule={"channel": "email", "position": 1})
    make_regime("later", rule={"channel": "email", "position": 2})
    by_category = make_regime(
        "by-category",
        clocks=[("answer", 15, "calendar_days", False, "first_response")],
        rule={"category": Category.objects.get(code="billing"), "position": 3},
    )
    complaint = make_complaint(by=staff_user, channel="email", now=THURSDAY_10)
    assert complaint.regime_id == fca.pk != disabled.pk
    found = clocks_of(complaint)
    assert set(found) == {"summary", "final"}
    # Counted on the desk's calendar (PostgreSQL holds the company's day off).
    assert found["summary"].due_at == dt.datetime(2026, 11, 25, 18, 0, tzinfo=SH)
    assert found["final"].due_at.astimezone(SH).date() == dt.date(2027, 1, 14)
    assert all(c.started_at == THURSDAY_10 and c.met_at is None for c in found.values())
    # The sweep looks at the complaint when its first outside check comes.
    complaint.refresh_from_db()
    assert complaint.next_deadline_at <= found["summary"].warn_at
    # Category match; phone and another category match nothing.
    billed = make_complaint(by=staff_user, channel="phone", category="billing", now=THURSDAY_10)
    assert billed.regime_id == by_category.pk
    assert make_complaint(by=staff_user, channel="phone", now=THURSDAY_10).regime_id is None
    assert not ComplaintClock.objects.filter(complaint__regime__isnull=True).exists()


@pytest.mark.django_db
def test_a_rule_can_match_the_customers_own_form(staff_user):
    public = make_regime("web", rule={"origin": "public"})
    mine = intake.complaint_create_public(
        customer=CustomerFactory(), what_happened="It broke.", desired_outcome="A refund", now=THURSDAY_10
    )
    assert mine.regime_id == public.pk
    assert make_complaint(by=staff_user, channel="web_form").regime_id is None


@pytest.mark.django_db
def test_a_rule_must_match_something():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        RegimeRule(regime=make_regime()).full_clean()


# --- meeting a clock ----------------------------------------------------------------------


@pytest.mark.django_db
def test_clocks_are_met_at_their_stop_event_only(staff_user):
    make_regime(
        clocks=[
            ("response", 15, "calendar_days", False, "first_response"),
            ("final", 60, "calendar_days", False, "closed"),
        ],
        rule={"channel": "email"},
    )
    complaint = make_complaint(by=staff_user, channel="email", now=THURSDAY_10)
    listened = THURSDAY_10 + dt.timedelta(hours=2)
    complaint, _ = transitions.complaint_transition(
        complaint=complaint, name="listen", data={}, by=staff_user, now=listened
    )
    found = clocks_of(complaint)
    assert found["response"].met_at == listened and found["response"].next_check_at is None
    assert found["final"].met_at is None
    walk(complaint, staff_user, "closed")
    found = clocks_of(complaint)
    assert found["response"].met_at == listened
    assert found["final"].met_at is not None and found["final"].next_check_at is None
    assert (
        outside.ClockView(
            "r", "r", "c", "c", "closed", found["final"].due_at, found["final"].met_at, None, None
        ).state(found["final"].met_at)
        == "met"
    )


# --- the sweep ----------------------------------------------------------------------------


def sweep(now):
    return sweep_module.complaints_check_deadlines(now=now)


def one_clock_complaint(lin):
    """A major complaint taken at once (the desk's own deadlines are days away) under a
    regime whose one clock is due by closing time on Wed 25 (3 working days)."""
    make_regime(clocks=[("summary", 3, "working_days", True, "closed")], rule={"channel": "email"})
    complaint = make_complaint(by=lin, channel="email", severity="major", now=THURSDAY_10)
    complaint, _ = transitions.complaint_transition(
        complaint=complaint, name="listen", data={}, by=lin, now=THURSDAY_10 + dt.timedelta(minutes=5)
    )
    return complaint, ComplaintClock.objects.get(complaint=complaint)


def outside_records(complaint, action):
    return ComplaintRecord.objects.filter(complaint=complaint, data__action=action)


@pytest.mark.django_db
def test_the_sweep_warns_once_then_escalates_once_at_the_due_moment():
    CalendarDay.objects.create(date=DAY_OFF, kind=CalendarDay.Kind.DAY_OFF)
    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    UserFactory(username="zhang", role="supervisor", email="zhang@example.com")
    complaint, clock = one_clock_complaint(lin)
    assert clock.due_at == dt.datetime(2026, 11, 25, 18, 0, tzinfo=SH)
    assert sweep(clock.warn_at - dt.timedelta(minutes=1))["warnings"] == 0
    assert sweep(clock.warn_at + dt.timedelta(minutes=1))["warnings"] == 1
    assert sweep(clock.warn_at + dt.timedelta(minutes=2))["warnings"] == 0
    warned = Notification.objects.get(key__startswith="outside-warning:")
    assert warned.to == "lin@example.com" and complaint.reference in warned.subject
    assert "does not pause" in warned.body
    assert outside_records(complaint, "outside_deadline_warning").count() == 1
    complaint.refresh_from_db()
    assert complaint.escalated is False

    late = clock.due_at + dt.timedelta(minutes=3)
    assert sweep(late)["breaches"] == 1
    assert sweep(late + dt.timedelta(minutes=1))["breaches"] == 0
    complaint.refresh_from_db()
    clock.refresh_from_db()
    assert complaint.escalated is True and complaint.escalation_level == 1
    assert complaint.escalated_at == clock.due_at == clock.breached_at  # dated at the due moment
    assert complaint.escalation_reason_code == "outside_breach"
    assert "Clock summary" in complaint.escalation_reason and "Regime uk-test" in complaint.escalation_reason
    assert clock.next_check_at is None
    entry = outside_records(complaint, "outside_deadline_breach").get()
    assert entry.data["level"] == 1 and entry.data["clock"] == "summary"
    assert Notification.objects.filter(key__startswith="breach:", to="zhang@example.com").count() == 1
    # The reason reads in Chinese for a Chinese reader.
    from django.utils import translation

    from complaints.notifications.messages import escalation_reason_text

    with translation.override("zh-hans"):
        assert "时钟 summary" in escalation_reason_text(complaint)


@pytest.mark.django_db
def test_a_met_clock_is_neither_warned_nor_breached():
    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    complaint, clock = one_clock_complaint(lin)
    walk(complaint, lin, "closed")
    result = sweep(clock.due_at + dt.timedelta(days=1))
    clock.refresh_from_db()
    assert clock.warned_at is None and clock.breached_at is None
    assert not outside_records(complaint, "outside_deadline_breach").exists()
    assert result["warnings"] == 0


@pytest.mark.django_db
def test_a_severity_change_keeps_the_outside_check():
    lin = UserFactory(username="lin", role="staff")
    complaint, clock = one_clock_complaint(lin)
    from complaints.workflow import severity

    severity.complaint_change_severity(
        complaint=complaint, data={"severity": "minor", "reason": "Small"}, by=lin
    )
    complaint.refresh_from_db()
    assert complaint.next_deadline_at <= clock.warn_at


def race(calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # surfaced below
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
def test_two_sweeps_at_once_warn_once_and_escalate_once(rounds):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are checked on PostgreSQL (set DATABASE_URL)")
    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    UserFactory(username="zhang", role="supervisor", email="zhang@example.com")
    complaint, clock = one_clock_complaint(lin)
    at_warning = clock.warn_at + dt.timedelta(minutes=1)
    race([lambda: sweep(at_warning), lambda: sweep(at_warning)])
    assert outside_records(complaint, "outside_deadline_warning").count() == 1
    assert Notification.objects.filter(key__startswith="outside-warning:").count() == 1
    at_breach = clock.due_at + dt.timedelta(minutes=1)
    race([lambda: sweep(at_breach), lambda: sweep(at_breach)])
    assert outside_records(complaint, "outside_deadline_breach").count() == 1
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1
    assert Notification.objects.filter(key__startswith="breach:").count() == 1


# --- by hand: API and page ----------------------------------------------------------------


@pytest.fixture
def regime_in_use(db):
    return make_regime()


def regime_url(complaint_id):
    return f"/api/complaints/{complaint_id}/regime/"


@pytest.mark.django_db
def test_a_supervisor_sets_and_takes_off_the_regime_through_the_api(
    api, staff_user, supervisor_user, regime_in_use
):
    complaint = make_complaint(by=staff_user, now=THURSDAY_10)
    api.force_authenticate(supervisor_user)
    answer = api.post(
        regime_url(complaint.pk), {"regime": "uk-test", "reason": "Referred by the FCA"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["regime"] == "uk-test"
    assert [d["code"] for d in body["outside_deadlines"]] == ["summary", "final"]
    assert body["outside_deadlines"][0]["state"] == "overdue"  # received weeks ago
    assert (
        api.get(f"/api/complaints/{complaint.pk}/").json()["outside_deadlines"] == body["outside_deadlines"]
    )
    entry = ComplaintRecord.objects.filter(complaint=complaint, data__action="set_regime").get()
    assert entry.data == {
        "action": "set_regime",
        "from": None,
        "to": "uk-test",
        "reason": "Referred by the FCA",
    }
    assert entry.author == supervisor_user

    again = api.post(regime_url(complaint.pk), {"regime": "uk-test"}, format="json")
    assert again.status_code == 409
    off = api.post(regime_url(complaint.pk), {"regime": None}, format="json")
    assert off.status_code == 200 and off.json()["regime"] is None and off.json()["outside_deadlines"] == []
    # Dropped, not deleted: the rows stay for the record, unwatched.
    assert (
        ComplaintClock.objects.filter(
            complaint=complaint, dropped_at__isnull=False, next_check_at=None
        ).count()
        == 2
    )


@pytest.mark.django_db
def test_setting_the_regime_refuses_bad_input_and_other_roles(
    api, staff_user, supervisor_user, manager_user, regime_in_use
):
    complaint = make_complaint(by=staff_user)
    api.force_authenticate(staff_user)
    assert api.post(regime_url(complaint.pk), {"regime": "uk-test"}, format="json").status_code == 403
    assert api.post(regime_url(999999), {"regime": "uk-test"}, format="json").status_code == 403  # role first
    api.force_authenticate(supervisor_user)
    assert api.post(regime_url(999999), {"regime": "uk-test"}, format="json").status_code == 404
    assert api.post(regime_url(complaint.pk), {}, format="json").status_code == 400
    assert api.post(regime_url(complaint.pk), {"regime": "nope"}, format="json").status_code == 400
    assert api.post(regime_url(complaint.pk), {"regime": 5}, format="json").status_code == 400
    make_regime("unused", enabled=False)
    assert api.post(regime_url(complaint.pk), {"regime": "unused"}, format="json").status_code == 400
    api.force_authenticate(manager_user)  # managers read; they change no complaint
    assert api.post(regime_url(complaint.pk), {"regime": "uk-test"}, format="json").status_code == 403
    api.force_authenticate(supervisor_user)
    assert api.post(regime_url(complaint.pk), {"regime": "uk-test"}, format="json").status_code == 200
    closed = walk(make_complaint(by=staff_user), staff_user, "closed")
    assert api.post(regime_url(closed.pk), {"regime": "uk-test"}, format="json").status_code == 409


@pytest.mark.django_db
def test_a_stop_event_already_past_counts_as_met_when_the_regime_is_set_later(
    api, staff_user, supervisor_user
):
    make_regime(clocks=[("response", 15, "calendar_days", False, "first_response")])
    complaint = walk(make_complaint(by=staff_user), staff_user, "listen")
    api.force_authenticate(supervisor_user)
    body = api.post(regime_url(complaint.pk), {"regime": "uk-test"}, format="json").json()
    assert body["outside_deadlines"][0]["state"] == "met"
    assert body["outside_deadlines"][0]["met_at"] is not None


@pytest.mark.django_db
def test_the_api_detail_reads_outside_deadlines_in_constant_queries(
    api, staff_user, supervisor_user, django_assert_num_queries
):
    few = make_regime("few", clocks=[("a", 3, "working_days", False, "closed")])
    many = make_regime("many", clocks=[(f"c{i}", 3 + i, "calendar_days", False, "closed") for i in range(6)])
    counted = []
    for regime in (few, many):
        complaint = make_complaint(by=staff_user)
        outside.complaint_set_regime(complaint=complaint, data={"regime": regime.code}, by=supervisor_user)
        api.force_authenticate(staff_user)
        from django.db import connection as conn
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(conn) as queries:
            body = api.get(f"/api/complaints/{complaint.pk}/").json()
        counted.append(len(queries))
        assert len(body["outside_deadlines"]) == regime.clocks.count()
    assert counted[0] == counted[1]


@pytest.mark.django_db
def test_the_complaint_page_shows_outside_deadlines_in_constant_queries(
    staff_user, supervisor_user, django_assert_num_queries
):
    few = make_regime("few", clocks=[("a", 3, "working_days", False, "closed")])
    many = make_regime("many", clocks=[(f"c{i}", 3 + i, "calendar_days", False, "closed") for i in range(6)])
    client = client_for(staff_user)
    counts = []
    for regime in (few, many):
        complaint = make_complaint(by=staff_user)
        outside.complaint_set_regime(complaint=complaint, data={"regime": regime.code}, by=supervisor_user)
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/complaints/{complaint.pk}/").content.decode()
        counts.append(len(queries))
        assert "Outside deadlines" in page and f"Regime {regime.code}" in page
        assert page.count('class="outside-clock') == regime.clocks.count()
        assert "Change the outside deadlines" not in page  # staff may not change them
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[1]):
        client.get(f"/complaints/{complaint.pk}/")


@pytest.mark.django_db
def test_a_supervisor_sets_the_regime_on_the_complaint_page(staff_user, supervisor_user, regime_in_use):
    complaint = make_complaint(by=staff_user)
    page = client_for(supervisor_user).get(f"/complaints/{complaint.pk}/").content.decode()
    assert "Change the outside deadlines" in page
    url = f"/complaints/{complaint.pk}/regime/"
    assert client_for(staff_user).post(url, {"regime-regime": "uk-test"}).status_code == 403
    assert client_for(supervisor_user).post(url, {"regime-regime": "nope"}).status_code == 400
    answer = client_for(supervisor_user).post(url, {"regime-regime": "uk-test", "regime-reason": "Referral"})
    assert answer.status_code == 302
    complaint.refresh_from_db()
    assert complaint.regime == regime_in_use
    again = client_for(supervisor_user).post(url, {"regime-regime": "uk-test"})
    assert again.status_code == 409 and "already has these outside deadlines" in again.content.decode()
    assert (
        client_for(supervisor_user).post("/complaints/999999/regime/", {"regime-regime": ""}).status_code
        == 404
    )
    page = client_for(staff_user).get(f"/complaints/{complaint.pk}/").content.decode()
    assert "Clock summary" in page and "Clock final" in page


# --- the weekly report --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_weekly_report_shows_compliance_per_regime(staff_user, supervisor_user, manager_user):
    regime = make_regime(clocks=[("answer", 2, "calendar_days", False, "closed")])
    monday = weeks.parse_week("2026-W48")  # 23-29 November
    start, _end = weeks.week_bounds(monday)

    def under_regime(received):
        complaint = make_complaint(by=staff_user, now=received)
        outside.complaint_set_regime(complaint=complaint, data={"regime": regime.code}, by=supervisor_user)
        return ComplaintClock.objects.get(complaint=complaint, dropped_at=None)

    on_time = under_regime(start + dt.timedelta(hours=1))  # due Wed 25, midnight
    ComplaintClock.objects.filter(pk=on_time.pk).update(met_at=on_time.due_at - dt.timedelta(hours=5))
    late = under_regime(start + dt.timedelta(hours=2))
    ComplaintClock.objects.filter(pk=late.pk).update(met_at=late.due_at + dt.timedelta(hours=5))
    under_regime(start + dt.timedelta(hours=3))  # never met
    under_regime(start + dt.timedelta(days=4))  # due Sun 29 night: still running at report time
    under_regime(start + dt.timedelta(days=10))  # due next week: not counted
    report = compose.build_report(monday, now=start + dt.timedelta(days=6, hours=10))
    (row,) = report["outside_deadlines"]
    assert {
        k: row[k] for k in ("code", "due", "met_on_time", "met_late", "missed", "running", "met_pct")
    } == {
        "code": "uk-test",
        "due": 4,
        "met_on_time": 1,
        "met_late": 1,
        "missed": 1,
        "running": 1,
        "met_pct": 33.3,
    }
    assert row["clocks"][0]["code"] == "answer" and row["clocks"][0]["due"] == 4
    page = client_for(manager_user).get("/reports/weekly/?week=2026-W48")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Outside deadlines" in text and "Regime uk-test" in text and "Clock answer" in text
    # The same figures as a CSV table: the regime's row, then one per clock.
    from complaints.reports.present import csv_tables, present

    header, rows = csv_tables(present(report))["outside_deadlines"]
    assert header[:3] == ["Regime", "Outside deadline", "Due"]
    assert rows == [
        ["Regime uk-test", "", 4, 1, 1, 1, 1, 33.3],
        ["Regime uk-test", "Clock answer", 4, 1, 1, 1, 1, 33.3],
    ]


@pytest.mark.django_db
def test_a_report_without_regimes_or_stored_before_them_has_no_outside_section(manager_user):
    from complaints.reports.present import present

    report = compose.build_report(weeks.parse_week("2026-W48"))
    assert report["outside_deadlines"] == []
    stored_before = {key: value for key, value in report.items() if key != "outside_deadlines"}
    assert present(stored_before)["outside_deadlines"] == []
    page = client_for(manager_user).get("/reports/weekly/?week=2026-W48").content.decode()
    assert "Outside deadlines" not in page


@pytest.mark.django_db
def test_outside_deadlines_read_in_chinese(staff_user, supervisor_user, regime_in_use):
    complaint = make_complaint(by=staff_user)
    outside.complaint_set_regime(complaint=complaint, data={"regime": "uk-test"}, by=supervisor_user)
    page = client_for(supervisor_user).get(f"/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "外部时限" in text and "制度 uk-test" in text and "时钟 summary" in text
    assert "更改外部时限" in text


@pytest.mark.django_db
def test_outside_clocks_run_on_while_the_complaint_is_on_hold():
    """A hold pauses the desk's own clocks only: the regulator's clock still warns and
    escalates, once each, and the desk's own deadlines stay paused."""
    from complaints.workflow import holds

    CalendarDay.objects.create(date=DAY_OFF, kind=CalendarDay.Kind.DAY_OFF)
    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    UserFactory(username="zhang", role="supervisor", email="zhang@example.com")
    complaint, clock = one_clock_complaint(lin)
    holds.put_on_hold(
        complaint, kind="customer", reason="receipt photo", by=lin, now=THURSDAY_10 + dt.timedelta(hours=1)
    )
    complaint.refresh_from_db()
    assert complaint.deadline_now() is None  # the desk's own clocks are paused
    assert complaint.next_deadline_at == clock.warn_at  # the outside clock still wakes the sweep
    assert sweep(clock.warn_at + dt.timedelta(minutes=1))["warnings"] == 1
    late = clock.due_at + dt.timedelta(minutes=3)
    assert sweep(late)["breaches"] == 1
    assert sweep(late + dt.timedelta(minutes=1))["breaches"] == 0
    complaint.refresh_from_db()
    assert complaint.hold_id is not None and complaint.deadline_now() is None
    assert complaint.escalated and complaint.escalation_reason_code == "outside_breach"
    assert outside_records(complaint, "outside_deadline_breach").count() == 1
