"""Who may do what on the desk: the one place roles are read.

The three roles are Django auth groups. A supervisor can do everything a staff member
can; a manager reads everything (complaints, customers, reports) and changes no complaint
or customer, but publishes and rebuilds the weekly report, which is the managers' own
(`can_publish_reports`); a superuser can do everything. Every page, API view, service,
template and task asks here: the predicates below, the DRF permissions and page
decorators built from them, and `users_with_role` for the people to notify.

Hidden objects, one policy everywhere: the role is checked before the object is looked
up. A role that may never do something is refused (403) whether or not the object
exists, so a 403 tells nothing about what exists; a role that may do it gets 404 for a
missing object. Group names are cached on the user object, so checking many complaints
in one request costs one query.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

STAFF = "staff"
SUPERVISOR = "supervisor"
MANAGER = "manager"
ALL = (STAFF, SUPERVISOR, MANAGER)
WORKERS = (STAFF, SUPERVISOR)


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


def _superuser(user):
    return bool(user and user.is_active and user.is_superuser)


# --- what each role may do -----------------------------------------------------------


def has_any_role(user):
    """May this user use the desk at all (read complaints and customers)?"""
    return _superuser(user) or bool(_groups(user) & set(ALL))


def can_work_complaints(user):
    """May this user log complaints and move them through CLEAR?"""
    return _superuser(user) or bool(_groups(user) & set(WORKERS))


def is_supervisor(user):
    """May this user handle escalations, approve compensation, set tiers, erase data?"""
    return _superuser(user) or SUPERVISOR in _groups(user)


def can_read_reports(user):
    return _superuser(user) or bool(_groups(user) & {SUPERVISOR, MANAGER})


def can_publish_reports(user):
    """May this user publish or rebuild a weekly report? Those who read it: supervisors and
    managers (the report is the managers'; publishing changes no complaint)."""
    return can_read_reports(user)


def can_set_regime(user):
    """May this user put a complaint under an outside deadline regime (or take it off)?
    Supervisors: which regulator's clocks apply is a compliance decision. Managers read
    (they change no complaint)."""
    return _superuser(user) or SUPERVISOR in _groups(user)


def can_manage_systemic_issues(user):
    """May this user open, change and link systemic issues, and decide on suggestions?
    Supervisors and managers (the register is where recurring problems are acted on); every
    role reads it."""
    return _superuser(user) or bool(_groups(user) & {SUPERVISOR, MANAGER})


def may_transition(complaint, user):
    """django-fsm permission callable for every CLEAR transition."""
    return can_work_complaints(user)


def users_with_role(*roles, with_email=False):
    """Active users in any of `roles`, each once, by id."""
    users = get_user_model().objects.filter(is_active=True, groups__name__in=list(roles))
    if with_email:
        users = users.exclude(email="")
    return users.distinct().order_by("pk")


# --- refusing: services call these first ---------------------------------------------


def require_desk_role(user):
    if not has_any_role(user):
        raise PermissionDenied(_("Your account has no role on the desk yet; ask an administrator."))


def require_worker(user):
    if not can_work_complaints(user):
        raise PermissionDenied(_("Your role may read complaints but not change them."))


def require_supervisor(user, message=None):
    if not is_supervisor(user):
        raise PermissionDenied(message or _("Only a supervisor may do this."))


def require_regime_setter(user):
    if not can_set_regime(user):
        raise PermissionDenied(_("Only supervisors may change a complaint's outside deadlines."))


def require_report_reader(user, message=None):
    if not can_read_reports(user):
        raise PermissionDenied(message or _("Reports are for supervisors and managers."))


def require_report_publisher(user, message=None):
    if not can_publish_reports(user):
        raise PermissionDenied(message or _("Only supervisors and managers may publish a report."))


def require_systemic_manager(user):
    if not can_manage_systemic_issues(user):
        raise PermissionDenied(_("Only supervisors and managers may change systemic issues."))


# --- pages ----------------------------------------------------------------------------


def _page(check):
    """A decorator for views: log in first, then `check(request.user)` (raises 403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            check(request.user)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


desk_page = _page(require_desk_role)
worker_page = _page(require_worker)
supervisor_page = _page(require_supervisor)
report_page = _page(require_report_reader)
regime_page = _page(require_regime_setter)
report_publisher_page = _page(require_report_publisher)
systemic_manager_page = _page(require_systemic_manager)


# --- the API --------------------------------------------------------------------------


class HasRole(BasePermission):
    """Every role reads; staff and supervisors write; managers only read."""

    message = "Your role does not allow this."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return has_any_role(request.user)
        return can_work_complaints(request.user)


class AnyRole(BasePermission):
    """Any member of the desk, whatever the method (for side-effect-free POSTs)."""

    def has_permission(self, request, view):
        return has_any_role(request.user)


class CanWork(BasePermission):
    def has_permission(self, request, view):
        return can_work_complaints(request.user)


class IsSupervisor(BasePermission):
    message = "Only a supervisor may do this."

    def has_permission(self, request, view):
        return is_supervisor(request.user)


class CanSetRegime(BasePermission):
    message = "Only supervisors and managers may change a complaint's outside deadlines."

    def has_permission(self, request, view):
        return can_set_regime(request.user)


class CanReadReports(BasePermission):
    message = "Reports are for supervisors and managers."

    def has_permission(self, request, view):
        return can_read_reports(request.user)


class CanPublishReports(BasePermission):
    message = "Only supervisors and managers may publish a report."

    def has_permission(self, request, view):
        return can_publish_reports(request.user)


class CanManageSystemicIssues(BasePermission):
    """Every role reads the register; supervisors and managers change it."""

    message = "Only supervisors and managers may change systemic issues."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return has_any_role(request.user)
        return can_manage_systemic_issues(request.user)


# --- signing in -----------------------------------------------------------------------


def lockout_parameters(request, credentials=None):
    """The failures axes counts for this login: those of the whole address once it has reached
    AXES_ADDRESS_FAILURE_LIMIT, otherwise those of the username at this address.

    Why a callable: axes sums the recent failures for each entry of AXES_LOCKOUT_PARAMETERS and
    locks when the largest sum reaches the one AXES_FAILURE_LIMIT. Listing both entries,
    [["username", "ip_address"], "ip_address"], would lock an address after 5 failures, since
    its sum always includes the pair's; a callable AXES_FAILURE_LIMIT would have to count the
    pair again itself. Choosing the entry keeps one limit per entry: while the address is
    under its limit the pair's sum meets AXES_FAILURE_LIMIT; once it is over, the address's sum
    (at least AXES_ADDRESS_FAILURE_LIMIT, which is why that limit must not be below
    AXES_FAILURE_LIMIT) does, for any username. On a successful login axes resets the pair only.
    """
    from axes.attempts import get_cool_off_threshold
    from axes.models import AccessAttempt

    pair = [["username", "ip_address"]]
    if not hasattr(request, "axes_attempt_time"):  # not a login being checked, e.g. axes' reset_request
        return pair
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
    return ["ip_address"] if failures >= settings.AXES_ADDRESS_FAILURE_LIMIT else pair
