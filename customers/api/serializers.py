from rest_framework import serializers

from complaints.jsontypes import StrictJsonTypesMixin
from complaints.limits import NOTE

from ..models import Customer, Vulnerability
from ..vulnerability_forms import REVIEW_HORIZON


class VulnerabilitySerializer(serializers.ModelSerializer):
    review_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Vulnerability
        fields = ["kind", "permanent", "review_by", "review_overdue", "note", "set_at"]
        read_only_fields = fields

    def get_review_overdue(self, flag: Vulnerability) -> bool:
        return flag.review_overdue()


class CustomerSerializer(StrictJsonTypesMixin, serializers.ModelSerializer):
    vulnerability = VulnerabilitySerializer(
        read_only=True, allow_null=True, help_text="The vulnerability flag in force, or null."
    )

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
            "vulnerability",
        ]
        read_only_fields = ["id", "tier", "created_at", "merged_into", "vulnerability"]
        extra_kwargs = {"phone": {"required": False}, "email": {"required": False}}


class MergeSerializer(serializers.Serializer):
    duplicate = serializers.CharField(
        max_length=200, help_text="The duplicate's customer id or phone (any format)."
    )


class VulnerabilitySetSerializer(StrictJsonTypesMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=Vulnerability.Kind.choices)
    permanent = serializers.BooleanField(required=False, default=False)
    review_by = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=(f"Needed unless permanent: today or later, within {REVIEW_HORIZON.days} days."),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE)
