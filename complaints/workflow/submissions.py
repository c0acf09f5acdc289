"""A form sent twice, or an API call retried, files one complaint.

A double click, the browser's "resend" after a slow answer, or a client retrying after a
timeout must not log the complaint (and a new customer) twice. Each intake carries a key:
the pages put a one-time token in a hidden field, API clients send an `Idempotency-Key`
header. The key is written first, in the same transaction as the complaint, so a second
request with the same key waits for the first to finish and then answers with its
complaint.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Complaint, SubmissionKey

KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"  # visible ASCII, as a header value allows
_KEY_RE = re.compile(KEY_PATTERN)
# Tokens the pages make are this long; a shorter one typed by hand is ignored.
PAGE_TOKEN_BYTES = 16


class KeyReused(Exception):
    """The key was already used for a different request (`complaint` is what it filed, if any)."""

    def __init__(self, complaint=None):
        super().__init__(complaint)
        self.complaint = complaint


def new_page_token() -> str:
    return secrets.token_urlsafe(PAGE_TOKEN_BYTES)


def is_page_token(value: object) -> bool:
    return isinstance(value, str) and len(value) >= 20 and bool(_KEY_RE.match(value))


def check_key(value: str) -> str:
    """Refuse an Idempotency-Key that is empty, too long or not visible ASCII."""
    if not _KEY_RE.match(value or ""):
        raise ValidationError(
            {"idempotency_key": [_("Send an Idempotency-Key of 1 to 200 visible ASCII characters.")]}
        )
    return value


def fingerprint(payload: Any) -> str:
    """sha256 of what was sent, so a key reused for something else is noticed."""
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def once(
    *,
    scope: str,
    key: str | None,
    payload: Any,
    create: Callable[[], Complaint],
    now: datetime | None = None,
) -> tuple[Complaint, bool]:
    """Run `create()` once per (scope, key); return (complaint, replayed).

    Without a key it simply creates. With a key seen before, it returns the complaint that
    key filed (replayed=True), or raises KeyReused when the payload differs.
    """
    if not key:
        return create(), False
    with transaction.atomic():
        digest = fingerprint(payload)
        try:
            with transaction.atomic():
                # A second request with this key blocks here until the first commits.
                submission = SubmissionKey.objects.create(
                    scope=scope, key=key, payload=digest, created_at=now or timezone.now()
                )
        except IntegrityError:
            first = SubmissionKey.objects.select_related("complaint").get(scope=scope, key=key)
            if first.payload != digest or first.complaint is None:
                raise KeyReused(first.complaint) from None
            return first.complaint, True
        complaint = create()
        SubmissionKey.objects.filter(pk=submission.pk).update(complaint=complaint)
        return complaint, False
