"""The supervisors' escalation queue (/escalations/) and compensation approval (page and API).

Thin: every change goes through complaints.services or complaints.compensation.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from . import compensation, roles, services
from .limits import LONG_TEXT, NOTE
from .models import CompensationRequest, Complaint, Stage
from .selectors import sweep_failures_recent

QUEUE_LIMIT = 200
Pending = CompensationRequest.Status.PENDING


def escalation_queue(now=None, limit=QUEUE_LIMIT):
    """Escalated open complaints and those with compensation awaiting approval.

    Most overdue first (whole hours past the deadline that applies now: the response
    deadline while nobody has answered, otherwise the resolution deadline); among equally
    overdue ones, VIP (tier A) customers first. Three queries whatever the queue holds.
    """
    now = now or timezone.now()
    pending = CompensationRequest.objects.filter(complaint=OuterRef("pk"), status=Pending)
    due = Case(
        When(stage=Stage.CONTROL, responded_at__isnull=True, then=F("respond_by")), default=F("resolve_by")
    )
    rows = list(
        Complaint.objects.exclude(stage=Stage.CLOSED)
        .annotate(has_pending=Exists(pending), due_at=due)
        .filter(Q(escalated=True) | Q(has_pending=True))
        .select_related("customer", "assignee", "category", "escalation_acknowledged_by")
        .prefetch_related(
            Prefetch(
                "compensation_requests",
                queryset=CompensationRequest.objects.filter(status=Pending).select_related("requested_by"),
                to_attr="pending_requests",
            )
        )
        .order_by("due_at", "id")[:limit]
    )
    for c in rows:
        c.overdue_for = max(now - c.due_at, timedelta(0))
        c.urgency = int(c.overdue_for.total_seconds() // 3600)
    rows.sort(key=lambda c: (-c.urgency, c.customer.tier != "A", c.due_at, c.pk))
    return rows


def _supervisor(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not roles.is_supervisor(request.user):
            raise PermissionDenied(_("The escalation queue is for supervisors."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


def _workers():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[roles.STAFF, roles.SUPERVISOR])
        .distinct()
        .order_by("username")
    )


@require_GET
@_supervisor
def queue(request):
    now = timezone.now()
    return render(
        request,
        "escalations/queue.html",
        {
            "rows": escalation_queue(now),
            "workers": list(_workers()),
            "now": now,
            "sweep_failures": list(sweep_failures_recent(now)[:20]),
        },
    )


ACTIONS = {
    "acknowledge": (services.complaint_acknowledge_escalation, lambda p: {"note": p.get("note", "")}),
    "deescalate": (services.complaint_deescalate, lambda p: {"reason": p.get("reason", "")}),
    "reassign": (
        services.complaint_reassign,
        lambda p: {"assignee": p.get("assignee", ""), "note": p.get("note", "")},
    ),
    "note": (services.complaint_add_note, lambda p: {"text": p.get("text", "")}),
}

DONE = {
    "acknowledge": gettext_lazy("Escalation acknowledged."),
    "deescalate": gettext_lazy("Escalation ended."),
    "reassign": gettext_lazy("Complaint reassigned."),
    "note": gettext_lazy("Note filed."),
}


def _messages_of(exc):
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


@require_POST
@_supervisor
def act(request, pk, action):
    if action not in ACTIONS:
        raise Http404(_("Unknown action."))
    complaint = get_object_or_404(Complaint, pk=pk)
    service, data = ACTIONS[action]
    try:
        service(complaint=complaint, data=data(request.POST), by=request.user)
    except (services.Conflict, ValidationError) as exc:
        messages.error(request, f"{complaint.reference}: {_messages_of(exc)}")
    else:
        messages.success(request, f"{complaint.reference}: {DONE[action]}")
    return redirect("escalation-queue")


@require_POST
@_supervisor
def decide(request, pk, decision):
    if decision not in ("approve", "refuse"):
        raise Http404(_("Unknown decision."))
    comp = get_object_or_404(CompensationRequest.objects.select_related("complaint"), pk=pk)
    try:
        compensation.compensation_decide(
            request=comp,
            approve=decision == "approve",
            data={"note": request.POST.get("note", "")},
            by=request.user,
        )
    except (services.Conflict, ValidationError) as exc:
        messages.error(request, f"{comp.complaint.reference}: {_messages_of(exc)}")
    else:
        label = _("Compensation approved.") if decision == "approve" else _("Compensation refused.")
        messages.success(request, f"{comp.complaint.reference}: {label}")
    return redirect("escalation-queue")


# --- API -----------------------------------------------------------------------------


class CompensationRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompensationRequest
        fields = [
            "id",
            "complaint",
            "amount",
            "reason",
            "status",
            "requested_at",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class CompensationAskSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    reason = serializers.CharField(max_length=LONG_TEXT)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE)


ERRORS = {
    400: OpenApiResponse(description="Invalid data"),
    403: OpenApiResponse(description="Your role may not do this"),
    404: OpenApiResponse(description="Not found"),
    409: OpenApiResponse(description="Not possible now"),
}


class CanWork(BasePermission):
    def has_permission(self, request, view):
        return roles.can_work_complaints(request.user)


class CompensationAskView(APIView):
    permission_classes = [CanWork]

    @extend_schema(
        request=CompensationAskSerializer, responses={201: CompensationRequestSerializer, **ERRORS}
    )
    def post(self, request, pk):
        complaint = get_object_or_404(Complaint, pk=pk)
        made = compensation.compensation_request(complaint=complaint, data=request.data, by=request.user)
        return Response(CompensationRequestSerializer(made).data, status=201)


class CompensationDecideView(APIView):
    permission_classes = [CanWork]
    approve = True

    @extend_schema(request=DecisionSerializer, responses={200: CompensationRequestSerializer, **ERRORS})
    def post(self, request, pk):
        comp = get_object_or_404(CompensationRequest, pk=pk)
        decided = compensation.compensation_decide(
            request=comp, approve=self.approve, data=request.data, by=request.user
        )
        return Response(CompensationRequestSerializer(decided).data)


class CompensationRefuseView(CompensationDecideView):
    approve = False
