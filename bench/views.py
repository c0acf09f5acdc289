"""Yardsticks for intake: a bare Django view that does one INSERT and nothing else, the API
floor (DRF and the token check, no work), and intake's service without the API."""

import datetime as dt
import json
import secrets

from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from rest_framework.decorators import api_view
from rest_framework.response import Response

from complaints.models import Category, Complaint
from complaints.workflow import intake
from complaints.workflow.selectors import active_categories
from customers.models import Customer

_categories = {}
_author = {}


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


@csrf_exempt
def service_create(request):
    """Intake's own work with nothing of the API around it: the customer read, then
    complaints.services files the complaint and its content record in one transaction.
    No token, no DRF, no validation of the body, a two-field answer. The staff member is
    read once per process (intake reads its user with the token on every request)."""
    if request.method != "POST":
        return JsonResponse({"detail": "POST only"}, status=405)
    body = json.loads(request.body)
    if not _author:
        _author["user"] = get_user_model().objects.get(username="bench-staff-1")
    complaint = intake.complaint_create(
        customer=Customer.objects.get(pk=int(body["customer"])),
        channel=body["channel"],
        category=active_categories()[body["category"]],
        severity=body["severity"],
        content=body["content"],
        by=_author["user"],
    )
    return JsonResponse({"id": complaint.pk, "reference": complaint.reference}, status=201)


@api_view(["POST"])
def api_floor(request):
    """What any API write pays before doing anything: DRF, the token check with roles, the
    JSON body parsed, a JSON answer. No validation, no query of its own, no write."""
    return Response({"received": sorted(request.data)}, status=201)
