"""The severity help on the intake form names working-day targets as working days."""

import pytest

from complaints.deadlines import policies

pytestmark = pytest.mark.django_db


def test_working_day_policy_says_working_days(client, staff_user):
    client.force_login(staff_user)
    page = client.get("/complaints/new/").content.decode()
    assert "Major: answer within 1 working hour, resolve within 7 working days." in page
    assert "Tier A: 30 minutes and 4 working days." in page


def test_working_day_policy_says_working_days_in_chinese(client, staff_user):
    client.force_login(staff_user)
    page = client.get("/complaints/new/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "7 个工作日" in page
    assert "4 个工作日" in page
    assert "7 天" not in page


def test_clock_hours_stay_clock_hours():
    # 24 hours is clock time, not working time: it must not be called working hours.
    assert "resolve within 24 hours." in policies.service_level_hints()
