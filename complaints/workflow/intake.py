"""Logging a complaint: by staff (intake page, API) or by the customer (public form)."""

import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer

from .. import access
from ..deadlines import outside, policies
from ..exceptions import Conflict
from ..models import Category, Channel, Complaint, ComplaintRecord, Severity, new_reference
from ..notifications import messages
from ..records import file_record
from .selectors import forget_categories


def complaint_create(
    *,
    customer: Customer,
    channel: str,
    category: Category,
    severity: str,
    content: str,
    by: AbstractBaseUser,
    repeat_of: Complaint | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Log a new complaint in Control and file what the customer said; `repeat_of` marks it as
    a repeat of an earlier complaint of the same customer (workflow.repeats)."""
    access.require_worker(by)
    if repeat_of is not None and repeat_of.customer_id != customer.pk:
        raise ValidationError(
            {"repeat_of": [_("A repeat must be of an earlier complaint of the same customer.")]}
        )
    return _create(
        customer=customer,
        channel=channel,
        category=category,
        severity=severity,
        content=content,
        by=by,
        now=now,
        **({"repeat_of": repeat_of} if repeat_of is not None else {}),
    )


def _check_foreign_keys_now():
    """Check the deferred foreign keys of what this transaction wrote so far, now.

    Django's foreign keys are checked when the outermost transaction commits. Inside a
    caller's transaction (the intake page, an intake with an Idempotency-Key) a category
    removed a moment ago would only fail there, past the handler below that reports it.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.check_constraints(table_names=[Complaint._meta.db_table])


def _create(*, customer, channel, category, severity, content, by, now=None, acknowledge_to=None, **extra):
    now = now or timezone.now()
    due = policies.deadlines_for_customer(severity, customer, now)
    regime_id = outside.regime_for(
        channel=channel,
        category_id=category.pk,
        origin=outside.origin_of(tracking_token=extra.get("tracking_token")),
    )
    nested = connection.in_atomic_block
    for _attempt in range(5):
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    reference=new_reference(),
                    customer=customer,
                    channel=channel,
                    category=category,
                    severity=severity,
                    content=content,
                    created_by=by,
                    created_at=now,
                    respond_by=due.respond_by,
                    resolve_by=due.resolve_by,
                    respond_warn_at=due.respond_warn_at,
                    resolve_warn_at=due.resolve_warn_at,
                    next_deadline_at=min(due.respond_warn_at, due.resolve_warn_at),
                    regime_id=regime_id,
                    **extra,
                )
                if nested:
                    _check_foreign_keys_now()
                if regime_id is not None:
                    outside.clocks_start(complaint, regime_id)
                file_record(
                    complaint,
                    ComplaintRecord.Kind.CONTENT,
                    by=by,
                    now=now,
                    data={
                        "content": content,
                        "channel": channel,
                        "category": category,
                        "severity": severity,
                        "customer": customer.pk,
                        **({"repeat_of": extra["repeat_of"].reference} if extra.get("repeat_of") else {}),
                        # What the customer asked for in their own words (public form).
                        **(
                            {"requested_remedy": extra["requested_remedy"]}
                            if extra.get("requested_remedy")
                            else {}
                        ),
                    },
                )
                if customer.is_vip:
                    # A-tier customers are the supervisors' business from the first minute.
                    messages.queue_vip_notice(complaint, now=now)
                # Every channel: the customer hears at once that we have it (ISO 10002 5.3).
                messages.queue_acknowledgement(complaint, to=acknowledge_to, now=now)
                return complaint
        except IntegrityError:
            if not Category.objects.filter(pk=category.pk).exists():
                # Removed in the admin while this process still offered it (selectors).
                forget_categories()
                raise ValidationError(
                    {"category": [_("This category no longer exists; choose another.")]}
                ) from None
            # A reference collision among 32^8 is rare; draw again.
            continue
    raise Conflict(_("Could not allocate a reference number; please try again."))


def complaint_create_public(
    *,
    customer: Customer,
    what_happened: str,
    desired_outcome: str,
    email: str = "",
    now: datetime | None = None,
) -> Complaint:
    """File a complaint a customer sent through the public form (no staff member involved).

    It arrives as a minor web-form complaint in the catch-all category, with a private
    tracking token; staff adjust category and severity once they pick it up. The
    acknowledgement goes to `email` when given (a customer known by phone with another
    address on file is answered where they wrote from).
    """
    category = (
        Category.objects.filter(code="other").first() or Category.objects.filter(is_active=True).first()
    )
    if category is None:
        raise Conflict(_("No complaint categories are configured yet."))
    return _create(
        customer=customer,
        channel=Channel.WEB_FORM,
        category=category,
        severity=Severity.MINOR,
        content=what_happened,
        by=None,
        now=now,
        what_happened=what_happened,
        desired_outcome=desired_outcome,
        requested_remedy=desired_outcome,
        tracking_token=secrets.token_urlsafe(32),
        acknowledge_to=email or None,
    )
