"""The brief for all staff (/brief/): the latest published week's, for every desk role."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import access
from ..reports.brief import latest_published_brief


@require_GET
@access.desk_page
def staff_brief(request):
    return render(request, "reports/brief.html", {"brief": latest_published_brief()})
