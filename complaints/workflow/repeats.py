"""Repeat complaints: the customer complained about the same thing a short while ago.

Intake (the page and POST /api/complaints/) asks repeat_candidates() before saving: the
customer's complaints received in the last CLEAR_DESK["REPEAT_WINDOW_DAYS"] days (30 unless
set) about the same category or the same product, open or closed, newest first. The person at
intake then either adds this contact to the earlier complaint (complaint_add_contact) or logs a
new complaint marked as its repeat (Complaint.repeat_of, set by intake.complaint_create).

A closed earlier complaint is not reopened by adding a contact: the entry is filed on its
record and the person lands on its page, where reopening stays the deliberate step it is
everywhere else (a worker, with a reason). Whether the customer's new call means the
problem is back is for them to judge with the customer, not for intake to guess.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer

from .. import access
from ..models import (
    Category,
    Complaint,
    ComplaintRecord,
    Resolution,
    choice_label,
    lock,
    stage_label,
)
from ..records import file_record
from ..validation import validated
from ..wording import duration_text
from .forms import ContactAgainForm

DEFAULT_WINDOW_DAYS = 30
LIMIT = 3
# The record entry complaint_add_contact files (web.desk titles it).
CONTACTED_AGAIN = "contacted_again"


def repeat_window() -> timedelta:
    return timedelta(days=int(settings.CLEAR_DESK.get("REPEAT_WINDOW_DAYS", DEFAULT_WINDOW_DAYS)))


def repeat_candidates(
    *,
    customer: Customer,
    category: Category,
    product: str = "",
    user: AbstractBaseUser | AnonymousUser,
    now: datetime | None = None,
    exclude: Complaint | None = None,
    limit: int = LIMIT,
) -> list[Complaint]:
    """The customer's complaints of the last REPEAT_WINDOW_DAYS about `category` (or `product`),
    newest first. One query, through the customer's own index (a customer has few complaints)."""
    if not access.has_any_role(user) or customer.pk is None:
        return []
    now = now or timezone.now()
    about = Q(category_id=category.pk)
    if product.strip():
        about |= Q(product__iexact=product.strip())
    found = Complaint.objects.filter(about, customer_id=customer.pk, created_at__gte=now - repeat_window())
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return list(
        found.select_related("category")
        .only(
            "reference",
            "stage",
            "created_at",
            "closed_at",
            "resolution",
            "remedy",
            "customer_id",
            "category__code",
            "category__label",
            "category__label_zh",
        )
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class RepeatSummary:
    """An earlier complaint as intake describes it: how long ago, and where it stands."""

    complaint: Complaint
    ago: str
    status: str


def summarise(complaint: Complaint, *, now: datetime | None = None) -> RepeatSummary:
    now = now or timezone.now()
    if complaint.is_open:
        status = _("still open (%(stage)s)") % {"stage": stage_label(complaint.stage)}
    elif complaint.remedy:
        status = _("closed, %(resolution)s: %(remedy)s") % {
            "resolution": choice_label(Resolution, complaint.resolution).lower(),
            "remedy": complaint.remedy,
        }
    else:
        status = _("closed, %(resolution)s") % {
            "resolution": choice_label(Resolution, complaint.resolution).lower()
        }
    return RepeatSummary(complaint, duration_text(now - complaint.created_at), status)


def complaint_add_contact(
    *,
    complaint: Complaint,
    channel: str,
    content: str,
    by: AbstractBaseUser,
    now: datetime | None = None,
) -> Complaint:
    """File "the customer contacted us again" with what they said on an earlier complaint,
    open or closed; no new complaint, and no change of stage (see the module's note)."""
    access.require_worker(by)
    cleaned = validated(ContactAgainForm, {"channel": channel, "content": content})
    channel, content = cleaned["channel"], cleaned["content"]
    now = now or timezone.now()
    with transaction.atomic():
        # Locked so the entry carries the stage the complaint is in when it is filed, not the
        # one read before (a colleague may be closing it this moment).
        current = lock(complaint)
        file_record(
            current,
            ComplaintRecord.Kind.PROCESS,
            by=by,
            now=now,
            data={"action": CONTACTED_AGAIN, "channel": channel, "content": content},
        )
    return current
