"""The final response: what the letter and the email at close must say (ISO 10002
"communicating the decision", FCA DISP 1.6's final response): the decision, its reasons, the
remedy and when it happens, and where the customer can turn if they are not happy."""

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import dateformat, translation

from ..models import Complaint, ReferralText, remedy_required
from ..wording import localised


def referral_text_for(complaint: Complaint) -> str:
    """Where to go next, in the customer's language: the active text of the complaint's
    category, else the company's (no category), else CLEAR_DESK["REFERRAL_TEXT"]."""
    found = (
        ReferralText.objects.filter(is_active=True)
        .filter(Q(category_id=complaint.category_id) | Q(category__isnull=True))
        .order_by("category_id")  # the category's own text first (NULLs sort last)
        .first()
    )
    desk = settings.CLEAR_DESK
    english, chinese = (
        (found.text, found.text_zh) if found else (desk["REFERRAL_TEXT"], desk["REFERRAL_TEXT_ZH"])
    )
    with translation.override(complaint.customer.preferred_language):
        return localised(english, chinese).strip()


def final_response_blocks(complaint: Complaint) -> dict[str, Any]:
    """The four blocks of the final response, for the letter page and the email; call it in
    the customer's language (the typed texts are theirs already)."""
    desk = settings.CLEAR_DESK
    return {
        "signatory": desk["LETTER_SIGNATORY"],
        "signatory_title": desk["LETTER_SIGNATORY_TITLE"],
        "decision": complaint.get_decision_display(),
        "decision_code": complaint.decision,
        "reasons": complaint.decision_reasons,
        "remedy": complaint.customer_message if remedy_required(complaint.resolution) else "",
        "message": complaint.customer_message,
        "remedy_due": dateformat.format(complaint.remedy_due, "Y-m-d") if complaint.remedy_due else "",
        "referral": complaint.referral_text,
    }
