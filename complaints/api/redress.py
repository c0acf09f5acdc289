"""The redress ledger through the API: read it, and take its next step."""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from ..escalations import redress
from ..jsontypes import StrictJsonTypesMixin
from ..limits import LONG_TEXT, NOTE
from ..models import Complaint, Redress


class RedressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Redress
        fields = [
            "id",
            "complaint",
            "amount",
            "description",
            "status",
            "offered_at",
            "answered_at",
            "answer_note",
            "paid_at",
            "paid_on",
            "method",
            "payment_reference",
        ]
        read_only_fields = fields


class RedressStepSerializer(StrictJsonTypesMixin, serializers.Serializer):
    """One step; which other fields it needs depends on the step."""

    step = serializers.ChoiceField(
        choices=list(redress.STEPS),
        help_text=(
            "offer (needs amount, description) -> accept or decline (optional note) -> pay (needs "
            "paid_on, method; optional reference). A step out of order answers 409; paying more "
            "than the approval limit without a supervisor's approval answers 409."
        ),
    )
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, help_text="offer: the amount offered."
    )
    description = serializers.CharField(
        max_length=LONG_TEXT, required=False, help_text="offer: what is offered."
    )
    note = serializers.CharField(
        max_length=NOTE,
        required=False,
        allow_blank=True,
        help_text="accept / decline: what the customer said.",
    )
    paid_on = serializers.DateField(
        required=False, help_text="pay: the date it was paid (not in the future)."
    )
    method = serializers.ChoiceField(
        choices=Redress.Method.choices, required=False, help_text="pay: how it was paid."
    )
    reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="pay: the payment's reference."
    )


ERRORS = {
    400: OpenApiResponse(description="Invalid data; field messages in the body."),
    403: OpenApiResponse(description="Your role may not do this."),
    404: OpenApiResponse(description="No such complaint."),
    409: OpenApiResponse(description="A step out of order, or a payment that needs approval first."),
}


class RedressView(APIView):
    """GET: the complaint's redress, oldest first. POST: the next step (workers only)."""

    # The default permission (access.HasRole): every role reads, managers do not write.

    def complaints(self) -> QuerySet[Complaint]:
        return Complaint.objects.all()

    @extend_schema(responses={200: RedressSerializer(many=True), **ERRORS})
    def get(self, request, pk):
        complaint = get_object_or_404(self.complaints(), pk=pk)
        return Response(RedressSerializer(redress.redress_ledger(complaint), many=True).data)

    @extend_schema(request=RedressStepSerializer, responses={200: RedressSerializer, **ERRORS})
    def post(self, request, pk):
        complaint = get_object_or_404(self.complaints(), pk=pk)
        # The documented shape first (types, lengths, no nulls), then the step's own rules.
        RedressStepSerializer(data=request.data).is_valid(raise_exception=True)
        done = redress.redress_step(complaint=complaint, data=request.data, by=request.user)
        return Response(RedressSerializer(done).data)
