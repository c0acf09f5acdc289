from django.urls import path

from . import views

urlpatterns = [
    path("customers/<int:pk>/", views.customer_detail, name="customer-detail"),
    path("customers/<int:pk>/tier/", views.customer_tier, name="customer-tier"),
    path("customers/<int:pk>/merge/", views.customer_merge, name="customer-merge"),
    path("customers/<int:pk>/vulnerability/", views.customer_vulnerability, name="customer-vulnerability"),
    path(
        "customers/<int:pk>/vulnerability/clear/",
        views.customer_vulnerability_clear,
        name="customer-vulnerability-clear",
    ),
    path("complaints/<int:pk>/letter/", views.complaint_letter, name="complaint-letter"),
    path("submit/", views.submit, name="public-submit"),
    path("track/<str:token>/", views.track, name="public-track"),
    path("track/<str:token>/files/", views.track_files, name="public-track-files"),
    path("track/<str:token>/files/<int:pk>/", views.track_file, name="public-track-file"),
    path("survey/<str:token>/", views.survey, name="public-survey"),
]
