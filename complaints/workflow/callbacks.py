"""\"I'll call you back by ...\": promises to the customer, each a deadline the sweep watches."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Least
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access, bounds
from ..exceptions import Conflict
from ..models import CallbackPromise, Complaint, ComplaintRecord, lock
from ..records import file_record
from ..validation import validated
from .forms import CallbackForm, CallbackFulfilForm


def complaint_promise_callback(
    *, complaint: Complaint, data: Mapping[str, Any], by: User, now: datetime | None = None
) -> CallbackPromise:
    """Record "I'll call you back by <time>"; the promise is a deadline from now on."""
    access.require_worker(by)
    cleaned = validated(CallbackForm, data)
    now = now or timezone.now()
    try:
        bounds.check_callback_due(cleaned["due_at"], now=now)
    except ValidationError as exc:
        raise ValidationError({"due_at": exc.messages}) from None
    with transaction.atomic():
        complaint = lock(complaint)
        if not complaint.is_open:
            raise Conflict(_("This complaint is closed; reopen it before promising a callback."))
        promise = CallbackPromise.objects.create(
            complaint=complaint,
            due_at=cleaned["due_at"],
            note=cleaned["note"],
            promised_by=by,
            created_at=now,
        )
        # The promise is a deadline from now on: the one that applies now when it comes
        # first (models.deadline_now), and one the sweep watches. On hold, the clocks are
        # paused: the sweep looks again when the hold ends, and the promise keeps its time.
        due = Value(promise.due_at)
        changes = {"callback_due_at": Least(Coalesce("callback_due_at", due), due)}
        if complaint.hold_id is None:
            changes["next_deadline_at"] = Least(Coalesce("next_deadline_at", due), due)
        Complaint.objects.filter(pk=complaint.pk).update(**changes)
        file_record(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={"action": "promise_callback", "promise": promise.pk, **cleaned},
        )
    return promise


def first_open_callback() -> QuerySet[CallbackPromise, Mapping[str, Any]]:
    """The due time of a complaint's earliest open promise (a subquery on the outer complaint)."""
    return (
        CallbackPromise.objects.filter(complaint=OuterRef("pk"), fulfilled_at__isnull=True)
        .order_by("due_at")
        .values("due_at")[:1]
    )


def complaint_fulfil_callback(
    *,
    complaint: Complaint,
    promise_id: int | str,
    data: Mapping[str, Any],
    by: AbstractBaseUser,
    now: datetime | None = None,
) -> CallbackPromise:
    """Record that a promised callback was made."""
    access.require_worker(by)
    cleaned = validated(CallbackFulfilForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        kept = CallbackPromise.objects.filter(
            pk=promise_id, complaint=complaint, fulfilled_at__isnull=True
        ).update(fulfilled_at=now, fulfilled_by=by, fulfilment_note=cleaned["note"])
        if not kept:
            if not CallbackPromise.objects.filter(pk=promise_id, complaint=complaint).exists():
                raise Http404(_("No such callback promise."))
            raise Conflict(_("This callback was already recorded as made."))
        Complaint.objects.filter(pk=complaint.pk).update(callback_due_at=Subquery(first_open_callback()))
        file_record(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={"action": "fulfil_callback", "promise": int(promise_id), **cleaned},
        )
    return CallbackPromise.objects.get(pk=promise_id)
