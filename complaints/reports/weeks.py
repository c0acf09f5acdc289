"""ISO weeks as the report names them ("2026-W48"), and their bounds in local time."""

import datetime
import re
import zoneinfo

from django.conf import settings
from django.utils import timezone

from .. import bounds

WEEK_PATTERN = r"^(\d{4})-W(\d{2})$"
WEEK_RE = re.compile(WEEK_PATTERN)
TREND_WEEKS = 5  # the week itself and the four before it


class BadWeek(ValueError):
    """Not an ISO week of the form 2026-W48."""


class NoSuchWeek(BadWeek):
    """Written like a week, but the year has no such week (2026-W54, 2025-W53)."""


# --- weeks ---------------------------------------------------------------------------


def tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def parse_week(text: object) -> datetime.date:
    """'2026-W48' -> the Monday of that ISO week (a date). Raises BadWeek."""
    if not isinstance(text, str):
        raise BadWeek(text)
    match = WEEK_RE.match(text.strip())
    if not match:
        raise BadWeek(text)
    year, week = int(match[1]), int(match[2])
    if not bounds.check_report_year(year):
        raise BadWeek(text)
    try:
        return datetime.date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise NoSuchWeek(text) from exc


def week_label(monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(
    monday: datetime.date, zone: datetime.tzinfo | None = None
) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of the week starting on `monday`, as aware datetimes at local midnight."""
    zone = zone or tz()
    start = datetime.datetime.combine(monday, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time(), tzinfo=zone)
    return start, end


def last_full_week(
    now: datetime.datetime | None = None, zone: datetime.tzinfo | None = None
) -> datetime.date:
    """The Monday of the ISO week before the one `now` falls in (local time)."""
    zone = zone or tz()
    today = (now or timezone.now()).astimezone(zone).date()
    this_monday = today - datetime.timedelta(days=today.weekday())
    return this_monday - datetime.timedelta(days=7)


def trend_mondays(monday: datetime.date) -> list[datetime.date]:
    return [monday - datetime.timedelta(days=7 * k) for k in range(TREND_WEEKS - 1, -1, -1)]
