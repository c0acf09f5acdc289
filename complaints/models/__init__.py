"""The desk's models, one module per area, all importable from here (app label `complaints`)."""

from .coaching import AvoidPhrase
from .complaint import (
    ESCALATION_FIELDS,
    OPEN_STAGES,
    Channel,
    Complaint,
    ContactPreference,
    Resolution,
    Severity,
    Stage,
    choice_label,
    deadline_now,
    lock,
    new_reference,
    overdue_from,
    stage_label,
)
from .deadlines import BusinessHours, CalendarDay, DeadlineEvent, SLAPolicy, SweepFailure
from .escalations import CompensationRequest
from .notifications import Notification
from .options import Category, Department, OptionEntry, RootCause
from .preferences import StaffPreference
from .record import ComplaintRecord, RecordRedaction
from .redress import Redress
from .reports import PreventiveAction, WeeklyReportSnapshot
from .workflow import CallbackPromise, SubmissionKey

__all__ = [
    "ESCALATION_FIELDS",
    "OPEN_STAGES",
    "AvoidPhrase",
    "BusinessHours",
    "CalendarDay",
    "CallbackPromise",
    "Category",
    "Channel",
    "CompensationRequest",
    "Complaint",
    "ComplaintRecord",
    "ContactPreference",
    "DeadlineEvent",
    "Department",
    "Notification",
    "OptionEntry",
    "PreventiveAction",
    "RecordRedaction",
    "Redress",
    "Resolution",
    "RootCause",
    "SLAPolicy",
    "Severity",
    "StaffPreference",
    "Stage",
    "SubmissionKey",
    "SweepFailure",
    "WeeklyReportSnapshot",
    "choice_label",
    "deadline_now",
    "lock",
    "new_reference",
    "overdue_from",
    "stage_label",
]
