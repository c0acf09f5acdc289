from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from ..models import Customer
from ..selectors import customer_search
from ..services import customer_create, customer_update
from .serializers import CustomerSerializer

ERRORS = {
    400: OpenApiResponse(description="Invalid data; field messages in the body."),
    403: OpenApiResponse(description="Your role may not do this."),
    404: OpenApiResponse(description="No such customer."),
}


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
        qs = Customer.objects.order_by("name", "id")
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
