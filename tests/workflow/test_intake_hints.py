"""Intake tells staff the service levels of the policies in force, never a copy of them."""

import pytest

from complaints.models import SLAPolicy

pytestmark = pytest.mark.django_db


def test_intake_hints_follow_the_policies_and_name_the_vip_tier(client, staff_user):
    client.force_login(staff_user)
    page = client.get("/complaints/new/").content.decode()
    assert "Minor: answer within 1 working hour, resolve within 24 hours." in page
    assert "Tier A: 30 minutes and 12 hours." in page
    assert "resolve within 24 hours. Major: within 7 days" not in page  # the old hard-coded text
    SLAPolicy.objects.update_or_create(
        severity="minor",
        tier="",
        defaults={
            "respond_within": 2,
            "respond_unit": "hours",
            "resolve_within": 3,
            "resolve_unit": "working_days",
        },
    )
    page = client.get("/complaints/new/").content.decode()
    assert "Minor: answer within 2 hours, resolve within 3 working days." in page


def test_intake_hints_in_chinese(client, staff_user):
    client.force_login(staff_user)
    page = client.get("/complaints/new/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "24 小时" in page or "24小时" in page
