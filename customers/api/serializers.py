from rest_framework import serializers

from ..models import Customer


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "phone", "email", "preferred_language", "tier", "created_at"]
        read_only_fields = ["id", "tier", "created_at"]
        extra_kwargs = {"phone": {"required": False}, "email": {"required": False}}
