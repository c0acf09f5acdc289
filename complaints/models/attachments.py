"""Files attached to a complaint as evidence: photos, receipts, recordings, documents.

The bytes live in Django's default storage (var/media/ or an S3-compatible store, see
config.storage) under `storage_key`; the row keeps what the file is. Attachments are never
deleted: a customer's erasure removes the bytes (and the thumbnail) and keeps the row,
marked erased, as the filed record keeps its entry.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .complaint import Complaint


def attachment_storage():
    """Where attachment bytes live (looked up on each use, so tests and settings may change it)."""
    return storages["default"]


class AttachmentQuerySet(models.QuerySet):
    def kept(self):
        """Attachments whose bytes are still held (not erased)."""
        return self.filter(erased_at__isnull=True)

    def erase(self, *, now):
        """Mark these erased and remove their bytes once the transaction commits.

        The bytes go only after the commit: a rolled-back erasure must leave the files.
        """
        keys = [
            key for pair in self.kept().values_list("storage_key", "thumbnail_key") for key in pair if key
        ]
        count = self.kept().update(erased_at=now, thumbnail_key="")
        storage = attachment_storage()

        def remove():
            for key in keys:
                storage.delete(key)

        transaction.on_commit(remove)
        return count


class Attachment(models.Model):
    class Source(models.TextChoices):
        STAFF = "staff", _("Staff")
        CUSTOMER = "customer", _("Customer")

    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="attachments", verbose_name=_("complaint"), db_index=False
    )
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_key = models.CharField(max_length=300, editable=False)
    thumbnail_key = models.CharField(max_length=300, blank=True, editable=False)
    source = models.CharField(_("sent by"), max_length=10, choices=Source, default=Source.STAFF)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("attached"))
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["complaint", "created_at", "id"], name="attachment_by_complaint")]

    def __str__(self):
        return self.name

    @property
    def is_erased(self):
        return self.erased_at is not None

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    def delete(self, *args, **kwargs):
        raise Attachment.Kept(_("An attachment is never deleted; erasing the customer removes its bytes."))

    def open(self):
        return attachment_storage().open(self.storage_key, "rb")

    def open_thumbnail(self):
        return attachment_storage().open(self.thumbnail_key, "rb")

    class Kept(Exception):
        pass
