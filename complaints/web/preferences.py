"""What a member of staff chooses for themselves in the header menu: the time zone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, time_zones


@access.desk_page
@require_POST
def time_zone_choose(request):
    """Keep the zone chosen (blank: the desk's own) and go back to the page it was chosen on."""
    try:
        chosen = time_zones.time_zone_set(user=request.user, time_zone=request.POST.get("time_zone", ""))
    except ValidationError:
        messages.error(request, _("That is not a time zone the desk knows."))
    else:
        request.session[time_zones.SESSION_KEY] = chosen
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not safe:
        back = "/"
    return redirect(back)
