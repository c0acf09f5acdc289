from django.http import JsonResponse
from django.utils.translation import gettext as _


class RejectNulCharacters:
    """Answer 400 to a URL carrying a NUL character; PostgreSQL cannot store or compare one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return JsonResponse({"detail": _("The address contains a NUL character.")}, status=400)
        return self.get_response(request)
