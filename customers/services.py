"""The only code that writes customers, their value figures and tiers."""

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum, Window
from django.db.models.functions import Rank
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import access

from . import selectors, signals
from .models import Customer, Language, TierChange, ValueFigure
from .phones import normalize_phone
from .tiers import lifetime_value, tier_for_rank

logger = logging.getLogger(__name__)


def _check_contact(*, phone, email, exclude_id=None):
    if not (phone or "").strip() and not (email or "").strip():
        raise ValidationError({"phone": _("Give a phone number or an email address.")})
    normalized = normalize_phone(phone)
    if (phone or "").strip() and not normalized:
        raise ValidationError({"phone": _("A phone number needs at least one digit.")})
    if normalized:
        clash = Customer.objects.filter(phone_normalized=normalized).exclude(pk=exclude_id).first()
        if clash is not None:
            raise ValidationError(
                {
                    "phone": _("This phone number belongs to customer #%(id)s (%(name)s).")
                    % {"id": clash.pk, "name": clash.name}
                }
            )


def customer_create(
    *, name: str, phone: str = "", email: str = "", preferred_language: str = Language.EN
) -> Customer:
    _check_contact(phone=phone, email=email)
    try:
        with transaction.atomic():
            return Customer.objects.create(
                name=name.strip(), phone=phone.strip(), email=email, preferred_language=preferred_language
            )
    except IntegrityError as exc:  # two clerks typed the same new number at the same moment
        raise ValidationError({"phone": _("A customer with this phone number already exists.")}) from exc


def customer_update(*, customer: Customer, **fields: Any) -> Customer:
    allowed = {"name", "phone", "email", "preferred_language"}
    for key, value in fields.items():
        if key in allowed:
            setattr(customer, key, value.strip() if isinstance(value, str) else value)
    _check_contact(phone=customer.phone, email=customer.email, exclude_id=customer.pk)
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError as exc:
        raise ValidationError({"phone": _("A customer with this phone number already exists.")}) from exc
    return customer


# --- Value tiers -------------------------------------------------------------------


def _desk(name):
    return settings.CLEAR_DESK[name]


def _lock_tiers():
    """Serialise tier writers (two beats, or the task and a hand override at once).

    PostgreSQL: a transaction-scoped advisory lock. SQLite runs every transaction with
    BEGIN IMMEDIATE (see settings), which already lets one writer in at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TIER_LOCK_ID])


TIER_LOCK_ID = 7_112_001


def tiers_changed(customer_ids: Sequence[int], *, now: datetime | None = None) -> None:
    """Called once, inside the transaction, after tiers of `customer_ids` changed.

    Sends customers.signals.tiers_changed: the complaints app reschedules the open
    complaints of these customers on their new tier's service levels.
    """
    if customer_ids:
        signals.tiers_changed.send(sender=Customer, customer_ids=list(customer_ids), now=now)
        logger.info("Tiers changed for %s customers", len(customer_ids))


def recompute_tiers(
    *, now: datetime | None = None, measure: str | None = None, period_days: int | None = None
) -> list[int]:
    """Rank every customer by revenue or profit over the trailing period and store tiers.

    One SELECT ranks everyone in the database (a RANK() window over the summed figures),
    one bulk UPDATE writes the rows that changed and one INSERT files their history.
    Running it again with the same figures changes nothing. Returns the changed ids.
    When no figures at all fall in the period (nothing loaded yet), tiers are left as
    they are rather than all dropping to D.
    """
    now = now or timezone.now()
    measure = measure or _desk("TIER_MEASURE")
    if measure not in ("revenue", "profit"):
        raise ValueError(f"TIER_MEASURE must be revenue or profit, not {measure!r}")
    period_days = period_days or _desk("TIER_PERIOD_DAYS")
    today = timezone.localdate(now)
    since = today - timedelta(days=period_days)
    in_period = Q(period__gt=since, period__lte=today)
    with transaction.atomic():
        _lock_tiers()
        if not ValueFigure.objects.filter(in_period).exists():
            logger.info("No value figures between %s and %s; tiers left unchanged", since, today)
            return []
        rows = list(
            Customer.objects.order_by()
            .annotate(
                total=Sum(
                    f"value_figures__{measure}",
                    filter=Q(value_figures__period__gt=since, value_figures__period__lte=today),
                )
            )
            .annotate(rank=Window(Rank(), order_by=F("total").desc(nulls_last=True)))
            .values_list("id", "total", "rank", "computed_tier", "tier", "tier_override")
        )
        count = len(rows)
        changed, history = [], []
        for pk, total, rank, old_computed, old_tier, override in rows:
            computed = tier_for_rank(rank, count, total)
            tier = override or computed
            if computed == old_computed and tier == old_tier:
                continue
            changed.append(Customer(pk=pk, computed_tier=computed, tier=tier))
            if tier != old_tier:
                history.append(
                    TierChange(
                        customer_id=pk,
                        old_tier=old_tier,
                        new_tier=tier,
                        source=TierChange.Source.RANKING,
                        reason=f"{measure}, {period_days} days",
                        changed_at=now,
                    )
                )
        Customer.objects.bulk_update(changed, ["computed_tier", "tier"], batch_size=500)
        TierChange.objects.bulk_create(history, batch_size=500)
        changed_ids = [change.customer_id for change in history]
        tiers_changed(changed_ids, now=now)
    return changed_ids


def customer_set_tier(
    *, customer: Customer, tier: str, reason: str | None, by: User, now: datetime | None = None
) -> Customer:
    """Set a customer's tier by hand (or remove the hand setting with tier="")."""
    if not access.is_supervisor(by):
        raise PermissionDenied(_("Only a supervisor may set a customer's tier by hand."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the tier is set by hand.")})
    if tier not in ("", *Customer.Tier.values):
        raise ValidationError({"tier": _("Choose a tier from A to D.")})
    now = now or timezone.now()
    with transaction.atomic():
        _lock_tiers()
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        old_tier = customer.tier
        customer.tier_override = tier
        customer.tier_override_reason = reason if tier else ""
        customer.tier = tier or customer.computed_tier
        customer.save(update_fields=["tier_override", "tier_override_reason", "tier"])
        TierChange.objects.create(
            customer=customer,
            old_tier=old_tier,
            new_tier=customer.tier,
            source=TierChange.Source.OVERRIDE if tier else TierChange.Source.OVERRIDE_CLEARED,
            reason=reason,
            changed_by=by,
            changed_at=now,
        )
        if customer.tier != old_tier:
            tiers_changed([customer.pk], now=now)
    return customer


def customer_lifetime_value(customer: Customer, *, now: datetime | None = None) -> Decimal:
    """Lifetime value from the customer's profit over the last year and the configured rates."""
    yearly_profit = selectors.yearly_profit(customer, now=now)
    return lifetime_value(
        yearly_profit=yearly_profit,
        yearly_churn=_desk("LTV_YEARLY_CHURN"),
        acquisition_cost=_desk("LTV_ACQUISITION_COST"),
        yearly_cost=_desk("LTV_YEARLY_COST"),
    )


def value_figures_import(rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert or replace (customer, period) figures in one statement; returns how many."""
    figures = [ValueFigure(**row) for row in rows]
    ValueFigure.objects.bulk_create(
        figures,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["customer", "period"],
        update_fields=["revenue", "profit"],
    )
    return len(figures)


# --- The public side -----------------------------------------------------------------


def customer_for_public_intake(
    *, name: str, phone: str = "", email: str = "", language: str = Language.EN
) -> Customer:
    """Find the customer by phone, then by email; create one when neither is known.

    Details already on file are never overwritten from the public form; missing ones
    (an email for a customer known by phone) are filled in.
    """
    normalized = normalize_phone(phone)
    for _attempt in range(2):
        customer = None
        if normalized:
            customer = Customer.objects.filter(phone_normalized=normalized).first()
        if customer is None and email:
            customer = Customer.objects.filter(email__iexact=email).order_by("id").first()
        if customer is not None:
            updates = []
            if email and not customer.email:
                customer.email = email
                updates.append("email")
            if normalized and not customer.phone_normalized:
                customer.phone = phone.strip()
                updates.append("phone")
            if updates:
                customer.save(update_fields=updates)
            return customer
        try:
            with transaction.atomic():
                return Customer.objects.create(
                    name=name.strip(), phone=(phone or "").strip(), email=email, preferred_language=language
                )
        except IntegrityError:  # the same phone filed twice at the same moment: use that one
            continue
    raise ValidationError({"phone": _("Please try again in a moment.")})
