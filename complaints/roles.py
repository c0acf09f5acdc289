"""The three roles (Django auth groups) and what each may do.

A supervisor can do everything a staff member can; a manager reads everything but
changes nothing; a superuser can do everything. Group names are cached on the user
object so that checking many complaints in one request costs one query.
"""

STAFF = "staff"
SUPERVISOR = "supervisor"
MANAGER = "manager"
ALL = (STAFF, SUPERVISOR, MANAGER)


def _groups(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_clear_desk_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._clear_desk_groups = cached
    return cached


def remember_groups(user, names):
    """Keep group names read along with the user (one query fewer on each API request)."""
    user._clear_desk_groups = frozenset(names)


def has_any_role(user):
    """May this user use the desk at all (read)?"""
    return bool(user and user.is_active and user.is_superuser) or bool(_groups(user) & set(ALL))


def can_work_complaints(user):
    """May this user log complaints and move them through CLEAR?"""
    return bool(user and user.is_active and user.is_superuser) or bool(_groups(user) & {STAFF, SUPERVISOR})


def is_supervisor(user):
    return bool(user and user.is_active and user.is_superuser) or SUPERVISOR in _groups(user)


def can_read_reports(user):
    return bool(user and user.is_active and user.is_superuser) or bool(_groups(user) & {SUPERVISOR, MANAGER})


def may_transition(complaint, user):
    """django-fsm permission callable for every CLEAR transition."""
    return can_work_complaints(user)
