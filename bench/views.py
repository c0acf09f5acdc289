"""The yardstick for intake: a bare Django view that does one INSERT and nothing else."""

import datetime as dt
import json
import secrets

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from rest_framework.decorators import api_view
from rest_framework.response import Response

from complaints.models import Category, Complaint

_categories = {}


@csrf_exempt
def bare_insert(request):
    """Take the same JSON body as POST /api/complaints/ and INSERT one row; no checks, no record."""
    if request.method != "POST":
        return JsonResponse({"detail": "POST only"}, status=405)
    body = json.loads(request.body)
    if not _categories:  # once per process, not per request
        _categories.update(Category.objects.values_list("code", "id"))
    now = timezone.now()
    complaint = Complaint.objects.create(
        reference=f"BARE-{secrets.token_hex(6).upper()}",
        customer_id=int(body["customer"]),
        channel=body["channel"],
        category_id=_categories[body["category"]],
        severity=body["severity"],
        content=body["content"],
        created_at=now,
        respond_by=now + dt.timedelta(hours=1),
        resolve_by=now + dt.timedelta(days=1),
    )
    return JsonResponse({"id": complaint.pk}, status=201)


@api_view(["POST"])
def api_floor(request):
    """What any API write pays before doing anything: DRF, the token check with roles, the
    JSON body parsed, a JSON answer. No validation, no query of its own, no write."""
    return Response({"received": sorted(request.data)}, status=201)
