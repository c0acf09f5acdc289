"""The one module that sends email.

Writers call queue_email() inside their transaction (the outbox); deliver_pending(),
run by a periodic Celery task, claims rows and sends them. A claim is a compare-and-set
UPDATE with an expiry, so two workers never send the same row at once, and a worker that
dies mid-delivery leaves rows that are retried once the claim expires (at-least-once:
a crash between the SMTP answer and marking the row sent can repeat that one email).
"""

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification, stage_label

logger = logging.getLogger(__name__)


def _claim_for():
    # How long a worker owns the rows it claimed; a worker killed mid-delivery leaves its
    # rows to the next one after this long.
    return timedelta(seconds=settings.CLEAR_DESK.get("OUTBOX_CLAIM_SECONDS", 300))


MAX_ATTEMPTS = 8


def queue_email(*, to, subject, body, key, html="", complaint=None, now=None):
    """Queue one email; the same `key` queued again is ignored. Returns True if queued."""
    return queue_emails(
        [{"to": to, "subject": subject, "body": body, "key": key, "html": html, "complaint": complaint}],
        now=now,
    )


def queue_emails(messages, now=None):
    """Queue many emails in one INSERT; rows whose key already exists are skipped."""
    from . import bulk

    now = now or timezone.now()
    rows = [
        (
            m["key"][:200],
            m["to"],
            str(m["subject"])[:300],
            str(m["body"]),
            m.get("html", ""),
            m["complaint"].pk if m.get("complaint") is not None else m.get("complaint_id"),
            Notification.Status.PENDING.value,
            0,
            "",
            now,
            now,
            "",
        )
        for m in messages
        if m.get("to")
    ]
    # Plain multi-row INSERT: the sweep queues thousands at a time (see complaints.bulk).
    return bulk.insert_rows(
        Notification,
        [
            "key",
            "to",
            "subject",
            "body",
            "html",
            "complaint",
            "status",
            "attempts",
            "last_error",
            "created_at",
            "available_at",
            "claim",
        ],
        rows,
        ignore_conflicts=True,
    )


def _claim(batch, now):
    token = secrets.token_hex(8)
    due = (
        Notification.objects.filter(status=Notification.Status.PENDING, available_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("available_at", "id")
        .values_list("id", flat=True)[:batch]
    )
    with transaction.atomic():
        # The WHERE is evaluated again under the row lock, so a row claimed by another
        # worker in between is skipped rather than claimed twice.
        Notification.objects.filter(id__in=list(due), status=Notification.Status.PENDING).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        ).update(claim=token, claimed_until=now + _claim_for())
    return list(Notification.objects.filter(claim=token, status=Notification.Status.PENDING))


def message_id(key):
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@clear-desk>"


def _send(notification):
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to],
        # The same notification always carries the same Message-ID, so a mail server or
        # client can drop the rare duplicate of at-least-once delivery; the outbox key
        # travels along too (bench/scaleout.py counts deliveries by it).
        headers={"Message-ID": message_id(notification.key), "X-Clear-Desk-Notification": notification.key},
    )
    if notification.html:
        message.attach_alternative(notification.html, "text/html")
    message.send(fail_silently=False)


CANCELLED = "cancelled: "


def cancel(ids, *, why):
    """Never send these outbox rows and keep only their key and dates.

    Pending rows give up for good (status "failed", last_error "cancelled: <why>");
    deliver_pending() reads each row again before sending, so a cancelled one goes nowhere.
    """
    ids = list(ids)
    rows = Notification.objects.filter(pk__in=ids)
    rows.filter(status=Notification.Status.PENDING).update(
        status=Notification.Status.FAILED, last_error=(CANCELLED + why)[:2000]
    )
    return rows.update(to="", subject="", body="", html="")


def deliver_pending(batch=100, now=None):
    """Send what is due; return (sent, failed). Safe to run from several workers at once."""
    now = now or timezone.now()
    sent = failed = 0
    for claimed in _claim(batch, now):
        # Read the row again just before sending: one cancelled meanwhile (an erasure,
        # see cancel()) is no longer pending and goes nowhere.
        notification = Notification.objects.filter(
            pk=claimed.pk, claim=claimed.claim, status=Notification.Status.PENDING
        ).first()
        if notification is None or not notification.to:
            continue
        attempts = notification.attempts + 1
        try:
            _send(notification)
        except Exception as exc:
            failed += 1
            gave_up = attempts >= MAX_ATTEMPTS
            logger.warning("Sending notification %s failed (attempt %s): %s", notification.pk, attempts, exc)
            # Still pending only: a row cancelled while it was being sent stays cancelled.
            Notification.objects.filter(
                pk=notification.pk, claim=notification.claim, status=Notification.Status.PENDING
            ).update(
                attempts=attempts,
                last_error=str(exc)[:2000],
                status=Notification.Status.FAILED if gave_up else Notification.Status.PENDING,
                available_at=now + timedelta(minutes=2**attempts),
                claimed_until=None,
                claim="",
            )
            continue
        sent += 1
        Notification.objects.filter(pk=notification.pk, claim=notification.claim).update(
            attempts=attempts, status=Notification.Status.SENT, sent_at=timezone.now(), claimed_until=None
        )
    return sent, failed


# --- What the deadline sweep and the escalation actions send ---------------------------


def _recipients_by_role():
    """{role: [(user_id, email), ...]} for supervisors and managers, in one query."""
    from django.contrib.auth import get_user_model

    from . import roles

    found = {roles.SUPERVISOR: [], roles.MANAGER: []}
    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=list(found))
        .exclude(email="")
        .values_list("id", "email", "groups__name")
        .order_by("id")
    )
    for user_id, email, group in rows:
        found[group].append((user_id, email))
    return found


def _local(moment, zone=None):
    return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M")


def breach_reasons():
    """A function (kind, deadline) -> why the complaint was escalated, in the active language.

    The sentences are translated once; the sweep words a thousand breaches with one of these.
    """
    from .deadlines import CALLBACK_BREACH, RESOLVE_BREACH, RESPOND_BREACH

    sentences = {
        RESPOND_BREACH: _("Nobody took the complaint by %(deadline)s (response deadline)."),
        CALLBACK_BREACH: _("The callback promised for %(deadline)s was not made."),
        RESOLVE_BREACH: _("The complaint was not resolved by %(deadline)s (resolution deadline)."),
    }
    zone = timezone.get_current_timezone()

    def reason(kind, deadline):
        return sentences[kind] % {"deadline": _local(deadline, zone)}

    return reason


def _warning_text(kind, deadline):
    from .deadlines import RESPOND_WARNING

    if kind == RESPOND_WARNING:
        return _("Take this complaint before %(deadline)s, or it will be escalated.") % {
            "deadline": _local(deadline)
        }
    return _("Resolve this complaint before %(deadline)s, or it will be escalated.") % {
        "deadline": _local(deadline)
    }


def _escalation_text(*, reference, customer, reason, stage, assignee, level):
    subject = _("Escalated (level %(level)s): complaint %(reference)s") % {
        "level": level,
        "reference": reference,
    }
    body = _(
        "Complaint %(reference)s from %(customer)s needs a supervisor.\n\n%(reason)s\n\n"
        "Stage: %(stage)s. Assignee: %(assignee)s."
    ) % {
        "reference": reference,
        "customer": customer,
        "reason": reason,
        "stage": stage_label(stage),
        "assignee": assignee or _("nobody yet"),
    }
    return subject, body


def _escalation_messages(complaint, reason, key, recipients):
    if not recipients:
        return []
    # Every recipient gets the same text: translate and format it once per complaint.
    subject, body = _escalation_text(
        reference=complaint.reference,
        customer=complaint.customer.name,
        reason=reason,
        stage=complaint.stage,
        assignee=complaint.assignee.get_username() if complaint.assignee else "",
        level=complaint.escalation_level,
    )
    return [
        {"to": email, "subject": subject, "body": body, "key": f"{key}:{user_id}", "complaint": complaint}
        for user_id, email in recipients
    ]


def _who_is_told(level, by_role):
    from . import roles

    # From level 2 on the managers hear about it as well.
    return by_role[roles.SUPERVISOR] + (by_role[roles.MANAGER] if level >= 2 else [])


def queue_escalation_notices(escalations, now=None):
    """Tell supervisors (and managers from level 2) about [(complaint, reason, key), ...]."""
    if not escalations:
        return 0
    by_role = _recipients_by_role()
    messages = []
    for complaint, reason, key in escalations:
        messages += _escalation_messages(
            complaint, reason, key, _who_is_told(complaint.escalation_level, by_role)
        )
    return queue_emails(messages, now=now)


class Breach(NamedTuple):
    """One deadline the sweep found broken: `row` holds complaints.services.SWEEP_FIELDS."""

    row: dict
    kind: str
    deadline: object
    reason: str


def _breach_message(user_id, email, breach, customer_names):
    row = breach.row
    subject, body = _escalation_text(
        reference=row["reference"],
        customer=customer_names.get(row["customer"], ""),
        reason=breach.reason,
        stage=row["stage"],
        assignee=row["assignee__username"],
        level=row["escalation_level"],
    )
    return {
        "to": email,
        "subject": subject,
        "body": body,
        "key": f"breach:{row['id']}:{breach.kind}:{breach.deadline.isoformat()}:{user_id}",
        "complaint_id": row["id"],
    }


def _customer_names(customer_ids):
    from customers.models import Customer

    return dict(Customer.objects.filter(pk__in=customer_ids).values_list("id", "name"))


def _digest_lines(breaches):
    """One line per breach, worded once however many people receive it."""
    line, nobody = _("%(reference)s (level %(level)s, %(stage)s, %(assignee)s): %(reason)s"), _("nobody yet")
    stages = {}
    lines = []
    for b in breaches:
        stage = b.row["stage"]
        if stage not in stages:
            stages[stage] = stage_label(stage)
        lines.append(
            line
            % {
                "reference": b.row["reference"],
                "level": b.row["escalation_level"],
                "stage": stages[stage],
                "assignee": b.row["assignee__username"] or nobody,
                "reason": b.reason,
            }
        )
    return lines


def _digest_message(user_id, email, breaches, lines, now):
    """Many breaches at once (an outage, a holiday backlog): one email listing them all
    instead of one email per complaint. Customer names stay out of it; the references
    lead to them."""
    count = len({b.row["id"] for b in breaches})
    subject = ngettext(
        "Escalated: %(count)s complaint passed a deadline",
        "Escalated: %(count)s complaints passed a deadline",
        count,
    ) % {"count": count}
    intro = ngettext(
        "This complaint passed a deadline and needs a supervisor:",
        "These %(count)s complaints passed a deadline and need a supervisor:",
        count,
    ) % {"count": count}
    outro = _("The escalation queue lists them, most overdue first.")
    return {
        "to": email,
        "subject": subject,
        "body": "\n\n".join([intro, "\n".join(lines), outro]),
        "key": f"breaches:{user_id}:{now.isoformat()}:{breaches[0].row['id']}",
    }


def queue_deadline_notices(breaches, warnings, now=None):
    """Queue the sweep's emails: breaches to supervisors (managers too from level 2), one
    email per complaint, or one digest per person when a sweep finds several; warnings to
    whoever holds the complaint."""
    now = now or timezone.now()
    messages = []
    if breaches:
        by_role = _recipients_by_role()
        told = {}
        for i, breach in enumerate(breaches):
            for person in _who_is_told(breach.row["escalation_level"], by_role):
                told.setdefault(person, []).append(i)
        lines, singles = None, {}
        for (user_id, email), theirs in told.items():
            if len({breaches[i].row["id"] for i in theirs}) == 1:
                singles[(user_id, email)] = theirs
                continue
            lines = lines or _digest_lines(breaches)
            messages.append(
                _digest_message(
                    user_id, email, [breaches[i] for i in theirs], [lines[i] for i in theirs], now
                )
            )
        if singles:
            # Their own email names the customer: read the names of those few only.
            names = _customer_names(
                {breaches[i].row["customer"] for theirs in singles.values() for i in theirs}
            )
            for (user_id, email), theirs in singles.items():
                messages += [_breach_message(user_id, email, breaches[i], names) for i in theirs]
    for row, kind, deadline in warnings:
        # In Control nobody owns the complaint yet: the person who logged it hears instead.
        email = row["assignee__email"] if row["assignee__username"] else row["created_by__email"]
        if not email:
            continue
        messages.append(
            {
                "to": email,
                "subject": _("Deadline near: complaint %(reference)s") % {"reference": row["reference"]},
                "body": _warning_text(kind, deadline),
                "key": f"warning:{row['id']}:{kind}:{deadline.isoformat()}",
                "complaint_id": row["id"],
            }
        )
    return queue_emails(messages, now=now) if messages else 0


def queue_vip_notice(complaint, now=None):
    """An A-tier customer complained: supervisors hear about it straight away."""
    by_role = _recipients_by_role()
    from . import roles

    messages = [
        {
            "to": email,
            "subject": _("A-tier customer complaint %(reference)s") % {"reference": complaint.reference},
            "body": _("%(customer)s (A tier) has logged a complaint: %(content)s")
            % {"customer": complaint.customer.name, "content": complaint.content[:500]},
            "key": f"vip:{complaint.pk}:{user_id}",
            "complaint": complaint,
        }
        for user_id, email in by_role[roles.SUPERVISOR]
    ]
    return queue_emails(messages, now=now) if messages else 0


def queue_reassigned_notice(complaint, assignee, now=None):
    if not assignee.email:
        return 0
    return queue_email(
        to=assignee.email,
        subject=_("Complaint %(reference)s is now yours") % {"reference": complaint.reference},
        body=_("A supervisor assigned complaint %(reference)s to you.") % {"reference": complaint.reference},
        key=f"reassign:{complaint.pk}:{assignee.pk}:{(now or timezone.now()).isoformat()}",
        complaint=complaint,
        now=now,
    )
