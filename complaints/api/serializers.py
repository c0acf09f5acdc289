import copy

from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from customers.models import Customer

from ..deadlines import calendar as deadlines
from ..escalations.forms import (
    AcknowledgeForm,
    DeescalateForm,
    EscalateLevelForm,
    NoteForm,
    ReassignForm,
    SeverityChangeForm,
)
from ..jsontypes import StrictJsonTypesMixin
from ..limits import LONG_TEXT, NOTE
from ..models import (
    ESCALATION_FIELDS,
    CallbackPromise,
    Category,
    Channel,
    ClockStop,
    Complaint,
    ComplaintHold,
    ComplaintRecord,
    ContactPreference,
    Decision,
    Resolution,
    Severity,
    stage_label,
)
from ..workflow.forms import (
    TRANSITION_FORMS,
    CallbackForm,
    CallbackFulfilForm,
    ContactAgainForm,
    HoldForm,
    ResumeForm,
    SatisfactionForm,
)
from ..workflow.selectors import active_categories
from .formschema import serializer_for_form


class CompiledOutputMixin:
    """Build a read-only ModelSerializer's fields once per class and write every object with them.

    ModelSerializer introspects the model and translates every label on each
    instantiation (~6 ms for a complaint, a quarter of an intake request), and even a deep
    copy of fields built once costs ~1.5 ms per answer. These fields only turn attributes
    into JSON and keep no per-request state, so one set of them serves every answer:
    to_representation below is DRF's own loop over that set, except that method fields
    call get_<name> on the serializer at hand (which holds this request's context).
    tests/complaints/test_api_output.py holds the output equal to DRF's.
    """

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            cls._built_fields = built
        return copy.deepcopy(built)

    @classmethod
    def _output_plan(cls):
        plan = cls.__dict__.get("_compiled_output")
        if plan is None:
            template = cls(context={})
            plan = [
                (
                    name,
                    field,
                    field.method_name if isinstance(field, serializers.SerializerMethodField) else None,
                )
                for name, field in template.fields.items()
                if not field.write_only
            ]
            cls._compiled_output = plan
        return plan

    def to_representation(self, instance):
        ret = {}
        for name, field, method in self._output_plan():
            if method is not None:
                ret[name] = getattr(self, method)(instance)
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else field.to_representation(attribute)
        return ret


class HoldStateSerializer(serializers.ModelSerializer):
    """The hold a complaint is on now: what it waits for, why, since when, and the paused clock."""

    class Meta:
        model = ComplaintHold
        fields = ["id", "kind", "reason", "started_at", "started_by", "paused_deadline", "reminded_at"]
        read_only_fields = fields


class ComplaintSerializer(CompiledOutputMixin, serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_tier = serializers.CharField(source="customer.tier", read_only=True)
    stage_label = serializers.SerializerMethodField()
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    root_cause = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    responsible_department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    assignee_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    next_deadline = serializers.SerializerMethodField()
    time_left = serializers.SerializerMethodField()
    supervisor_attention = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    on_hold = HoldStateSerializer(source="hold", read_only=True, allow_null=True)
    back_from_hold = serializers.SerializerMethodField()
    # Declared so the schema says "" is allowed: DRF drops allow_blank on read-only fields.
    resolution = serializers.ChoiceField(choices=Resolution.choices, allow_blank=True, read_only=True)
    contact_preference = serializers.ChoiceField(
        choices=ContactPreference.choices, allow_blank=True, read_only=True
    )
    decision = serializers.ChoiceField(
        choices=Decision.choices,
        allow_null=True,
        read_only=True,
        help_text="The final response's decision, read from the resolution (null before closing).",
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "reference",
            "customer",
            "customer_name",
            "customer_tier",
            "stage",
            "stage_label",
            "severity",
            "category",
            "channel",
            "content",
            "assignee",
            "assignee_name",
            "created_by",
            "created_at",
            "respond_by",
            "resolve_by",
            "responded_at",
            "closed_at",
            "overdue",
            *ESCALATION_FIELDS,
            "supervisor_attention",
            "next_deadline",
            "time_left",
            "available_transitions",
            "on_hold",
            "back_from_hold",
            "requested_remedy",
            "what_happened",
            "when_happened",
            "desired_outcome",
            "purchase_date",
            "product",
            "usage",
            "contact_preference",
            "restatement",
            "customer_feelings",
            "customer_confirmed",
            "apology",
            "resolution",
            "decision",
            "decision_reasons",
            "customer_message",
            "remedy_due",
            "referral_text",
            "remedy",
            "preventive_action",
            "root_cause",
            "responsible_department",
            "compensation",
            "satisfaction_score",
            "repeat_of",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_stage_label(self, obj):
        return stage_label(obj.stage)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assignee_name(self, obj):
        if obj.assignee is None:
            return None
        return obj.assignee.get_full_name() or obj.assignee.get_username()

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, obj):
        return obj.is_overdue(self.context.get("now"))

    def _next_deadline(self, obj):
        return obj.deadline_now()

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_next_deadline(self, obj):
        deadline = self._next_deadline(obj)
        return serializers.DateTimeField().to_representation(deadline) if deadline else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_time_left(self, obj):
        """Seconds until the next service-level deadline (negative when overdue; null when closed)."""
        deadline = self._next_deadline(obj)
        if deadline is None:
            return None
        return deadlines.seconds_left(deadline, self.context.get("now") or timezone.now())

    @extend_schema_field(serializers.BooleanField())
    def get_back_from_hold(self, obj):
        """A hold ran out with no answer and nobody has moved the complaint on since."""
        return obj.back_from_hold_id is not None

    @extend_schema_field(serializers.BooleanField())
    def get_supervisor_attention(self, obj):
        """Escalated, or an A-tier customer's open complaint (supervisors watch those from the start)."""
        return obj.is_open and (obj.escalated or obj.customer.is_vip)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_transitions(self, obj):
        request = self.context.get("request")
        user = request.user if request else None
        return [t.name for t in obj.get_available_user_stage_transitions(user)]


class OutsideDeadlineSerializer(serializers.Serializer):
    """One outside deadline (a regulator's clock) of a complaint; it never pauses."""

    regime = serializers.CharField(help_text="The regime's code.")
    regime_label = serializers.CharField()
    code = serializers.CharField(help_text="The clock's code within its regime.")
    label = serializers.CharField()
    stops_at = serializers.ChoiceField(choices=ClockStop.choices, help_text="The event that meets it.")
    due_at = serializers.DateTimeField()
    met_at = serializers.DateTimeField(allow_null=True)
    warned_at = serializers.DateTimeField(allow_null=True)
    breached_at = serializers.DateTimeField(
        allow_null=True, help_text="When it passed unmet (its due moment)."
    )
    state = serializers.ChoiceField(choices=["met", "met_late", "overdue", "running"])


class ComplaintDetailSerializer(ComplaintSerializer):
    """A complaint with its outside deadlines (complaints.deadlines.outside)."""

    regime = serializers.CharField(
        source="regime_code", allow_null=True, read_only=True, help_text="The regime's code, or null."
    )
    outside_deadlines = OutsideDeadlineSerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "regime", "outside_deadlines"]
        read_only_fields = fields


class RegimeChoiceSerializer(serializers.Serializer):
    regime = serializers.CharField(
        max_length=50,
        allow_null=True,
        help_text="The code of a regime in use (see the admin's outside deadline regimes); null takes "
        "the complaint off any regime.",
    )
    reason = serializers.CharField(max_length=NOTE, allow_blank=True, required=False)


class CoachWarningSerializer(serializers.Serializer):
    phrase = serializers.CharField()
    why = serializers.CharField()
    suggestion = serializers.CharField()
    rule = serializers.CharField()
    field = serializers.CharField(required=False)


class ComplaintWithWarningsSerializer(ComplaintSerializer):
    warnings = CoachWarningSerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "warnings"]
        read_only_fields = fields


class ActiveCategoryField(serializers.SlugRelatedField):
    """A category code among the active ones, looked up in this process's copy of the list."""

    queryset = Category.objects.filter(is_active=True)  # for the schema and the browsable API

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        try:
            found = active_categories().get(data)
        except TypeError:
            self.fail("invalid")
        if found is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=smart_str(data))
        return found


class ComplaintCreateSerializer(StrictJsonTypesMixin, serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    channel = serializers.ChoiceField(choices=Channel.choices)
    category = ActiveCategoryField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    content = serializers.CharField(max_length=LONG_TEXT)
    repeat_of = serializers.PrimaryKeyRelatedField(
        queryset=Complaint.objects.only("id", "stage", "customer_id", "reference"),
        required=False,
        allow_null=True,
        help_text="An earlier complaint of the same customer that this one repeats "
        "(see possible_repeats in the answer).",
    )

    def validate(self, attrs):
        earlier = attrs.get("repeat_of")
        if earlier is not None and earlier.customer_id != attrs["customer"].pk:
            raise serializers.ValidationError(
                {"repeat_of": [_("A repeat must be of an earlier complaint of the same customer.")]}
            )
        return attrs


class RepeatCandidateSerializer(serializers.Serializer):
    """An earlier complaint of the customer about the same category, received lately."""

    id = serializers.IntegerField(source="complaint.pk")
    reference = serializers.CharField(source="complaint.reference")
    category = serializers.CharField(source="complaint.category.code")
    stage = serializers.CharField(source="complaint.stage")
    created_at = serializers.DateTimeField(source="complaint.created_at")
    closed_at = serializers.DateTimeField(source="complaint.closed_at", allow_null=True)
    resolution = serializers.ChoiceField(
        source="complaint.resolution", choices=Resolution.choices, allow_blank=True
    )
    remedy = serializers.CharField(source="complaint.remedy", allow_blank=True)
    summary = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_summary(self, obj):
        return f"{_('%(ago)s ago') % {'ago': obj.ago}}: {obj.complaint.reference}; {obj.status}"


class ComplaintCreatedSerializer(ComplaintSerializer):
    possible_repeats = RepeatCandidateSerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "possible_repeats"]
        read_only_fields = fields


class SimilarComplaintSerializer(serializers.Serializer):
    """An earlier closed complaint like this one, and how it was resolved."""

    id = serializers.IntegerField(source="complaint.pk")
    reference = serializers.CharField(source="complaint.reference")
    url = serializers.SerializerMethodField()
    same_customer = serializers.BooleanField()
    similarity = serializers.FloatField()
    category = serializers.CharField(source="complaint.category.code")
    product = serializers.CharField(source="complaint.product", allow_blank=True)
    closed_at = serializers.DateTimeField(source="complaint.closed_at", allow_null=True)
    resolution = serializers.ChoiceField(
        source="complaint.resolution", choices=Resolution.choices, allow_blank=True
    )
    remedy = serializers.CharField(source="complaint.remedy", allow_blank=True)
    preventive_action = serializers.CharField(source="complaint.preventive_action", allow_blank=True)
    root_cause = serializers.SerializerMethodField()
    satisfaction_score = serializers.IntegerField(source="complaint.satisfaction_score", allow_null=True)

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj):
        return reverse("complaint-detail", args=[obj.complaint.pk])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_root_cause(self, obj):
        cause = obj.complaint.root_cause
        return cause.code if cause is not None else None


class ComplaintRecordSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = ComplaintRecord
        fields = ["id", "kind", "stage", "author", "author_name", "created_at", "data"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author_name(self, obj):
        if obj.author is None:
            return None
        return obj.author.get_full_name() or obj.author.get_username()


TRANSITION_SERIALIZERS = {
    name: serializer_for_form(form, f"{name.capitalize()}TransitionSerializer")
    for name, form in TRANSITION_FORMS.items()
}
EscalateSerializer = serializer_for_form(EscalateLevelForm, "EscalateSerializer")
AcknowledgeSerializer = serializer_for_form(AcknowledgeForm, "AcknowledgeEscalationSerializer")
DeescalateSerializer = serializer_for_form(DeescalateForm, "DeescalateSerializer")
NoteSerializer = serializer_for_form(NoteForm, "NoteSerializer")
ReassignSerializer = serializer_for_form(ReassignForm, "ReassignSerializer")
SeverityChangeSerializer = serializer_for_form(SeverityChangeForm, "SeverityChangeSerializer")
SatisfactionSerializer = serializer_for_form(SatisfactionForm, "SatisfactionSerializer")
CallbackRequestSerializer = serializer_for_form(CallbackForm, "CallbackRequestSerializer")
ContactAgainSerializer = serializer_for_form(ContactAgainForm, "ContactAgainSerializer")
CallbackFulfilSerializer = serializer_for_form(CallbackFulfilForm, "CallbackFulfilSerializer")
HoldSerializer = serializer_for_form(HoldForm, "HoldSerializer")
ResumeSerializer = serializer_for_form(ResumeForm, "ResumeSerializer")


class CallbackPromiseSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallbackPromise
        fields = [
            "id",
            "due_at",
            "note",
            "promised_by",
            "created_at",
            "fulfilled_at",
            "fulfilled_by",
            "fulfilment_note",
        ]
        read_only_fields = fields


class OptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class OptionsSerializer(serializers.Serializer):
    channels = OptionSerializer(many=True)
    categories = OptionSerializer(many=True)
    severities = OptionSerializer(many=True)
    root_causes = OptionSerializer(many=True)
    departments = OptionSerializer(many=True)
    resolutions = OptionSerializer(many=True)


class CoachCheckSerializer(StrictJsonTypesMixin, serializers.Serializer):
    text = serializers.CharField(max_length=LONG_TEXT, allow_blank=True, trim_whitespace=False)


class CoachResultSerializer(serializers.Serializer):
    warnings = CoachWarningSerializer(many=True)
