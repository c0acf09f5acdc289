"""How satisfied the customer is after closing: the survey link, their answer, a follow-up call."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import SurveyInvitation

from .. import access
from ..exceptions import Conflict
from ..models import Complaint, ComplaintRecord, Stage, lock
from ..notifications.messages import queue_customer_email, site_link
from ..records import file_record
from ..validation import validated
from .forms import SatisfactionForm


def complaint_record_satisfaction(*, complaint, data, by, now=None):
    """File how satisfied the customer is after closing (follow-up call or survey)."""
    access.require_worker(by)
    cleaned = validated(SatisfactionForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        complaint = lock(complaint)
        if complaint.stage != Stage.CLOSED:
            raise Conflict(_("Satisfaction is asked after the complaint is closed."))
        Complaint.objects.filter(pk=complaint.pk).update(satisfaction_score=cleaned["score"])
        complaint.satisfaction_score = cleaned["score"]
        file_record(complaint, ComplaintRecord.Kind.SATISFACTION, by=by, now=now, data=cleaned)
    return complaint


def complaint_record_customer_satisfaction(*, complaint, data, source, now=None):
    """File the customer's own answer (the public survey): no staff member involved."""
    cleaned = validated(SatisfactionForm, data)
    now = now or timezone.now()
    with transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(satisfaction_score=cleaned["score"])
        complaint.satisfaction_score = cleaned["score"]
        file_record(
            complaint, ComplaintRecord.Kind.SATISFACTION, by=None, now=now, data={**cleaned, "source": source}
        )
    return complaint


def complaint_flag_low_satisfaction(*, complaint, score, now=None):
    """A dissatisfied customer after closing: put the complaint in front of a supervisor.

    Compare-and-set like complaint_escalate, but closed complaints qualify; one that is
    already escalated keeps its first escalation. Returns True if this call escalated it.
    """
    now = now or timezone.now()
    reason = _("The customer rated the outcome %(score)s out of 5.") % {"score": score}
    with transaction.atomic():
        claimed = Complaint.objects.filter(pk=complaint.pk, escalated=False).update(
            escalated=True, escalated_at=now, escalation_reason=reason
        )
        file_record(
            complaint,
            ComplaintRecord.Kind.PROCESS,
            by=None,
            now=now,
            data={"action": "low_satisfaction", "score": score, "escalated": bool(claimed), "reason": reason},
        )
    return bool(claimed)


def survey_invite(*, complaint, now=None):
    """On closing: issue a single-use survey link and email it when there is an address."""
    now = now or timezone.now()
    invitation = SurveyInvitation.objects.create(
        complaint=complaint, token=secrets.token_urlsafe(32), created_at=now
    )
    queue_customer_email(
        customer=complaint.customer,
        template="survey",
        context={"complaint": complaint, "link": site_link(f"/survey/{invitation.token}/")},
        key=f"survey:{invitation.pk}",
        complaint=complaint,
    )
    return invitation
