"""Outside deadlines: the regulators' clocks (regimes) a complaint may run under, beside the
desk's own service levels, and each complaint's copy of them."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..wording import localised
from .complaint import Channel, Complaint
from .options import Category


class Regime(models.Model):
    """A set of deadlines someone outside the company sets (a regulator, a referral platform).

    Its clocks run beside the desk's own deadlines and never pause.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    description = models.TextField(_("what it is"), blank=True)
    is_enabled = models.BooleanField(
        _("in use"),
        default=False,
        help_text=_("Only regimes in use are given to new complaints, by rule or by hand."),
    )

    class Meta:
        verbose_name = _("outside deadline regime")
        verbose_name_plural = _("outside deadline regimes")
        ordering = ["code"]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self):
        return localised(self.name, self.name_zh)


class ClockStop(models.TextChoices):
    """The moments that stop an outside clock (the CLEAR transitions declare them: `stops`)."""

    FIRST_RESPONSE = "first_response", _("First response (the complaint leaves Control)")
    CLOSED = "closed", _("Closed")


class RegimeClock(models.Model):
    """One deadline of a regime: `amount` working or calendar days after the day received."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        CALENDAR_DAYS = "calendar_days", _("calendar days")

    regime = models.ForeignKey(Regime, models.CASCADE, related_name="clocks", verbose_name=_("regime"))
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    amount = models.PositiveIntegerField(
        _("within"), validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    unit = models.CharField(_("unit"), max_length=20, choices=Unit, default=Unit.WORKING_DAYS)
    end_of_business_day = models.BooleanField(
        _("due at closing time"),
        default=False,
        help_text=_(
            "Due when the working day closes on the last day (e.g. “by the end of the 3rd "
            "business day”); otherwise at midnight of that day."
        ),
    )
    stops_at = models.CharField(_("stops when"), max_length=20, choices=ClockStop)
    warn_before = models.PositiveIntegerField(
        _("warn this many days before"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(3650)],
        help_text=_(
            "In the clock's own unit. Leave empty to warn as the desk's own deadlines do, "
            "when three quarters of the time has gone."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("outside deadline clock")
        verbose_name_plural = _("outside deadline clocks")
        ordering = ["regime", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["regime", "code"], name="regime_clock_code_unique")]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self):
        return localised(self.name, self.name_zh)

    def clean(self):
        if self.warn_before is not None and self.amount and self.warn_before >= self.amount:
            raise ValidationError({"warn_before": _("Warn before the clock runs out: give fewer days.")})


class ComplaintOrigin(models.TextChoices):
    """Where a complaint came from, as assignment rules match it."""

    DESK = "desk", _("Logged by staff")
    PUBLIC = "public", _("The customer's own online form")


class RegimeRule(models.Model):
    """Which new complaints get a regime: the first rule in use that matches wins."""

    regime = models.ForeignKey(Regime, models.CASCADE, related_name="rules", verbose_name=_("regime"))
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel, blank=True, help_text=_("Empty: any channel.")
    )
    category = models.ForeignKey(
        Category,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("Empty: any category."),
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=ComplaintOrigin, blank=True, help_text=_("Empty: any origin.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_enabled = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("outside deadline rule")
        verbose_name_plural = _("outside deadline rules")
        ordering = ["position", "id"]

    def __str__(self):
        parts = [
            self.get_channel_display() if self.channel else "",
            str(self.category) if self.category_id else "",
            self.get_origin_display() if self.origin else "",
        ]
        return f"{self.regime}: {' + '.join(p for p in parts if p)}"

    def clean(self):
        if not (self.channel or self.category_id or self.origin):
            raise ValidationError(
                _("Choose a channel, a category or an origin: a rule must match something.")
            )


class ComplaintClock(models.Model):
    """One outside clock of one complaint: when it is due, and when it was met, warned, breached.

    These clocks never pause: a hold that stops the desk's own deadlines leaves them running
    (deadlines.outside explains why).
    """

    complaint = models.ForeignKey(
        Complaint, models.CASCADE, related_name="outside_clocks", verbose_name=_("complaint")
    )
    regime = models.ForeignKey(Regime, models.PROTECT, related_name="+", verbose_name=_("regime"))
    clock = models.ForeignKey(RegimeClock, models.PROTECT, related_name="+", verbose_name=_("clock"))
    # Copied from the clock when it starts, so editing a regime later changes no running clock.
    stops_at = models.CharField(_("stops when"), max_length=20, choices=ClockStop)
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"))
    warn_at = models.DateTimeField(_("warn at"))
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    # warn_at until warned, then due_at until breached; NULL once met, breached or dropped.
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)
    # Set when the complaint's regime changed by hand: kept for the record, no longer shown.
    dropped_at = models.DateTimeField(_("dropped"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint outside clock")
        verbose_name_plural = _("complaint outside clocks")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "clock"],
                name="complaint_clock_once",
                condition=Q(dropped_at__isnull=True),
            )
        ]
        indexes = [
            # The sweep reads only clocks whose check has come (few).
            models.Index(
                fields=["next_check_at"],
                name="complaint_clock_next_check",
                condition=Q(next_check_at__isnull=False),
            ),
            # The weekly report: clocks due in a week.
            models.Index(fields=["due_at"], name="complaint_clock_due", condition=Q(dropped_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.clock_id} {self.due_at:%Y-%m-%d %H:%M}"
