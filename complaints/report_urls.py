"""URLs of the weekly report and preventive actions: pages here, the API in `api_urlpatterns`."""

from django.urls import path

from . import escalation_views
from . import report_views as views

urlpatterns = [
    path("escalations/", escalation_views.queue, name="escalation-queue"),
    path(
        "escalations/<int:pk>/<str:action>/",
        escalation_views.act,
        name="escalation-act",
    ),
    path(
        "escalations/compensation/<int:pk>/<str:decision>/",
        escalation_views.decide,
        name="compensation-decide",
    ),
    path("reports/", views.report_list, name="report-list"),
    path("reports/weekly/", views.weekly_report, name="report-weekly"),
    path("reports/weekly/rebuild/", views.weekly_rebuild, name="report-weekly-rebuild"),
    path(
        "reports/preventive-actions/<int:pk>/status/",
        views.preventive_action_status,
        name="preventive-action-status",
    ),
]

api_urlpatterns = [
    path(
        "complaints/<int:pk>/compensation-requests/",
        escalation_views.CompensationAskView.as_view(),
        name="api-compensation-ask",
    ),
    path(
        "compensation-requests/<int:pk>/approve/",
        escalation_views.CompensationDecideView.as_view(),
        name="api-compensation-approve",
    ),
    path(
        "compensation-requests/<int:pk>/refuse/",
        escalation_views.CompensationRefuseView.as_view(),
        name="api-compensation-refuse",
    ),
    path("reports/weekly/", views.WeeklyReportView.as_view(), name="api-report-weekly"),
    path(
        "reports/weekly/rebuild/", views.WeeklyReportRebuildView.as_view(), name="api-report-weekly-rebuild"
    ),
    path("preventive-actions/", views.PreventiveActionListView.as_view(), name="api-preventive-actions"),
    path(
        "preventive-actions/<int:pk>/status/",
        views.PreventiveActionStatusView.as_view(),
        name="api-preventive-action-status",
    ),
]
