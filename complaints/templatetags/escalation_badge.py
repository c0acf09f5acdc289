"""The header's escalation badge: how many escalations wait for a supervisor."""

from django import template

from .. import access
from ..escalations.queue import unacknowledged_count

register = template.Library()


@register.simple_tag
def escalations_waiting(user) -> int:
    """Unacknowledged escalations for a user who may act on them (supervisors), else 0.
    Cached for a minute (escalations.queue.unacknowledged_count): at most one query."""
    if not access.is_supervisor(user):
        return 0
    return unacknowledged_count()
