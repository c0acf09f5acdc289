"""Template helpers for the desk pages: roles, time left, record entries."""

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import access
from ..wording import duration_text, moment_text

register = template.Library()


@register.filter
def has_desk_role(user):
    return access.has_any_role(user)


@register.filter
def can_work(user):
    return access.can_work_complaints(user)


@register.filter
def is_supervisor(user):
    return access.is_supervisor(user)


@register.filter
def can_read_reports(user):
    return access.can_read_reports(user)


@register.simple_tag
def page_exists(path):
    """True when a page is served at `path` (links to pages not built yet are left out)."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@register.simple_tag
def time_left(deadline, now=None):
    """ "3 h 20 min left" or "overdue by 2 h"."""
    if deadline is None:
        return ""
    delta = deadline - (now or timezone.now())
    if delta.total_seconds() < 0:
        return _("overdue by %(time)s") % {"time": duration_text(delta)}
    return _("%(time)s left") % {"time": duration_text(delta)}


@register.filter
def moment(value):
    """A time as the desk shows it: in the reader's zone, naming the zone when it is not the desk's."""
    return moment_text(value)


@register.simple_tag(takes_context=True)
def time_zone_menu(context):
    """(zones offered, the zone chosen or "") for the header menu."""
    from ..time_zones import SESSION_KEY, offered_time_zones

    session = getattr(context.get("request"), "session", None)
    current = session.get(SESSION_KEY, "") if session is not None else ""
    return {"zones": offered_time_zones(current), "current": current or settings.TIME_ZONE}


@register.simple_tag
def paused_clock(hold):
    """ "2 days 3 h left when paused" (or "overdue by 3 h when paused") for an open hold."""
    left = hold.paused_left() if hold is not None else None
    if left is None:
        return ""
    if left.total_seconds() < 0:
        return _("overdue by %(time)s when paused") % {"time": duration_text(left)}
    return _("%(time)s left when paused") % {"time": duration_text(left)}


@register.simple_tag
def on_hold_text(hold):
    """ "On hold since 2026-12-04 14:02 (waiting for the customer): <reason>"."""
    if hold is None:
        return ""
    return _("On hold since %(since)s (%(kind)s): %(reason)s") % {
        "since": moment_text(hold.started_at),
        "kind": hold.get_kind_display(),
        "reason": hold.reason,
    }


@register.simple_tag
def back_from_hold_text(hold):
    """ "Came back from hold: no answer in 14 days"."""
    if hold is None or hold.ended_at is None:
        return ""
    days = (hold.ended_at - hold.started_at).days
    return ngettext(
        "Came back from hold: no answer in %(days)d day",
        "Came back from hold: no answer in %(days)d days",
        days,
    ) % {"days": days}
