"""The desk's pages (the API's URLs are in complaints.api.urls)."""

from django.urls import path

from . import attachments, brief, desk, escalations, preferences, reports, search, systemic

urlpatterns = [
    path("", desk.home, name="home"),
    path("health/", desk.health, name="health"),
    path("search/", search.search_page, name="search"),
    path("complaints/new/", desk.complaint_new, name="complaint-new"),
    path("preferences/time-zone/", preferences.time_zone_choose, name="time-zone-choose"),
    path("complaints/<int:pk>/", desk.complaint_detail, name="complaint-detail"),
    path(
        "complaints/<int:pk>/files/<int:attachment_pk>/",
        attachments.attachment_download,
        name="attachment-download",
    ),
    path(
        "complaints/<int:pk>/files/<int:attachment_pk>/thumbnail/",
        attachments.attachment_thumbnail,
        name="attachment-thumbnail",
    ),
    path("complaints/<int:pk>/regime/", desk.complaint_regime, name="complaint-regime"),
    path("escalations/", escalations.queue, name="escalation-queue"),
    path("escalations/<int:pk>/<str:action>/", escalations.act, name="escalation-act"),
    path(
        "escalations/compensation/<int:pk>/<str:decision>/",
        escalations.decide,
        name="compensation-decide",
    ),
    path("issues/", systemic.issue_list, name="systemic-issue-list"),
    path("issues/new/", systemic.issue_new, name="systemic-issue-new"),
    path("issues/<int:pk>/", systemic.issue_detail, name="systemic-issue-detail"),
    path(
        "issues/suggestions/<int:pk>/<str:decision>/",
        systemic.suggestion_decide,
        name="systemic-suggestion-decide",
    ),
    path("brief/", brief.staff_brief, name="staff-brief"),
    path("reports/", reports.report_list, name="report-list"),
    path("reports/weekly/", reports.weekly_report, name="report-weekly"),
    path("reports/weekly/rebuild/", reports.weekly_rebuild, name="report-weekly-rebuild"),
    path("reports/complaints/", reports.report_complaints, name="report-complaints"),
    path("reports/redress.csv", reports.redress_ledger_csv, name="report-redress-ledger"),
    path(
        "reports/preventive-actions/<int:pk>/status/",
        reports.preventive_action_status,
        name="preventive-action-status",
    ),
]
