"""How the desk words things in the reader's language: which label to show, and spans of
time in words. One place, so pages, emails, the coach and the report agree."""

from datetime import timedelta

from django.conf import settings
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def prefers_chinese():
    """Is the active language a Chinese one?"""
    return (translation.get_language() or "").startswith("zh")


def localised(english, chinese):
    """The Chinese label when the reader reads Chinese and there is one, else the English."""
    return chinese if chinese and prefers_chinese() else english


def duration_text(span):
    """A span of time (a timedelta or seconds, sign ignored) in words: "2 days 3 h",
    "3 h 20 min", "40 min"."""
    seconds = span.total_seconds() if isinstance(span, timedelta) else span
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days} + (
            " " + ngettext("%(n)d h", "%(n)d h", hours) % {"n": hours} if hours else ""
        )
    if hours:
        return ngettext("%(n)d h", "%(n)d h", hours) % {"n": hours} + " " + _("%(n)d min") % {"n": mins}
    return _("%(n)d min") % {"n": mins}


def moment_text(value, *, clock_only_today=False):
    """A moment in the reader's time zone, "2026-12-04 14:02", with the zone's abbreviation
    ("2026-12-04 07:02 CET") when the reader's zone is not the desk's TIME_ZONE.
    `clock_only_today`: just "14:02" when it falls on the reader's today."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    shape = "H:i" if clock_only_today and local.date() == timezone.localdate() else "Y-m-d H:i"
    text = dateformat.format(local, shape)
    if timezone.get_current_timezone_name() != settings.TIME_ZONE:
        zone = local.tzname() or ""
        text += " " + (f"UTC{zone}" if zone.startswith(("+", "-")) else zone)
    return text
