from rest_framework import serializers

from complaints.jsontypes import StrictJsonTypesMixin

from ..models import Customer


class CustomerSerializer(StrictJsonTypesMixin, serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "phone",
            "email",
            "preferred_language",
            "contact_preference",
            "tier",
            "created_at",
            "merged_into",
        ]
        read_only_fields = ["id", "tier", "created_at", "merged_into"]
        extra_kwargs = {"phone": {"required": False}, "email": {"required": False}}


class MergeSerializer(serializers.Serializer):
    duplicate = serializers.CharField(
        max_length=200, help_text="The duplicate's customer id or phone (any format)."
    )
