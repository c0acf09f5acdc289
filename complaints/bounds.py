"""The dates and times the desk accepts, stated once.

Every date or moment typed by a person or sent to the API is checked here before
anything is written: a year the database stores but Python cannot read back (10000), or
a UTC offset PostgreSQL refuses (+16:00), must come back as a message on the field, not
as a 500 or as a row that breaks every page and sweep that reads it later.

- Facts (a purchase date): not in the future, not before 1900.
- Callback promises: not in the past, at most a year ahead.
- Report weeks: ISO years 1900 to 2999.
- Any moment: a UTC offset within +-15:59 and a year from 1900 to 9998 (so that it
  stays a valid date in every time zone).
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EARLIEST_YEAR = 1900
LATEST_YEAR = 9998
EARLIEST_FACT = dt.date(EARLIEST_YEAR, 1, 1)
CALLBACK_HORIZON = dt.timedelta(days=365)
MAX_UTC_OFFSET = dt.timedelta(hours=15, minutes=59)
REPORT_YEARS = (1900, 2999)


def check_moment(value):
    """Refuse an aware or naive datetime whose offset or year the desk cannot keep."""
    if value is None:
        return value
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValidationError(
            _("Use a time zone offset between -15:59 and +15:59."), code="offset_out_of_range"
        )
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Give a year between %(first)s and %(last)s.") % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            code="year_out_of_range",
        )
    return value


def check_fact_date(value, *, today=None):
    """A date of something that already happened: from 1900 up to today (local date)."""
    if value is None:
        return value
    today = today or timezone.localdate()
    if value > today:
        raise ValidationError(_("This date is in the future; give the date it happened."), code="future")
    if value < EARLIEST_FACT:
        raise ValidationError(_("Give a date from 1900 on."), code="too_early")
    return value


def check_callback_due(value, *, now=None):
    """A callback promise: later than now, and no more than a year ahead."""
    now = now or timezone.now()
    if value <= now:
        raise ValidationError(_("Pick a time in the future."), code="past")
    if value > now + CALLBACK_HORIZON:
        raise ValidationError(_("Promise a callback within the next year."), code="too_far")
    return value


def check_report_year(year):
    """True when an ISO year is one the weekly report covers."""
    first, last = REPORT_YEARS
    return first <= year <= last


class MomentField(forms.DateTimeField):
    """A date and time; offsets and years outside what the desk keeps are a field error."""

    def to_python(self, value):
        try:
            parsed = super().to_python(value)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return check_moment(parsed)


class CheckedDateField(forms.DateField):
    """A date a person types, refused in words when it cannot be read (an overflowing
    year included) and then held to `check` (a function that raises ValidationError)."""

    default_error_messages = {"invalid": gettext_lazy("Enter a valid date, e.g. 2026-11-30.")}

    def check(self, value):
        return value

    def to_python(self, value):
        try:
            parsed = super().to_python(value)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return self.check(parsed)


class FactDateField(CheckedDateField):
    """The date something happened: not in the future, not before 1900."""

    def check(self, value):
        return check_fact_date(value)


REMEDY_HORIZON = dt.timedelta(days=2 * 365)
REMEDY_PAST = dt.timedelta(days=365)


def check_remedy_date(value, *, today=None):
    """When a remedy happens (or happened): within a year back and two years ahead."""
    if value is None:
        return value
    today = today or timezone.localdate()
    if value > today + REMEDY_HORIZON:
        raise ValidationError(_("Give a date within the next two years."), code="too_far")
    if value < today - REMEDY_PAST:
        raise ValidationError(_("Give a date within the last year."), code="too_early")
    return value


class RemedyDateField(CheckedDateField):
    """When the remedy happens: a date from a year ago to two years ahead."""

    def check(self, value):
        return check_remedy_date(value)
