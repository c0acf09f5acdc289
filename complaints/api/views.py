"""The complaints API: parse, call a service, serialise. Rules live in the areas (workflow,
escalations, deadlines, coaching); this module only speaks HTTP."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from ..access import AnyRole, CanSetRegime
from ..coaching import phrasebook
from ..deadlines import outside
from ..escalations import services as escalation_services
from ..exceptions import Conflict
from ..models import Category, Channel, Complaint, Department, Regime, Resolution, RootCause, Severity
from ..workflow import (
    callbacks,
    holds,
    intake,
    repeats,
    satisfaction,
    severity,
    similar,
    submissions,
    transitions,
)
from ..workflow.forms import TRANSITION_FORMS
from ..workflow.selectors import complaint_list, records_for
from . import serializers as s
from .filters import ComplaintFilter, ComplaintSearchFilter
from .parsers import TypedJSONParser

ERRORS = {
    400: OpenApiResponse(description="Invalid data; field messages in the body."),
    403: OpenApiResponse(description="Your role may not do this."),
    404: OpenApiResponse(description="No such complaint."),
    409: OpenApiResponse(description="Not possible in the complaint's current stage."),
}

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    pattern=submissions.KEY_PATTERN,
    description="Any unique text (e.g. a UUID): the same key sent again files no second complaint "
    "and answers the first one (header Idempotent-Replayed: true); reused with another body, 409.",
)


class ComplaintViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.ComplaintSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = ComplaintFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter, ComplaintSearchFilter]
    ordering_fields = ["created_at", "respond_by", "resolve_by", "reference", "severity", "stage"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return complaint_list()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _answer(self, complaint, warnings=None, status_code=status.HTTP_200_OK):
        complaint.warnings = warnings or []
        serializer = s.ComplaintWithWarningsSerializer(complaint, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    @extend_schema(
        request=s.ComplaintCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ComplaintCreatedSerializer, **ERRORS},
        description="Files the complaint and answers it with `possible_repeats`: the customer's "
        "complaints about the same category in the last REPEAT_WINDOW_DAYS days. Nothing is "
        "refused for them; send `repeat_of` to mark the new complaint as a repeat of one.",
    )
    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is not None:
            submissions.check_key(key)
        incoming = s.ComplaintCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            # The service returns the saved complaint with its customer and category attached;
            # serialising it as is spares a second read of what was just written.
            complaint, replayed = submissions.once(
                scope=f"api:{request.user.pk}",
                key=key,
                payload=request.data,
                create=lambda: intake.complaint_create(**incoming.validated_data, by=request.user),
            )
        except submissions.KeyReused:
            raise Conflict(
                _("This Idempotency-Key was already used for a different complaint; send a new key.")
            ) from None
        if replayed:
            complaint = self.get_queryset().get(pk=complaint.pk)
        found = repeats.repeat_candidates(
            customer=complaint.customer,
            category=complaint.category,
            user=request.user,
            now=complaint.created_at,
            exclude=complaint,
        )
        complaint.possible_repeats = [repeats.summarise(c, now=complaint.created_at) for c in found]
        serializer = s.ComplaintCreatedSerializer(complaint, context=self.get_serializer_context())
        response = Response(serializer.data, status=status.HTTP_201_CREATED)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    def _detail(self, complaint):
        """The complaint with its regime and outside deadlines: one or two queries more."""
        now = self.get_serializer_context()["now"]
        clocks = outside.clocks_of(complaint)
        complaint.outside_deadlines = [{**vars(clock), "state": clock.state(now)} for clock in clocks]
        complaint.regime_code = (
            clocks[0].regime
            if clocks
            else Regime.objects.filter(pk=complaint.regime_id).values_list("code", flat=True).first()
            if complaint.regime_id
            else None
        )
        return Response(s.ComplaintDetailSerializer(complaint, context=self.get_serializer_context()).data)

    @extend_schema(responses={200: s.ComplaintDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        request=s.RegimeChoiceSerializer,
        responses={200: s.ComplaintDetailSerializer, **ERRORS},
        summary="A supervisor or manager puts the complaint under an outside deadline regime, or none",
        description="Its running outside deadlines are dropped (kept in the record) and the new "
        "regime's start, counted from when the complaint was received. 409 when the complaint is "
        "closed or already has this regime.",
    )
    @action(detail=True, methods=["post"], permission_classes=[CanSetRegime])
    def regime(self, request, pk=None):
        complaint = get_object_or_404(self.get_queryset(), pk=pk)
        outside.complaint_set_regime(complaint=complaint, data=request.data, by=request.user)
        return self._detail(self.get_queryset().get(pk=complaint.pk))

    def _transition(self, request, name, pk):
        complaint = get_object_or_404(self.get_queryset(), pk=pk)
        complaint, warnings = transitions.complaint_transition(
            complaint=complaint, name=name, data=request.data, by=request.user
        )
        return self._answer(self.get_queryset().get(pk=complaint.pk), warnings)

    @extend_schema(responses={200: s.ComplaintRecordSerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def records(self, request, pk=None):
        complaint = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = s.ComplaintRecordSerializer(records_for(complaint), many=True)
        return Response(serializer.data)

    @extend_schema(
        responses={200: s.SimilarComplaintSerializer(many=True), 404: ERRORS[404]},
        summary="How was this resolved before? Up to 5 earlier closed complaints like this one",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def similar(self, request, pk=None):
        complaint = get_object_or_404(Complaint.objects.only(*similar.COMPARED_FIELDS), pk=pk)
        found = similar.similar_complaints(complaint=complaint, user=request.user)
        return Response(s.SimilarComplaintSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(
        request=s.ContactAgainSerializer,
        responses={200: s.ComplaintSerializer, **ERRORS},
        summary="The customer contacted us again: file what they said on this complaint "
        "instead of logging a new one (open or closed; a closed one stays closed)",
    )
    @action(detail=True, methods=["post"], url_path="contacts")
    def contact_again(self, request, pk=None):
        complaint = get_object_or_404(self.get_queryset(), pk=pk)
        incoming = s.ContactAgainSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        repeats.complaint_add_contact(complaint=complaint, **incoming.validated_data, by=request.user)
        return self._answer(self.get_queryset().get(pk=complaint.pk))

    @extend_schema(request=s.EscalateSerializer, responses={200: s.ComplaintSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self._act(request, pk, escalation_services.complaint_escalate)

    def _act(self, request, pk, service):
        """Run a complaint service with the request's data; answer the complaint as it is now."""
        complaint = get_object_or_404(self.get_queryset(), pk=pk)
        service(complaint=complaint, data=request.data, by=request.user)
        return self._answer(self.get_queryset().get(pk=complaint.pk))

    @extend_schema(
        request=s.AcknowledgeSerializer,
        responses={200: s.ComplaintSerializer, **ERRORS},
        summary="A supervisor takes on the open escalation",
    )
    @action(detail=True, methods=["post"], url_path="escalation/acknowledge")
    def acknowledge_escalation(self, request, pk=None):
        return self._act(request, pk, escalation_services.complaint_acknowledge_escalation)

    @extend_schema(
        request=s.DeescalateSerializer,
        responses={200: s.ComplaintSerializer, **ERRORS},
        summary="A supervisor ends the escalation, saying why",
    )
    @action(detail=True, methods=["post"], url_path="escalation/deescalate")
    def deescalate(self, request, pk=None):
        return self._act(request, pk, escalation_services.complaint_deescalate)

    @extend_schema(
        request=s.ReassignSerializer,
        responses={200: s.ComplaintSerializer, **ERRORS},
        summary="A supervisor hands the complaint to another staff member",
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        return self._act(request, pk, escalation_services.complaint_reassign)

    @extend_schema(
        request=s.NoteSerializer,
        responses={200: s.ComplaintSerializer, **ERRORS},
        summary="File an internal note in the complaint's record",
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        return self._act(request, pk, escalation_services.complaint_add_note)

    @extend_schema(
        request=s.SeverityChangeSerializer,
        responses={200: s.ComplaintSerializer, **ERRORS},
        summary="Reclassify the severity; the deadlines follow the new service level",
    )
    @action(detail=True, methods=["post"])
    def severity(self, request, pk=None):
        return self._act(request, pk, severity.complaint_change_severity)

    @extend_schema(
        request=s.HoldSerializer,
        responses={
            200: s.ComplaintSerializer,
            **ERRORS,
            409: OpenApiResponse(description="Already on hold, or closed."),
        },
        summary="Put the complaint on hold: waiting for the customer or a third party",
        description="The complaint keeps its stage; its own deadlines (response, resolution, "
        "callback promises) pause until it is resumed, then get back the working time they had left.",
    )
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return self._act(request, pk, holds.complaint_hold)

    @extend_schema(
        request=s.ResumeSerializer,
        responses={
            200: s.ComplaintSerializer,
            **ERRORS,
            409: OpenApiResponse(description="Not on hold, or closed."),
        },
        summary="Take the complaint off hold; its deadlines run again",
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._act(request, pk, holds.complaint_resume)

    @extend_schema(request=s.SatisfactionSerializer, responses={200: s.ComplaintSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def satisfaction(self, request, pk=None):
        return self._act(request, pk, satisfaction.complaint_record_satisfaction)

    @extend_schema(responses={200: s.CallbackPromiseSerializer(many=True), 404: ERRORS[404]}, methods=["GET"])
    @extend_schema(
        request=s.CallbackRequestSerializer,
        responses={201: s.CallbackPromiseSerializer, **ERRORS},
        methods=["POST"],
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def callbacks(self, request, pk=None):
        complaint = get_object_or_404(self.get_queryset(), pk=pk)
        if request.method == "GET":
            return Response(s.CallbackPromiseSerializer(complaint.callbacks.all(), many=True).data)
        promise = callbacks.complaint_promise_callback(
            complaint=complaint, data=request.data, by=request.user
        )
        return Response(s.CallbackPromiseSerializer(promise).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CallbackFulfilSerializer, responses={200: s.CallbackPromiseSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"callbacks/(?P<promise_id>[0-9]+)/fulfil")
    def fulfil_callback(self, request, pk=None, promise_id=None):
        complaint = get_object_or_404(self.get_queryset(), pk=pk)
        promise = callbacks.complaint_fulfil_callback(
            complaint=complaint, promise_id=promise_id, data=request.data, by=request.user
        )
        return Response(s.CallbackPromiseSerializer(promise).data)


def _transition_action(name):
    def run(self, request, pk=None):
        return self._transition(request, name, pk)

    # @action records the function's name, so rename before decorating.
    run.__name__ = f"transition_{name}"
    run = action(
        detail=True, methods=["post"], url_path=f"transitions/{name}", url_name=f"transition-{name}"
    )(run)
    return extend_schema(
        request=s.TRANSITION_SERIALIZERS[name],
        responses={200: s.ComplaintWithWarningsSerializer, **ERRORS},
        summary=f"Move the complaint with the '{name}' transition",
    )(run)


for _name in TRANSITION_FORMS:
    setattr(ComplaintViewSet, f"transition_{_name}", _transition_action(_name))


def _entries(model):
    return [{"code": e.code, "label": e.display_label} for e in model.objects.filter(is_active=True)]


def _choices(choices):
    return [{"code": code, "label": str(label)} for code, label in choices.choices]


class TokenView(ObtainAuthToken):
    """POST username and password, get a token. Failed attempts count towards the lockout."""

    parser_classes = [TypedJSONParser]

    def get_serializer_context(self):
        # django-axes marks the Django request (not DRF's wrapper) when it locks an account,
        # and its middleware then answers 429.
        return {**super().get_serializer_context(), "request": self.request._request}


class OptionsView(APIView):
    """The lists a client offers: channels, categories, severities, root causes, ..."""

    @extend_schema(responses=s.OptionsSerializer)
    def get(self, request):
        return Response(
            {
                "channels": _choices(Channel),
                "categories": _entries(Category),
                "severities": _choices(Severity),
                "root_causes": _entries(RootCause),
                "departments": _entries(Department),
                "resolutions": _choices(Resolution),
            }
        )


class CoachCheckView(APIView):
    """Check customer-facing text for phrases that make an upset customer angrier."""

    permission_classes = [AnyRole]

    @extend_schema(request=s.CoachCheckSerializer, responses={200: s.CoachResultSerializer, 400: ERRORS[400]})
    def post(self, request):
        incoming = s.CoachCheckSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        warnings = [w.as_dict() for w in phrasebook.check_text(incoming.validated_data["text"])]
        return Response({"warnings": warnings})
