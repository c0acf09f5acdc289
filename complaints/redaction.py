"""Erasing personal strings from a complaint's filed record: the one way its entries change.

The record is append-only (migrations 0004 and 0018). A customer's erasure is the single
exception (only complaints of a customer marked erased qualify), and it goes through
records_redact() alone, which files an audit row per complaint (complaints.models.
RecordRedaction: who, when, why, how many strings, their keyed digests; never the strings):

- PostgreSQL: inserting that row is the redaction. Its trigger replaces the strings in the
  string values of that complaint's entries and empties the payload that carried them; the
  record's own trigger allows exactly that UPDATE and no other. The trigger function is
  SECURITY DEFINER, so an app role that may only SELECT and INSERT the record (manage.py
  db_app_role) can still redact, and do nothing else.
- SQLite (single machine, no roles): the UPDATE trigger is dropped and created again
  around the UPDATEs, inside the erasure's transaction (SQLite DDL is transactional).

The same strings are replaced the same way in both: exact, longest first, in string values
only (keys, numbers and the structure stay).
"""

import hashlib

from django.db import connection, transaction
from django.utils.crypto import salted_hmac

from .models import Complaint, ComplaintRecord, RecordRedaction

MARKER = "[erased]"

# The tables the database itself keeps append-only. Emptying them (the test suite's flush,
# the bench reset) takes their owner's DDL: ALTER TABLE ... DISABLE TRIGGER USER.
APPEND_ONLY_TABLES = (ComplaintRecord._meta.db_table, RecordRedaction._meta.db_table)

SQLITE_RECORD_TRIGGER = "record_no_update"


def ordered(strings):
    """Distinct strings, longest first (then by code point), as the PostgreSQL trigger takes them."""
    return sorted({s for s in strings if s}, key=lambda s: (-len(s), s))


def redact_text(text, strings):
    """`text` with each of `strings` (as given by ordered()) replaced by the marker."""
    for needle in strings:
        if needle in text:
            text = text.replace(needle, MARKER)
    return text


def redact_json(value, strings):
    """`value` with the strings replaced in its string values; clear_desk_redact_strings() in SQL."""
    if isinstance(value, str):
        return redact_text(value, strings)
    if isinstance(value, dict):
        return {key: redact_json(item, strings) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_json(item, strings) for item in value]
    return value


def _digest_key():
    return salted_hmac("complaints.redaction", "digest key").hexdigest()


def digest(text, key=None):
    """The digest a redaction keeps of `text`: sha256 of a key derived from SECRET_KEY, then
    the text. Whoever holds the key can check that a given string was erased; a copy of the
    database alone cannot be searched for a phone number (a plain sha256 of one can)."""
    return hashlib.sha256(((key or _digest_key()) + text).encode()).hexdigest()


def _check(strings):
    if not strings or any(len(s) < 2 for s in strings):
        raise ValueError("A redaction names strings of at least two characters.")


def records_redact(*, complaint_ids, strings, by, reason, now):
    """Replace `strings` by the marker in the record entries of these complaints, whose
    customer must already be marked erased; file one RecordRedaction per complaint and
    return them. Runs inside the caller's transaction."""
    strings = ordered(strings)
    _check(strings)
    complaint_ids = sorted(set(complaint_ids))
    if not complaint_ids:
        return []
    # Only an erasure opens the path (the PostgreSQL trigger checks the same).
    if Complaint.objects.filter(pk__in=complaint_ids, customer__erased_at__isnull=True).exists():
        raise ValueError("Only the record of an erased customer's complaint can be redacted.")
    key = _digest_key()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            rows = RecordRedaction.objects.bulk_create(
                RecordRedaction(
                    complaint_id=complaint_id,
                    created_at=now,
                    by=by,
                    reason=reason,
                    payload={"strings": strings, "key": key},
                )
                for complaint_id in complaint_ids
            )
            # The trigger filled in the counts and digests and emptied the payload.
            return list(RecordRedaction.objects.filter(pk__in=[row.pk for row in rows]))
        if connection.vendor == "sqlite":
            changed = _sqlite_redact(complaint_ids, strings)
            digests = sorted(digest(s, key) for s in strings)
            return RecordRedaction.objects.bulk_create(
                RecordRedaction(
                    complaint_id=complaint_id,
                    created_at=now,
                    by=by,
                    reason=reason,
                    string_count=len(strings),
                    digests=digests,
                    entries_redacted=changed.get(complaint_id, 0),
                )
                for complaint_id in complaint_ids
            )
        raise NotImplementedError(f"No record redaction on {connection.vendor}.")


def _sqlite_redact(complaint_ids, strings):
    """{complaint id: entries changed}, with the UPDATE trigger lifted for these statements only."""
    changed = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [SQLITE_RECORD_TRIGGER]
        )
        found = cursor.fetchone()
        if found:
            cursor.execute(f"DROP TRIGGER {SQLITE_RECORD_TRIGGER}")
        # Read them all first: SQLite gives no isolation between a cursor still being read
        # and writes to the same table on the same connection.
        entries = list(
            ComplaintRecord.objects.filter(complaint_id__in=complaint_ids).values_list(
                "id", "complaint_id", "data"
            )
        )
        for entry_id, complaint_id, data in entries:
            redacted = redact_json(data, strings)
            if redacted != data:
                ComplaintRecord.objects.filter(pk=entry_id).update(data=redacted)
                changed[complaint_id] = changed.get(complaint_id, 0) + 1
        if found:
            cursor.execute(found[0])
    return changed
