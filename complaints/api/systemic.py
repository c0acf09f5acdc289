"""Systemic issues through the API: the register, one issue with its complaints, linking and
unlinking. Every role reads; supervisors and managers change (access.CanManageSystemicIssues).

Bodies go to the services as they arrived, so JSON types are checked there (complaints
.jsontypes) like the desk's other forms; the serializers below describe them for the schema.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access
from ..jsontypes import JsonObject, is_json_object
from ..limits import LINE, LONG_TEXT
from ..models import Complaint, SystemicIssue
from ..systemic import selectors, services

MAX_LINKS = 100

ERRORS = {
    400: OpenApiResponse(description="Invalid data, with a message per field"),
    403: OpenApiResponse(description="Your role may not do this"),
    404: OpenApiResponse(description="Not found"),
}
CONFLICT = {409: OpenApiResponse(description="Not possible now (closed issue, complaint in another issue)")}


class LinkedComplaintSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = ["id", "reference", "stage", "created_at"]
        read_only_fields = fields


class SystemicIssueSerializer(serializers.ModelSerializer):
    owner_username = serializers.CharField(
        source="owner.username", read_only=True, allow_null=True, default=None
    )
    complaint_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SystemicIssue
        fields = [
            "id",
            "title",
            "description",
            "owner",
            "owner_username",
            "status",
            "preventive_action",
            "opened_at",
            "fixed_at",
            "closed_at",
            "complaint_count",
        ]
        read_only_fields = fields


class SystemicIssueDetailSerializer(SystemicIssueSerializer):
    complaints = LinkedComplaintSerializer(many=True, read_only=True)

    class Meta(SystemicIssueSerializer.Meta):
        fields = [*SystemicIssueSerializer.Meta.fields, "complaints"]
        read_only_fields = fields


class SystemicIssueWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=LINE)
    description = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True)
    owner = serializers.IntegerField(required=False, allow_null=True, help_text="A desk user's id")
    status = serializers.ChoiceField(choices=SystemicIssue.Status.choices, required=False)
    preventive_action = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True)


class SystemicIssuePatchSerializer(SystemicIssueWriteSerializer):
    title = serializers.CharField(max_length=LINE, required=False)


class LinkSerializer(serializers.Serializer):
    complaints = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, max_length=MAX_LINKS, help_text="Complaint ids"
    )


def _issue_with_complaints(pk):
    issue = get_object_or_404(selectors.issue_list(), pk=pk)
    issue.complaints = list(selectors.issue_complaints(issue))
    return issue


@extend_schema_view(
    get=extend_schema(responses={200: SystemicIssueSerializer(many=True), 403: ERRORS[403]}),
    post=extend_schema(
        request=SystemicIssueWriteSerializer, responses={201: SystemicIssueDetailSerializer, **ERRORS}
    ),
)
class SystemicIssueListView(generics.ListAPIView):
    permission_classes = [access.CanManageSystemicIssues]
    serializer_class = SystemicIssueSerializer

    def get_queryset(self):
        return selectors.issue_list()

    def post(self, request):
        issue = services.systemic_issue_create(data=_with_status(request.data), by=request.user)
        return Response(SystemicIssueDetailSerializer(_issue_with_complaints(issue.pk)).data, status=201)


def _with_status(data):
    """A new issue is open unless the body says otherwise."""
    if not hasattr(data, "get") or "status" in data:
        return data
    if is_json_object(data):
        return JsonObject({**data, "status": SystemicIssue.Status.OPEN})  # keeps its type checks
    data = data.copy()
    data["status"] = SystemicIssue.Status.OPEN
    return data


class SystemicIssueDetailView(APIView):
    permission_classes = [access.CanManageSystemicIssues]

    @extend_schema(responses={200: SystemicIssueDetailSerializer, **ERRORS})
    def get(self, request, pk):
        return Response(SystemicIssueDetailSerializer(_issue_with_complaints(pk)).data)

    @extend_schema(
        request=SystemicIssuePatchSerializer, responses={200: SystemicIssueDetailSerializer, **ERRORS}
    )
    def patch(self, request, pk):
        issue = get_object_or_404(SystemicIssue, pk=pk)
        services.systemic_issue_update(issue=issue, data=request.data, by=request.user)
        return Response(SystemicIssueDetailSerializer(_issue_with_complaints(pk)).data)


def _complaint_ids(data):
    """The ids of a link body, as whole numbers (JSON integers, not text)."""
    ids = data.get("complaints") if hasattr(data, "get") else None
    if not isinstance(ids, list) or not ids or len(ids) > MAX_LINKS:
        raise ValidationError(
            {"complaints": [_("Send a list of 1 to %(max)s complaint ids.") % {"max": MAX_LINKS}]}
        )
    if any(not isinstance(i, int) or isinstance(i, bool) for i in ids):
        raise ValidationError({"complaints": [_("Send each complaint id as a whole number.")]})
    return list(dict.fromkeys(ids))


class SystemicIssueLinkView(APIView):
    permission_classes = [access.CanManageSystemicIssues]

    @extend_schema(
        request=LinkSerializer, responses={200: SystemicIssueDetailSerializer, **ERRORS, **CONFLICT}
    )
    def post(self, request, pk):
        issue = get_object_or_404(SystemicIssue, pk=pk)
        ids = _complaint_ids(request.data)
        found = Complaint.objects.in_bulk(ids)
        missing = [i for i in ids if i not in found]
        if missing:
            raise ValidationError(
                {"complaints": [f"No complaint has the id {', '.join(map(str, missing))}."]}
            )
        services.systemic_issue_link(issue=issue, complaints=[found[i] for i in ids], by=request.user)
        return Response(SystemicIssueDetailSerializer(_issue_with_complaints(pk)).data)


class SystemicIssueUnlinkView(APIView):
    permission_classes = [access.CanManageSystemicIssues]

    @extend_schema(request=None, responses={204: None, 403: ERRORS[403], 404: ERRORS[404], **CONFLICT})
    def delete(self, request, pk, complaint_id):
        issue = get_object_or_404(SystemicIssue, pk=pk)
        complaint = get_object_or_404(Complaint, pk=complaint_id)
        services.systemic_issue_unlink(issue=issue, complaint=complaint, by=request.user)
        return Response(status=204)
