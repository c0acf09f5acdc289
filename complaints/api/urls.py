"""The API's URLs under /api/ (config.api_urls adds the routers and the schema)."""

from django.urls import path

from . import attachments, escalations, redress, reports, systemic

urlpatterns = [
    path(
        "complaints/<int:pk>/attachments/",
        attachments.ComplaintAttachmentsView.as_view(),
        name="api-complaint-attachments",
    ),
    path(
        "attachments/<int:pk>/download/",
        attachments.AttachmentDownloadView.as_view(),
        name="api-attachment-download",
    ),
    path(
        "complaints/<int:pk>/compensation-requests/",
        escalations.CompensationAskView.as_view(),
        name="api-compensation-ask",
    ),
    path(
        "compensation-requests/<int:pk>/approve/",
        escalations.CompensationDecideView.as_view(),
        name="api-compensation-approve",
    ),
    path(
        "compensation-requests/<int:pk>/refuse/",
        escalations.CompensationRefuseView.as_view(),
        name="api-compensation-refuse",
    ),
    path("systemic-issues/", systemic.SystemicIssueListView.as_view(), name="api-systemic-issues"),
    path("systemic-issues/<int:pk>/", systemic.SystemicIssueDetailView.as_view(), name="api-systemic-issue"),
    path(
        "systemic-issues/<int:pk>/complaints/",
        systemic.SystemicIssueLinkView.as_view(),
        name="api-systemic-issue-link",
    ),
    path(
        "systemic-issues/<int:pk>/complaints/<int:complaint_id>/",
        systemic.SystemicIssueUnlinkView.as_view(),
        name="api-systemic-issue-unlink",
    ),
    path("complaints/<int:pk>/redress/", redress.RedressView.as_view(), name="api-redress"),
    path("reports/weekly/", reports.WeeklyReportView.as_view(), name="api-report-weekly"),
    path(
        "reports/weekly/rebuild/", reports.WeeklyReportRebuildView.as_view(), name="api-report-weekly-rebuild"
    ),
    path("preventive-actions/", reports.PreventiveActionListView.as_view(), name="api-preventive-actions"),
    path(
        "preventive-actions/<int:pk>/status/",
        reports.PreventiveActionStatusView.as_view(),
        name="api-preventive-action-status",
    ),
]
