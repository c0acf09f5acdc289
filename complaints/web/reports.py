"""Pages of the weekly root-cause report and the preventive actions.

Thin: parse the week, read a published snapshot (or compute the live figures), call the
services for changes. Supervisors and managers read; supervisors change preventive actions.
"""

import io
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import access
from ..exceptions import Conflict
from ..models import PreventiveAction, WeeklyReportSnapshot
from ..reports import charts, prevention, publishing, weeks
from ..reports.csvsafe import write_rows
from ..reports.present import csv_tables, present
from ..reports.reading import monday_from, report_for


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
        "week_ended": weeks.week_bounds(monday)[1] <= timezone.now(),
        "open_actions": prevention.preventive_action_list()
        .exclude(status=PreventiveAction.Status.VERIFIED)
        .order_by("due_at", "id")[:50],
        "can_update_actions": access.is_supervisor(request.user),
    }
    return render(request, "reports/weekly.html", context)


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
@access.report_page
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
    messages.success(
        request,
        _("Report %(week)s rebuilt (version %(version)s).")
        % {"week": snapshot.week, "version": snapshot.version},
    )
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
