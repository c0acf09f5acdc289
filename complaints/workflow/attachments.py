"""Attaching evidence to a complaint: check each file by its bytes, store it, file the record.

One service for every way in: the intake page, the complaint page, the API, the public form
and the customer's tracking page all call attach_files(). What a file is comes from its
bytes (the `filetype` package; UTF-8 text by decoding), never from its name or the type the
browser claims. Pictures Pillow can decode get a small re-encoded thumbnail for the
complaint page; a picture whose bytes say PNG or JPEG but that Pillow cannot decode is
refused. Limits are settings (CLEAR_DESK["ATTACHMENT_..."]).
"""

import codecs
import hashlib
import io
import os
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import filetype
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .. import access
from ..models import Attachment, Complaint, ComplaintRecord, attachment_storage, lock
from ..records import file_record

FIELD = "file"
STAFF = Attachment.Source.STAFF
CUSTOMER = Attachment.Source.CUSTOMER
# Pillow decodes these; the others (HEIC, ...) are kept without a thumbnail.
THUMBNAIL_TYPES = {"image/jpeg", "image/png", "image/webp"}
THUMBNAIL_SIZE = (320, 320)
# A picture larger than this many pixels is refused before it is decoded (a "decompression
# bomb": a small file that unpacks into gigabytes).
MAX_PIXELS = 50_000_000
CHUNK = 64 * 1024


def _limits() -> dict[str, Any]:
    return settings.CLEAR_DESK


def type_labels() -> dict[str, str]:
    """The accepted types in words, for hints next to the file field."""
    names = {
        "image/jpeg": "JPEG",
        "image/png": "PNG",
        "image/webp": "WebP",
        "image/heic": "HEIC",
        "application/pdf": "PDF",
        "audio/mpeg": "MP3",
        "audio/mp4": "M4A",
        "audio/x-wav": "WAV",
        "audio/ogg": "OGG",
        "text/plain": _("plain text"),
        "text/csv": "CSV",
    }
    return {mime: names.get(mime, mime) for mime in _limits()["ATTACHMENT_TYPES"]}


def accepted_hint() -> str:
    """One sentence for the forms: the types and the size limit."""
    return _("Photos, PDF, sound recordings or text; up to %(size)s each.") % {
        "size": filesizeformat(_limits()["ATTACHMENT_MAX_BYTES"])
    }


@dataclass
class Inspected:
    """A file whose bytes were read and checked: what it is, and its thumbnail if any."""

    name: str
    content: bytes
    content_type: str
    sha256: str
    thumbnail: bytes | None

    @property
    def size(self) -> int:
        return len(self.content)


def no_file_message() -> str:
    return _("Choose a file to attach.")


def _refuse(message: str) -> ValidationError:
    return ValidationError({FIELD: [message]})


def clean_name(name: str) -> str:
    """The file's own name without any folder, control characters or excess length."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "file"
    stem, ext = os.path.splitext(name)
    return stem[: 200 - len(ext[:20])] + ext[:20]


def _is_text(content: bytes) -> bool:
    """UTF-8 text: it decodes, and holds no control characters other than tabs and line breaks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(content), CHUNK):
            text = decoder.decode(content[start : start + CHUNK], final=start + CHUNK >= len(content))
            if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text):
                return False
    except UnicodeDecodeError:
        return False
    return True


def content_type_of(name: str, content: bytes) -> str | None:
    """What the bytes are (a MIME type), or None when they are nothing we recognise."""
    if not content:
        return None
    kind = filetype.guess(content[:8192])
    if kind is not None:
        return "image/png" if kind.mime == "image/apng" else kind.mime
    if _is_text(content):
        return "text/csv" if name.lower().endswith(".csv") else "text/plain"
    return None


def _thumbnail(name: str, content: bytes) -> bytes:
    """A small JPEG of the picture; ValidationError when Pillow cannot decode it."""
    damaged = _refuse(
        _("“%(name)s” looks like a picture but cannot be opened; it may be damaged. Send it again.")
        % {"name": name}
    )
    try:
        with Image.open(io.BytesIO(content)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise _refuse(
                    _("“%(name)s” is too large a picture (%(width)s × %(height)s); send a smaller one.")
                    % {"name": name, "width": width, "height": height}
                )
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            # Phone photos are often stored sideways with an EXIF note to turn them.
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail(THUMBNAIL_SIZE)
            small = upright if upright.mode in ("RGB", "L") else upright.convert("RGB")
            out = io.BytesIO()
            small.save(out, "JPEG", quality=80)
            return out.getvalue()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise damaged from None


def inspect_file(upload: Any) -> Inspected:
    """Read one uploaded file and check it: size, type by its bytes, a picture that decodes."""
    limits = _limits()
    name = clean_name(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is not None and size > limits["ATTACHMENT_MAX_BYTES"]:
        raise _refuse(_too_big(name))
    upload.seek(0)
    content = upload.read(limits["ATTACHMENT_MAX_BYTES"] + 1)
    if len(content) > limits["ATTACHMENT_MAX_BYTES"]:
        raise _refuse(_too_big(name))
    if not content:
        raise _refuse(_("“%(name)s” is empty.") % {"name": name})
    content_type = content_type_of(name, content)
    if content_type is None or content_type not in limits["ATTACHMENT_TYPES"]:
        raise _refuse(
            _("“%(name)s” is not a file we accept (its content is %(kind)s). Send %(types)s.")
            % {
                "name": name,
                "kind": content_type or _("not recognised"),
                "types": ", ".join(dict.fromkeys(type_labels().values())),
            }
        )
    thumbnail = _thumbnail(name, content) if content_type in THUMBNAIL_TYPES else None
    return Inspected(
        name=name,
        content=content,
        content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
        thumbnail=thumbnail,
    )


def _too_big(name: str) -> str:
    return _("“%(name)s” is larger than %(size)s; send a smaller file.") % {
        "name": name,
        "size": filesizeformat(_limits()["ATTACHMENT_MAX_BYTES"]),
    }


def inspect_files(files: Iterable[Any], *, source: str = STAFF) -> list[Inspected]:
    """Check every file (forms call this to show errors before anything is saved)."""
    files = [f for f in files if f is not None]
    most = _limits()["ATTACHMENT_CUSTOMER_MAX_FILES"]
    if source == CUSTOMER and len(files) > most:
        raise _refuse(_("Send at most %(count)s files at a time.") % {"count": most})
    # A form's cleaned files were checked already; uploads are checked here.
    return [f if isinstance(f, Inspected) else inspect_file(f) for f in files]


def _check_room(complaint: Complaint, adding: int) -> None:
    """The complaint's files stay within the total; called with the complaint's row locked."""
    most = _limits()["ATTACHMENT_COMPLAINT_MAX_BYTES"]
    held = Attachment.objects.kept().filter(complaint=complaint).aggregate(total=Sum("size"))["total"] or 0
    if held + adding > most:
        raise _refuse(
            _(
                "This complaint already holds %(held)s of files; with these it would pass the limit "
                "of %(most)s. Send fewer or smaller files."
            )
            % {"held": filesizeformat(held), "most": filesizeformat(most)}
        )


def _store(complaint: Complaint, inspected: Inspected) -> tuple[str, str]:
    """Save the bytes (and the thumbnail) under fresh, unguessable keys."""
    storage = attachment_storage()
    folder = f"attachments/{complaint.pk}/{uuid.uuid4().hex}"
    ext = os.path.splitext(inspected.name)[1].lower()[:10]
    key = storage.save(f"{folder}/file{ext}", ContentFile(inspected.content))
    thumbnail_key = ""
    if inspected.thumbnail is not None:
        thumbnail_key = storage.save(f"{folder}/thumbnail.jpg", ContentFile(inspected.thumbnail))
    return key, thumbnail_key


def attach_files(
    complaint: Complaint,
    files: Sequence[Any],
    *,
    by: AbstractBaseUser | AnonymousUser | None = None,
    source: str = STAFF,
    now: datetime | None = None,
) -> list[Attachment]:
    """Check, store and file `files` on the complaint; returns the new attachments.

    `files` are uploaded files (request.FILES) or what inspect_files() / AttachmentsField
    returned for them.

    Staff (source="staff", `by` a staff member or supervisor) may attach at any stage, a
    closed complaint included: evidence can arrive late. The customer (source="customer",
    from the public form or their tracking page) may send up to
    CLEAR_DESK["ATTACHMENT_CUSTOMER_MAX_FILES"] at a time while the complaint is open.
    Each file is at most ATTACHMENT_MAX_BYTES, of a type in ATTACHMENT_TYPES by its bytes,
    and the complaint's files together at most ATTACHMENT_COMPLAINT_MAX_BYTES; the total is
    checked with the complaint's row locked, so two uploads at once cannot pass it.
    Raises ValidationError({"file": [message]}) and stores nothing when any file is refused.
    Runs inside the caller's transaction when there is one (intake, the public form).
    """
    if source == STAFF:
        access.require_worker(by)
    elif source != CUSTOMER:
        raise ValueError(source)
    inspected = inspect_files(files, source=source)
    if not inspected:
        raise _refuse(no_file_message())
    now = now or timezone.now()
    saved: list[str] = []
    try:
        with transaction.atomic():
            current = lock(complaint)
            if source == CUSTOMER and not current.is_open:
                raise _refuse(_("This complaint is closed; files can no longer be added here."))
            _check_room(current, sum(item.size for item in inspected))
            attachments = []
            for item in inspected:
                key, thumbnail_key = _store(current, item)
                saved += [k for k in (key, thumbnail_key) if k]
                attachment = Attachment.objects.create(
                    complaint=current,
                    name=item.name,
                    size=item.size,
                    content_type=item.content_type,
                    sha256=item.sha256,
                    storage_key=key,
                    thumbnail_key=thumbnail_key,
                    source=source,
                    uploaded_by_id=by.pk if source == STAFF and by is not None else None,
                    created_at=now,
                )
                file_record(
                    current,
                    ComplaintRecord.Kind.CONTENT,
                    by=by if source == STAFF else None,
                    now=now,
                    data={
                        "action": "attach",
                        "attachment": attachment.pk,
                        "name": item.name,
                        "content_type": item.content_type,
                        "size": item.size,
                        "sha256": item.sha256,
                        "source": source,
                    },
                )
                attachments.append(attachment)
    except BaseException:
        # Nothing was filed: the stored bytes would belong to no row.
        storage = attachment_storage()
        for key in saved:
            storage.delete(key)
        raise
    return attachments


# --- reading ---------------------------------------------------------------------------


def attachments_of(complaint: Complaint, *, source: str | None = None) -> QuerySet[Attachment]:
    """The complaint's attachments, oldest first (erased ones included: the entry stays)."""
    qs = Attachment.objects.filter(complaint=complaint)
    return qs.filter(source=source) if source else qs


def attachments_by_id(ids: Sequence[int]) -> dict[int, Attachment]:
    """{id: attachment} for the ids a filed record names; no query for none."""
    return {a.pk: a for a in Attachment.objects.filter(pk__in=ids)} if ids else {}


def download_response(attachment: Attachment, *, thumbnail: bool = False) -> FileResponse:
    """Stream the file: always as a download, with the type its bytes have and nosniff.

    Only a thumbnail (a JPEG re-encoded here with Pillow) is shown inline.
    """
    if thumbnail:
        response = FileResponse(attachment.open_thumbnail(), content_type="image/jpeg")
        response["Content-Disposition"] = "inline"
        response["Cache-Control"] = "private, max-age=3600"
    else:
        content_type = attachment.content_type
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        response = FileResponse(
            attachment.open(), as_attachment=True, filename=attachment.name, content_type=content_type
        )
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Opened directly anyway, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
