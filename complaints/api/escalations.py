"""Compensation approval through the API."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access
from ..escalations import compensation
from ..limits import LONG_TEXT, NOTE
from ..models import CompensationRequest, Complaint


class CompensationRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompensationRequest
        fields = [
            "id",
            "complaint",
            "amount",
            "reason",
            "status",
            "requested_at",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class CompensationAskSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    reason = serializers.CharField(max_length=LONG_TEXT)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE)


ERRORS = {
    400: OpenApiResponse(description="Invalid data"),
    403: OpenApiResponse(description="Your role may not do this"),
    404: OpenApiResponse(description="Not found"),
    409: OpenApiResponse(description="Not possible now"),
}


class CompensationAskView(APIView):
    permission_classes = [access.CanWork]

    @extend_schema(
        request=CompensationAskSerializer, responses={201: CompensationRequestSerializer, **ERRORS}
    )
    def post(self, request, pk):
        complaint = get_object_or_404(Complaint, pk=pk)
        made = compensation.compensation_request(complaint=complaint, data=request.data, by=request.user)
        return Response(CompensationRequestSerializer(made).data, status=201)


class CompensationDecideView(APIView):
    # Role first, then the object (complaints.access): 403 for every non-supervisor.
    permission_classes = [access.IsSupervisor]
    approve = True

    @extend_schema(request=DecisionSerializer, responses={200: CompensationRequestSerializer, **ERRORS})
    def post(self, request, pk):
        comp = get_object_or_404(CompensationRequest, pk=pk)
        decided = compensation.compensation_decide(
            request=comp, approve=self.approve, data=request.data, by=request.user
        )
        return Response(CompensationRequestSerializer(decided).data)


class CompensationRefuseView(CompensationDecideView):
    approve = False
