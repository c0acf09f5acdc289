"""How satisfied the customer is after closing: the survey link, their answer, a follow-up call."""

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import SurveyInvitation

from .. import access
from ..escalations.rules import is_low_satisfaction
from ..escalations.services import escalate
from ..exceptions import Conflict
from ..models import Complaint, ComplaintRecord, Stage, lock
from ..notifications.messages import (
    LOW_SATISFACTION,
    escalation_reasons,
    queue_low_satisfaction_notices,
    send_customer_message,
    site_link,
)
from ..records import file_record
from ..validation import validated
from .forms import SatisfactionForm


def complaint_record_satisfaction(
    *, complaint: Complaint, data: Mapping[str, Any], by: AbstractBaseUser, now: datetime | None = None
) -> Complaint:
    """File how satisfied the customer is after closing (follow-up call or survey)."""
    access.require_worker(by)
    cleaned = validated(SatisfactionForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        complaint = lock(complaint)
        if complaint.stage != Stage.CLOSED:
            raise Conflict(_("Satisfaction is asked after the complaint is closed."))
        return _file_score(complaint, cleaned, by=by, now=now, data=cleaned)


def complaint_record_customer_satisfaction(
    *, complaint: Complaint, data: Mapping[str, Any], source: str, now: datetime | None = None
) -> Complaint:
    """File the customer's own answer (the public survey): no staff member involved."""
    cleaned = validated(SatisfactionForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        return _file_score(complaint, cleaned, by=None, now=now, data={**cleaned, "source": source})


def _file_score(complaint, cleaned, *, by, now, data):
    """Keep the score, file it, and escalate a low one (escalations.rules.is_low_satisfaction)."""
    score = cleaned["score"]
    Complaint.objects.filter(pk=complaint.pk).update(satisfaction_score=score)
    complaint.satisfaction_score = score
    filed = file_record(complaint, ComplaintRecord.Kind.SATISFACTION, by=by, now=now, data=data)
    if is_low_satisfaction(score):
        reason_values = {"score": score}
        reason = escalation_reasons()(LOW_SATISFACTION, reason_values, "")

        def notice(escalated, reason, record, now):
            queue_low_satisfaction_notices(
                escalated,
                score=score,
                comment=cleaned["comment"],
                key=f"low-satisfaction:{filed.pk}",
                now=now,
            )

        # Closed or not, already escalated or not: a supervisor follows it up.
        escalated = escalate(
            complaint,
            reason=reason,
            by=by,
            now=now,
            record={"action": "low_satisfaction", "score": score, "escalated": True, "reason": reason},
            closed_too=True,
            notice=notice,
            reason_code=LOW_SATISFACTION,
            reason_values=reason_values,
        )
        return escalated
    return complaint


def survey_invite(*, complaint: Complaint, now: datetime | None = None) -> SurveyInvitation:
    """On closing: issue a single-use survey link and email it when there is an address."""
    now = now or timezone.now()
    invitation = SurveyInvitation.objects.create(
        complaint=complaint, token=secrets.token_urlsafe(32), created_at=now
    )
    send_customer_message(
        complaint=complaint,
        kind="survey",
        template="survey",
        context={"link": site_link(f"/survey/{invitation.token}/")},
        key=f"survey:{invitation.pk}",
        now=now,
    )
    return invitation
