from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from complaints.api.views import CoachCheckView, ComplaintViewSet, OptionsView, TokenView
from customers.api.views import CustomerViewSet

router = DefaultRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("complaints", ComplaintViewSet, basename="complaint")

urlpatterns = [
    path("token/", TokenView.as_view(), name="api-token"),
    path("options/", OptionsView.as_view(), name="api-options"),
    path("coach/check/", CoachCheckView.as_view(), name="api-coach-check"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("complaints.api.urls")),
    path("", include(router.urls)),
]
