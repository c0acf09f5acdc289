from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .phones import normalize_phone, phone_key


class Language(models.TextChoices):
    EN = "en", _("English")
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    ZH_HANT = "zh-hant", _("Traditional Chinese")


class ContactPreference(models.TextChoices):
    """How the customer wants the desk to keep them informed. Only "email" lets the desk
    email them; the others keep every message off their inbox (the record says so)."""

    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone only, no email")
    POST = "post", _("Letters by post, no email")
    NONE = "none", _("No messages")


class Customer(models.Model):
    class Tier(models.TextChoices):
        A = "A", _("A - VIP")
        B = "B", _("B - major")
        C = "C", _("C - ordinary")
        D = "D", _("D - small")

    name = models.CharField(_("name"), max_length=200)
    # Stored in E.164 (customers.phones); an old phone that is not a valid number stays as typed.
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # What lookups compare (customers.phones.phone_key): the E.164 number, or an old
    # invalid phone's digits.
    phone_normalized = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    # Set by migration 0004 on a customer whose phone, once in E.164, was already an older
    # customer's: both stay (the phone is not unique for them) until one is merged.
    phone_duplicate = models.BooleanField(
        _("phone shared with an older customer"), default=False, db_default=False, editable=False
    )
    email = models.EmailField(_("email"), blank=True)
    # The tier in force: the override when there is one, otherwise the computed tier.
    tier = models.CharField(_("value tier"), max_length=1, choices=Tier, default=Tier.D)
    # Computed from revenue or profit ranking by customers.services.recompute_tiers.
    computed_tier = models.CharField(_("computed tier"), max_length=1, choices=Tier, default=Tier.D)
    tier_override = models.CharField(_("tier set by hand"), max_length=1, choices=Tier, blank=True)
    tier_override_reason = models.TextField(_("why the tier was set by hand"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=Language, default=Language.EN
    )
    contact_preference = models.CharField(
        _("how they want to hear from us"),
        max_length=10,
        choices=ContactPreference,
        default=ContactPreference.EMAIL,
        db_default=ContactPreference.EMAIL,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set when the customer's personal data was erased on request (the complaints stay).
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True, editable=False)
    # A duplicate merged into another customer (customers.services.customer_merge): its
    # complaints, figures and history moved there; the row stays so links and records hold.
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_customers",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True, editable=False)
    # The vulnerability flag in force (customers.services.customer_set_vulnerability); its
    # history stays in Vulnerability. A column here, so every page that joins the customer
    # knows it without a query more.
    vulnerability = models.ForeignKey(
        "Vulnerability",
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("vulnerability in force"),
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("merged by"),
    )

    # Set by customers.selectors.customer_page: the customers merged into this one, and the
    # cleared vulnerability flags.
    merged_from: "list[Customer]"
    past_vulnerabilities: "list[Vulnerability]"

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "id"]
        constraints = [
            # One customer per phone; merged customers and the duplicates migration 0004
            # found (phone_duplicate) are left out until a supervisor merges them.
            models.UniqueConstraint(
                fields=["phone_normalized"],
                condition=~Q(phone_normalized="") & Q(merged_into__isnull=True, phone_duplicate=False),
                name="customer_unique_phone",
                violation_error_message=_("A customer with this phone number already exists."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.phone = normalize_phone(self.phone) or self.phone
        self.phone_normalized = phone_key(self.phone)
        if kwargs.get("update_fields") is not None and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_normalized"}
        super().save(*args, **kwargs)

    # VIP: the top value tier. Supervisors watch these customers' complaints from the start.
    VIP_TIER = Tier.A

    @property
    def is_merged(self):
        return self.merged_into_id is not None

    @property
    def may_email(self):
        """May the desk email this customer? An address, and they did not ask for another way."""
        return bool(self.email) and self.contact_preference == ContactPreference.EMAIL

    @property
    def is_vip(self):
        return self.tier == self.VIP_TIER

    @classmethod
    def vip_q(cls, path=""):
        """The same rule as is_vip in a query; `path` leads to the customer ("customer__")."""
        return models.Q(**{f"{path}tier": cls.VIP_TIER})

    # Vulnerable: a flag in force. Every service-level target is shortened for them
    # (complaints.deadlines.policies, CLEAR_DESK["VULNERABLE_SLA_FACTOR"]).
    @property
    def is_vulnerable(self):
        return self.vulnerability_id is not None


class Vulnerability(models.Model):
    """A customer flagged as vulnerable: why, until when, who said so; cleared ones stay as history.

    Personal data (health, bereavement, money trouble): only desk roles see it, the
    customer's export includes it, erasure deletes it (customers.privacy).
    """

    class Kind(models.TextChoices):
        HEALTH = "health", _("Health")
        BEREAVEMENT = "bereavement", _("Bereavement")
        FINANCIAL = "financial", _("Financial difficulty")
        AGE = "age", _("Age")
        LANGUAGE = "language", _("Language")
        OTHER = "other", _("Other")

    customer = models.ForeignKey(
        Customer, models.CASCADE, related_name="vulnerabilities", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind of vulnerability"), max_length=20, choices=Kind)
    permanent = models.BooleanField(_("permanent"), default=False)
    review_by = models.DateField(_("review by"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vulnerability")
        verbose_name_plural = _("vulnerabilities")
        ordering = ["-set_at", "-id"]
        constraints = [
            # One flag in force per customer: a second click cannot add another.
            models.UniqueConstraint(
                fields=["customer"], condition=Q(cleared_at__isnull=True), name="vulnerability_one_in_force"
            ),
            models.CheckConstraint(
                condition=Q(permanent=True) | Q(review_by__isnull=False),
                name="vulnerability_temporary_has_review_date",
            ),
        ]

    def __str__(self):
        return f"{self.customer_id}: {self.kind}"

    def review_overdue(self, today=None):
        """A temporary flag whose review date has come (the flag stays in force until cleared)."""
        today = today or timezone.localdate()
        return not self.permanent and self.review_by is not None and self.review_by <= today


class ValueFigure(models.Model):
    """What a customer bought in one period (a month, a quarter...): revenue and profit."""

    customer = models.ForeignKey(
        Customer, models.CASCADE, related_name="value_figures", verbose_name=_("customer")
    )
    period = models.DateField(_("period starting"))
    revenue = models.DecimalField(_("revenue"), max_digits=14, decimal_places=2, default=0)
    profit = models.DecimalField(_("profit"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("value figure")
        verbose_name_plural = _("value figures")
        ordering = ["customer", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "period"], name="value_figure_one_per_period")
        ]
        indexes = [models.Index(fields=["period"], name="value_figure_period")]

    def __str__(self):
        return f"{self.customer_id} {self.period}"


class TierChange(models.Model):
    """One change of a customer's tier: by the nightly ranking or set by hand."""

    class Source(models.TextChoices):
        RANKING = "ranking", _("Ranking")
        OVERRIDE = "override", _("Set by hand")
        OVERRIDE_CLEARED = "override_cleared", _("Hand setting removed")

    customer = models.ForeignKey(
        Customer, models.CASCADE, related_name="tier_changes", verbose_name=_("customer")
    )
    old_tier = models.CharField(_("from"), max_length=1, choices=Customer.Tier)
    new_tier = models.CharField(_("to"), max_length=1, choices=Customer.Tier)
    source = models.CharField(_("source"), max_length=20, choices=Source)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("tier change")
        verbose_name_plural = _("tier history")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["customer", "-changed_at"], name="tier_change_by_customer")]

    def __str__(self):
        return f"{self.customer_id}: {self.old_tier} -> {self.new_tier}"


class SurveyInvitation(models.Model):
    """A single-use link that asks the customer how satisfied they are after closing."""

    complaint = models.ForeignKey(
        "complaints.Complaint", models.CASCADE, related_name="surveys", verbose_name=_("complaint")
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.complaint_id} survey"

    @property
    def is_answered(self):
        return self.answered_at is not None


class RateLimitCounter(models.Model):
    """Hits per client and time window, kept in the database so limits hold without Redis."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_limit_one_per_window")
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_limit_window")]

    def __str__(self):
        return f"{self.key} @ {self.window_start}: {self.hits}"
