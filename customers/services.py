"""The only code that writes customers, their value figures and tiers."""

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum, Window
from django.db.models.functions import Rank
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import access
from complaints.exceptions import Conflict
from complaints.models import Complaint, ComplaintRecord
from complaints.records import file_record
from complaints.validation import validated

from . import selectors, signals
from .models import ContactPreference, Customer, Language, TierChange, ValueFigure, Vulnerability
from .phones import InvalidPhone, normalize_phone, parse_phone, phone_key
from .tiers import lifetime_value, tier_for_rank
from .vulnerability_forms import VulnerabilityForm

logger = logging.getLogger(__name__)


class PhoneTaken(ValidationError):
    """The phone is already `customer`'s: the intake page offers to use that customer."""

    def __init__(self, customer: Customer) -> None:
        super().__init__(
            {
                "phone": _("This phone number belongs to customer #%(id)s (%(name)s).")
                % {"id": customer.pk, "name": customer.name}
            }
        )
        self.customer = customer


def check_phone(phone: str | None, *, exclude_id: int | None = None) -> str:
    """`phone` in E.164 ("" when blank) if no other customer has it.

    Raises ValidationError({"phone": ...}) for a number that is not valid and PhoneTaken
    when another customer (or one merged into another) already has it.
    """
    try:
        number = parse_phone(phone)
    except InvalidPhone as exc:
        raise ValidationError({"phone": exc.message}) from exc
    if number:
        clash = selectors.customer_with_phone(number, exclude_id=exclude_id)
        if clash is not None:
            raise PhoneTaken(clash)
    return number


def _check_contact(*, phone, email, exclude_id=None):
    if not (phone or "").strip() and not (email or "").strip():
        raise ValidationError({"phone": _("Give a phone number or an email address.")})
    return check_phone(phone, exclude_id=exclude_id)


def customer_create(
    *,
    name: str,
    phone: str = "",
    email: str = "",
    preferred_language: str = Language.EN,
    contact_preference: str = ContactPreference.EMAIL,
) -> Customer:
    phone = _check_contact(phone=phone, email=email)
    try:
        with transaction.atomic():
            return Customer.objects.create(
                name=name.strip(),
                phone=phone,
                email=email,
                preferred_language=preferred_language,
                contact_preference=contact_preference,
            )
    except IntegrityError as exc:  # two clerks typed the same new number at the same moment
        raise ValidationError({"phone": _("A customer with this phone number already exists.")}) from exc


def customer_update(*, customer: Customer, **fields: Any) -> Customer:
    if customer.is_merged:
        raise ValidationError(
            _("This customer was merged into customer #%(id)s.") % {"id": customer.merged_into_id}
        )
    allowed = {"name", "phone", "email", "preferred_language", "contact_preference"}
    old_key = customer.phone_normalized
    for key, value in fields.items():
        if key in allowed:
            setattr(customer, key, value.strip() if isinstance(value, str) else value)
    if not (customer.phone or "").strip() and not (customer.email or "").strip():
        raise ValidationError({"phone": _("Give a phone number or an email address.")})
    if phone_key(customer.phone) != old_key:
        # A new number is checked; one kept as it was (even an old invalid one) is not.
        customer.phone = check_phone(customer.phone, exclude_id=customer.pk)
        customer.phone_duplicate = False
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


# --- Merging a duplicate -------------------------------------------------------------


class MergeSummary(NamedTuple):
    kept: Customer
    merged: Customer
    complaints: int
    value_figures: int
    tier_changes: int


def customer_to_merge(reference: str | None, *, into: Customer) -> Customer:
    """The duplicate a supervisor named by number ("13", "#13") or phone (any format)."""
    text = (reference or "").strip().lstrip("#").strip()
    if not text:
        raise ValidationError({"duplicate": _("Give the duplicate's customer number or phone.")})
    found: Customer | None = None
    if text.isdigit() and len(text) <= 9:
        found = Customer.objects.filter(pk=int(text)).first()
    if found is None and normalize_phone(text):
        number = normalize_phone(text)
        found = (
            Customer.objects.filter(phone_normalized=number, merged_into__isnull=True)
            .exclude(pk=into.pk)
            .order_by("id")
            .first()
        )
    if found is None:
        raise ValidationError({"duplicate": _("No customer has this number or phone.")})
    _check_mergeable(found, into)
    return found


def _check_mergeable(duplicate: Customer, into: Customer) -> None:
    if duplicate.pk == into.pk:
        raise ValidationError({"duplicate": _("A customer cannot be merged into itself.")})
    if duplicate.is_merged:
        raise ValidationError(
            {
                "duplicate": _("Customer #%(id)s was already merged into customer #%(into)s.")
                % {"id": duplicate.pk, "into": duplicate.merged_into_id}
            }
        )
    if into.is_merged:
        raise ValidationError(
            {"duplicate": _("This customer was merged into customer #%(id)s.") % {"id": into.merged_into_id}}
        )
    if duplicate.erased_at or into.erased_at:
        raise ValidationError({"duplicate": _("A customer whose personal data was erased cannot be merged.")})


def customer_merge(
    *, duplicate: Customer, into: Customer, by: User, now: datetime | None = None
) -> MergeSummary:
    """Merge `duplicate` into `into`, in one transaction with both rows locked.

    The duplicate's complaints, value figures (added to the kept customer's figures of the
    same period) and tier history move to the kept customer; each moved complaint's filed
    record says so; the duplicate stays, marked as merged into the kept customer (the
    complaints' records still name it), and so do customers merged into it before. A
    detail the kept customer lacks (phone, email, a vulnerability flag) is taken from the
    duplicate; the duplicate's flags join the kept customer's history.
    """
    access.require_supervisor(by, _("Only a supervisor may merge customers."))
    if duplicate.pk == into.pk:
        raise ValidationError({"duplicate": _("A customer cannot be merged into itself.")})
    now = now or timezone.now()
    with transaction.atomic():
        # Both rows, in id order so that two merges of the same pair cannot deadlock.
        locked = {
            c.pk: c
            for c in Customer.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, into.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise ValidationError({"duplicate": _("No customer has this number or phone.")})
        duplicate, into = locked[duplicate.pk], locked[into.pk]
        _check_mergeable(duplicate, into)  # again, now that nobody else can change them

        complaints = list(Complaint.objects.select_for_update().filter(customer=duplicate).order_by("id"))
        Complaint.objects.filter(pk__in=[c.pk for c in complaints]).update(customer=into)
        for complaint in complaints:
            file_record(
                complaint,
                ComplaintRecord.Kind.PROCESS,
                by=by,
                now=now,
                data={"action": "merge_customer", "merged_customer": duplicate.pk, "kept_customer": into.pk},
            )

        figures = _merge_value_figures(duplicate, into)
        tier_changes = TierChange.objects.filter(customer=duplicate).update(customer=into)
        Customer.objects.filter(merged_into=duplicate).update(merged_into=into)
        # Vulnerability flags move too; the kept customer's own flag in force wins.
        vulnerability_differed = duplicate.is_vulnerable != into.is_vulnerable
        updates = []
        if duplicate.is_vulnerable and into.is_vulnerable:
            Vulnerability.objects.filter(customer=duplicate, cleared_at__isnull=True).update(
                cleared_at=now, cleared_by=by
            )
        elif duplicate.is_vulnerable:
            into.vulnerability_id = duplicate.vulnerability_id
            updates.append("vulnerability")
        Vulnerability.objects.filter(customer=duplicate).update(customer=into)

        duplicate.merged_into, duplicate.merged_at, duplicate.merged_by = into, now, by
        duplicate.vulnerability = None
        duplicate.save(update_fields=["merged_into", "merged_at", "merged_by", "vulnerability"])
        if not into.phone and duplicate.phone:
            into.phone, into.phone_normalized = duplicate.phone, duplicate.phone_normalized
            updates += ["phone", "phone_normalized"]
        if not into.email and duplicate.email:
            into.email = duplicate.email
            updates.append("email")
        shared = _phone_taken_by_another(into)  # still, or now, another customer's number
        if into.phone_duplicate != shared:
            into.phone_duplicate = shared
            updates.append("phone_duplicate")
        if updates:
            into.save(update_fields=updates)
        if duplicate.tier != into.tier and complaints:
            tiers_changed([into.pk], now=now)  # the moved open complaints follow the kept tier
        if vulnerability_differed:
            signals.vulnerability_changed.send(sender=Customer, customer_ids=[into.pk], now=now)
    logger.info("Customer %s merged into %s by %s", duplicate.pk, into.pk, by.pk)
    return MergeSummary(into, duplicate, len(complaints), figures, tier_changes)


def _merge_value_figures(duplicate: Customer, into: Customer) -> int:
    kept = {f.period: f for f in ValueFigure.objects.select_for_update().filter(customer=into)}
    added, moved = [], []
    for figure in ValueFigure.objects.select_for_update().filter(customer=duplicate):
        same_period = kept.get(figure.period)
        if same_period is None:
            moved.append(figure.pk)
        else:  # two customers' purchases in one period are one customer's now
            same_period.revenue += figure.revenue
            same_period.profit += figure.profit
            added.append(same_period)
    if added:
        ValueFigure.objects.bulk_update(added, ["revenue", "profit"])
        ValueFigure.objects.filter(customer=duplicate).exclude(pk__in=moved).delete()
    ValueFigure.objects.filter(pk__in=moved).update(customer=into)
    return len(added) + len(moved)


def _phone_taken_by_another(customer: Customer) -> bool:
    """Would `customer` clash under the one-phone constraint if it were not marked duplicate?"""
    others = Customer.objects.filter(
        phone_normalized=customer.phone_normalized, merged_into__isnull=True, phone_duplicate=False
    )
    return bool(customer.phone_normalized) and others.exclude(pk=customer.pk).exists()


# --- The public side -----------------------------------------------------------------


def customer_for_public_intake(
    *, name: str, phone: str = "", email: str = "", language: str = Language.EN
) -> Customer:
    """Find the customer by phone, then by email; create one when neither is known.

    Details already on file are never overwritten from the public form; missing ones
    (an email for a customer known by phone) are filled in.
    """
    try:
        normalized = parse_phone(phone)
    except InvalidPhone as exc:
        raise ValidationError({"phone": exc.message}) from exc
    for _attempt in range(2):
        customer = selectors.customer_with_phone(normalized) if normalized else None
        if customer is None and email:
            by_email = Customer.objects.filter(email__iexact=email).select_related("merged_into")
            first = by_email.order_by(F("merged_into").asc(nulls_first=True), "id").first()
            customer = first and (first.merged_into or first)
        if customer is not None:
            updates = []
            if email and not customer.email:
                customer.email = email
                updates.append("email")
            if normalized and not customer.phone_normalized:
                customer.phone = normalized
                updates.append("phone")
            if updates:
                customer.save(update_fields=updates)
            return customer
        try:
            with transaction.atomic():
                return Customer.objects.create(
                    name=name.strip(), phone=normalized, email=email, preferred_language=language
                )
        except IntegrityError:  # the same phone filed twice at the same moment: use that one
            continue
    raise ValidationError({"phone": _("Please try again in a moment.")})


# --- Vulnerability ---------------------------------------------------------------------


def customer_set_vulnerability(
    *, customer: Customer, data: Mapping[str, Any], by: User, now: datetime | None = None
) -> Vulnerability:
    """Flag a customer as vulnerable (or change the flag: the old one is kept as cleared).

    Their open complaints get the shorter service levels at once. Nothing is written to
    the complaints' filed record: the flag is personal data that erasure must remove.
    """
    access.require_worker(by)
    cleaned = validated(VulnerabilityForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if customer.erased_at is not None:
            raise Conflict(_("This customer's personal data was erased; nothing more is kept about them."))
        was_vulnerable = customer.is_vulnerable
        Vulnerability.objects.filter(customer=customer, cleared_at__isnull=True).update(
            cleared_at=now, cleared_by=by
        )
        flag = Vulnerability.objects.create(
            customer=customer,
            kind=cleaned["kind"],
            permanent=cleaned["permanent"],
            review_by=cleaned["review_by"],
            note=cleaned["note"].strip(),
            set_by=by,
            set_at=now,
        )
        customer.vulnerability = flag
        customer.save(update_fields=["vulnerability"])
        if not was_vulnerable:
            signals.vulnerability_changed.send(sender=Customer, customer_ids=[customer.pk], now=now)
    return flag


def customer_clear_vulnerability(*, customer: Customer, by: User, now: datetime | None = None) -> Customer:
    """Clear the flag in force (who and when stay in its history); service levels go back."""
    access.require_worker(by)
    now = now or timezone.now()
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        cleared = Vulnerability.objects.filter(customer=customer, cleared_at__isnull=True).update(
            cleared_at=now, cleared_by=by
        )
        if not cleared:
            raise Conflict(_("This customer is not flagged as vulnerable."))
        customer.vulnerability = None
        customer.save(update_fields=["vulnerability"])
        signals.vulnerability_changed.send(sender=Customer, customer_ids=[customer.pk], now=now)
    return customer
