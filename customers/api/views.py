from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from complaints.access import CanWork, IsSupervisor

from ..models import Customer
from ..selectors import customer_search
from ..services import (
    customer_clear_vulnerability,
    customer_create,
    customer_merge,
    customer_set_vulnerability,
    customer_to_merge,
    customer_update,
)
from .serializers import CustomerSerializer, MergeSerializer, VulnerabilitySetSerializer

ERRORS = {
    400: OpenApiResponse(description="Invalid data; field messages in the body."),
    403: OpenApiResponse(description="Your role may not do this."),
    404: OpenApiResponse(description="No such customer."),
}
CONFLICT = OpenApiResponse(description="Not possible now (no flag to clear, or the data was erased).")


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("search", str, description="Name, email or phone (any spacing).")]
    ),
    create=extend_schema(responses={201: CustomerSerializer, **ERRORS}),
    update=extend_schema(responses={200: CustomerSerializer, **ERRORS}),
    partial_update=extend_schema(responses={200: CustomerSerializer, **ERRORS}),
)
class CustomerViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CustomerSerializer
    lookup_value_regex = "[0-9]+"
    filter_backends = []

    def get_queryset(self):
        qs = Customer.objects.select_related("vulnerability").order_by("name", "id")
        if self.action == "list":
            return customer_search(self.request.query_params.get("search"), qs)
        return qs

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer = customer_create(**serializer.validated_data)
        return Response(self.get_serializer(customer).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        customer = self.get_object()
        serializer = self.get_serializer(customer, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        customer = customer_update(customer=customer, **serializer.validated_data)
        return Response(self.get_serializer(customer).data)

    @extend_schema(request=MergeSerializer, responses={200: CustomerSerializer, **ERRORS})
    @action(
        detail=True, methods=["post"], permission_classes=[IsSupervisor], serializer_class=MergeSerializer
    )
    def merge(self, request, pk=None):
        """Merge a duplicate into this customer (supervisors): complaints, figures and history move."""
        kept = self.get_object()
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        duplicate = customer_to_merge(serializer.validated_data["duplicate"], into=kept)
        summary = customer_merge(duplicate=duplicate, into=kept, by=request.user)
        return Response(CustomerSerializer(summary.kept).data)

    @extend_schema(
        methods=["POST"],
        request=VulnerabilitySetSerializer,
        responses={200: CustomerSerializer, **ERRORS, 409: CONFLICT},
        description="Flag the customer as vulnerable, or change the flag (staff and supervisors). "
        "Their open complaints get the shorter service levels at once.",
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={200: CustomerSerializer, 403: ERRORS[403], 404: ERRORS[404], 409: CONFLICT},
        description="Clear the vulnerability flag; the usual service levels apply again.",
    )
    @action(
        detail=True,
        methods=["post", "delete"],
        permission_classes=[CanWork],
        serializer_class=VulnerabilitySetSerializer,
    )
    def vulnerability(self, request, pk=None):
        customer = self.get_object()
        if request.method == "DELETE":
            customer_clear_vulnerability(customer=customer, by=request.user)
        else:
            VulnerabilitySetSerializer(data=request.data).is_valid(raise_exception=True)
            customer_set_vulnerability(customer=customer, data=request.data, by=request.user)
        return Response(CustomerSerializer(self.get_queryset().get(pk=customer.pk)).data)
