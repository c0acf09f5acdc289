import contextlib
import zoneinfo

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _


class RejectNulCharacters:
    """Answer 400 to a URL carrying a NUL character; PostgreSQL cannot store or compare one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return JsonResponse({"detail": _("The address contains a NUL character.")}, status=400)
        return self.get_response(request)


class UserTimeZone:
    """Show times in the zone the member of staff chose (complaints.time_zones); the desk's
    TIME_ZONE otherwise. After the session and authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from complaints.time_zones import session_time_zone

        name = session_time_zone(request)
        timezone.deactivate()
        if name:
            # A zone the tz database no longer knows: the desk's own.
            with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.activate(zoneinfo.ZoneInfo(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
