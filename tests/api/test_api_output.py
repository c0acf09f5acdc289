"""The complaint serializer writes from fields built once; its output is DRF's own, field for field."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from complaints.api import serializers as s
from complaints.escalations import services as escalation_services
from complaints.workflow.selectors import complaint_list
from tests.factories import CustomerFactory, UserFactory, make_complaint, walk


def _drf_output(serializer_class, complaint, context):
    # DRF's own loop over freshly built fields, bypassing the compiled plan.
    fresh = serializer_class(complaint, context=context)
    return serializers.ModelSerializer.to_representation(fresh, complaint)


@pytest.mark.django_db
@pytest.mark.parametrize("serializer_class", [s.ComplaintSerializer, s.ComplaintWithWarningsSerializer])
def test_compiled_output_equals_drfs_for_complaints_in_every_state(serializer_class):
    lin, boss = UserFactory(role="staff"), UserFactory(role="supervisor")
    fresh = make_complaint(by=lin, customer=CustomerFactory(tier="A"))
    listening = walk(make_complaint(by=lin), lin, "listen")
    late = make_complaint(by=lin, now=timezone.now() - dt.timedelta(days=3))
    escalation_services.complaint_escalate(complaint=late, data={"reason": "Third call today"}, by=lin)
    closed = walk(make_complaint(by=lin, severity="major"), lin, "closed")
    request = APIRequestFactory().get("/api/complaints/")
    request.user = boss
    context = {"request": request, "now": timezone.now()}
    for complaint in complaint_list().filter(pk__in=[fresh.pk, listening.pk, late.pk, closed.pk]):
        complaint.warnings = [{"phrase": "calm down", "why": "w", "suggestion": "s", "rule": "r"}]
        compiled = serializer_class(complaint, context=context).data
        assert compiled == _drf_output(serializer_class, complaint, context)
        assert list(compiled) == list(_drf_output(serializer_class, complaint, context))  # same order
    # The plan is built once per class and shared, while each answer uses its own context.
    first, second = serializer_class(fresh, context=context), serializer_class(fresh, context={})
    assert first._output_plan() is second._output_plan()
    assert first.data["available_transitions"] != [] and second.data["available_transitions"] == []
