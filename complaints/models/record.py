"""The filed record: append-only entries, and the audited redactions of an erasure."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .complaint import Complaint, Stage


class ComplaintRecord(models.Model):
    """One entry of a complaint's filed record. Append-only: never edited, never deleted."""

    class Kind(models.TextChoices):
        CONTENT = "content", _("Content")
        PROCESS = "process", _("Process")
        OUTCOME = "outcome", _("Outcome")
        SATISFACTION = "satisfaction", _("Satisfaction")

    # record_by_complaint (complaint, created_at, id) serves lookups by complaint; the
    # author is never searched on. Fewer indexes keep the sweep's thousand inserts cheap.
    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="records", verbose_name=_("complaint"), db_index=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("author"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("filed"), default=timezone.now)
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("record entry")
        verbose_name_plural = _("filed record")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["complaint", "created_at", "id"], name="record_by_complaint"),
            # The weekly report counts a week's transitions and coach warnings.
            models.Index(fields=["created_at"], name="record_created_at"),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ComplaintRecord.Immutable(_("A filed record entry cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ComplaintRecord.Immutable(_("A filed record entry cannot be deleted."))

    class Immutable(Exception):
        pass


class RecordRedaction(models.Model):
    """Personal strings erased from one complaint's filed record, on request: the one change
    the record allows (complaints.redaction).

    On PostgreSQL inserting a row is the redaction: a trigger (migration 0018) replaces the
    strings it is given by "[erased]" in the string values of that complaint's record
    entries, counts them, stores their keyed digests and empties `payload` before the row is
    written; the record table's own trigger accepts only that change. Rows are append-only
    too. The strings themselves are never stored (the check constraint holds it).
    """

    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="redactions", verbose_name=_("complaint")
    )
    created_at = models.DateTimeField(_("redacted"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"), db_index=False
    )
    reason = models.TextField(_("reason"))
    string_count = models.PositiveSmallIntegerField(_("strings erased"), default=0)
    # sha256 of a key derived from SECRET_KEY followed by each string: whoever holds the
    # key can check a given string was erased; a dump alone cannot be searched for phones.
    digests = models.JSONField(_("digests"), default=list)
    entries_redacted = models.PositiveIntegerField(_("record entries changed"), default=0)
    # Transient: what the trigger reads ({"strings": [...], "key": ...}); always NULL once stored.
    payload = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("record redaction")
        verbose_name_plural = _("record redactions")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(payload__isnull=True), name="record_redaction_payload_never_stored"
            )
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.created_at:%Y-%m-%d %H:%M}: {self.string_count} strings"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ComplaintRecord.Immutable(_("A record redaction cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ComplaintRecord.Immutable(_("A record redaction cannot be deleted."))
