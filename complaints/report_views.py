"""Pages and API for the weekly root-cause report and the preventive actions.

Thin: parse the week, read a published snapshot (or compute the live figures), call the
services for changes. Supervisors and managers read; supervisors change preventive actions.
"""

import copy
import io

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.models import Customer

from . import prevention, report_charts, report_services, reports, roles
from .csvsafe import write_rows
from .limits import NOTE
from .models import Channel, PreventiveAction, Resolution, Severity, WeeklyReportSnapshot
from .services import Conflict

# --- presentation --------------------------------------------------------------------


def _team_label(code):
    return {
        roles.STAFF: _("Service staff"),
        roles.SUPERVISOR: _("Supervisors"),
        roles.MANAGER: _("Managers"),
    }.get(code, _("Other"))


def _pick(row, prefix=""):
    zh = (translation.get_language() or "").startswith("zh")
    return (zh and row.get(f"{prefix}label_zh")) or row.get(f"{prefix}label_en") or row.get("code") or ""


def duration(seconds):
    """A median in words a manager reads at a glance."""
    if seconds is None:
        return "–"
    if seconds < 3600:
        return _("%(n)s min") % {"n": round(seconds / 60)}
    if seconds < 72 * 3600:
        return _("%(n)s h") % {"n": round(seconds / 3600, 1)}
    return _("%(n)s days") % {"n": round(seconds / 86400, 1)}


def present(report):
    """The stored report plus labels in the current language (the stored data is unchanged)."""
    r = copy.deepcopy(report)
    channels, severities = dict(Channel.choices), dict(Severity.choices)
    tiers, resolutions = dict(Customer.Tier.choices), dict(Resolution.choices)
    statuses = dict(PreventiveAction.Status.choices)
    for row in r["by_channel"]:
        row["label"] = str(channels.get(row["code"], row["code"]))
    for row in r["by_severity"]:
        row["label"] = str(severities.get(row["code"], row["code"]))
    for row in r["by_tier"]:
        row["label"] = str(tiers.get(row["code"], row["code"]))
    for rows in (
        r["by_category"],
        r["root_causes"],
        r["recurring_causes"],
        r["departments"],
        r["brief"]["top_causes"],
    ):
        for row in rows:
            row["label"] = _pick(row)
    for row in r["satisfaction"]["by_resolution"]:
        row["label"] = str(resolutions.get(row["code"], row["code"]))
    for action in r["preventive"]["actions"] + r["brief"]["actions"]:
        action["department_label"] = _pick(action, "department_")
        action["status_label"] = str(statuses.get(action["status"], action["status"]))
    for row in r["coaching"]:
        row["label"] = str(_team_label(row["team"]))
    r["sla"]["median_respond"] = duration(r["sla"]["median_respond_seconds"])
    r["sla"]["median_resolve"] = duration(r["sla"]["median_resolve_seconds"])
    return r


def csv_tables(r):
    """Every table of the (presented) report as (header, rows), keyed by the name used in ?table=."""

    def dim(rows):
        return (
            [_("Code"), _("Name"), _("Received"), _("Closed"), _("Open at week end")],
            [[x["code"], x["label"], x["received"], x["closed"], x["open"]] for x in rows],
        )

    sla = r["sla"]
    p = r["preventive"]
    return {
        "by_channel": dim(r["by_channel"]),
        "by_category": dim(r["by_category"]),
        "by_severity": dim(r["by_severity"]),
        "by_tier": dim(r["by_tier"]),
        "root_causes": (
            [
                _("Code"),
                _("Root cause"),
                _("Count"),
                _("Share %"),
                _("Cumulative %"),
                _("Average of previous 4 weeks"),
                _("Change"),
                _("Weeks seen (of 5)"),
                _("Keeps coming back"),
            ],
            [
                [
                    c["code"],
                    c["label"],
                    c["count"],
                    c["share"],
                    c["cumulative_share"],
                    c["previous_average"],
                    c["change"],
                    c["weeks_seen"],
                    c["recurring"],
                ]
                for c in r["root_causes"]
            ],
        ),
        "departments": (
            [_("Code"), _("Department"), _("Count"), _("Share %")],
            [[d["code"], d["label"], d["count"], d["share"]] for d in r["departments"]],
        ),
        "service_levels": (
            [_("Figure"), _("Value")],
            [
                [_("Responses due"), sla["response_due"]],
                [_("Responded in time"), sla["response_met"]],
                [_("Response compliance %"), sla["response_pct"]],
                [_("Closed"), sla["resolution_due"]],
                [_("Resolved in time"), sla["resolution_met"]],
                [_("Resolution compliance %"), sla["resolution_pct"]],
                [_("Median time to respond (s)"), sla["median_respond_seconds"]],
                [_("Median time to resolve (s)"), sla["median_resolve_seconds"]],
                [_("Escalations"), r["escalations"]],
                [_("Closings"), r["closings"]],
                [_("Reopenings"), r["reopens"]],
                [_("Reopen rate %"), r["reopen_rate"]],
            ],
        ),
        "satisfaction": (
            [_("Score"), _("Count"), _("Share %")],
            [[d["score"], d["count"], d["share"]] for d in r["satisfaction"]["distribution"]],
        ),
        "satisfaction_by_resolution": (
            [_("Resolution"), _("Responses"), _("Average"), _("Dissatisfied %")],
            [
                [x["label"], x["responses"], x["average"], x["dissatisfied_share"]]
                for x in r["satisfaction"]["by_resolution"]
            ],
        ),
        "preventive_actions": (
            [_("Complaint"), _("Preventive action"), _("Department"), _("Due"), _("Status")],
            [
                [a["complaint"], a["description"], a["department_label"], a["due_at"], a["status_label"]]
                for a in p["actions"]
            ],
        ),
        "coaching": (
            [_("Team"), _("Coaching moments"), _("Phrase warnings")],
            [[c["label"], c["moments"], c["hits"]] for c in r["coaching"]],
        ),
        "trend": (
            [_("Week"), _("Received"), _("Closed")],
            [[t["week"], t["received"], t["closed"]] for t in r["trend"]],
        ),
    }


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


# --- reading a week ------------------------------------------------------------------


def _monday_from(value):
    """The Monday of ?week= (default: the last full week). Raises reports.BadWeek."""
    return reports.parse_week(value) if value else reports.last_full_week()


def report_for(monday):
    """(report data, snapshot or None): the published figures if the week was published."""
    snapshot = WeeklyReportSnapshot.objects.filter(week=reports.week_label(monday)).first()
    if snapshot:
        return snapshot.data, snapshot
    return reports.build_report(monday), None


def _reader(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not roles.can_read_reports(request.user):
            raise PermissionDenied(_("Reports are for supervisors and managers."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- pages ---------------------------------------------------------------------------


@require_GET
@_reader
def weekly_report(request):
    try:
        monday = _monday_from(request.GET.get("week"))
    except reports.BadWeek:
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
        "previous_week": reports.week_label(monday - reports.datetime.timedelta(days=7)),
        "next_week": reports.week_label(monday + reports.datetime.timedelta(days=7)),
        "pareto_svg": mark_safe(  # noqa: S308 - built by report_charts, every label escaped
            report_charts.pareto_svg(
                pareto_rows,
                title=_("Root causes of the complaints closed this week"),
                count_label=_("Complaints"),
                cumulative_label=_("Cumulative share"),
            )
        ),
        "trend_svg": mark_safe(  # noqa: S308 - built by report_charts, every label escaped
            report_charts.trend_svg(
                report["trend"],
                title=_("Complaints received and closed over five weeks"),
                received_label=_("Received"),
                closed_label=_("Closed"),
            )
        ),
        "tables": list(csv_tables(report)),
        "week_ended": reports.week_bounds(monday)[1] <= timezone.now(),
        "open_actions": prevention.preventive_action_list()
        .exclude(status=PreventiveAction.Status.VERIFIED)
        .order_by("due_at", "id")[:50],
        "can_update_actions": roles.is_supervisor(request.user),
    }
    return render(request, "reports/weekly.html", context)


@require_GET
@_reader
def report_list(request):
    snapshots = WeeklyReportSnapshot.objects.defer("data").order_by("-week")[:104]
    return render(
        request,
        "reports/index.html",
        {"snapshots": snapshots, "last_week": reports.week_label(reports.last_full_week())},
    )


@require_POST
@_reader
def weekly_rebuild(request):
    try:
        monday = reports.parse_week(request.POST.get("week"))
    except reports.BadWeek:
        return HttpResponseBadRequest(_("Give the week as YYYY-Www, for example 2026-W48."))
    try:
        snapshot = report_services.report_rebuild(monday=monday, by=request.user)
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect(f"/reports/weekly/?week={reports.week_label(monday)}")
    messages.success(
        request,
        _("Report %(week)s rebuilt (version %(version)s).")
        % {"week": snapshot.week, "version": snapshot.version},
    )
    return redirect(f"/reports/weekly/?week={snapshot.week}")


@require_POST
@login_required
def preventive_action_status(request, pk):
    # Check the role before looking the action up, so a 404 never tells anyone else it exists.
    if not roles.is_supervisor(request.user):
        raise PermissionDenied(_("Only a supervisor may change the status of a preventive action."))
    action = get_object_or_404(PreventiveAction, pk=pk)
    back = request.POST.get("week", "")
    target = "/reports/weekly/" + (f"?week={back}" if reports.WEEK_RE.match(back) else "")
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


# --- API -----------------------------------------------------------------------------


class CanReadReports(BasePermission):
    message = "Reports are for supervisors and managers."

    def has_permission(self, request, view):
        return roles.can_read_reports(request.user)


WEEK_PARAM = OpenApiParameter(
    "week", str, description="ISO week, e.g. 2026-W48 (default: last full week)", pattern=reports.WEEK_PATTERN
)


def _week_error(exc):
    """400 for text that is not a week; 404 for a well-formed week the year does not have."""
    if isinstance(exc, reports.NoSuchWeek):
        return Response({"detail": _("That year has no such week.")}, status=404)
    return Response({"week": [_("Give the week as YYYY-Www, for example 2026-W48.")]}, status=400)


class RebuildSerializer(serializers.Serializer):
    week = serializers.RegexField(reports.WEEK_PATTERN, help_text="ISO week, e.g. 2026-W48")


class WeeklyReportView(APIView):
    permission_classes = [CanReadReports]

    @extend_schema(
        parameters=[WEEK_PARAM],
        responses={
            200: OpenApiResponse(description="The report"),
            400: OpenApiResponse(description="Not a week"),
            404: OpenApiResponse(description="The year has no such week"),
        },
    )
    def get(self, request):
        try:
            week = request.query_params.get("week")
            monday = reports.last_full_week() if week is None else reports.parse_week(week)
        except reports.BadWeek as exc:
            return _week_error(exc)
        data, snapshot = report_for(monday)
        published = {"version": snapshot.version, "built_at": snapshot.updated_at} if snapshot else None
        return Response({**data, "published": published})


class WeeklyReportRebuildView(APIView):
    permission_classes = [CanReadReports]

    @extend_schema(
        request=RebuildSerializer,
        responses={
            200: OpenApiResponse(description="The rebuilt report"),
            400: OpenApiResponse(description="Not a week"),
            404: OpenApiResponse(description="The year has no such week"),
            409: OpenApiResponse(description="The week has not ended yet"),
        },
    )
    def post(self, request):
        incoming = RebuildSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            monday = reports.parse_week(incoming.validated_data["week"])
        except reports.BadWeek as exc:
            return _week_error(exc)
        snapshot = report_services.report_rebuild(monday=monday, by=request.user)
        return Response(
            {**snapshot.data, "published": {"version": snapshot.version, "built_at": snapshot.updated_at}}
        )


class PreventiveActionSerializer(serializers.ModelSerializer):
    complaint = serializers.CharField(source="complaint.reference", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PreventiveAction
        fields = [
            "id",
            "complaint",
            "description",
            "department",
            "due_at",
            "status",
            "overdue",
            "overdue_since",
            "created_at",
            "done_at",
            "verified_at",
        ]


class PreventiveActionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PreventiveAction.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE)


class PreventiveActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PreventiveAction.Status.choices)
    # A strict yes/no: anything else is a 400 rather than silently ignored.
    overdue = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_overdue"
    )

    class Meta:
        model = PreventiveAction
        fields = ["status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue=value == "true")


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=PreventiveAction.Status.values),
            OpenApiParameter("overdue", str, enum=["true", "false"], description="Flagged overdue or not"),
        ],
        responses={
            200: PreventiveActionSerializer(many=True),
            400: OpenApiResponse(description="Invalid filter"),
            404: OpenApiResponse(description="No such page"),
        },
    )
)
class PreventiveActionListView(ListAPIView):
    permission_classes = [CanReadReports]
    serializer_class = PreventiveActionSerializer
    filterset_class = PreventiveActionFilter
    ordering_fields = ["due_at", "created_at"]
    ordering = ["due_at", "id"]
    search_fields = ["description", "complaint__reference"]

    def get_queryset(self):
        return PreventiveAction.objects.select_related("complaint", "department")


class PreventiveActionStatusView(APIView):
    permission_classes = [CanReadReports]

    @extend_schema(
        request=PreventiveActionStatusSerializer,
        responses={
            200: PreventiveActionSerializer,
            400: OpenApiResponse(description="Invalid status"),
            403: OpenApiResponse(description="Only supervisors change preventive actions"),
            404: OpenApiResponse(description="No such preventive action"),
            409: OpenApiResponse(description="Not possible from the current status"),
        },
    )
    def post(self, request, pk):
        action = get_object_or_404(PreventiveAction, pk=pk)
        incoming = PreventiveActionStatusSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        action = prevention.preventive_action_set_status(
            action=action, by=request.user, **incoming.validated_data
        )
        return Response(PreventiveActionSerializer(action).data)
