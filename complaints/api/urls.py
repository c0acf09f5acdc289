"""The API's URLs under /api/ (config.api_urls adds the routers and the schema)."""

from django.urls import path

from . import escalations, redress, reports

urlpatterns = [
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
