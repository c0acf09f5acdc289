"""Service levels, the business calendar, and what the deadline sweep did or could not do."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer

from .complaint import Complaint, Severity


class SLAPolicy(models.Model):
    """Response and resolution targets for a severity (and optionally a customer tier)."""

    class Unit(models.TextChoices):
        MINUTES = "minutes", _("minutes")
        HOURS = "hours", _("hours")
        WORKING_HOURS = "working_hours", _("working hours")
        WORKING_DAYS = "working_days", _("working days")

    severity = models.CharField(_("severity"), max_length=10, choices=Severity)
    tier = models.CharField(
        _("customer tier"),
        max_length=1,
        blank=True,
        choices=Customer.Tier,
        help_text=_("Leave empty for the policy that applies to every tier without its own."),
    )
    respond_within = models.PositiveIntegerField(_("respond within"))
    respond_unit = models.CharField(_("unit"), max_length=20, choices=Unit, default=Unit.WORKING_HOURS)
    resolve_within = models.PositiveIntegerField(_("resolve within"))
    resolve_unit = models.CharField(_("unit"), max_length=20, choices=Unit, default=Unit.HOURS)

    class Meta:
        verbose_name = _("service level policy")
        verbose_name_plural = _("service level policies")
        ordering = ["severity", "tier"]
        constraints = [models.UniqueConstraint(fields=["severity", "tier"], name="sla_policy_unique")]

    def __str__(self):
        return f"{self.get_severity_display()} {self.tier or '*'}"


class BusinessHours(models.Model):
    """The company's working hours and working weekdays (one row)."""

    opens_at = models.TimeField(_("opens at"), default=datetime.time(9, 0))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(18, 0))
    working_weekdays = models.CharField(
        _("working weekdays"),
        max_length=20,
        default="0,1,2,3,4",
        help_text=_("Day numbers separated by commas: 0 is Monday, 6 is Sunday."),
    )

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")

    def __str__(self):
        return f"{self.opens_at:%H:%M}-{self.closes_at:%H:%M}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Closing time must be after opening time.")})
        try:
            days = self.weekdays()
        except ValueError:
            days = None
        if not days or not days <= set(range(7)):
            raise ValidationError({"working_weekdays": _("Give day numbers from 0 to 6, e.g. 0,1,2,3,4.")})

    def weekdays(self):
        return frozenset(int(part) for part in self.working_weekdays.split(",") if part.strip())


class CalendarDay(models.Model):
    """A company-specific exception to the public holiday calendar."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        WORKING_DAY = "working_day", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class DeadlineEvent(models.Model):
    """A warning or breach the deadline sweep acted on; at most one per deadline and kind."""

    class Kind(models.TextChoices):
        RESPOND_WARNING = "respond_warning", _("Response deadline near")
        RESOLVE_WARNING = "resolve_warning", _("Resolution deadline near")
        RESPOND_BREACH = "respond_breach", _("Response deadline missed")
        RESOLVE_BREACH = "resolve_breach", _("Resolution deadline missed")
        CALLBACK_BREACH = "callback_breach", _("Callback promise broken")

    complaint = models.ForeignKey(
        Complaint, models.CASCADE, related_name="deadline_events", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    deadline = models.DateTimeField(_("deadline"))
    level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    created_at = models.DateTimeField(_("noticed"), default=timezone.now)

    class Meta:
        verbose_name = _("deadline event")
        verbose_name_plural = _("deadline events")
        ordering = ["deadline", "id"]
        constraints = [
            # The backstop for "exactly once": a second sweep that slipped past the row
            # claim fails here and rolls back instead of escalating again.
            models.UniqueConstraint(fields=["complaint", "kind", "deadline"], name="deadline_event_once")
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.kind} {self.deadline:%Y-%m-%d %H:%M}"


class SweepFailure(models.Model):
    """A complaint the deadline sweep could not process, parked so the others go on.

    The sweep sets such a complaint aside for an hour at a time and keeps trying; the
    health check counts the failures seen recently and the escalation queue lists them.
    Only the reference is kept to show it, so the list itself never reads the bad row.
    """

    complaint = models.OneToOneField(
        Complaint, models.CASCADE, related_name="sweep_failure", verbose_name=_("complaint")
    )
    reference = models.CharField(_("reference"), max_length=20)
    error = models.TextField(_("error"))
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    count = models.PositiveIntegerField(_("times"), default=1)

    class Meta:
        verbose_name = _("deadline check failure")
        verbose_name_plural = _("deadline check failures")
        ordering = ["-last_seen", "-id"]
        indexes = [models.Index(fields=["last_seen"], name="sweep_failure_last_seen")]

    def __str__(self):
        return f"{self.reference}: {self.error[:60]}"
