"""Holds: a complaint waiting for the customer or a third party, its own clocks paused."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .complaint import Complaint


class ComplaintHold(models.Model):
    """One time a complaint was on hold, kept so time on hold can be reported.

    While a hold is open the complaint points at it (Complaint.hold) and its own deadlines
    are paused (models.deadline_now() is NULL); workflow.holds starts and ends holds.
    """

    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("waiting for the customer")
        THIRD_PARTY = "third_party", _("waiting for a third party")

    class Ending(models.TextChoices):
        RESUMED = "resumed", _("resumed by staff")
        CUSTOMER_REPLIED = "customer_replied", _("the customer replied")
        MOVED_ON = "moved_on", _("moved to the next stage")
        NO_ANSWER = "no_answer", _("no answer in time")

    complaint = models.ForeignKey(
        Complaint, models.CASCADE, related_name="holds", verbose_name=_("complaint")
    )
    kind = models.CharField(_("waiting for"), max_length=20, choices=Kind)
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("on hold since"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("put on hold by"),
        db_index=False,
    )
    # The deadline that applied when the hold began (what the paused clock shows).
    paused_deadline = models.DateTimeField(_("deadline when paused"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("customer reminded"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
        db_index=False,
    )
    ended_how = models.CharField(_("how it ended"), max_length=20, choices=Ending, blank=True, default="")

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["started_at", "id"]
        constraints = [
            # A complaint is on one hold at a time: the backstop for two people pressing at once.
            models.UniqueConstraint(
                fields=["complaint"], name="complaint_hold_one_open", condition=Q(ended_at__isnull=True)
            ),
        ]
        indexes = [
            # The hold task's candidates (open holds by age) and the weekly report's ranges.
            models.Index(fields=["started_at"], name="hold_open_started", condition=Q(ended_at__isnull=True)),
            models.Index(fields=["started_at"], name="hold_started_at"),
            models.Index(fields=["ended_at"], name="hold_ended_at", condition=Q(ended_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.kind} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self):
        return self.ended_at is None

    def paused_left(self):
        """The time the deadline had left when the hold began (negative if already passed)."""
        if self.paused_deadline is None:
            return None
        return self.paused_deadline - self.started_at
