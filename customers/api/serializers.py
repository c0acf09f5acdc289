from rest_framework import serializers

from complaints.jsontypes import StrictJsonTypesMixin

from ..models import Customer


class CustomerSerializer(StrictJsonTypesMixin, serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "phone", "email", "preferred_language", "tier", "created_at"]
        read_only_fields = ["id", "tier", "created_at"]
        extra_kwargs = {"phone": {"required": False}, "email": {"required": False}}
