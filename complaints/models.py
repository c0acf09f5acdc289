import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.db.models.functions import Least
from django.db.models.lookups import IsNull
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from . import roles


class OptionEntry(models.Model):
    """An entry of a list that administrators edit (categories, root causes, departments)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("label (English)"), max_length=120)
    label_zh = models.CharField(_("label (Chinese)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self):
        if self.label_zh and (translation.get_language() or "").startswith("zh"):
            return self.label_zh
        return self.label


class Category(OptionEntry):
    class Meta(OptionEntry.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class RootCause(OptionEntry):
    class Meta(OptionEntry.Meta):
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")


class Department(OptionEntry):
    class Meta(OptionEntry.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Stage(models.TextChoices):
    CONTROL = "control", _("Control")
    LISTEN = "listen", _("Listen")
    ESTABLISH = "establish", _("Establish empathy")
    APOLOGIZE = "apologize", _("Apologize")
    RESOLVE = "resolve", _("Resolve")
    CLOSED = "closed", _("Closed")


OPEN_STAGES = [s for s in Stage.values if s != Stage.CLOSED]

_CHOICE_LABELS = {}


def choice_label(choices, value):
    """The label of `value` among `choices` (a TextChoices class) in the active language.

    Django's get_FOO_display() hashes every lazy choice label on each call; the queue,
    the API lists and the deadline sweep ask for thousands of labels, so keep one string
    per language, list and value.
    """
    key = (translation.get_language(), choices, value)
    if key not in _CHOICE_LABELS:
        _CHOICE_LABELS[key] = str(dict(choices.choices).get(value, value))
    return _CHOICE_LABELS[key]


def stage_label(stage):
    return choice_label(Stage, stage)


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    COUNTER = "counter", _("Counter")
    EMAIL = "email", _("Email")
    WEB_FORM = "web_form", _("Web form")
    SOCIAL = "social_media", _("Social media")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")


class Resolution(models.TextChoices):
    FULL = "full", _("Fully resolved")
    PARTIAL = "partial", _("Partially resolved")
    NONE = "none", _("Cannot be resolved (now)")


class ContactPreference(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    VISIT = "visit", _("In person")


def new_reference():
    """A short reference people can read out on the phone: no 0/O or 1/I to confuse."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    body = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{settings.CLEAR_DESK['REFERENCE_PREFIX']}-{body[:4]}-{body[4:]}"


# Where a complaint stands in escalation: what a breach sets (the deadline sweep, which
# reads them to keep the others as they are) and what the API shows, in this order.
ESCALATION_FIELDS = (
    "escalated",
    "escalated_at",
    "escalation_reason",
    "escalation_level",
    "escalation_acknowledged_at",
    "escalation_acknowledged_by",
)


def overdue_from():
    """The moment an open complaint becomes overdue, as a database expression (NULL once
    closed): in Control, whichever of its two deadlines comes first; after that, its
    resolution deadline. Complaint.is_overdue is the same rule for one complaint in hand.

    The index complaint_open_overdue_from and the statistics complaint_overdue_from_stats
    (migration 0017) are built on exactly this expression, so "overdue" is one range scan
    whose size the planner knows, however many complaints are open.
    """
    return Case(
        When(stage=Stage.CONTROL, then=Least("respond_by", "resolve_by")),
        When(~Q(stage=Stage.CLOSED), then=F("resolve_by")),
    )


class Complaint(ConcurrentTransitionMixin, models.Model):
    """A customer's complaint and where it stands in the CLEAR stages.

    Transition methods only set fields; complaints.services decides when they run,
    saves, and files the record.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, related_name="complaints", verbose_name=_("customer")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    category = models.ForeignKey(Category, models.PROTECT, verbose_name=_("category"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity)
    content = models.TextField(_("what the customer says"))
    stage = FSMField(_("stage"), default=Stage.CONTROL, choices=Stage, protected=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("assignee"),
    )
    # Every index is written again when the deadline sweep escalates a complaint, so the
    # foreign keys nobody filters on carry none (deleting a user or an option entry, which
    # is rare, then scans the table once).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Deadlines (service levels) and the moments that meet them.
    respond_by = models.DateTimeField(_("respond by"))
    resolve_by = models.DateTimeField(_("resolve by"))
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    escalated = models.BooleanField(_("escalated"), default=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_reason = models.TextField(_("escalation reason"), blank=True)
    # 0 = not escalated; each breach (or a hand escalation) raises it.
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalation_acknowledged_at = models.DateTimeField(_("escalation acknowledged"), null=True, blank=True)
    escalation_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalation acknowledged by"),
        db_index=False,
    )
    # When 75% of each window has elapsed (the assignee is warned then).
    respond_warn_at = models.DateTimeField(_("warn about response at"), null=True, blank=True)
    resolve_warn_at = models.DateTimeField(_("warn about resolution at"), null=True, blank=True)
    # The earliest warning, deadline or callback promise the sweep has not acted on yet:
    # the sweep only ever reads rows whose next_deadline_at has passed.
    next_deadline_at = models.DateTimeField(_("next deadline check"), null=True, blank=True)

    # Listen: the facts.
    what_happened = models.TextField(_("what happened"), blank=True)
    when_happened = models.CharField(_("when it happened"), max_length=200, blank=True)
    desired_outcome = models.TextField(_("remedy the customer wants"), blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    product = models.CharField(_("product or service"), max_length=200, blank=True)
    usage = models.TextField(_("how it was used"), blank=True)
    contact_preference = models.CharField(
        _("contact preference"), max_length=10, choices=ContactPreference, blank=True
    )
    # Establish empathy.
    restatement = models.TextField(_("restatement"), blank=True)
    customer_feelings = models.TextField(_("customer's feelings"), blank=True)
    customer_confirmed = models.BooleanField(_("customer confirmed"), default=False)
    # Apologize.
    apology = models.TextField(_("apology"), blank=True)
    # Resolve: the outcome.
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution, blank=True)
    remedy = models.TextField(_("remedy"), blank=True)
    preventive_action = models.TextField(_("preventive action"), blank=True)
    # The report reads these through complaint_closed_at (it covers them); no index of their own.
    root_cause = models.ForeignKey(
        RootCause, models.PROTECT, null=True, blank=True, verbose_name=_("root cause"), db_index=False
    )
    responsible_department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("responsible department"),
        db_index=False,
    )
    compensation = models.DecimalField(
        _("compensation"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    satisfaction_score = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    # The customer's private link to follow the complaint (/track/<token>/); set for
    # complaints filed through the public form.
    # Unique among those that have one (constraint complaint_tracking_token_unique); the
    # complaints staff log have none and stay out of that index.
    tracking_token = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001 - NULL: no link

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tracking_token"],
                name="complaint_tracking_token_unique",
                condition=Q(tracking_token__isnull=False),
            ),
        ]
        indexes = [
            # The queue and the overdue filter only ever look at open complaints.
            # Carries stage and respond_by so the overdue filter (either deadline passed)
            # is answered from the index alone, without visiting a row per open complaint.
            models.Index(
                fields=["resolve_by"],
                include=["stage", "respond_by"],
                name="complaint_open_resolve_by",
                condition=~Q(stage="closed"),
            ),
            models.Index(
                fields=["respond_by"],
                name="complaint_control_respond_by",
                condition=Q(stage="control"),
            ),
            # "Overdue" (selectors.overdue_q): open complaints whose overdue_from has passed.
            # Its condition (open complaints only) is implied by any "overdue_from < now",
            # so the filter needs no stage test of its own.
            models.Index(
                overdue_from(), name="complaint_open_overdue_from", condition=Q(IsNull(overdue_from(), False))
            ),
            models.Index(
                fields=["assignee", "resolve_by"],
                name="complaint_open_by_assignee",
                condition=~Q(stage="closed"),
            ),
            models.Index(fields=["escalated_at"], name="complaint_escalated", condition=Q(escalated=True)),
            models.Index(fields=["created_at"], name="complaint_created_at"),
            # The weekly report: what was closed or escalated in a week, and what was still
            # open at its end (each a range over its own index instead of a table scan).
            models.Index(
                fields=["closed_at"],
                include=["id", "root_cause", "responsible_department", "resolution", "satisfaction_score"],
                name="complaint_closed_at",
                condition=Q(closed_at__isnull=False),
            ),
            models.Index(
                fields=["created_at"], name="complaint_unclosed_created", condition=Q(closed_at__isnull=True)
            ),
            models.Index(
                fields=["escalated_at"],
                name="complaint_escalated_at",
                condition=Q(escalated_at__isnull=False),
            ),
            models.Index(
                fields=["next_deadline_at"],
                name="complaint_open_next_deadline",
                condition=~Q(stage="closed") & Q(next_deadline_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.reference

    # Same answers as Django's generated get_FOO_display(), from a per-language cache.
    def get_stage_display(self):
        return choice_label(Stage, self.stage)

    def get_severity_display(self):
        return choice_label(Severity, self.severity)

    def get_channel_display(self):
        return choice_label(Channel, self.channel)

    @property
    def is_open(self):
        return self.stage != Stage.CLOSED

    def is_overdue(self, now=None):
        now = now or timezone.now()
        if not self.is_open:
            return False
        if self.stage == Stage.CONTROL and self.respond_by and self.respond_by < now:
            return True
        return bool(self.resolve_by and self.resolve_by < now)

    # --- CLEAR transitions: each moves to the stage it is named after. ---

    @transition(field=stage, source=Stage.CONTROL, target=Stage.LISTEN, permission=roles.may_transition)
    def listen(self, *, by, now):
        if self.assignee_id is None:
            self.assignee = by
        self.responded_at = now

    @transition(field=stage, source=Stage.LISTEN, target=Stage.ESTABLISH, permission=roles.may_transition)
    def establish(self, **facts):
        for name, value in facts.items():
            setattr(self, name, value)

    @transition(field=stage, source=Stage.ESTABLISH, target=Stage.APOLOGIZE, permission=roles.may_transition)
    def apologize(self, *, restatement, customer_confirmed, customer_feelings=""):
        self.restatement = restatement
        self.customer_confirmed = customer_confirmed
        self.customer_feelings = customer_feelings

    @transition(field=stage, source=Stage.APOLOGIZE, target=Stage.RESOLVE, permission=roles.may_transition)
    def resolve(self, *, apology):
        self.apology = apology

    @transition(field=stage, source=Stage.RESOLVE, target=Stage.CLOSED, permission=roles.may_transition)
    def close(self, *, now, **outcome):
        for name, value in outcome.items():
            setattr(self, name, value)
        self.closed_at = now

    @transition(field=stage, source=Stage.CLOSED, target=Stage.LISTEN, permission=roles.may_transition)
    def reopen(self, *, reason):
        self.closed_at = None
        self.resolution = ""


class ComplaintRecord(models.Model):
    """One entry of a complaint's filed record. Append-only: never edited, never deleted."""

    class Kind(models.TextChoices):
        CONTENT = "content", _("Content")
        PROCESS = "process", _("Process")
        OUTCOME = "outcome", _("Outcome")
        SATISFACTION = "satisfaction", _("Satisfaction")

    # record_by_complaint (complaint, created_at, id) serves lookups by complaint; the
    # author is never searched on. Fewer indexes keep the sweep's thousand inserts cheap.
    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="records", verbose_name=_("complaint"), db_index=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("author"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("filed"), default=timezone.now)
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("record entry")
        verbose_name_plural = _("filed record")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["complaint", "created_at", "id"], name="record_by_complaint"),
            # The weekly report counts a week's transitions and coach warnings.
            models.Index(fields=["created_at"], name="record_created_at"),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ComplaintRecord.Immutable(_("A filed record entry cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ComplaintRecord.Immutable(_("A filed record entry cannot be deleted."))

    class Immutable(Exception):
        pass


class AvoidPhrase(models.Model):
    """A phrase the coach warns about in customer-facing text (editable in the admin).

    Rows that share a `rule` form one rule: its first row with a reason and an
    alternative supplies them; built-in rules (complaints.coaching.RULES) supply them
    for the rows the data migration seeded.
    """

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        CHINESE = "zh", _("Chinese")
        ROMANIAN = "ro", _("Romanian")
        ANY = "any", _("Any language")

    rule = models.SlugField(
        _("rule"), max_length=50, help_text=_("Phrases with the same rule are reported once, as one warning.")
    )
    language = models.CharField(_("language"), max_length=3, choices=Language, default=Language.ENGLISH)
    pattern = models.CharField(
        _("phrase or pattern"),
        max_length=500,
        help_text=_(
            "A plain phrase matches whatever the case, spacing, accents or punctuation; "
            "tick “regular expression” to write a Python regular expression instead."
        ),
    )
    is_regex = models.BooleanField(_("regular expression"), default=False)
    why = models.CharField(_("why it hurts (English)"), max_length=300, blank=True)
    why_zh = models.CharField(_("why it hurts (Chinese)"), max_length=300, blank=True)
    suggestion = models.CharField(_("better alternative (English)"), max_length=300, blank=True)
    suggestion_zh = models.CharField(_("better alternative (Chinese)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("phrase to avoid")
        verbose_name_plural = _("phrases to avoid")
        ordering = ["rule", "language", "id"]

    def __str__(self):
        return f"{self.rule}: {self.pattern}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from . import coaching

        if self.is_regex:
            try:
                coaching.compile_pattern(self.pattern)
            except Exception as exc:  # re.error and friends: report them on the field
                raise ValidationError(
                    {"pattern": _("Not a valid regular expression: %(error)s") % {"error": exc}}
                ) from exc
        elif coaching.phrase_to_pattern(self.pattern) is None:
            raise ValidationError({"pattern": _("Type at least one word.")})
        known = {rule.code for rule in coaching.RULES}
        if self.rule not in known and not (self.why and self.suggestion):
            raise ValidationError(
                {"why": _("A new rule needs a reason and a better alternative (in English at least).")}
            )


class CallbackPromise(models.Model):
    """ "I'll call you back by ..." - a promise to the customer is a deadline too."""

    complaint = models.ForeignKey(
        Complaint, models.CASCADE, related_name="callbacks", verbose_name=_("complaint")
    )
    due_at = models.DateTimeField(_("call back by"))
    note = models.TextField(_("what was promised"), blank=True)
    promised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("promised by")
    )
    created_at = models.DateTimeField(_("promised at"), default=timezone.now)
    fulfilled_at = models.DateTimeField(_("kept at"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kept by"),
    )
    fulfilment_note = models.TextField(_("how it was kept"), blank=True)

    class Meta:
        verbose_name = _("callback promise")
        verbose_name_plural = _("callback promises")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["due_at"], name="callback_open_due_at", condition=Q(fulfilled_at__isnull=True)
            )
        ]

    def __str__(self):
        return f"{self.complaint_id} by {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self):
        return self.fulfilled_at is None


class Notification(models.Model):
    """An email waiting to be sent (the outbox).

    Changes write rows here in their own transaction; a periodic task delivers them, so a
    web request never waits on the broker or an SMTP server.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")

    # Idempotency key: queuing the same key twice keeps one row.
    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    complaint = models.ForeignKey(
        Complaint, models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    available_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claim = models.CharField(max_length=32, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["available_at"], name="notification_pending", condition=Q(status="pending"))
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class SLAPolicy(models.Model):
    """Response and resolution targets for a severity (and optionally a customer tier)."""

    class Unit(models.TextChoices):
        MINUTES = "minutes", _("minutes")
        HOURS = "hours", _("hours")
        WORKING_HOURS = "working_hours", _("working hours")
        WORKING_DAYS = "working_days", _("working days")

    severity = models.CharField(_("severity"), max_length=10, choices=Severity)
    tier = models.CharField(
        _("customer tier"),
        max_length=1,
        blank=True,
        choices=[("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")],
        help_text=_("Leave empty for the policy that applies to every tier without its own."),
    )
    respond_within = models.PositiveIntegerField(_("respond within"))
    respond_unit = models.CharField(_("unit"), max_length=20, choices=Unit, default=Unit.WORKING_HOURS)
    resolve_within = models.PositiveIntegerField(_("resolve within"))
    resolve_unit = models.CharField(_("unit"), max_length=20, choices=Unit, default=Unit.HOURS)

    class Meta:
        verbose_name = _("service level policy")
        verbose_name_plural = _("service level policies")
        ordering = ["severity", "tier"]
        constraints = [models.UniqueConstraint(fields=["severity", "tier"], name="sla_policy_unique")]

    def __str__(self):
        return f"{self.get_severity_display()} {self.tier or '*'}"


class BusinessHours(models.Model):
    """The company's working hours and working weekdays (one row)."""

    opens_at = models.TimeField(_("opens at"), default=datetime.time(9, 0))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(18, 0))
    working_weekdays = models.CharField(
        _("working weekdays"),
        max_length=20,
        default="0,1,2,3,4",
        help_text=_("Day numbers separated by commas: 0 is Monday, 6 is Sunday."),
    )

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")

    def __str__(self):
        return f"{self.opens_at:%H:%M}-{self.closes_at:%H:%M}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Closing time must be after opening time.")})
        try:
            days = self.weekdays()
        except ValueError:
            days = None
        if not days or not days <= set(range(7)):
            raise ValidationError({"working_weekdays": _("Give day numbers from 0 to 6, e.g. 0,1,2,3,4.")})

    def weekdays(self):
        return frozenset(int(part) for part in self.working_weekdays.split(",") if part.strip())


class CalendarDay(models.Model):
    """A company-specific exception to the public holiday calendar."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        WORKING_DAY = "working_day", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class DeadlineEvent(models.Model):
    """A warning or breach the deadline sweep acted on; at most one per deadline and kind."""

    class Kind(models.TextChoices):
        RESPOND_WARNING = "respond_warning", _("Response deadline near")
        RESOLVE_WARNING = "resolve_warning", _("Resolution deadline near")
        RESPOND_BREACH = "respond_breach", _("Response deadline missed")
        RESOLVE_BREACH = "resolve_breach", _("Resolution deadline missed")
        CALLBACK_BREACH = "callback_breach", _("Callback promise broken")

    complaint = models.ForeignKey(
        Complaint, models.CASCADE, related_name="deadline_events", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    deadline = models.DateTimeField(_("deadline"))
    level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    created_at = models.DateTimeField(_("noticed"), default=timezone.now)

    class Meta:
        verbose_name = _("deadline event")
        verbose_name_plural = _("deadline events")
        ordering = ["deadline", "id"]
        constraints = [
            # The backstop for "exactly once": a second sweep that slipped past the row
            # claim fails here and rolls back instead of escalating again.
            models.UniqueConstraint(fields=["complaint", "kind", "deadline"], name="deadline_event_once")
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.kind} {self.deadline:%Y-%m-%d %H:%M}"


class PreventiveAction(models.Model):
    """What changes so the next customer is spared: the preventive action filed at closing, tracked."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        VERIFIED = "verified", _("Verified effective")

    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="preventive_actions", verbose_name=_("complaint")
    )
    description = models.TextField(_("preventive action"))
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, verbose_name=_("owner department")
    )
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    # Set by the overdue sweep; stays set as a fact about the action's history.
    overdue = models.BooleanField(_("flagged overdue"), default=False)
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    class Meta:
        verbose_name = _("preventive action")
        verbose_name_plural = _("preventive actions")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["due_at"], name="preventive_open_due_at", condition=Q(status="open")),
            models.Index(fields=["created_at"], name="preventive_created_at"),
        ]

    def __str__(self):
        return f"{self.complaint_id}: {self.description[:40]}"


class WeeklyReportSnapshot(models.Model):
    """A week's root-cause report as it was published; rebuilding replaces it and bumps the version."""

    week = models.CharField(_("ISO week"), max_length=8, unique=True)  # "2026-W48"
    data = models.JSONField(_("report"), default=dict)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("first published"), default=timezone.now)
    updated_at = models.DateTimeField(_("last built"), default=timezone.now)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("built by"),
    )

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-week"]

    def __str__(self):
        return f"{self.week} v{self.version}"


class CompensationRequest(models.Model):
    """A staff member asks a supervisor to approve compensation above their authority."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="compensation_requests", verbose_name=_("complaint")
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("why"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("compensation request")
        verbose_name_plural = _("compensation requests")
        ordering = ["requested_at", "id"]
        constraints = [
            # One open request per complaint: a second click cannot queue a duplicate.
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(status="pending"), name="compensation_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.complaint_id}: {self.amount} ({self.status})"


class SweepFailure(models.Model):
    """A complaint the deadline sweep could not process, parked so the others go on.

    The sweep sets such a complaint aside for an hour at a time and keeps trying; the
    health check counts the failures seen recently and the escalation queue lists them.
    Only the reference is kept to show it, so the list itself never reads the bad row.
    """

    complaint = models.OneToOneField(
        Complaint, models.CASCADE, related_name="sweep_failure", verbose_name=_("complaint")
    )
    reference = models.CharField(_("reference"), max_length=20)
    error = models.TextField(_("error"))
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    count = models.PositiveIntegerField(_("times"), default=1)

    class Meta:
        verbose_name = _("deadline check failure")
        verbose_name_plural = _("deadline check failures")
        ordering = ["-last_seen", "-id"]
        indexes = [models.Index(fields=["last_seen"], name="sweep_failure_last_seen")]

    def __str__(self):
        return f"{self.reference}: {self.error[:60]}"


class SubmissionKey(models.Model):
    """A form or API request already turned into a complaint: a second submission answers the first.

    `scope` is whose key it is (a user id, or "public" for the public form): two people may
    send the same key without colliding.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    payload = models.CharField(max_length=64, blank=True)  # sha256 of what was sent
    complaint = models.ForeignKey(Complaint, models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="submission_key_once")]
        indexes = [models.Index(fields=["created_at"], name="submission_key_created")]

    def __str__(self):
        return f"{self.scope}:{self.key}"


class RecordRedaction(models.Model):
    """Personal strings erased from one complaint's filed record, on request: the one change
    the record allows (complaints.redaction).

    On PostgreSQL inserting a row is the redaction: a trigger (migration 0018) replaces the
    strings it is given by "[erased]" in the string values of that complaint's record
    entries, counts them, stores their keyed digests and empties `payload` before the row is
    written; the record table's own trigger accepts only that change. Rows are append-only
    too. The strings themselves are never stored (the check constraint holds it).
    """

    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="redactions", verbose_name=_("complaint")
    )
    created_at = models.DateTimeField(_("redacted"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"), db_index=False
    )
    reason = models.TextField(_("reason"))
    string_count = models.PositiveSmallIntegerField(_("strings erased"), default=0)
    # sha256 of a key derived from SECRET_KEY followed by each string: whoever holds the
    # key can check a given string was erased; a dump alone cannot be searched for phones.
    digests = models.JSONField(_("digests"), default=list)
    entries_redacted = models.PositiveIntegerField(_("record entries changed"), default=0)
    # Transient: what the trigger reads ({"strings": [...], "key": ...}); always NULL once stored.
    payload = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("record redaction")
        verbose_name_plural = _("record redactions")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(payload__isnull=True), name="record_redaction_payload_never_stored"
            )
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.created_at:%Y-%m-%d %H:%M}: {self.string_count} strings"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ComplaintRecord.Immutable(_("A record redaction cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ComplaintRecord.Immutable(_("A record redaction cannot be deleted."))
