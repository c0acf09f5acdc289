"""Pages of the weekly root-cause report and the preventive actions.

Thin: parse the week, read a published snapshot (or compute the live figures), call the
services for changes. Supervisors and managers read, and publish or rebuild a week
(access.can_publish_reports); supervisors change preventive actions. Every root cause and
category count links to the list of the complaints it is made of (`report_complaints`).
"""

import io
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from customers.models import Customer

from .. import access
from ..exceptions import Conflict
from ..models import Category, Channel, Complaint, PreventiveAction, RootCause, Severity, WeeklyReportSnapshot
from ..reports import charts, prevention, publishing, weeks
from ..reports.csvsafe import write_rows
from ..reports.filters import FIGURE_LABELS, ReportComplaintFilter
from ..reports.present import csv_tables, present
from ..reports.reading import monday_from, report_for
from ..reports.recurrence import RECURRING_MIN_WEEKS
from ..reports.selectors import redress_ledger_rows


def csv_response(report, table):
    tables = csv_tables(present(report))
    if table not in tables:
        raise Http404(_("No such table. Choose one of: %(names)s.") % {"names": ", ".join(tables)})
    header, rows = tables[table]
    out = io.StringIO()
    write_rows(out, [header, *rows])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="report-{report["week"]}-{table}.csv"'
    return response


@require_GET
@access.report_page
def weekly_report(request):
    try:
        monday = monday_from(request.GET.get("week"))
    except weeks.BadWeek:
        return render(
            request,
            "reports/bad_week.html",
            {"value": request.GET.get("week", "")},
            status=400,
        )
    data, snapshot = report_for(monday)
    if request.GET.get("format") == "csv":
        return csv_response(data, request.GET.get("table", "root_causes"))
    report = present(data)
    pareto_rows = [
        {"label": c["label"], "count": c["count"], "cumulative_share": c["cumulative_share"]}
        for c in report["root_causes"]
    ]
    context = {
        "report": report,
        "snapshot": snapshot,
        "previous_week": weeks.week_label(monday - timedelta(days=7)),
        "next_week": weeks.week_label(monday + timedelta(days=7)),
        "pareto_svg": mark_safe(  # noqa: S308 - built by report_charts, every label escaped
            charts.pareto_svg(
                pareto_rows,
                title=_("Root causes of the complaints closed this week"),
                count_label=_("Complaints"),
                cumulative_label=_("Cumulative share"),
            )
        ),
        "trend_svg": mark_safe(  # noqa: S308 - built by report_charts, every label escaped
            charts.trend_svg(
                report["trend"],
                title=_("Complaints received and closed over five weeks"),
                received_label=_("Received"),
                closed_label=_("Closed"),
            )
        ),
        "tables": list(csv_tables(report)),
        "redress_tables": [
            (_("By category"), report.get("redress", {}).get("by_category", [])),
            (_("By root cause"), report.get("redress", {}).get("by_root_cause", [])),
        ],
        "week_ended": weeks.week_bounds(monday)[1] <= timezone.now(),
        "open_actions": prevention.preventive_action_list()
        .exclude(status=PreventiveAction.Status.VERIFIED)
        .order_by("due_at", "id")[:50],
        "can_update_actions": access.is_supervisor(request.user),
        "can_publish": access.can_publish_reports(request.user),
        "report_time_zone": weeks.tz(),
        "recurring_min_weeks": settings.CLEAR_DESK_REPORTS.get("RECURRING_WEEKS", RECURRING_MIN_WEEKS),
    }
    return render(request, "reports/weekly.html", context)


def _ledger_cell_moment(value):
    return timezone.localtime(value, weeks.tz()).strftime("%Y-%m-%d %H:%M") if value else ""


@require_GET
@access.report_page
def redress_ledger_csv(request):
    """Every redress with a step in the week (?week=, default the last full week), as CSV.

    Live rows, not the published snapshot: the ledger is the record of payments. Text
    typed by staff goes through csvsafe like every CSV the desk writes.
    """
    try:
        monday = monday_from(request.GET.get("week"))
    except weeks.BadWeek:
        return HttpResponseBadRequest(_("Give the week as YYYY-Www, for example 2026-W48."))
    start, end = weeks.week_bounds(monday)
    header = [
        _("Complaint"),
        _("Category"),
        _("Root cause"),
        _("Amount"),
        _("What is offered"),
        _("Status"),
        _("Offered"),
        _("Offered by"),
        _("Answered"),
        _("Paid on"),
        _("Payment method"),
        _("Payment reference"),
        _("Payment recorded by"),
    ]
    rows = [
        [
            r.complaint.reference,
            r.complaint.category.display_label,
            r.complaint.root_cause.display_label if r.complaint.root_cause else "",
            r.amount,
            r.description,
            r.get_status_display(),
            _ledger_cell_moment(r.offered_at),
            r.offered_by.get_username() if r.offered_by else "",
            _ledger_cell_moment(r.answered_at),
            r.paid_on.isoformat() if r.paid_on else "",
            r.get_method_display() if r.method else "",
            r.payment_reference,
            r.paid_by.get_username() if r.paid_by else "",
        ]
        for r in redress_ledger_rows(start, end)
    ]
    out = io.StringIO()
    write_rows(out, [header, *rows])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="redress-{weeks.week_label(monday)}.csv"'
    return response


@require_GET
@access.report_page
def report_list(request):
    snapshots = WeeklyReportSnapshot.objects.defer("data").order_by("-week")[:104]
    return render(
        request,
        "reports/index.html",
        {"snapshots": snapshots, "last_week": weeks.week_label(weeks.last_full_week())},
    )


@require_POST
@access.report_publisher_page
def weekly_rebuild(request):
    try:
        monday = weeks.parse_week(request.POST.get("week"))
    except weeks.BadWeek:
        return HttpResponseBadRequest(_("Give the week as YYYY-Www, for example 2026-W48."))
    try:
        snapshot = publishing.report_rebuild(monday=monday, by=request.user)
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect(f"/reports/weekly/?week={weeks.week_label(monday)}")
    if snapshot.version == 1:
        done = _("Report %(week)s published.")
    else:
        done = _("Report %(week)s published again (version %(version)s).")
    messages.success(request, done % {"week": snapshot.week, "version": snapshot.version})
    return redirect(f"/reports/weekly/?week={snapshot.week}")


@require_POST
@access.supervisor_page
def preventive_action_status(request, pk):
    action = get_object_or_404(PreventiveAction, pk=pk)
    back = request.POST.get("week", "")
    target = "/reports/weekly/" + (f"?week={back}" if weeks.WEEK_RE.match(back) else "")
    try:
        prevention.preventive_action_set_status(
            action=action,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except (Conflict, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect(target)
    messages.success(request, _("Preventive action updated."))
    return redirect(target)


LIST_PAGE_SIZE = 50


def _chosen(data):
    """The list's filters other than the week, as (name, value) in the reader's words."""
    names = {
        "root_cause": (_("Root cause"), lambda code: RootCause.objects.filter(code=code).first() or code),
        "category": (_("Category"), lambda code: Category.objects.filter(code=code).first() or code),
        "channel": (_("Channel"), lambda code: Channel(code).label),
        "severity": (_("Severity"), lambda code: Severity(code).label),
        "tier": (_("Customer tier"), lambda code: Customer.Tier(code).label),
    }
    return [(names[n][0], names[n][1](v)) for n, v in data.items() if n in names and v not in ("", None)]


@require_GET
@access.report_page
def report_complaints(request):
    """The complaints behind a figure of the report (reports.filters), 50 a page, newest first."""
    filters = ReportComplaintFilter(
        request.GET,
        queryset=Complaint.objects.select_related("customer", "category", "root_cause").order_by(
            "-created_at", "-id"
        ),
    )
    if not filters.is_valid():
        return render(request, "reports/complaints.html", {"filters": filters, "errors": True}, status=400)
    number = request.GET.get("page", "")
    number = int(number) if number.isascii() and number.isdigit() and 0 < int(number) < 10**6 else 1
    start = (number - 1) * LIST_PAGE_SIZE
    # One row more than a page tells whether there is a next one, without counting.
    rows = list(filters.qs[start : start + LIST_PAGE_SIZE + 1])
    data = filters.form.cleaned_data
    week = weeks.week_label(data["week"])
    figure = data.get("figure") or "closed"
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "week": week,
        "figure": FIGURE_LABELS[figure],
        "chosen": _chosen(data),
        "complaints": rows[:LIST_PAGE_SIZE],
        "number": number,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if len(rows) > LIST_PAGE_SIZE else None,
        "query": query.urlencode(),
    }
    return render(request, "reports/complaints.html", context)
