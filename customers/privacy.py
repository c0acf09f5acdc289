"""A customer's right to see and to erase their personal data.

Export gathers everything held about one customer. Erasure removes what identifies them
and keeps the facts: the complaints, their filed record, outcomes and scores.

What identifies them is one list, computed once by personal_data(): their name, phone and
every email address the desk holds or wrote to about them, each as it was actually typed
wherever the desk keeps text about them (a phone written "138-0013-8000" or "+86 138 0013
8000", a name in capitals). Erasure replaces every one of those strings by "[erased]" in
all of that text: the complaints, callbacks, compensation requests, preventive actions,
tier history, surveys, attachment names, weekly report snapshots, the admin's log and the
outbox (emails about them are cancelled or emptied); the filed record is redacted through its
one narrow path, complaints.redaction.records_redact(). The bytes of every file attached to
their complaints are removed; the attachments and their record entries stay, marked erased.
Vulnerability flags are deleted outright.
"""

import html
import re
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import access
from complaints.models import (
    Attachment,
    CallbackPromise,
    CompensationRequest,
    Complaint,
    ComplaintRecord,
    Notification,
    PreventiveAction,
    SubmissionKey,
    WeeklyReportSnapshot,
)
from complaints.notifications import outbox as notifications
from complaints.redaction import ordered, records_redact, redact_json, redact_text

from .models import Customer, SurveyInvitation, TierChange, Vulnerability
from .phones import phone_key

COMPLAINT_FIELDS = [
    "reference",
    "channel",
    "severity",
    "stage",
    "created_at",
    "closed_at",
    "content",
    "what_happened",
    "when_happened",
    "requested_remedy",
    "desired_outcome",
    "product",
    "purchase_date",
    "resolution",
    "decision_reasons",
    "customer_message",
    "remedy_due",
    "remedy",
    "satisfaction_score",
]


def export_customer(customer):
    """Everything held about one customer, as JSON-ready data."""
    complaints = list(Complaint.objects.filter(customer=customer).order_by("created_at", "id"))
    records = {}
    for record in ComplaintRecord.objects.filter(complaint__customer=customer).order_by("created_at", "id"):
        records.setdefault(record.complaint_id, []).append(
            {"kind": record.kind, "stage": record.stage, "created_at": record.created_at, "data": record.data}
        )
    files = {}
    for attachment in Attachment.objects.filter(complaint__customer=customer).order_by("created_at", "id"):
        files.setdefault(attachment.complaint_id, []).append(
            {
                "name": attachment.name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
                "created_at": attachment.created_at,
                "erased_at": attachment.erased_at,
            }
        )
    surveys = {}
    for survey in SurveyInvitation.objects.filter(complaint__customer=customer, answered_at__isnull=False):
        surveys.setdefault(survey.complaint_id, []).append(
            {"answered_at": survey.answered_at, "score": survey.score, "comment": survey.comment}
        )
    data = {
        "customer": {
            "id": customer.pk,
            "name": customer.name,
            "phone": customer.phone,
            "email": customer.email,
            "tier": customer.tier,
            "preferred_language": customer.preferred_language,
            "created_at": customer.created_at,
            "erased_at": customer.erased_at,
        },
        # Flags in force and cleared: why, until when, the note staff kept.
        "vulnerabilities": [
            {
                "kind": v.kind,
                "permanent": v.permanent,
                "review_by": v.review_by,
                "note": v.note,
                "set_at": v.set_at,
                "cleared_at": v.cleared_at,
                "in_force": v.cleared_at is None,
            }
            for v in Vulnerability.objects.filter(customer=customer).order_by("set_at", "id")
        ],
        "value_figures": list(
            customer.value_figures.order_by("period").values("period", "revenue", "profit")
        ),
        "complaints": [
            {
                **{name: getattr(c, name) for name in COMPLAINT_FIELDS},
                "record": records.get(c.pk, []),
                "attachments": files.get(c.pk, []),
                "surveys": surveys.get(c.pk, []),
            }
            for c in complaints
        ],
    }
    # A round trip through the encoder turns dates and decimals into plain JSON values.
    import json

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


# --- Erasure ---------------------------------------------------------------------------

# Every free-text field of a complaint (the reference and the coded fields identify no one).
COMPLAINT_TEXT_FIELDS = (
    "content",
    "escalation_reason",
    "what_happened",
    "when_happened",
    "requested_remedy",
    "desired_outcome",
    "product",
    "usage",
    "restatement",
    "customer_feelings",
    "apology",
    "decision_reasons",
    "customer_message",
    "remedy",
    "preventive_action",
)

# Between two digits of a phone number people type spaces, dots, brackets and dashes
# (ASCII, full-width, typographic); digits may be full-width (a Chinese input method).
_SEPARATORS = "[\\s.()\uff0d\u2010-\u2015-]{0,3}"


def _digit(d):
    return f"[{d}{chr(0xFF10 + int(d))}]"


def _national_numbers(phone):
    """[(country code, number without it or a trunk 0), ...] for a stored phone: +86 and 0086
    are known; another international number may have a country code of one to three digits."""
    normalized = phone_key(phone)
    digits = normalized.lstrip("+")
    international = normalized.startswith("+") or digits.startswith("00")
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("86") and (international or len(digits) == 13):
        pairs = [("86", digits[2:])]
    elif international:
        pairs = [(digits[:k], digits[k:]) for k in (1, 2, 3)]
    else:
        pairs = [("86", digits)]
    return list(
        dict.fromkeys((code, number.lstrip("0")) for code, number in pairs if len(number.lstrip("0")) >= 5)
    )


def phone_pattern(phone):
    """A regular expression for `phone` however it is typed: digits only, with spaces or
    dashes, with or without its country code (+86, 0086) or a trunk 0 in front. Python's
    and PostgreSQL's regular expressions read it the same way. None for fewer than five
    digits."""
    parts = []
    for code, number in _national_numbers(phone):
        body = _SEPARATORS.join(_digit(d) for d in number)
        parts.append(f"(?:(?:[+\uff0b]|00)\\s*{code}{_SEPARATORS}|0{_SEPARATORS})?{body}")
    return "|".join(parts) or None


def _literal(text):
    """`text` as a pattern; any run of white space inside it matches any other."""
    return "\\s+".join(re.escape(word) for word in text.split())


class PersonalData(NamedTuple):
    """What identifies one customer: the addresses the outbox knows them by, a pattern that
    finds them in text (Python and PostgreSQL), and every exact string to erase (longest
    first)."""

    addresses: list
    pattern: str
    strings: list


def _desk_addresses():
    """Staff addresses: outbox rows about a complaint that go to these are not the customer's."""
    return set(get_user_model().objects.exclude(email="").values_list(Lower("email"), flat=True))


def _customer_addresses(customer, complaint_ids):
    addresses = {customer.email.lower()} if customer.email else set()
    # The public form answers where the customer wrote from, which may not be on file.
    sent_to = Notification.objects.filter(complaint_id__in=complaint_ids).exclude(to="")
    addresses |= set(sent_to.values_list(Lower("to"), flat=True)) - _desk_addresses()
    return sorted(addresses)


def _about(complaint_ids, addresses):
    """The outbox rows about the customer: about their complaints, or to one of their addresses."""
    about = Q(complaint_id__in=complaint_ids)
    for address in addresses:
        about |= Q(to__iexact=address)
    return Notification.objects.filter(about)


def _text_sources(customer, complaint_ids, addresses, pattern):
    """(queryset, text fields) for every row whose text may name the customer; each is
    searched and then cleaned with the same strings. The outbox rows about the customer
    are emptied instead, the filed record is redacted apart."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    in_complaints = Q(complaint_id__in=complaint_ids)
    mention = Q(subject__iregex=pattern) | Q(body__iregex=pattern) | Q(html__iregex=pattern)
    # Emails about no complaint (the weekly report lists the week's preventive actions);
    # other customers' complaints are not searched, here or anywhere else.
    elsewhere = Notification.objects.filter(mention, complaint__isnull=True)
    return [
        (Customer.objects.filter(pk=customer.pk), ("tier_override_reason",)),
        (TierChange.objects.filter(customer=customer), ("reason",)),
        (Complaint.objects.filter(pk__in=complaint_ids), COMPLAINT_TEXT_FIELDS),
        (CallbackPromise.objects.filter(in_complaints), ("note", "fulfilment_note")),
        (CompensationRequest.objects.filter(in_complaints), ("reason", "decision_note")),
        (PreventiveAction.objects.filter(in_complaints), ("description",)),
        (SurveyInvitation.objects.filter(in_complaints), ("comment",)),
        (Attachment.objects.filter(in_complaints), ("name",)),
        (elsewhere.exclude(pk__in=_about(complaint_ids, addresses)), ("subject", "body", "html")),
        (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Customer), object_id=str(customer.pk)
            ),
            ("object_repr", "change_message"),
        ),
    ]


def _snapshots():
    """Weekly report snapshots quote the week's preventive actions; there are a few dozen a year."""
    return WeeklyReportSnapshot.objects.all()


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def personal_data(customer, *, complaint_ids, also=()):
    """Everything that identifies `customer`, as one list of exact strings to erase.

    Their name (unless already erased), phone and addresses, each as stored and in every
    spelling found in the desk's text about them (searched without regard to case, the
    phone with any separators and country prefix), plus matches in `also` (e.g. the reason
    given for the erasure). HTML-escaped spellings are included for the emails' HTML part.
    """
    addresses = _customer_addresses(customer, complaint_ids)
    known = [*addresses]
    if customer.erased_at is None and customer.name.strip():
        known.append(customer.name.strip())
    if customer.phone.strip():
        known += [customer.phone.strip(), phone_key(customer.phone)]
    parts = {_literal(text) for text in known}
    parts |= {_literal(html.escape(text)) for text in known}
    phone = phone_pattern(customer.phone)
    if phone:
        parts.add(phone)
        known += [number for _code, number in _national_numbers(customer.phone)]
    found = set(known)
    if not parts:  # an erased customer: nothing left to look for
        return PersonalData(addresses, "", [])
    pattern = "|".join(sorted(parts))
    # Each part on its own: one spelling may hold another (a phone inside an address).
    searches = [re.compile(part, re.IGNORECASE).finditer for part in sorted(parts)]

    def scan(texts):
        for text in texts:
            if text:
                for search in searches:
                    found.update(match.group(0) for match in search(text))

    scan(also)
    for queryset, fields in _text_sources(customer, complaint_ids, addresses, pattern):
        for row in queryset.values_list(*fields):
            scan(row)
    for queryset in (ComplaintRecord.objects.filter(complaint_id__in=complaint_ids), _snapshots()):
        for data in queryset.values_list("data", flat=True):
            scan(_json_strings(data))
    return PersonalData(addresses, pattern, ordered(s for s in found if len(s) >= 2))


def _clean_rows(queryset, fields, strings, redact=redact_text):
    """Replace the strings in these rows' fields, one UPDATE per row that changes."""
    for pk, *values in list(queryset.values_list("pk", *fields)):
        changes = {}
        for field, value in zip(fields, values, strict=True):
            cleaned = redact(value, strings) if value else value
            if cleaned != value:
                changes[field] = cleaned
        if changes:
            queryset.model.objects.filter(pk=pk).update(**changes)


def erase_customer(*, customer, reason, by, now=None):
    """Remove the customer's personal data wherever the desk holds it; keep the facts.

    One transaction: the customer's name, phone and email go, their private links stop
    working, every spelling of them in the desk's text becomes "[erased]" (the filed record
    through its redaction path), and no email to or about them is sent any more. Each
    complaint's record gains an entry saying who erased the data and why.
    """
    if not access.is_supervisor(by):
        raise PermissionDenied(_("Only a supervisor may erase a customer's personal data."))
    now = now or timezone.now()
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        complaint_ids = list(Complaint.objects.filter(customer=customer).values_list("pk", flat=True))
        personal = personal_data(customer, complaint_ids=complaint_ids, also=[reason])
        # A file's name may name them in any spelling ("wang-fang-receipt.jpg"): every name of
        # a file on their complaints goes too, from the attachments and their record entries.
        file_names = Attachment.objects.filter(complaint_id__in=complaint_ids).values_list("name", flat=True)
        strings = ordered([*personal.strings, *(name for name in file_names if len(name) >= 2)])
        reason = redact_text(reason, strings)
        # Emails about them: pending ones are never sent, sent ones keep their key and dates.
        about = _about(complaint_ids, personal.addresses)
        notifications.cancel(
            about.values_list("pk", flat=True), why=_("the customer's personal data was erased")
        )
        if strings:
            sources = _text_sources(customer, complaint_ids, personal.addresses, personal.pattern)
            for queryset, fields in sources:
                _clean_rows(queryset, fields, strings)
            _clean_rows(_snapshots(), ["data"], strings, redact=redact_json)

        customer.refresh_from_db()  # its tier_override_reason was just cleaned
        # Vulnerability flags are about the person (health, bereavement...): they go
        # entirely, history included. Deadlines already set on open complaints stay.
        customer.vulnerability = None
        customer.name = _("Erased customer %(id)s") % {"id": customer.pk}
        customer.phone = ""
        customer.email = ""
        customer.erased_at = now
        customer.save()
        Vulnerability.objects.filter(customer=customer).delete()
        # Private links stop working; the unused survey links go.
        Complaint.objects.filter(pk__in=complaint_ids).update(tracking_token=None)
        SurveyInvitation.objects.filter(complaint_id__in=complaint_ids, answered_at__isnull=True).delete()
        # A resent intake form would otherwise still lead to these complaints.
        SubmissionKey.objects.filter(complaint_id__in=complaint_ids).delete()
        # Photos, recordings and documents may show them: the bytes go (once this commits),
        # each attachment and its record entry stay, marked erased.
        Attachment.objects.filter(complaint_id__in=complaint_ids).erase(now=now)

        if strings:
            records_redact(complaint_ids=complaint_ids, strings=strings, by=by, reason=reason, now=now)
        ComplaintRecord.objects.bulk_create(
            [
                ComplaintRecord(
                    complaint_id=complaint_id,
                    kind=ComplaintRecord.Kind.PROCESS,
                    stage=stage,
                    author=by,
                    created_at=now,
                    data={"action": "customer_erased", "reason": reason},
                )
                for complaint_id, stage in Complaint.objects.filter(pk__in=complaint_ids).values_list(
                    "pk", "stage"
                )
            ]
        )
    return customer
