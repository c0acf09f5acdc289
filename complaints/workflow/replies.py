"""What the customer adds to their complaint on the tracking page."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import Conflict
from ..limits import LONG_TEXT
from ..models import Complaint, ComplaintRecord, Stage, lock
from ..notifications.messages import queue_reply_notice
from ..records import file_record
from . import holds

# The record entry of a customer's reply (data["action"]).
CUSTOMER_REPLY = "customer_reply"


def customer_reply(
    complaint: Complaint, text: str, *, files: Iterable[Any] = (), now: datetime | None = None
) -> ComplaintRecord:
    """File what the customer added (text, and the names of any files sent with it) in the
    record, and tell the assignee by email through the outbox. Refused once closed.

    `files` are filed by name only; storing them is the attachments service's business
    (the caller passes them there in the same transaction).
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write what you would like to add.")]})
    if len(text) > LONG_TEXT:
        raise ValidationError(
            {"text": [_("Keep it under %(limit)s characters, please.") % {"limit": LONG_TEXT}]}
        )
    now = now or timezone.now()
    with transaction.atomic():
        # Locked: a close committed a moment ago is seen here, and a close waits for this.
        complaint = lock(complaint)
        if complaint.stage == Stage.CLOSED:
            raise Conflict(_("This complaint is closed, so replies here are closed too."))
        entry = file_record(
            complaint,
            ComplaintRecord.Kind.CONTENT,
            by=None,
            now=now,
            data={
                "action": CUSTOMER_REPLY,
                "text": text,
                **({"files": [getattr(f, "name", str(f)) for f in files]} if files else {}),
            },
        )
        queue_reply_notice(complaint, text=text, key=f"reply:{entry.pk}", now=now)
        # The desk was waiting for this: its clocks run again.
        holds.resume_if_on_hold(complaint, how=holds.Ending.CUSTOMER_REPLIED, now=now)
    return entry
