from django.contrib import admin

from .models import Customer, SurveyInvitation, TierChange, ValueFigure


class ValueFigureInline(admin.TabularInline):
    model = ValueFigure
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email", "tier", "computed_tier", "tier_override", "created_at"]
    list_filter = ["tier", "preferred_language"]
    search_fields = ["name", "email", "phone_normalized"]
    # Tiers change through customers.services (ranking, or the override form on the
    # customer page) so that every change lands in the tier history.
    readonly_fields = ["tier", "computed_tier", "tier_override", "tier_override_reason", "created_at"]
    inlines = [ValueFigureInline]


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
