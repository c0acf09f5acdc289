"""How the desk words things in the reader's language: which label to show, and spans of
time in words. One place, so pages, emails, the coach and the report agree."""

import functools
import re
from datetime import timedelta

import opencc
from django.conf import settings
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def prefers_chinese():
    """Is the active language a Chinese one?"""
    return (translation.get_language() or "").startswith("zh")


# The language codes read in Traditional characters (get_language() gives "zh-hant" for the
# pages; translation.override() with a browser's code may give the others).
_TRADITIONAL = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")


def prefers_traditional():
    """Is the active language Traditional Chinese?"""
    language = (translation.get_language() or "").lower()
    return language in _TRADITIONAL or language.startswith("zh-hant-")


def localised(english, chinese):
    """The Chinese label when the reader reads Chinese and there is one, else the English.

    Chinese labels are stored in Simplified characters; a reader of Traditional Chinese
    reads them converted (to_traditional)."""
    if not (chinese and prefers_chinese()):
        return english
    return to_traditional(chinese) if prefers_traditional() else chinese


# What OpenCC's s2twp (Taiwan characters and phrases) leaves in mainland wording, or turns
# into software jargon, for a service desk read in Taiwan and Hong Kong. Applied in order
# after s2twp, by to_traditional(): the database labels the pages show and the zh_Hant
# catalogs (manage.py sync_traditional_catalogs) both go through here. A wrong entry is
# fixed here once; an entry already in a zh_Hant catalog is never rewritten.
TRADITIONAL_FIXES: tuple[tuple[str, str], ...] = (
    ("電子郵箱", "電子郵件"),  # email address: 郵箱 is a post box
    ("郵箱", "電子郵件"),
    ("賬", "帳"),  # 帳號, 帳戶, 帳單
    ("響應", "回應"),  # respond by
    ("渠道", "管道"),  # the channel a complaint came through
    ("社交媒體", "社群媒體"),
    ("質量", "品質"),
    ("型別", "類型"),  # s2twp's programming "type"; a record's kind
    ("程式碼", "代碼"),  # s2twp's source code; a list entry's code
    ("引數", "參數"),  # s2twp's function argument; a reason's values
    ("釋出", "發布"),  # s2twp's software release; a published report
    ("審批", "審核"),  # approving compensation
    ("首選", "偏好"),  # preferred language, preferred contact
    ("反饋", "回饋"),
    ("當前", "目前"),
    ("回復", "回覆"),  # reply to us
    ("文本", "文字"),
    ("打開", "開啟"),
    ("退出登入", "登出"),
    ("導航", "導覽"),
    ("後臺", "後台"),
    ("通過以下", "透過以下"),  # through this link (通過 also means "passed")
    ("通過電子郵件", "透過電子郵件"),
)
# The week (週), not the surname Zhou or 周到 / 周圍 ("thoughtful", "around").
_WEEK = re.compile(r"周(?![到圍全邊遭旋折密詳先女小太])")
# Paired quotation marks only: a lone ’ may be an apostrophe in an English word.
_DOUBLE_QUOTED = re.compile(r"“([^“”]*)”")
_SINGLE_QUOTED = re.compile(r"‘([^‘’]*)’")


@functools.cache
def _s2twp() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


@functools.lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """Simplified Chinese in Traditional characters and Taiwan/Hong Kong wording: OpenCC's
    s2twp, then TRADITIONAL_FIXES, the week as 週 and 「」 quotation marks. Text without
    Chinese (placeholders such as %(name)s or {count} included) comes back unchanged."""
    text = _s2twp().convert(text)
    for wrong, right in TRADITIONAL_FIXES:
        text = text.replace(wrong, right)
    text = _WEEK.sub("週", text)
    return _SINGLE_QUOTED.sub(r"『\1』", _DOUBLE_QUOTED.sub(r"「\1」", text))


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
