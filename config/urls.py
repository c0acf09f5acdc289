from django.conf import settings
from django.contrib import admin
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views.defaults import bad_request, page_not_found, server_error

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("customers.urls")),
    path("", include("complaints.web.urls")),
]


def handler400(request, exception=None):
    """API callers get JSON: 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, 400 otherwise."""
    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
            return JsonResponse(
                {"detail": _("The request body is too large; send at most %(limit)s kB.") % {"limit": limit}},
                status=413,
            )
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return bad_request(request, exception)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return server_error(request)
