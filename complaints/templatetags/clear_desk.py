"""Template helpers for the desk pages: roles, time left, record entries."""

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

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
