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


FIX_WEEKS = 4  # "did the fix work?": four full weeks before the fix and four after
FIX_LOOKBACK_WEEKS = 13  # fixes done in the last quarter are followed in the report


def monday_of(moment: datetime.datetime, zone: datetime.tzinfo | None = None) -> datetime.date:
    """The Monday of the ISO week `moment` falls in (local time)."""
    day = moment.astimezone(zone or tz()).date()
    return day - datetime.timedelta(days=day.weekday())


def fix_windows(
    done_at: datetime.datetime, report_monday: datetime.date, zone: datetime.tzinfo | None = None
) -> dict[str, object]:
    """The weeks a fix done at `done_at` is judged on, seen from the report of `report_monday`.

    Before: the FIX_WEEKS full weeks before the week it was done. After: the FIX_WEEKS full
    weeks after that week, as far as they have ended by the report's week (`weeks_after`
    says how many, 0 to FIX_WEEKS). The week of the fix itself is in neither: it is half one,
    half the other.
    """
    done_monday = monday_of(done_at, zone)
    before_start = week_bounds(done_monday - datetime.timedelta(weeks=FIX_WEEKS), zone)[0]
    before_end = week_bounds(done_monday, zone)[0]
    after_monday = done_monday + datetime.timedelta(weeks=1)
    weeks_after = max(0, min(FIX_WEEKS, (report_monday - after_monday).days // 7 + 1))
    after_start = week_bounds(after_monday, zone)[0]
    after_end = week_bounds(after_monday + datetime.timedelta(weeks=weeks_after), zone)[0]
    return {
        "before": (before_start, before_end),
        "after": (after_start, after_end),
        "weeks_after": weeks_after,
    }
