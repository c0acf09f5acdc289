"""Compensation above a staff member's authority, waiting for a supervisor."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .complaint import Complaint


class CompensationRequest(models.Model):
    """A staff member asks a supervisor to approve compensation above their authority."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="compensation_requests", verbose_name=_("complaint")
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("why"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("compensation request")
        verbose_name_plural = _("compensation requests")
        ordering = ["requested_at", "id"]
        constraints = [
            # One open request per complaint: a second click cannot queue a duplicate.
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(status="pending"), name="compensation_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.complaint_id}: {self.amount} ({self.status})"
