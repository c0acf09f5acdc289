"""Systemic issues: one problem behind many customers' complaints, and the suggestions the
desk makes when similar complaints pile up (complaints.systemic)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .complaint import Complaint
from .options import Category


class SystemicIssue(models.Model):
    """A problem that affects many customers ("model X leaks after the spring update")."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("systemic issue", "Open")
        INVESTIGATING = "investigating", _("Investigating")
        FIXED = "fixed", _("Fixed")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(_("status"), max_length=15, choices=Status, default=Status.OPEN)
    preventive_action = models.TextField(_("preventive action"), blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    # Set when the status becomes fixed / closed, cleared when it goes back.
    fixed_at = models.DateTimeField(_("fixed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("systemic issue")
        verbose_name_plural = _("systemic issues")
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED


class SystemicIssueComplaint(models.Model):
    """A complaint counted in a systemic issue: a complaint belongs to one issue at most.

    Unlinking deletes the row; the complaint's filed record keeps both moves.
    """

    issue = models.ForeignKey(
        SystemicIssue, models.CASCADE, related_name="links", verbose_name=_("systemic issue")
    )
    complaint = models.OneToOneField(
        Complaint, models.CASCADE, related_name="systemic_link", verbose_name=_("complaint")
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked by"),
    )

    class Meta:
        verbose_name = _("complaint in a systemic issue")
        verbose_name_plural = _("complaints in systemic issues")
        ordering = ["linked_at", "id"]

    def __str__(self):
        return f"{self.issue_id}: {self.complaint_id}"


class SystemicSuggestion(models.Model):
    """Similar complaints from different customers that may be one systemic issue.

    Made once per cluster: `fingerprint` is unique, and each complaint is in one suggestion at
    most (SystemicSuggestionComplaint.complaint), so a second run, or a second beat at the
    same moment, suggests nothing new; a dismissed suggestion keeps its complaints.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    category = models.ForeignKey(Category, models.PROTECT, related_name="+", verbose_name=_("category"))
    product = models.CharField(_("product or service"), max_length=200, blank=True)
    title = models.CharField(_("suggested title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    customer_count = models.PositiveIntegerField(_("customers"), default=0)
    created_at = models.DateTimeField(_("suggested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    issue = models.ForeignKey(
        SystemicIssue,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("systemic issue"),
    )

    class Meta:
        verbose_name = _("systemic issue suggestion")
        verbose_name_plural = _("systemic issue suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_at"], name="suggestion_pending", condition=Q(status="pending")),
        ]

    def __str__(self):
        return self.title


class SystemicSuggestionComplaint(models.Model):
    """A complaint of a suggestion; one suggestion per complaint, ever."""

    suggestion = models.ForeignKey(
        SystemicSuggestion, models.CASCADE, related_name="members", verbose_name=_("suggestion")
    )
    complaint = models.OneToOneField(
        Complaint, models.CASCADE, related_name="systemic_suggestion", verbose_name=_("complaint")
    )

    class Meta:
        verbose_name = _("complaint in a suggestion")
        verbose_name_plural = _("complaints in suggestions")

    def __str__(self):
        return f"{self.suggestion_id}: {self.complaint_id}"
