"""What each member of staff chooses for themselves: the time zone times are shown in."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_time_zone(name):
    """A zone name the tz database knows ("Europe/Berlin"); blank means the desk's own."""
    if not name:
        return
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("“%(name)s” is not a time zone."), params={"name": name}) from exc


class StaffPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="desk_preference",
        verbose_name=_("user"),
    )
    # Blank: the desk's TIME_ZONE. Validated text, not choices: the tz database grows.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, validators=[validate_time_zone])

    class Meta:
        verbose_name = _("staff preference")
        verbose_name_plural = _("staff preferences")

    def __str__(self):
        return f"{self.user}: {self.time_zone or '-'}"
