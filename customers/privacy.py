"""A customer's right to see and to erase their personal data.

Export gathers everything held about one customer. Erasure removes what identifies them
(name, phone, email, the private links) and keeps the facts: the complaints, their filed
record (append-only, and the record holds only the customer's id), outcomes and scores.
"""

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import roles
from complaints.models import Complaint, ComplaintRecord, Notification

from .models import Customer, SurveyInvitation

COMPLAINT_FIELDS = [
    "reference",
    "channel",
    "severity",
    "stage",
    "created_at",
    "closed_at",
    "content",
    "what_happened",
    "when_happened",
    "desired_outcome",
    "product",
    "purchase_date",
    "resolution",
    "remedy",
    "satisfaction_score",
]


def export_customer(customer):
    """Everything held about one customer, as JSON-ready data."""
    complaints = list(Complaint.objects.filter(customer=customer).order_by("created_at", "id"))
    records = {}
    for record in ComplaintRecord.objects.filter(complaint__customer=customer).order_by("created_at", "id"):
        records.setdefault(record.complaint_id, []).append(
            {"kind": record.kind, "stage": record.stage, "created_at": record.created_at, "data": record.data}
        )
    surveys = {}
    for survey in SurveyInvitation.objects.filter(complaint__customer=customer, answered_at__isnull=False):
        surveys.setdefault(survey.complaint_id, []).append(
            {"answered_at": survey.answered_at, "score": survey.score, "comment": survey.comment}
        )
    data = {
        "customer": {
            "id": customer.pk,
            "name": customer.name,
            "phone": customer.phone,
            "email": customer.email,
            "tier": customer.tier,
            "preferred_language": customer.preferred_language,
            "created_at": customer.created_at,
            "erased_at": customer.erased_at,
        },
        "value_figures": list(
            customer.value_figures.order_by("period").values("period", "revenue", "profit")
        ),
        "complaints": [
            {
                **{name: getattr(c, name) for name in COMPLAINT_FIELDS},
                "record": records.get(c.pk, []),
                "surveys": surveys.get(c.pk, []),
            }
            for c in complaints
        ],
    }
    # A round trip through the encoder turns dates and decimals into plain JSON values.
    import json

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def erase_customer(*, customer, reason, by, now=None):
    """Remove the customer's personal data; keep the complaints and their record."""
    if not roles.is_supervisor(by):
        raise PermissionDenied(_("Only a supervisor may erase a customer's personal data."))
    now = now or timezone.now()
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        email = customer.email
        customer.name = _("Erased customer %(id)s") % {"id": customer.pk}
        customer.phone = ""
        customer.email = ""
        customer.erased_at = now
        customer.save()
        complaint_ids = list(Complaint.objects.filter(customer=customer).values_list("pk", flat=True))
        # Private links stop working; nothing more goes out to the old address.
        Complaint.objects.filter(pk__in=complaint_ids).update(tracking_token=None)
        SurveyInvitation.objects.filter(complaint_id__in=complaint_ids, answered_at__isnull=True).delete()
        if email:
            Notification.objects.filter(to=email, status=Notification.Status.PENDING).update(
                status=Notification.Status.FAILED, last_error="customer data erased"
            )
            Notification.objects.filter(to=email).update(to="", subject="", body="", html="")
        ComplaintRecord.objects.bulk_create(
            [
                ComplaintRecord(
                    complaint_id=complaint_id,
                    kind=ComplaintRecord.Kind.PROCESS,
                    stage=stage,
                    author=by,
                    created_at=now,
                    data={"action": "customer_erased", "reason": reason},
                )
                for complaint_id, stage in Complaint.objects.filter(pk__in=complaint_ids).values_list(
                    "pk", "stage"
                )
            ]
        )
    return customer
