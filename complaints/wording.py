"""How the desk words things in the reader's language: which label to show, and spans of
time in words. One place, so pages, emails, the coach and the report agree."""

from datetime import timedelta

from django.utils import translation
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
