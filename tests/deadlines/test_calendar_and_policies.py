"""The working-day calendar and the service levels on it."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints.deadlines import calendar, policies, schedule
from complaints.deadlines.calendar import Calendar, add_working_minutes, due_events, target_end, watches
from complaints.models import CalendarDay, SLAPolicy
from tests.factories import CustomerFactory, make_complaint

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


PLAIN = Calendar(tz=SH)  # Mon-Fri 09:00-18:00, no holidays


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (at(2026, 11, 17, 10, 0), 60, at(2026, 11, 17, 11, 0)),  # inside the day
        (at(2026, 11, 17, 17, 30), 60, at(2026, 11, 18, 9, 30)),  # across a night
        (at(2026, 11, 17, 22, 0), 60, at(2026, 11, 18, 10, 0)),  # received at night
        (at(2026, 11, 18, 6, 0), 60, at(2026, 11, 18, 10, 0)),  # received before opening
        (at(2026, 11, 20, 17, 30), 60, at(2026, 11, 23, 9, 30)),  # across a weekend
        (at(2026, 11, 21, 12, 0), 60, at(2026, 11, 23, 10, 0)),  # received on Saturday
        (at(2026, 11, 17, 9, 0), 9 * 60, at(2026, 11, 17, 18, 0)),  # a full day ends at closing
        (at(2026, 11, 17, 10, 0), 7 * 9 * 60, at(2026, 11, 26, 10, 0)),  # 7 working days
    ],
)
def test_working_time_skips_nights_and_weekends(start, minutes, expected):
    assert add_working_minutes(PLAIN, start, minutes) == expected


def test_result_keeps_the_callers_timezone():
    start = at(2026, 11, 17, 17, 30).astimezone(dt.UTC)
    end = add_working_minutes(PLAIN, start, 60)
    assert end.tzinfo == dt.UTC
    assert end == at(2026, 11, 18, 9, 30)


def test_naive_start_is_refused():
    with pytest.raises(ValueError):
        add_working_minutes(PLAIN, dt.datetime(2026, 11, 17, 10), 60)


def test_a_calendar_without_working_days_fails_instead_of_looping():
    with pytest.raises(ValueError):
        add_working_minutes(Calendar(tz=SH, weekdays=frozenset()), at(2026, 1, 1, 10), 60)


def _brute_force(calendar, start, minutes):
    """Walk minute by minute: the definition the fast version must agree with."""
    moment = start
    left = minutes
    while True:
        local = moment.astimezone(calendar.tz)
        opens = dt.datetime.combine(local.date(), calendar.start, tzinfo=calendar.tz)
        closes = dt.datetime.combine(local.date(), calendar.end, tzinfo=calendar.tz)
        working = calendar.is_working_day(local.date()) and opens <= local < closes
        if left == 0 and (working or local == closes):
            return moment
        if working:
            left -= 1
        moment += dt.timedelta(minutes=1)
        if left == 0 and moment.astimezone(calendar.tz) == closes:
            return moment


def test_agrees_with_a_minute_by_minute_walk():
    rng = random.Random(7)
    calendar = Calendar(
        tz=SH,
        days_off=frozenset({dt.date(2026, 10, 1), dt.date(2026, 10, 2)}),
        working_days=frozenset({dt.date(2026, 10, 10)}),
    )
    for _ in range(60):
        start = at(2026, 9, 28, 0, 0) + dt.timedelta(minutes=rng.randrange(0, 14 * 24 * 60))
        minutes = rng.randrange(1, 900)
        assert add_working_minutes(calendar, start, minutes) == _brute_force(calendar, start, minutes), (
            start,
            minutes,
        )


# --- The CN calendar from the holidays package ---------------------------------------


@pytest.fixture
def cn_2026(db, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "HOLIDAY_COUNTRY": "CN"}
    return policies.load_calendar(2026)


def test_cn_national_day_week_and_its_make_up_days(cn_2026):
    for day in range(1, 8):
        assert not cn_2026.is_working_day(dt.date(2026, 10, day)), day
    assert cn_2026.is_working_day(dt.date(2026, 9, 20))  # Sunday worked for Oct 6
    assert cn_2026.is_working_day(dt.date(2026, 10, 10))  # Saturday worked for Oct 7
    assert not cn_2026.is_working_day(dt.date(2026, 10, 11))  # an ordinary Sunday


def test_seven_working_days_over_national_day_land_on_the_right_day(cn_2026):
    # Wednesday 30 Sep 10:00: working days then are Oct 8, 9, 10 (a make-up Saturday),
    # 12, 13, 14 and 15.
    assert target_end(cn_2026, at(2026, 9, 30, 10, 0), 7, calendar.WORKING_DAYS) == at(2026, 10, 15, 10, 0)


def test_without_the_make_up_day_it_would_be_a_day_later(cn_2026):
    without = Calendar(tz=SH, days_off=cn_2026.days_off)
    assert target_end(without, at(2026, 9, 30, 10, 0), 7, calendar.WORKING_DAYS) == at(2026, 10, 16, 10, 0)


def test_one_working_hour_on_a_make_up_sunday(cn_2026):
    assert target_end(cn_2026, at(2026, 9, 19, 12, 0), 1, calendar.WORKING_HOURS) == at(2026, 9, 20, 10, 0)


def test_company_days_off_and_make_up_days_come_from_the_admin(db):
    CalendarDay.objects.create(date=dt.date(2026, 11, 18), kind="day_off", note="Company outing")
    CalendarDay.objects.create(date=dt.date(2026, 11, 21), kind="working_day", note="Stock-take")
    calendar = policies.load_calendar(2026)
    assert not calendar.is_working_day(dt.date(2026, 11, 18))
    assert calendar.is_working_day(dt.date(2026, 11, 21))
    # Tue 17:30 + 1 working hour skips the outing on Wednesday.
    assert add_working_minutes(calendar, at(2026, 11, 17, 17, 30), 60) == at(2026, 11, 19, 9, 30)


def test_holiday_country_is_configurable(db, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "HOLIDAY_COUNTRY": ""}
    assert policies.load_calendar(2026).is_working_day(dt.date(2026, 10, 1))
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "HOLIDAY_COUNTRY": "US"}
    assert not policies.load_calendar(2026).is_working_day(dt.date(2026, 11, 26))  # Thanksgiving


# --- Policies and complaints --------------------------------------------------------


@pytest.mark.django_db
def test_major_complaint_logged_before_national_day_gets_the_holiday_aware_deadline(staff_user):
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        complaint = make_complaint(by=staff_user, severity="major")
    assert complaint.respond_by == at(2026, 9, 30, 11, 0)
    assert complaint.resolve_by == at(2026, 10, 15, 10, 0)
    # Warned when 75% of each window has elapsed.
    assert complaint.respond_warn_at == at(2026, 9, 30, 10, 45)
    assert complaint.resolve_warn_at == target_end(
        policies.load_calendar(2026), at(2026, 9, 30, 10, 0), 7, calendar.WORKING_DAYS, 0.75
    )
    assert complaint.next_deadline_at == complaint.respond_warn_at


@pytest.mark.django_db
def test_a_tier_customers_get_tighter_targets(staff_user):
    vip = CustomerFactory(tier="A")
    with time_machine.travel(at(2026, 11, 17, 10, 0), tick=False):
        complaint = make_complaint(by=staff_user, customer=vip, severity="minor")
    assert complaint.respond_by == at(2026, 11, 17, 10, 30)
    assert complaint.resolve_by == at(2026, 11, 17, 22, 0)


@pytest.mark.django_db
def test_policies_edited_in_the_admin_apply_to_new_complaints(staff_user):
    SLAPolicy.objects.filter(severity="minor", tier="").update(resolve_within=2, resolve_unit="working_days")
    with time_machine.travel(at(2026, 11, 20, 10, 0), tick=False):  # a Friday
        complaint = make_complaint(by=staff_user, severity="minor")
    assert complaint.resolve_by == at(2026, 11, 24, 10, 0)


@pytest.mark.django_db
def test_changing_severity_recomputes_the_deadlines(staff_api, staff_user):
    with time_machine.travel(at(2026, 11, 17, 10, 0), tick=False):
        complaint = make_complaint(by=staff_user, severity="minor")
        response = staff_api.post(
            f"/api/complaints/{complaint.pk}/severity/",
            {"severity": "major", "reason": "Customer was injured"},
            format="json",
        )
    assert response.status_code == 200, response.content
    assert response.json()["resolve_by"] == "2026-11-26T10:00:00+08:00"
    complaint.refresh_from_db()
    assert complaint.severity == "major"
    assert complaint.resolve_by == at(2026, 11, 26, 10, 0)
    record = complaint.records.last()
    assert record.data["action"] == "change_severity"
    assert (record.data["from"], record.data["to"]) == ("minor", "major")
    again = staff_api.post(
        f"/api/complaints/{complaint.pk}/severity/", {"severity": "major", "reason": "x"}, format="json"
    )
    assert again.status_code == 409
    assert staff_api.post(f"/api/complaints/{complaint.pk}/severity/", {}, format="json").status_code == 400


@pytest.mark.django_db
def test_tier_change_hook_recomputes_open_complaints(staff_user, django_assert_num_queries):
    customer = CustomerFactory(tier="C")
    with time_machine.travel(at(2026, 11, 17, 10, 0), tick=False):
        open_ = make_complaint(by=staff_user, customer=customer, severity="minor")
    customer.tier = "A"
    customer.save()
    # complaints, policies, company days, working hours, callbacks, one bulk update.
    with django_assert_num_queries(6):
        assert schedule.complaints_recompute_deadlines_for_customer(customer) == 1
    open_.refresh_from_db()
    assert open_.resolve_by == at(2026, 11, 17, 22, 0)


# --- Which events are due -------------------------------------------------------------


def test_due_events_fire_once_and_name_the_next_check():
    t = at(2026, 11, 17, 10, 0)
    watched = watches(
        responded=False,
        respond_by=t + dt.timedelta(hours=1),
        resolve_by=t + dt.timedelta(hours=24),
        respond_warn_at=t + dt.timedelta(minutes=45),
        resolve_warn_at=t + dt.timedelta(hours=18),
        callback_dues=[t + dt.timedelta(minutes=30)],
    )
    due, next_at = due_events(watched, set(), t + dt.timedelta(minutes=50))
    assert due == [
        ("respond_warning", t + dt.timedelta(hours=1)),
        ("callback_breach", t + dt.timedelta(minutes=30)),
    ]
    assert next_at == t + dt.timedelta(hours=1)
    due, next_at = due_events(watched, set(due), t + dt.timedelta(minutes=50))
    assert due == []
    assert next_at == t + dt.timedelta(hours=1)


def test_a_warning_after_its_deadline_is_dropped_for_the_breach():
    t = at(2026, 11, 17, 10, 0)
    watched = watches(
        responded=True,
        respond_by=t,
        resolve_by=t + dt.timedelta(hours=24),
        respond_warn_at=t,
        resolve_warn_at=t + dt.timedelta(hours=18),
        callback_dues=[],
    )
    due, next_at = due_events(watched, set(), t + dt.timedelta(hours=30))
    assert due == [("resolve_breach", t + dt.timedelta(hours=24))]
    assert next_at is None


@pytest.mark.django_db
def test_complaint_logged_on_saturday_before_a_make_up_sunday_is_due_on_sunday(staff_user):
    with time_machine.travel(at(2026, 9, 19, 12, 0), tick=False):  # Saturday; Sunday 20 Sep is worked
        complaint = make_complaint(by=staff_user, severity="minor")
    assert complaint.respond_by == at(2026, 9, 20, 10, 0)


@pytest.mark.django_db
def test_complaint_logged_on_national_day_waits_for_the_first_working_morning(staff_user):
    with time_machine.travel(at(2026, 10, 2, 15, 0), tick=False):
        complaint = make_complaint(by=staff_user, severity="major")
    assert complaint.respond_by == at(2026, 10, 8, 10, 0)
    # Seven working days from Oct 8 09:00: the 8th, 9th, 10th (make-up), 12th-15th.
    assert complaint.resolve_by == at(2026, 10, 15, 18, 0)
