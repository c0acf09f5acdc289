"""The systemic-issue register's pages: the list with the desk's suggestions, an issue with
its complaints, opening and changing one. Thin: selectors read, services write.

Every role reads the register (access.desk_page); supervisors and managers open, change and
link issues and decide on suggestions (access.can_manage_systemic_issues), anyone else's
POST answers 403. A form with errors comes back with what was typed and a 400.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from ..exceptions import Conflict
from ..models import Complaint, SystemicIssue, SystemicSuggestion
from ..systemic import selectors, services
from ..systemic.forms import AcceptForm, LinkForm, SystemicIssueForm


def _errors_onto(form, exc):
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@access.desk_page
def issue_list(request):
    can_manage = access.can_manage_systemic_issues(request.user)
    context = {
        "issues": list(selectors.issue_list()),
        "suggestions": selectors.pending_suggestions() if can_manage else [],
        "can_manage": can_manage,
    }
    return render(request, "systemic/list.html", context)


@access.desk_page
def issue_new(request):
    access.require_systemic_manager(request.user)
    form = SystemicIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.systemic_issue_create(data=request.POST, by=request.user)
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, _("Systemic issue opened. Link the complaints it explains."))
            return redirect("systemic-issue-detail", pk=issue.pk)
    return render(
        request,
        "systemic/form.html",
        {"form": form, "issue": None},
        status=400 if form.is_bound else 200,
    )


def _detail(request, issue, *, edit_form=None, link_form=None, status=200, conflict=None):
    can_manage = access.can_manage_systemic_issues(request.user)
    initial = {
        "title": issue.title,
        "description": issue.description,
        "owner": issue.owner_id,
        "status": issue.status,
        "preventive_action": issue.preventive_action,
    }
    context = {
        "issue": issue,
        "complaints": list(selectors.issue_complaints(issue)),
        "can_manage": can_manage,
        "edit_form": edit_form or (SystemicIssueForm(initial=initial) if can_manage else None),
        "link_form": link_form or (LinkForm() if can_manage else None),
        "conflict": conflict,
    }
    return render(request, "systemic/detail.html", context, status=status)


@access.desk_page
def issue_detail(request, pk):
    if request.method == "POST":
        access.require_systemic_manager(request.user)  # the role first, then the issue
    issue = get_object_or_404(SystemicIssue.objects.select_related("owner", "opened_by"), pk=pk)
    if request.method != "POST":
        return _detail(request, issue)
    action = request.POST.get("action", "")
    if action == "edit":
        form = SystemicIssueForm(request.POST)
        if not form.is_valid():
            return _detail(request, issue, edit_form=form, status=400)
        try:
            services.systemic_issue_update(issue=issue, data=request.POST, by=request.user)
        except ValidationError as exc:
            _errors_onto(form, exc)
            return _detail(request, issue, edit_form=form, status=400)
        messages.success(request, _("Systemic issue saved."))
    elif action == "link":
        form = LinkForm(request.POST)
        if not form.is_valid():
            return _detail(request, issue, link_form=form, status=400)
        try:
            complaints = services.complaints_by_reference(form.cleaned_data["references"])
            linked = services.systemic_issue_link(issue=issue, complaints=complaints, by=request.user)
        except ValidationError as exc:
            _errors_onto(form, exc)
            return _detail(request, issue, link_form=form, status=400)
        except Conflict as exc:
            return _detail(request, issue, link_form=form, status=409, conflict=str(exc))
        messages.success(request, _("Complaints linked: %(count)s.") % {"count": len(linked)})
    elif action == "unlink":
        complaint_id = request.POST.get("complaint", "")
        if not complaint_id.isdigit():
            raise Http404(_("No such complaint."))
        complaint = get_object_or_404(Complaint, pk=int(complaint_id))
        try:
            services.systemic_issue_unlink(issue=issue, complaint=complaint, by=request.user)
        except Conflict as exc:
            return _detail(request, issue, status=409, conflict=str(exc))
        messages.success(
            request,
            _("Complaint %(reference)s removed from this issue.") % {"reference": complaint.reference},
        )
    else:
        raise Http404(_("There is no such action."))
    return redirect("systemic-issue-detail", pk=issue.pk)


@require_POST
@access.systemic_manager_page
def suggestion_decide(request, pk, decision):
    if decision not in ("accept", "dismiss"):
        raise Http404(_("There is no such action."))
    suggestion = get_object_or_404(SystemicSuggestion, pk=pk)
    try:
        if decision == "accept":
            form = AcceptForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
                return redirect("systemic-issue-list")
            title = form.cleaned_data["title"]
            issue = services.suggestion_accept(suggestion=suggestion, by=request.user, title=title)
            messages.success(request, _("Systemic issue opened with the suggested complaints."))
            return redirect("systemic-issue-detail", pk=issue.pk)
        services.suggestion_dismiss(suggestion=suggestion, by=request.user)
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect("systemic-issue-list")
    messages.success(request, _("Suggestion dismissed; these complaints will not be suggested again."))
    return redirect("systemic-issue-list")
