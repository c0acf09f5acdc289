"""The redress ledger: what was offered to a customer, their answer, and the payment."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .complaint import Complaint


class Redress(models.Model):
    """One offer of redress on a complaint and where it stands: offered, then accepted or
    declined, then (accepted) paid. Each step is also filed in the complaint's record."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        PAID = "paid", _("Paid")

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        REFUND = "refund", _("Refund to the original payment")
        CASH = "cash", _("Cash")
        VOUCHER = "voucher", _("Voucher")
        OTHER = "other", _("Other")

    # Statuses a new offer may not join: one offer in play per complaint at a time.
    IN_PLAY = (Status.OFFERED, Status.ACCEPTED)

    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="redress", verbose_name=_("complaint")
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    description = models.TextField(_("what is offered"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OFFERED)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("offered by")
    )
    offered_at = models.DateTimeField(_("offered"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer recorded by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_note = models.TextField(_("what the customer said"), blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment recorded by"),
    )
    paid_at = models.DateTimeField(_("payment recorded"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    method = models.CharField(_("payment method"), max_length=20, choices=Method, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("redress")
        verbose_name_plural = _("redress ledger")
        ordering = ["offered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(status__in=["offered", "accepted"]),
                name="redress_one_in_play",
            )
        ]
        indexes = [
            models.Index(fields=["offered_at"], name="redress_offered_at"),
            models.Index(fields=["answered_at"], name="redress_answered_at"),
            models.Index(fields=["paid_at"], name="redress_paid_at"),
        ]

    def __str__(self):
        return f"{self.complaint_id}: {self.amount} ({self.status})"
