"""Setting a complaint's deadlines: at intake, after a severity or tier change, on reopening."""

import datetime as dt
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

from customers.models import Customer

from .. import bulk
from ..models import CallbackPromise, Complaint, Stage
from . import policies
from .calendar import Deadlines


def set_deadline_fields(complaint: Complaint, due: Deadlines, callback_dues: Iterable[datetime] = ()) -> None:
    """Set the deadlines on `complaint` and the next moment the sweep must look at it."""
    complaint.respond_by = due.respond_by
    complaint.resolve_by = due.resolve_by
    complaint.respond_warn_at = due.respond_warn_at
    complaint.resolve_warn_at = due.resolve_warn_at
    # Events already handled for earlier deadlines do not matter: a new deadline is a new
    # event. The sweep drops what is no longer relevant when it next looks.
    candidates = [due.resolve_warn_at, *callback_dues]
    if complaint.responded_at is None:
        candidates.append(due.respond_warn_at)
    complaint.next_deadline_at = min(candidates)


def restart_resolution_window(complaint: Complaint, now: datetime) -> None:
    """A reopened complaint gets a fresh resolution window from now (its response was made)."""
    due = policies.deadlines_for_customer(complaint.severity, complaint.customer, now)
    complaint.resolve_by = due.resolve_by
    complaint.resolve_warn_at = due.resolve_warn_at
    callbacks = open_callback_dues([complaint.pk]).get(complaint.pk, ())
    complaint.next_deadline_at = min([due.resolve_warn_at, *callbacks])


DEADLINE_FIELDS = ["respond_by", "resolve_by", "respond_warn_at", "resolve_warn_at", "next_deadline_at"]


def open_callback_dues(complaint_ids: Iterable[int]) -> dict[int, list[datetime]]:
    dues: dict[int, list[dt.datetime]] = {}
    for complaint_id, due_at in (
        bulk.among(CallbackPromise.objects, "complaint", list(complaint_ids))
        .filter(fulfilled_at__isnull=True)
        .values_list("complaint_id", "due_at")
    ):
        dues.setdefault(complaint_id, []).append(due_at)
    return dues


def complaints_recompute_deadlines_for_customers(customer_ids: Iterable[int]) -> int:
    """Recompute the open complaints' deadlines of customers whose tier or vulnerability changed.

    Call it after changing tiers (e.g. the nightly tier ranking) or a vulnerability flag. A handful of queries
    whatever the number of complaints: one read, one for callbacks, one bulk update.
    """
    complaints = list(
        Complaint.objects.filter(customer_id__in=list(customer_ids))
        .exclude(stage=Stage.CLOSED)
        .select_related("customer")
    )
    if not complaints:
        return 0
    years = [c.created_at.astimezone(timezone.get_default_timezone()).year for c in complaints]
    rules = policies.Rules(min(years), max(years))
    dues = open_callback_dues([c.pk for c in complaints])
    for c in complaints:
        due = rules.deadlines(c.severity, c.customer.tier, c.created_at, c.customer.is_vulnerable)
        set_deadline_fields(c, due, dues.get(c.pk, ()))
    Complaint.objects.bulk_update(complaints, DEADLINE_FIELDS, batch_size=500)
    return len(complaints)


def complaints_recompute_deadlines_for_customer(customer: Customer) -> int:
    return complaints_recompute_deadlines_for_customers([customer.pk])


def on_tiers_changed(
    sender: Any, *, customer_ids: Iterable[int], now: datetime | None = None, **kwargs: Any
) -> None:
    """customers.signals.tiers_changed / vulnerability_changed: open complaints follow their
    customer's new tier or vulnerability."""
    complaints_recompute_deadlines_for_customers(customer_ids)
