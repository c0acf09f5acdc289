"""What handling a complaint adds beside it: callback promises, submission keys."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .complaint import Complaint


class CallbackPromise(models.Model):
    """ "I'll call you back by ..." - a promise to the customer is a deadline too."""

    complaint = models.ForeignKey(
        Complaint, models.CASCADE, related_name="callbacks", verbose_name=_("complaint")
    )
    due_at = models.DateTimeField(_("call back by"))
    note = models.TextField(_("what was promised"), blank=True)
    promised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("promised by")
    )
    created_at = models.DateTimeField(_("promised at"), default=timezone.now)
    fulfilled_at = models.DateTimeField(_("kept at"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kept by"),
    )
    fulfilment_note = models.TextField(_("how it was kept"), blank=True)

    class Meta:
        verbose_name = _("callback promise")
        verbose_name_plural = _("callback promises")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["due_at"], name="callback_open_due_at", condition=Q(fulfilled_at__isnull=True)
            )
        ]

    def __str__(self):
        return f"{self.complaint_id} by {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self):
        return self.fulfilled_at is None


class SubmissionKey(models.Model):
    """A form or API request already turned into a complaint: a second submission answers the first.

    `scope` is whose key it is (a user id, or "public" for the public form): two people may
    send the same key without colliding.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    payload = models.CharField(max_length=64, blank=True)  # sha256 of what was sent
    complaint = models.ForeignKey(Complaint, models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="submission_key_once")]
        indexes = [models.Index(fields=["created_at"], name="submission_key_created")]

    def __str__(self):
        return f"{self.scope}:{self.key}"
