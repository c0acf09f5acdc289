"""The product's URLs plus the bench-only yardstick views (config.settings.bench only)."""

from django.urls import path

from config.urls import handler404, handler500
from config.urls import urlpatterns as product_urlpatterns

from . import views

urlpatterns = [
    path("bench/insert/", views.bare_insert, name="bench-bare-insert"),
    path("bench/api-floor/", views.api_floor, name="bench-api-floor"),
    path("bench/service-create/", views.service_create, name="bench-service-create"),
    *product_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
