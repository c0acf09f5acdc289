"""Preventive actions and published weekly reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .complaint import Complaint
from .options import Department, RootCause


class PreventiveAction(models.Model):
    """What changes so the next customer is spared: the preventive action filed at closing, tracked."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        VERIFIED = "verified", _("Verified effective")

    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="preventive_actions", verbose_name=_("complaint")
    )
    # The root cause it answers: one action per complaint and root cause (a complaint closed
    # again for the same cause keeps its action).
    root_cause = models.ForeignKey(
        RootCause, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("root cause")
    )
    description = models.TextField(_("preventive action"))
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, verbose_name=_("owner department")
    )
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    # Set by the overdue sweep (prevention.overdue_q); cleared when the action is done.
    overdue = models.BooleanField(_("flagged overdue"), default=False)
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    class Meta:
        verbose_name = _("preventive action")
        verbose_name_plural = _("preventive actions")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["due_at"], name="preventive_open_due_at", condition=Q(status="open")),
            models.Index(fields=["created_at"], name="preventive_created_at"),
        ]

    def __str__(self):
        return f"{self.complaint_id}: {self.description[:40]}"


class WeeklyReportSnapshot(models.Model):
    """A week's root-cause report as it was published; rebuilding replaces it and bumps the version."""

    week = models.CharField(_("ISO week"), max_length=8, unique=True)  # "2026-W48"
    data = models.JSONField(_("report"), default=dict)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("first published"), default=timezone.now)
    updated_at = models.DateTimeField(_("last built"), default=timezone.now)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("built by"),
    )

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-week"]

    def __str__(self):
        return f"{self.week} v{self.version}"
