from django.conf import settings
from django.contrib import admin
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views.defaults import bad_request, page_not_found, server_error

from .uploads import UploadTooLarge

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("customers.urls")),
    path("", include("complaints.web.urls")),
]


def _upload_refusal(exception):
    """(message, status) for a request Django refused while reading its body, else None."""
    if isinstance(exception, UploadTooLarge):
        return _("The files are too large together; send at most %(size)s in one go.") % {
            "size": filesizeformat(settings.CLEAR_DESK["ATTACHMENT_COMPLAINT_MAX_BYTES"])
        }, 413
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        return _("The request body is too large; send at most %(limit)s kB.") % {"limit": limit}, 413
    if isinstance(exception, TooManyFilesSent):
        return _("Too many files in one request; send at most %(count)s.") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }, 400
    return None


def handler400(request, exception=None):
    """API callers get JSON: 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, 400 otherwise.
    A page sent with too much or too many files says so in words."""
    refusal = _upload_refusal(exception)
    if request.path.startswith("/api/"):
        if refusal:
            return JsonResponse({"detail": refusal[0]}, status=refusal[1])
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    if refusal:
        return HttpResponse(refusal[0], status=refusal[1], content_type="text/plain; charset=utf-8")
    return bad_request(request, exception)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return server_error(request)
