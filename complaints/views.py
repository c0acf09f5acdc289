from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import complaint_list


@login_required
def home(request):
    complaints = complaint_list().exclude(stage="closed").order_by("resolve_by")[:50]
    return render(request, "complaints/home.html", {"complaints": complaints})
