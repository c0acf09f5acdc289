"""The supervisors' escalation queue (/escalations/) and compensation approval on it.

Thin: every change goes through complaints.escalations.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .. import access
from ..deadlines.selectors import sweep_failures_recent
from ..escalations import compensation, services
from ..escalations.queue import escalation_queue, workers
from ..models import CompensationRequest, Complaint


@require_GET
@access.supervisor_page
def queue(request):
    now = timezone.now()
    return render(
        request,
        "escalations/queue.html",
        {
            "rows": escalation_queue(now),
            "workers": list(workers()),
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
@access.supervisor_page
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
@access.supervisor_page
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
