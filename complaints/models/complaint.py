"""The complaint, its CLEAR stages and the choices it is described with."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, When
from django.db.models.functions import Coalesce, Least, Upper
from django.db.models.lookups import IsNull
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .. import access
from .options import Category, Department, RootCause


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


class Decision(models.TextChoices):
    """What the final response tells the customer about their complaint."""

    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")


# The decision follows the resolution, one rule: fully resolved means upheld, partially
# resolved partly upheld, and one that cannot be put right is not upheld (the reasons say
# why). Complaint.decision reads it.
DECISION_FOR_RESOLUTION = {
    Resolution.FULL: Decision.UPHELD,
    Resolution.PARTIAL: Decision.PARTLY_UPHELD,
    Resolution.NONE: Decision.NOT_UPHELD,
}


def decision_for(resolution):
    """The decision a resolution means (None before one is chosen)."""
    return DECISION_FOR_RESOLUTION.get(resolution)


def remedy_required(resolution):
    """Does the final response owe the customer a remedy and its date? (Upheld, partly upheld.)"""
    return decision_for(resolution) in (Decision.UPHELD, Decision.PARTLY_UPHELD)


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
    "escalation_reason_code",
    "escalation_reason_values",
    "escalation_level",
    "escalation_acknowledged_at",
    "escalation_acknowledged_by",
)


def deadline_now():
    """The deadline that applies to an open complaint now, as a database expression (NULL
    once closed, and while on hold): in Control, the response deadline (or the resolution deadline, should it
    come first); after that, the resolution deadline; and an open callback promise to the
    customer (callback_due_at) whenever it comes earlier. Complaint.deadline_now() is the
    same rule for one complaint in hand; tests/deadlines/test_rule.py holds them equal.

    The index complaint_open_overdue_from and the statistics complaint_overdue_from_stats
    (migrations 0017, 0020 and 0030) are built on exactly this expression, so "overdue" is one
    range scan whose size the planner knows, however many complaints are open.
    """
    # Least() is NULL on SQLite when any argument is: an absent promise counts as none.
    # On hold (hold set), the desk's own clocks are paused: no deadline applies (migration 0030).
    return Case(
        When(
            Q(stage=Stage.CONTROL, hold__isnull=True),
            then=Least("respond_by", "resolve_by", Coalesce("callback_due_at", "respond_by")),
        ),
        When(
            ~Q(stage=Stage.CLOSED) & Q(hold__isnull=True),
            then=Least("resolve_by", Coalesce("callback_due_at", "resolve_by")),
        ),
    )


# An open complaint is overdue once the deadline that applies now has passed.
overdue_from = deadline_now


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
    # The customer's own answer to "What would you like us to do?" on the public form, kept
    # as they wrote it (Listen's desired_outcome is staff's version of it).
    requested_remedy = models.TextField(_("what the customer asked for"), blank=True, db_default="")
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
    # A reason the desk wrote itself (a missed deadline, a low score) as a code and its
    # values, worded in the reader's language when shown (notifications.messages
    # .escalation_reason_text); empty for a reason someone typed, which stays as typed.
    escalation_reason_code = models.CharField(
        _("escalation reason code"), max_length=40, blank=True, default="", db_default=""
    )
    escalation_reason_values = models.JSONField(
        _("escalation reason values"), null=True, blank=True, default=None
    )
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
    # The outside deadlines it runs under (a regulator's, a referral platform's), if any:
    # set at intake by the first matching rule, or by a supervisor (deadlines.outside).
    regime = models.ForeignKey(
        "complaints.Regime",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outside deadline regime"),
        db_index=False,
    )
    # The earliest callback promised to the customer and not yet made (workflow.callbacks
    # keeps it): a promise is a deadline too, see deadline_now().
    callback_due_at = models.DateTimeField(_("callback due"), null=True, blank=True)

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
    # What the customer reads (tracking page, thank-you letter), in their language; remedy
    # and preventive_action are internal notes and never shown to them.
    customer_message = models.TextField(_("message to the customer"), blank=True, db_default="")
    remedy = models.TextField(_("remedy"), blank=True)
    # The final response (ISO 10002 "communicating the decision"): the decision follows the
    # resolution (decision_for); the reasons are written for the customer, the remedy for
    # them is customer_message, due on remedy_due; referral_text is what they can do if
    # unhappy, as it read when the complaint was closed (ReferralText).
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True, db_default="")
    remedy_due = models.DateField(_("remedy due"), null=True, blank=True)
    referral_text = models.TextField(_("where to go next"), blank=True, db_default="")
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
    # The hold the complaint is on now (workflow.holds), NULL when its clocks run: the
    # deadline that applies now reads it. No index: it is only read with the row.
    hold = models.ForeignKey(
        "complaints.ComplaintHold",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on hold"),
        db_index=False,
    )
    # A hold that ran out with no answer brought it back: flagged on the queue and the page
    # until someone moves it on or puts it on hold again.
    back_from_hold = models.ForeignKey(
        "complaints.ComplaintHold",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("came back from hold"),
        db_index=False,
    )
    # The earlier complaint of the same customer this one repeats (intake warns of it,
    # workflow.repeats); the weekly report counts repeats. Its partial index below serves
    # "the repeats of this complaint"; most complaints have none.
    repeat_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("repeat of"),
        db_index=False,
    )

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
            # The queue's candidates with a callback promised (few).
            models.Index(
                fields=["callback_due_at"],
                name="complaint_open_callback_due",
                condition=~Q(stage="closed") & Q(callback_due_at__isnull=False),
            ),
            models.Index(
                fields=["next_deadline_at"],
                name="complaint_open_next_deadline",
                condition=~Q(stage="closed") & Q(next_deadline_at__isnull=False),
            ),
            # Similar past cases (workflow.similar): the latest closings of one customer,
            # of one category and of one product, each read from its end with a LIMIT.
            models.Index(
                fields=["customer", "closed_at", "id"],
                name="complaint_closed_by_customer",
                condition=Q(stage="closed"),
            ),
            models.Index(
                fields=["category", "closed_at", "id"],
                name="complaint_closed_by_category",
                condition=Q(stage="closed"),
            ),
            models.Index(
                Upper("product"),
                "closed_at",
                "id",
                name="complaint_closed_by_product",
                condition=Q(stage="closed") & ~Q(product=""),
            ),
            models.Index(
                fields=["repeat_of"], name="complaint_repeat_of", condition=Q(repeat_of__isnull=False)
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
    def decision(self):
        return decision_for(self.resolution)

    def get_decision_display(self):
        decision = self.decision
        return "" if decision is None else choice_label(Decision, decision)

    @property
    def is_open(self):
        return self.stage != Stage.CLOSED

    @property
    def is_on_hold(self):
        return self.hold_id is not None

    def deadline_now(self):
        """The deadline that applies now (None once closed or on hold): see deadline_now() above."""
        if not self.is_open or self.hold_id is not None:
            return None
        due = min(self.respond_by, self.resolve_by) if self.stage == Stage.CONTROL else self.resolve_by
        if self.callback_due_at is not None:
            due = min(due, self.callback_due_at)
        return due

    def is_overdue(self, now=None):
        due = self.deadline_now()
        return due is not None and due < (now or timezone.now())

    # --- CLEAR transitions: each moves to the stage it is named after. ---
    #
    # Each one's behaviour is declared here, once: what it sets (the method, given the
    # stage's cleaned data), and in `custom` the words on its button, what the record entry
    # adds, and the steps of other areas it needs (names that workflow.transitions runs):
    #   checks  - refusals before anything changes
    #   prepare - fields to set before saving
    #   after   - what happens once it is saved and filed
    # and for the complaint page: `initial` (form field -> the complaint's field it starts
    # from) and `panels` (what the page shows beside the stage's form).
    # The service never branches on a transition's name.

    @transition(
        field=stage,
        source=Stage.CONTROL,
        target=Stage.LISTEN,
        permission=access.may_transition,
        custom={
            "button": _("Take it and start listening"),
            # The outside clocks (models.ClockStop) this transition stops.
            "stops": ("first_response",),
            "hint": _("Take the complaint: you become its owner and the response deadline is met."),
            "record": ("assignee",),
            "after": ("tell_customer_responded",),
        },
    )
    def listen(self, *, by, now, **data):
        if self.assignee_id is None:
            self.assignee = by
        self.responded_at = now

    @transition(
        field=stage,
        source=Stage.LISTEN,
        target=Stage.ESTABLISH,
        permission=access.may_transition,
        custom={
            "button": _("Facts noted: establish empathy"),
            # The form starts from what the customer asked for on the public form.
            "initial": {"desired_outcome": "requested_remedy"},
        },
    )
    def establish(self, *, by, now, **facts):
        for name, value in facts.items():
            setattr(self, name, value)

    @transition(
        field=stage,
        source=Stage.ESTABLISH,
        target=Stage.APOLOGIZE,
        permission=access.may_transition,
        custom={"button": _("Summary confirmed: apologise")},
    )
    def apologize(self, *, by, now, restatement, customer_confirmed, customer_feelings=""):
        self.restatement = restatement
        self.customer_confirmed = customer_confirmed
        self.customer_feelings = customer_feelings

    @transition(
        field=stage,
        source=Stage.APOLOGIZE,
        target=Stage.RESOLVE,
        permission=access.may_transition,
        custom={"button": _("Apology given: resolve"), "after": ("tell_customer_proposed",)},
    )
    def resolve(self, *, by, now, apology):
        self.apology = apology

    @transition(
        field=stage,
        source=Stage.RESOLVE,
        target=Stage.CLOSED,
        permission=access.may_transition,
        custom={
            "button": _("Close the complaint"),
            "checks": ("compensation_within_approval", "referral_text_configured"),
            # Shown with the stage's form on the complaint page (web.desk.PANELS).
            "panels": ("compensation_approval",),
            "prepare": ("fix_referral_text",),
            "after": ("file_outcome", "send_final_response", "invite_to_survey", "open_preventive_action"),
            "stops": ("closed",),
        },
    )
    def close(self, *, by, now, **outcome):
        for name, value in outcome.items():
            setattr(self, name, value)
        self.closed_at = now

    @transition(
        field=stage,
        source=Stage.CLOSED,
        target=Stage.LISTEN,
        permission=access.may_transition,
        custom={"button": _("Reopen"), "prepare": ("restart_resolution_window",)},
    )
    def reopen(self, *, by, now, reason):
        # The reason is filed with the transition's record entry (workflow.transitions).
        self.closed_at = None
        self.resolution = ""
        self.referral_text = ""

    @classmethod
    def transition_leaving(cls, stage):
        """(name, custom) of the CLEAR transition that leaves `stage`."""
        for found in cls._meta.get_field("stage").get_all_transitions(cls):
            if found.source == stage:
                return found.name, found.custom
        raise LookupError(stage)

    def transition_custom(self, name):
        """What transition `name` declares for the stage the complaint is in (None if it cannot run)."""
        found = getattr(type(self), name)._django_fsm.get_transition(self.stage)
        return None if found is None else found.custom


def lock(complaint):
    """The complaint's row, locked until the transaction ends, read afresh.

    Check the complaint's state on what this returns, never on a copy read before: a close
    committed a moment ago is only seen (and a close about to happen only waits) this way.
    """
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("customer", "assignee", "category")
        .get(pk=complaint.pk)
    )
