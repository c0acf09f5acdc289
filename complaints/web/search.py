"""The search page behind the header's search box: any complaint the user may read."""

from django.shortcuts import render

from .. import access
from ..workflow import search

PAGE_SIZE = 50


@access.desk_page
def search_page(request):
    """Complaints matching ?q=, open ones first, then the most recent; 50 a page."""
    query = search.clean_query(request.GET.get("q"))
    context = {"query": query, "too_short": False, "page": None, "more": False}
    if query and not search.is_long_enough(query):
        context["too_short"] = True
    elif query:
        number = request.GET.get("page", "")
        number = int(number) if number.isascii() and number.isdigit() and 0 < int(number) < 10**6 else 1
        start = (number - 1) * PAGE_SIZE
        # One row more than a page tells whether there is a next one, without counting.
        rows = list(search.complaint_search(user=request.user, query=query)[start : start + PAGE_SIZE + 1])
        context.update(
            complaints=rows[:PAGE_SIZE],
            more=len(rows) > PAGE_SIZE,
            number=number,
            previous=number - 1 if number > 1 else None,
        )
    return render(request, "complaints/search.html", context)
