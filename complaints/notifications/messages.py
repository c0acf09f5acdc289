"""What the desk tells people: escalation notices, deadline warnings and digests, VIP notices,
reassignments, and the customers' own emails. Each is queued in the outbox."""

import secrets
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db.models import OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from customers.models import ContactPreference, Customer

from .. import access
from ..models import Complaint, ComplaintHold, ComplaintRecord, DeadlineEvent, Notification, stage_label
from ..records import file_record
from ..wording import duration_text, localised, moment_text
from .outbox import queue_email, queue_emails


def _recipients_by_role():
    """{role: [(user_id, email), ...]} for supervisors and managers, in one query."""
    found = {access.SUPERVISOR: [], access.MANAGER: []}
    rows = access.users_with_role(*found, with_email=True).values_list("id", "email", "groups__name")
    for user_id, email, group in rows:
        if group in found:
            found[group].append((user_id, email))
    return found


def _local(moment, zone=None):
    return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M")


# Why the desk escalated a complaint by itself, as the code stored on the complaint
# (escalation_reason_code); the deadline kinds (DeadlineEvent.Kind) are codes too.
LOW_SATISFACTION = "low_satisfaction"
# An outside deadline (a regulator's clock, deadlines.outside) passed without being met.
OUTSIDE_BREACH = "outside_breach"


def _reason_sentences():
    return {
        DeadlineEvent.Kind.RESPOND_BREACH: _(
            "Nobody took the complaint by %(deadline)s (response deadline)."
        ),
        DeadlineEvent.Kind.CALLBACK_BREACH: _("The callback promised for %(deadline)s was not made."),
        DeadlineEvent.Kind.RESOLVE_BREACH: _(
            "The complaint was not resolved by %(deadline)s (resolution deadline)."
        ),
        LOW_SATISFACTION: _("The customer rated the outcome %(score)s out of 5."),
        OUTSIDE_BREACH: _(
            "The outside deadline “%(clock)s” (%(regime)s) passed at %(deadline)s without being met."
        ),
    }


def breach_reason_values(deadline: datetime) -> dict[str, Any]:
    """The values stored with a breach's reason code (plain JSON)."""
    return {"deadline": deadline.isoformat()}


def escalation_reasons() -> Callable[[str, Mapping[str, Any] | None, str], str]:
    """A function (code, values, text) -> why the complaint was escalated, in the active
    language and time zone: the sentence of `code` filled with `values`; `text` as it is
    for a reason someone typed (no code) and for rows written before codes were stored.

    The sentences are translated once; a page words a whole queue with one of these.
    """
    sentences = _reason_sentences()
    zone = timezone.get_current_timezone()

    def reason(code, values, text=""):
        sentence = sentences.get(code)
        if sentence is None:
            return text
        filled = dict(values or {})
        try:
            if "deadline" in filled:
                filled["deadline"] = _local(datetime.fromisoformat(filled["deadline"]), zone)
            for name in ("clock", "regime"):  # names kept in English and Chinese
                if f"{name}_zh" in filled:
                    filled[name] = localised(filled[name], filled.pop(f"{name}_zh"))
            return sentence % filled
        except (KeyError, TypeError, ValueError):
            return text

    return reason


def escalation_reason_text(complaint: Complaint) -> str:
    """Why `complaint` was escalated, for the reader (see escalation_reasons)."""
    return escalation_reasons()(
        complaint.escalation_reason_code, complaint.escalation_reason_values, complaint.escalation_reason
    )


def breach_reasons() -> Callable[[str, datetime], str]:
    """A function (kind, deadline) -> why the complaint was escalated, in the active language.

    The sweep words a thousand breaches with one of these (the stored text and the emails).
    """
    reason = escalation_reasons()

    def breach(kind, deadline):
        return reason(kind, breach_reason_values(deadline), "")

    return breach


def _warning_text(kind, deadline):

    if kind == DeadlineEvent.Kind.RESPOND_WARNING:
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


def queue_low_satisfaction_notices(
    complaint: Complaint, *, score: int, comment: str, key: str, now: datetime | None = None
) -> int:
    """Tell the supervisors that a customer rated the outcome `score` out of 5."""
    context = {
        "complaint": complaint,
        "score": score,
        "comment": comment,
        "link": site_link(f"/customers/{complaint.customer_id}/"),
    }
    subject = _("Low satisfaction on %(reference)s: %(score)s out of 5") % {
        "reference": complaint.reference,
        "score": score,
    }
    body = render_to_string("emails/low_satisfaction.txt", context)
    return queue_emails(
        [
            {"to": email, "subject": subject, "body": body, "key": f"{key}:{user_id}", "complaint": complaint}
            for user_id, email in _recipients_by_role()[access.SUPERVISOR]
        ],
        now=now,
    )


def _who_is_told(level, by_role):

    # From level 2 on the managers hear about it as well.
    return by_role[access.SUPERVISOR] + (by_role[access.MANAGER] if level >= 2 else [])


def queue_escalation_notices(
    escalations: Sequence[tuple[Complaint, str, str]], now: datetime | None = None
) -> int:
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
    """One deadline the sweep found broken, and what the notices say about its complaint."""

    complaint_id: int
    reference: str
    stage: str
    customer_id: int
    assignee: str | None  # username
    level: int  # the escalation level this breach reached
    kind: str
    deadline: datetime
    reason: str


class DeadlineWarning(NamedTuple):
    """A deadline the sweep found near, and who is told: whoever holds the complaint, or
    the person who logged it while nobody does (Control)."""

    complaint_id: int
    reference: str
    email: str | None
    kind: str
    deadline: datetime


class OutsideWarning(NamedTuple):
    """An outside deadline the sweep found near, and who is told (as DeadlineWarning)."""

    clock_id: int
    complaint_id: int
    reference: str
    email: str | None
    regime: str  # its name, in the active language
    clock: str
    deadline: datetime


def queue_outside_warnings(warnings: Iterable[OutsideWarning], now: datetime | None = None) -> int:
    """Tell whoever holds each complaint that an outside deadline is near."""
    found = [
        {
            "to": w.email,
            "subject": _("Outside deadline near: complaint %(reference)s") % {"reference": w.reference},
            "body": _(
                "“%(clock)s” (%(regime)s) is due by %(deadline)s. This deadline is set outside the "
                "company and does not pause while you wait for the customer; meet it, or the "
                "complaint will be escalated."
            )
            % {"clock": w.clock, "regime": w.regime, "deadline": _local(w.deadline)},
            "key": f"outside-warning:{w.clock_id}",
            "complaint_id": w.complaint_id,
        }
        for w in warnings
        if w.email
    ]
    return queue_emails(found, now=now) if found else 0


def _breach_message(user_id, email, breach, customer_names):
    subject, body = _escalation_text(
        reference=breach.reference,
        customer=customer_names.get(breach.customer_id, ""),
        reason=breach.reason,
        stage=breach.stage,
        assignee=breach.assignee,
        level=breach.level,
    )
    return {
        "to": email,
        "subject": subject,
        "body": body,
        "key": f"breach:{breach.complaint_id}:{breach.kind}:{breach.deadline.isoformat()}:{user_id}",
        "complaint_id": breach.complaint_id,
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
        if b.stage not in stages:
            stages[b.stage] = stage_label(b.stage)
        lines.append(
            line
            % {
                "reference": b.reference,
                "level": b.level,
                "stage": stages[b.stage],
                "assignee": b.assignee or nobody,
                "reason": b.reason,
            }
        )
    return lines


def _digest_message(user_id, email, breaches, lines, now):
    """Many breaches at once (an outage, a holiday backlog): one email listing them all
    instead of one email per complaint. Customer names stay out of it; the references
    lead to them."""
    count = len({b.complaint_id for b in breaches})
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
        "key": f"breaches:{user_id}:{now.isoformat()}:{breaches[0].complaint_id}",
    }


def queue_deadline_notices(
    breaches: Sequence[Breach],
    warnings: Iterable[DeadlineWarning],
    now: datetime | None = None,
) -> int:
    """Queue the sweep's emails: breaches to supervisors (managers too from level 2), one
    email per complaint, or one digest per person when a sweep finds several; warnings to
    whoever holds the complaint."""
    now = now or timezone.now()
    messages = []
    if breaches:
        by_role = _recipients_by_role()
        told: dict[tuple[int, str], list[int]] = {}
        for i, breach in enumerate(breaches):
            for person in _who_is_told(breach.level, by_role):
                told.setdefault(person, []).append(i)
        lines, singles = None, {}
        for (user_id, email), theirs in told.items():
            if len({breaches[i].complaint_id for i in theirs}) == 1:
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
            names = _customer_names({breaches[i].customer_id for theirs in singles.values() for i in theirs})
            for (user_id, email), theirs in singles.items():
                messages += [_breach_message(user_id, email, breaches[i], names) for i in theirs]
    for warning in warnings:
        if not warning.email:
            continue
        messages.append(
            {
                "to": warning.email,
                "subject": _("Deadline near: complaint %(reference)s") % {"reference": warning.reference},
                "body": _warning_text(warning.kind, warning.deadline),
                "key": f"warning:{warning.complaint_id}:{warning.kind}:{warning.deadline.isoformat()}",
                "complaint_id": warning.complaint_id,
            }
        )
    return queue_emails(messages, now=now) if messages else 0


def queue_vip_notice(complaint: Complaint, now: datetime | None = None) -> int:
    """An A-tier customer complained: supervisors hear about it straight away."""
    by_role = _recipients_by_role()

    messages = [
        {
            "to": email,
            "subject": _("A-tier customer complaint %(reference)s") % {"reference": complaint.reference},
            "body": _("%(customer)s (A tier) has logged a complaint: %(content)s")
            % {"customer": complaint.customer.name, "content": complaint.content[:500]},
            "key": f"vip:{complaint.pk}:{user_id}",
            "complaint": complaint,
        }
        for user_id, email in by_role[access.SUPERVISOR]
    ]
    return queue_emails(messages, now=now) if messages else 0


def queue_reassigned_notice(complaint: Complaint, assignee: AbstractUser, now: datetime | None = None) -> int:
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


def site_link(path: str) -> str:
    return settings.CLEAR_DESK["SITE_URL"].rstrip("/") + path


def _render_customer_email(customer, template, context):
    with translation.override(customer.preferred_language):
        context = {"customer": customer, "company": settings.CLEAR_DESK["COMPANY_NAME"], **context}
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    return subject, body


def queue_customer_email(
    *,
    customer: Customer,
    template: str,
    context: Mapping[str, Any],
    key: str,
    complaint: Complaint | None = None,
    to: str | None = None,
) -> bool:
    """Render an email in the customer's language and put it in the outbox.

    A message about a complaint goes through send_customer_message() instead, which honours
    the customer's contact preference and files the message in the record.
    """
    to = to or customer.email
    if not to:
        return False
    subject, body = _render_customer_email(customer, template, context)
    return bool(queue_email(to=to, subject=subject, body=body, key=key, complaint=complaint))


# The record entries of the messages to a customer (data["action"]): one sent through the
# outbox, and one the desk did not send (why: their contact preference, or no address).
CUSTOMER_MESSAGE = "customer_message"
CUSTOMER_MESSAGE_WITHHELD = "customer_message_withheld"
WITHHELD_BY_PREFERENCE = "contact_preference"


def desk_zone() -> zoneinfo.ZoneInfo:
    """The desk's own time zone: customers read every moment in it (no staff member's zone)."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def customer_moment(value: datetime | None) -> str:
    """A moment for a customer: "2026-12-07 18:00 (Asia/Shanghai)", in the desk's zone and
    the active language."""
    if value is None:
        return ""
    with timezone.override(desk_zone()):
        return f"{moment_text(value)} ({settings.TIME_ZONE})"


def deadline_words(complaint: Complaint) -> dict[str, str]:
    """The complaint's response and resolution deadlines in words, for the customer."""
    return {
        "respond_in": duration_text(complaint.respond_by - complaint.created_at),
        "respond_by": customer_moment(complaint.respond_by),
        "resolve_in": duration_text(complaint.resolve_by - complaint.created_at),
        "resolve_by": customer_moment(complaint.resolve_by),
    }


def tracking_link(complaint: Complaint) -> str:
    """The customer's private link to the complaint, issued the first time one is needed.

    Complaints filed on the public form have one from the start; a complaint staff log gets
    one with its acknowledgement (nobody is given a link without being told it).
    """
    if complaint.tracking_token is None:
        token = secrets.token_urlsafe(32)
        Complaint.objects.filter(pk=complaint.pk, tracking_token__isnull=True).update(tracking_token=token)
        complaint.tracking_token = Complaint.objects.values_list("tracking_token", flat=True).get(
            pk=complaint.pk
        )
    return site_link(f"/track/{complaint.tracking_token}/")


def send_customer_message(
    *,
    complaint: Complaint,
    kind: str,
    key: str,
    template: str = "",
    context: Callable[[], Mapping[str, Any]] | Mapping[str, Any] | None = None,
    compose: Callable[[], tuple[str, str]] | None = None,
    to: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Email the complaint's customer through the outbox and file the message in the record.

    The one way the desk writes to a customer about a complaint. It is rendered in the
    customer's language and the desk's time zone (`context` may be a function, called
    there, for values worded in that language), or `compose()` words subject and body itself,
    called in that language. The same `key` twice sends and files once.
    A customer who asked not to be emailed (Customer.contact_preference) gets nothing, and
    the record says why; one without an address gets nothing either. Returns True if
    queued now.
    """
    now = now or timezone.now()
    customer = complaint.customer
    to = to or customer.email
    key = key[:200]
    if complaint.records.filter(data__key=key).exists():
        return False  # sent (or withheld) and filed before under this key
    if customer.contact_preference != ContactPreference.EMAIL:
        # They asked for another way (or none): nothing goes to their inbox, and the record
        # says so.
        file_record(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=None,
            now=now,
            data={
                "action": CUSTOMER_MESSAGE_WITHHELD,
                "message": kind,
                "key": key,
                "why": WITHHELD_BY_PREFERENCE,
                "contact_preference": customer.contact_preference,
            },
        )
        return False
    if not to:
        return False  # no address: nothing to send (the customer page shows there is none)
    with translation.override(customer.preferred_language), timezone.override(desk_zone()):
        if compose is not None:
            subject, body = compose()
        else:
            values = (context() if callable(context) else context) or {}
            subject, body = _render_customer_email(customer, template, {"complaint": complaint, **values})
    queue_email(to=to, subject=subject, body=body, key=key, complaint=complaint, now=now)
    file_record(
        complaint,
        ComplaintRecord.Kind.PROCESS,
        by=None,
        now=now,
        data={
            "action": CUSTOMER_MESSAGE,
            "message": kind,
            "key": key,
            "to": to,
            "subject": subject[:300],
            "body": body,
        },
    )
    return True


def queue_acknowledgement(
    complaint: Complaint, *, to: str | None = None, now: datetime | None = None
) -> bool:
    """Acknowledge a newly logged complaint (any channel): its reference, what happens next,
    the deadlines in words and the tracking link. Once per complaint."""
    customer = complaint.customer
    emailing = customer.contact_preference == ContactPreference.EMAIL and bool(to or customer.email)

    def context():
        return {**deadline_words(complaint), "link": tracking_link(complaint) if emailing else ""}

    return send_customer_message(
        complaint=complaint,
        kind="acknowledgement",
        template="acknowledgement",
        context=context,
        key=f"acknowledgement:{complaint.pk}",
        to=to,
        now=now,
    )


# The customer-visible steps a progress notice may tell (queue_progress_notice).
PROGRESS_STEPS = ("responded", "on_hold", "resumed", "proposed")


def queue_progress_notice(
    complaint: Complaint,
    step: str,
    *,
    occurrence: str = "",
    now: datetime | None = None,
    **values: Any,
) -> bool:
    """Tell the customer their complaint moved on, through send_customer_message().

    `step`:
      "responded" - someone took the complaint (leaving Control);
      "proposed"  - the apology is given and the solution is being put in place (entering
                    Resolve); the final response follows at close;
      "on_hold"   - the desk waits (for the customer, a supplier...): `waiting_for` (text
                    in the customer's language) and `until` (a datetime) are optional values;
      "resumed"   - the wait is over: the resolution deadline is told again.
    Each (complaint, step, occurrence) is sent at most once: pass `occurrence` (a hold's id,
    the moment of the transition) for steps that can happen more than once.
    """
    if step not in PROGRESS_STEPS:
        raise ValueError(f"Unknown progress step {step!r}")

    def context():
        until = values.get("until")
        return {
            **deadline_words(complaint),
            "step": step,
            "waiting_for": values.get("waiting_for", ""),
            "until": customer_moment(until) if isinstance(until, datetime) else "",
            "link": site_link(f"/track/{complaint.tracking_token}/") if complaint.tracking_token else "",
        }

    return send_customer_message(
        complaint=complaint,
        kind=step,
        template="progress",
        context=context,
        key=f"progress:{complaint.pk}:{step}:{occurrence}",
        now=now,
    )


def queue_final_response(
    complaint: Complaint, *, blocks: Callable[[], Mapping[str, Any]], now: datetime | None = None
) -> bool:
    """Email the final response at close: `blocks` words it (notifications.letters)."""
    return send_customer_message(
        complaint=complaint,
        kind="final_response",
        template="final_response",
        context=lambda: {
            **blocks(),
            "link": site_link(f"/track/{complaint.tracking_token}/") if complaint.tracking_token else "",
        },
        key=f"final_response:{complaint.pk}:{complaint.closed_at.isoformat() if complaint.closed_at else ''}",
        now=now,
    )


def queue_reply_notice(complaint: Complaint, *, text: str, key: str, now: datetime | None = None) -> int:
    """Tell the assignee the customer added information on their tracking page."""
    assignee = complaint.assignee
    if assignee is None or not assignee.email:
        return 0
    return queue_email(
        to=assignee.email,
        subject=_("The customer added information to complaint %(reference)s")
        % {"reference": complaint.reference},
        body=_("%(customer)s wrote on the tracking page:\n\n%(text)s\n\nOpen the complaint: %(link)s")
        % {
            "customer": complaint.customer.name,
            "text": text,
            "link": site_link(f"/complaints/{complaint.pk}/"),
        },
        key=key,
        complaint=complaint,
        now=now,
    )


def customer_messages(complaint: Complaint) -> list[ComplaintRecord]:
    """The messages sent to the complaint's customer, oldest first, in one query: each record
    entry carries `delivered_at` (when the outbox sent it, or None) from the outbox row."""
    outbox_row = Notification.objects.filter(key=KeyTextTransform("key", OuterRef("data")))
    return list(
        complaint.records.filter(data__action=CUSTOMER_MESSAGE)
        .annotate(delivered_at=Subquery(outbox_row.values("sent_at")[:1]))
        .order_by("created_at", "id")
    )


def queue_hold_reminder(hold: ComplaintHold, now: datetime | None = None) -> bool:
    """Remind the customer that the desk is waiting, once per hold, in their language.

    Only when they gave an email address; False when nothing was queued.
    """
    complaint = hold.complaint
    customer = complaint.customer

    def compose():
        company = settings.CLEAR_DESK["COMPANY_NAME"]
        subject = _("Your complaint %(reference)s: we are waiting to hear back") % {
            "reference": complaint.reference
        }
        if hold.kind == ComplaintHold.Kind.CUSTOMER:
            waiting = _("To go on with your complaint we need something from you: %(reason)s") % {
                "reason": hold.reason
            }
            answer = _("Please get back to us when you can, so we can finish handling it.")
        else:
            waiting = _(
                "We are waiting for an answer from another company about your complaint: %(reason)s"
            ) % {"reason": hold.reason}
            answer = _("We have not forgotten you, and we will tell you as soon as we hear back.")
        lines = [
            _("Dear %(name)s,") % {"name": customer.name},
            "",
            waiting,
            answer,
        ]
        if complaint.tracking_token:
            lines += [
                "",
                _("You can follow your complaint here: %(link)s")
                % {"link": site_link(f"/track/{complaint.tracking_token}/")},
            ]
        lines += ["", _("Kind regards,"), company]
        body = "\n".join(lines) + "\n"
        return subject, body

    return send_customer_message(
        complaint=complaint,
        kind="hold_reminder",
        compose=compose,
        key=f"hold-reminder:{hold.pk}",
        now=now,
    )
