from django.contrib import admin

from .models import AvoidPhrase, Category, Complaint, ComplaintRecord, Department, RootCause


@admin.register(Category, RootCause, Department)
class OptionEntryAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "label_zh", "position", "is_active"]
    list_editable = ["label", "label_zh", "position", "is_active"]
    search_fields = ["code", "label", "label_zh"]


class ReadOnlyRecordMixin:
    """The filed record is append-only: the admin can look, never change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ComplaintRecordInline(ReadOnlyRecordMixin, admin.TabularInline):
    model = ComplaintRecord
    fields = ["created_at", "kind", "stage", "author", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ComplaintRecord)
class ComplaintRecordAdmin(ReadOnlyRecordMixin, admin.ModelAdmin):
    list_display = ["complaint", "kind", "stage", "author", "created_at"]
    list_filter = ["kind", "stage"]
    list_select_related = ["complaint", "author"]
    raw_id_fields = ["complaint"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "customer",
        "stage",
        "severity",
        "category",
        "assignee",
        "resolve_by",
        "escalated",
    ]
    list_filter = ["stage", "severity", "escalated", "channel", "category"]
    list_select_related = ["customer", "category", "assignee"]
    search_fields = ["reference", "customer__name", "customer__phone_normalized"]
    raw_id_fields = ["customer", "assignee", "created_by"]
    readonly_fields = ["reference", "stage", "created_at", "responded_at", "closed_at", "escalated_at"]
    inlines = [ComplaintRecordInline]
    actions = None

    def has_delete_permission(self, request, obj=None):
        # A complaint is evidence; its record must survive it.
        return False


@admin.register(AvoidPhrase)
class AvoidPhraseAdmin(admin.ModelAdmin):
    list_display = ["rule", "language", "pattern", "is_regex", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["rule", "language", "is_regex", "is_active"]
    search_fields = ["rule", "pattern", "why", "suggestion"]
