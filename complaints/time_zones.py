"""Each member of staff's time zone: which one they chose, setting it, and the zones the
header menu offers. Pages show times in it (config.middleware.UserTimeZone activates it;
complaints.wording.moment_text words a time with its zone when it is not the desk's)."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from .models import StaffPreference
from .models.preferences import validate_time_zone

# The zone chosen, kept in the session so that a page costs no query to find it; copied
# there at login (complaints.apps) and whenever it is changed.
SESSION_KEY = "desk_time_zone"

# What the header menu offers, besides the desk's own TIME_ZONE; any other tz name is
# accepted too (set in the admin, or already chosen).
OFFERED = [
    "UTC",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Australia/Sydney",
]


def time_zone_of(user: AbstractBaseUser) -> str:
    """The zone `user` chose, or "" for the desk's own."""
    if not user.is_authenticated:
        return ""
    found = StaffPreference.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return found or ""


def time_zone_set(*, user: AbstractBaseUser, time_zone: str) -> str:
    """Keep `time_zone` ("" for the desk's own) as `user`'s; raise ValidationError if it is no zone."""
    time_zone = (time_zone or "").strip()
    if time_zone == settings.TIME_ZONE:
        time_zone = ""
    validate_time_zone(time_zone)
    StaffPreference.objects.update_or_create(user=user, defaults={"time_zone": time_zone})
    return time_zone


def offered_time_zones(current: str = "") -> list[str]:
    """The zones the menu lists: the desk's first, then the others (and `current` if unlisted)."""
    zones = [settings.TIME_ZONE, *(zone for zone in OFFERED if zone != settings.TIME_ZONE)]
    if current and current not in zones:
        zones.append(current)
    return zones


def remember_at_login(sender, request, user, **kwargs):
    """user_logged_in: copy the zone `user` chose into the new session."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = time_zone_of(user)


def session_time_zone(request) -> str:
    """The zone of the member of staff behind `request` ("" for the desk's own), from the session.

    A session from before the choice was kept there learns it once from the database.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES or not hasattr(request, "session"):
        return ""
    session = request.session
    if SESSION_KEY not in session and "_auth_user_id" in session:
        session[SESSION_KEY] = time_zone_of(request.user)
    return session.get(SESSION_KEY, "")
