from rest_framework.permissions import SAFE_METHODS, BasePermission

from .. import roles


class HasRole(BasePermission):
    """Every role reads; staff and supervisors write; managers only read."""

    message = "Your role does not allow this."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return roles.has_any_role(request.user)
        return roles.can_work_complaints(request.user)


class AnyRole(BasePermission):
    """Any member of the desk, whatever the method (for side-effect-free POSTs)."""

    def has_permission(self, request, view):
        return roles.has_any_role(request.user)
