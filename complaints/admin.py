from django.contrib import admin

from .models import (
    Attachment,
    AvoidPhrase,
    BusinessHours,
    CalendarDay,
    Category,
    Complaint,
    ComplaintClock,
    ComplaintHold,
    ComplaintRecord,
    DeadlineEvent,
    Department,
    ReferralText,
    Regime,
    RegimeClock,
    RegimeRule,
    RootCause,
    SLAPolicy,
)


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


class ComplaintHoldInline(ReadOnlyRecordMixin, admin.TabularInline):
    """Holds are history: they start and end through complaints.workflow.holds only."""

    model = ComplaintHold
    fk_name = "complaint"
    fields = [
        "kind",
        "reason",
        "started_at",
        "started_by",
        "reminded_at",
        "ended_at",
        "ended_by",
        "ended_how",
    ]
    readonly_fields = fields
    extra = 0


class ComplaintRecordInline(ReadOnlyRecordMixin, admin.TabularInline):
    model = ComplaintRecord
    fields = ["created_at", "kind", "stage", "author", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class AttachmentInline(ReadOnlyRecordMixin, admin.TabularInline):
    """Files are looked at on the complaint page (the admin never serves their bytes)."""

    model = Attachment
    fields = ["created_at", "name", "content_type", "size", "sha256", "source", "uploaded_by", "erased_at"]
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
        "escalation_level",
    ]
    list_filter = ["stage", "severity", "escalated", "channel", "category"]
    list_select_related = ["customer", "category", "assignee"]
    search_fields = ["reference", "customer__name", "customer__phone_normalized"]
    raw_id_fields = ["customer", "assignee", "created_by", "repeat_of"]
    readonly_fields = [
        "reference",
        "stage",
        "created_at",
        "responded_at",
        "closed_at",
        "escalated_at",
        "escalation_level",
        "respond_by",
        "resolve_by",
        "respond_warn_at",
        "resolve_warn_at",
        "next_deadline_at",
    ]
    inlines = [ComplaintHoldInline, ComplaintRecordInline, AttachmentInline]
    actions = None

    # The admin only shows complaints. Every change to one goes through complaints.services,
    # which checks its stage and files the record; an admin form would change content,
    # remedy or compensation (even of a closed complaint) behind the record's back.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A complaint is evidence; its record must survive it.
        return False


@admin.register(ReferralText)
class ReferralTextAdmin(admin.ModelAdmin):
    """Where a customer unhappy with the final response can turn, per category or for all."""

    list_display = ["__str__", "category", "is_active"]
    list_filter = ["is_active", "category"]
    search_fields = ["text", "text_zh"]


@admin.register(AvoidPhrase)
class AvoidPhraseAdmin(admin.ModelAdmin):
    list_display = ["rule", "language", "pattern", "is_regex", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["rule", "language", "is_regex", "is_active"]
    search_fields = ["rule", "pattern", "why", "suggestion"]


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = ["severity", "tier", "respond_within", "respond_unit", "resolve_within", "resolve_unit"]
    list_editable = ["respond_within", "respond_unit", "resolve_within", "resolve_unit"]
    list_filter = ["severity", "tier"]


@admin.register(BusinessHours)
class BusinessHoursAdmin(admin.ModelAdmin):
    list_display = ["__str__", "working_weekdays"]

    def has_add_permission(self, request):
        # One row: the company's working hours.
        return not BusinessHours.objects.exists()


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(DeadlineEvent)
class DeadlineEventAdmin(ReadOnlyRecordMixin, admin.ModelAdmin):
    list_display = ["complaint", "kind", "deadline", "level", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["complaint"]


from .models import PreventiveAction, WeeklyReportSnapshot  # noqa: E402 - appended with the report feature


@admin.register(PreventiveAction)
class PreventiveActionAdmin(admin.ModelAdmin):
    """Read-only here: status changes go through the report page or the API so they are filed."""

    list_display = ["complaint", "department", "due_at", "status", "overdue"]
    list_filter = ["status", "overdue", "department"]
    list_select_related = ["complaint", "department"]
    search_fields = ["description", "complaint__reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WeeklyReportSnapshot)
class WeeklyReportSnapshotAdmin(admin.ModelAdmin):
    list_display = ["week", "version", "created_at", "updated_at", "built_by"]
    exclude = ["data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from .models import RecordRedaction, SweepFailure  # noqa: E402 - appended with the hardening work


@admin.register(SweepFailure)
class SweepFailureAdmin(ReadOnlyRecordMixin, admin.ModelAdmin):
    """What the deadline sweep could not process; fix the complaint's data, and it is swept again."""

    list_display = ["reference", "last_seen", "count", "first_seen"]
    readonly_fields = ["complaint", "reference", "error", "first_seen", "last_seen", "count"]


@admin.register(RecordRedaction)
class RecordRedactionAdmin(ReadOnlyRecordMixin, admin.ModelAdmin):
    """The audit trail of erasures in the filed record: who, when, why; never the erased strings."""

    list_display = ["complaint", "created_at", "by"]
    list_select_related = ["complaint", "by"]


class RegimeClockInline(admin.TabularInline):
    model = RegimeClock
    fields = [
        "position",
        "code",
        "name",
        "name_zh",
        "amount",
        "unit",
        "end_of_business_day",
        "stops_at",
        "warn_before",
    ]
    extra = 0


class RegimeRuleInline(admin.TabularInline):
    model = RegimeRule
    fields = ["position", "channel", "category", "origin", "is_enabled"]
    extra = 0


@admin.register(Regime)
class RegimeAdmin(admin.ModelAdmin):
    """Outside deadlines: a regime's clocks and the rules that give it to new complaints
    (the first rule in use that matches wins, across all regimes, by position)."""

    list_display = ["code", "name", "name_zh", "is_enabled"]
    list_editable = ["is_enabled"]
    search_fields = ["code", "name", "name_zh"]
    inlines = [RegimeClockInline, RegimeRuleInline]


@admin.register(ComplaintClock)
class ComplaintClockAdmin(ReadOnlyRecordMixin, admin.ModelAdmin):
    list_display = [
        "complaint",
        "regime",
        "clock",
        "due_at",
        "met_at",
        "warned_at",
        "breached_at",
        "dropped_at",
    ]
    list_filter = ["regime"]
    list_select_related = ["complaint", "regime", "clock"]
    raw_id_fields = ["complaint"]


from .models import (  # noqa: E402 - appended with the systemic issues
    SystemicIssue,
    SystemicIssueComplaint,
    SystemicSuggestion,
)


class SystemicIssueComplaintInline(admin.TabularInline):
    """Links are read here; linking goes through the issue's page so each one is filed."""

    model = SystemicIssueComplaint
    fields = ["complaint", "linked_at", "linked_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SystemicIssue)
class SystemicIssueAdmin(admin.ModelAdmin):
    """Titles and texts may be corrected here; status, links and dates go through the desk's page."""

    list_display = ["title", "status", "owner", "opened_at", "fixed_at", "closed_at"]
    list_filter = ["status"]
    list_select_related = ["owner"]
    search_fields = ["title", "description"]
    readonly_fields = ["status", "opened_at", "opened_by", "fixed_at", "closed_at", "updated_at"]
    inlines = [SystemicIssueComplaintInline]

    def has_add_permission(self, request):
        return False


@admin.register(SystemicSuggestion)
class SystemicSuggestionAdmin(admin.ModelAdmin):
    """Read-only: suggestions are accepted or dismissed on /issues/."""

    list_display = ["title", "category", "customer_count", "status", "created_at", "decided_by"]
    list_filter = ["status", "category"]
    list_select_related = ["category", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
