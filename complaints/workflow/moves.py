"""Who last moved a complaint, and when, in words: what a member of staff reads when a
colleague moved the complaint while they were typing."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from ..models import Complaint, ComplaintRecord, stage_label
from ..wording import moment_text


def last_move(complaint: Complaint) -> ComplaintRecord | None:
    """The newest record entry of a CLEAR transition of `complaint` (who, when, to which stage)."""
    return (
        ComplaintRecord.objects.filter(complaint=complaint, data__has_key="transition")
        .select_related("author")
        .order_by("-created_at", "-id")
        .first()
    )


def person_name(user: AbstractBaseUser | None) -> str:
    """A colleague as the pages name them: the full name, else the username."""
    if user is None:
        return _("Someone")
    full = getattr(user, "get_full_name", lambda: "")().strip()
    return full or user.get_username()


def moved_text(complaint: Complaint) -> str:
    """ "Li Na moved this complaint to Establish empathy at 14:02." (in the reader's zone)."""
    move = last_move(complaint)
    if move is None:
        return _("Someone else moved this complaint a moment ago.")
    return _("%(who)s moved this complaint to %(stage)s at %(when)s.") % {
        "who": person_name(move.author),
        "stage": stage_label(move.data.get("to") or complaint.stage),
        "when": moment_text(move.created_at, clock_only_today=True),
    }
