"""The desk's models, one module per area, all importable from here (app label `complaints`)."""

from .attachments import Attachment, attachment_storage
from .coaching import AvoidPhrase
from .complaint import (
    ESCALATION_FIELDS,
    OPEN_STAGES,
    Channel,
    Complaint,
    ContactPreference,
    Decision,
    Resolution,
    Severity,
    Stage,
    choice_label,
    deadline_now,
    decision_for,
    lock,
    new_reference,
    overdue_from,
    remedy_required,
    stage_label,
)
from .deadlines import BusinessHours, CalendarDay, DeadlineEvent, SLAPolicy, SweepFailure
from .escalations import CompensationRequest
from .holds import ComplaintHold
from .letters import ReferralText
from .notifications import Notification
from .options import Category, Department, OptionEntry, RootCause
from .preferences import StaffPreference
from .record import ComplaintRecord, RecordRedaction
from .redress import Redress
from .regimes import ClockStop, ComplaintClock, ComplaintOrigin, Regime, RegimeClock, RegimeRule
from .reports import PreventiveAction, WeeklyReportSnapshot
from .systemic import SystemicIssue, SystemicIssueComplaint, SystemicSuggestion, SystemicSuggestionComplaint
from .workflow import CallbackPromise, SubmissionKey

__all__ = [
    "ESCALATION_FIELDS",
    "OPEN_STAGES",
    "Attachment",
    "AvoidPhrase",
    "BusinessHours",
    "CalendarDay",
    "CallbackPromise",
    "Category",
    "Channel",
    "ClockStop",
    "CompensationRequest",
    "Complaint",
    "ComplaintClock",
    "ComplaintHold",
    "ComplaintOrigin",
    "ComplaintRecord",
    "ContactPreference",
    "DeadlineEvent",
    "Decision",
    "Department",
    "Notification",
    "OptionEntry",
    "PreventiveAction",
    "RecordRedaction",
    "Redress",
    "ReferralText",
    "Regime",
    "RegimeClock",
    "RegimeRule",
    "Resolution",
    "RootCause",
    "SLAPolicy",
    "Severity",
    "StaffPreference",
    "Stage",
    "SubmissionKey",
    "SweepFailure",
    "SystemicIssue",
    "SystemicIssueComplaint",
    "SystemicSuggestion",
    "SystemicSuggestionComplaint",
    "WeeklyReportSnapshot",
    "attachment_storage",
    "choice_label",
    "deadline_now",
    "decision_for",
    "lock",
    "new_reference",
    "overdue_from",
    "remedy_required",
    "stage_label",
]
