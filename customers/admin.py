import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Customer, SurveyInvitation, TierChange, ValueFigure


class ValueFigureInline(admin.TabularInline):
    model = ValueFigure
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email", "tier", "computed_tier", "tier_override", "created_at"]
    list_filter = ["tier", "preferred_language", "contact_preference"]
    search_fields = ["name", "email", "phone_normalized"]
    # Tiers change through customers.services (ranking, or the override form on the
    # customer page) so that every change lands in the tier history.
    readonly_fields = [
        "tier",
        "computed_tier",
        "tier_override",
        "tier_override_reason",
        "created_at",
        "erased_at",
    ]
    inlines = [ValueFigureInline]
    actions = ["export_personal_data", "erase_personal_data"]

    @admin.action(description=gettext_lazy("Export personal data (JSON)"))
    def export_personal_data(self, request, queryset):
        from .privacy import export_customer

        data = [export_customer(customer) for customer in queryset]
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="customers-export.json"'
        return response

    @admin.action(description=gettext_lazy("Erase personal data (keeps complaints and their record)"))
    def erase_personal_data(self, request, queryset):
        from .privacy import erase_customer

        try:
            for customer in queryset:
                erase_customer(
                    customer=customer, reason=_("Erased from the admin on request"), by=request.user
                )
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("Personal data erased."), messages.SUCCESS)


@admin.register(TierChange)
class TierChangeAdmin(admin.ModelAdmin):
    list_display = ["customer", "old_tier", "new_tier", "source", "changed_by", "changed_at"]
    list_filter = ["source", "new_tier"]
    list_select_related = ["customer", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    list_display = ["complaint", "created_at", "answered_at", "score"]
    list_select_related = ["complaint"]
    exclude = ["token"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
