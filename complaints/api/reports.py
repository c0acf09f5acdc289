"""The weekly report and the preventive actions through the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView, get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access
from ..limits import NOTE
from ..models import PreventiveAction
from ..reports import prevention, publishing, weeks
from ..reports.reading import report_for

WEEK_PARAM = OpenApiParameter(
    "week", str, description="ISO week, e.g. 2026-W48 (default: last full week)", pattern=weeks.WEEK_PATTERN
)


def _week_error(exc):
    """400 for text that is not a week; 404 for a well-formed week the year does not have."""
    if isinstance(exc, weeks.NoSuchWeek):
        return Response({"detail": _("That year has no such week.")}, status=404)
    return Response({"week": [_("Give the week as YYYY-Www, for example 2026-W48.")]}, status=400)


def _published(snapshot):
    """When the week was first published, when and by whom it was last built (None: live)."""
    if snapshot is None:
        return None
    return {
        "version": snapshot.version,
        "published_at": snapshot.created_at,
        "built_at": snapshot.updated_at,
        "built_by": snapshot.built_by.get_username() if snapshot.built_by else None,
    }


class RebuildSerializer(serializers.Serializer):
    week = serializers.RegexField(weeks.WEEK_PATTERN, help_text="ISO week, e.g. 2026-W48")


class WeeklyReportView(APIView):
    permission_classes = [access.CanReadReports]

    @extend_schema(
        parameters=[WEEK_PARAM],
        responses={
            200: OpenApiResponse(description="The report"),
            400: OpenApiResponse(description="Not a week"),
            404: OpenApiResponse(description="The year has no such week"),
        },
    )
    def get(self, request):
        try:
            week = request.query_params.get("week")
            monday = weeks.last_full_week() if week is None else weeks.parse_week(week)
        except weeks.BadWeek as exc:
            return _week_error(exc)
        data, snapshot = report_for(monday)
        return Response({**data, "published": _published(snapshot)})


class WeeklyReportRebuildView(APIView):
    # Supervisors and managers publish (access.can_publish_reports); managers change no complaint.
    permission_classes = [access.CanPublishReports]

    @extend_schema(
        request=RebuildSerializer,
        responses={
            200: OpenApiResponse(description="The rebuilt report"),
            400: OpenApiResponse(description="Not a week"),
            404: OpenApiResponse(description="The year has no such week"),
            409: OpenApiResponse(description="The week has not ended yet"),
        },
    )
    def post(self, request):
        incoming = RebuildSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            monday = weeks.parse_week(incoming.validated_data["week"])
        except weeks.BadWeek as exc:
            return _week_error(exc)
        snapshot = publishing.report_rebuild(monday=monday, by=request.user)
        return Response({**snapshot.data, "published": _published(snapshot)})


class PreventiveActionSerializer(serializers.ModelSerializer):
    complaint = serializers.CharField(source="complaint.reference", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    root_cause = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # Overdue now, by the one rule (prevention.overdue_q): never once the action is done.
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = PreventiveAction
        fields = [
            "id",
            "complaint",
            "root_cause",
            "description",
            "department",
            "due_at",
            "status",
            "overdue",
            "overdue_since",
            "created_at",
            "done_at",
            "verified_at",
        ]


class PreventiveActionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PreventiveAction.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE)


class PreventiveActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PreventiveAction.Status.choices)
    # A strict yes/no: anything else is a 400 rather than silently ignored.
    overdue = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_overdue"
    )

    class Meta:
        model = PreventiveAction
        fields = ["status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        # The same rule as the `overdue` field: `is_overdue` from prevention.with_overdue().
        return queryset.filter(is_overdue=value == "true")


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=PreventiveAction.Status.values),
            OpenApiParameter(
                "overdue", str, enum=["true", "false"], description="Overdue now (open and past due) or not"
            ),
        ],
        responses={
            200: PreventiveActionSerializer(many=True),
            400: OpenApiResponse(description="Invalid filter"),
            404: OpenApiResponse(description="No such page"),
        },
    )
)
class PreventiveActionListView(ListAPIView):
    permission_classes = [access.CanReadReports]
    serializer_class = PreventiveActionSerializer
    filterset_class = PreventiveActionFilter
    ordering_fields = ["due_at", "created_at"]
    ordering = ["due_at", "id"]
    search_fields = ["description", "complaint__reference"]

    def get_queryset(self):
        return prevention.with_overdue(
            PreventiveAction.objects.select_related("complaint", "department", "root_cause"), timezone.now()
        )


class PreventiveActionStatusView(APIView):
    # Role first, then the object (complaints.access): 403 for every non-supervisor.
    permission_classes = [access.IsSupervisor]

    @extend_schema(
        request=PreventiveActionStatusSerializer,
        responses={
            200: PreventiveActionSerializer,
            400: OpenApiResponse(description="Invalid status"),
            403: OpenApiResponse(description="Only supervisors change preventive actions"),
            404: OpenApiResponse(description="No such preventive action"),
            409: OpenApiResponse(description="Not possible from the current status"),
        },
    )
    def post(self, request, pk):
        action = get_object_or_404(PreventiveAction, pk=pk)
        incoming = PreventiveActionStatusSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        action = prevention.preventive_action_set_status(
            action=action, by=request.user, **incoming.validated_data
        )
        action = prevention.preventive_action_list().get(pk=action.pk)
        return Response(PreventiveActionSerializer(action).data)
