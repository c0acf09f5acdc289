"""A member of staff's own time zone: chosen in the header menu, kept per user, and every
time on the complaint page and the queue is shown in it, with the zone named."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from complaints import time_zones
from complaints.models import StaffPreference
from tests.factories import UserFactory, make_complaint

pytestmark = pytest.mark.django_db

DESK = zoneinfo.ZoneInfo("Asia/Shanghai")


def _complaint_due_at_desk_noon(user):
    complaint = make_complaint(by=user)
    type(complaint).objects.filter(pk=complaint.pk).update(
        respond_by=dt.datetime(2026, 12, 4, 12, 0, tzinfo=DESK)
    )
    return complaint


def test_choosing_a_zone_keeps_it_for_the_user_and_shows_times_in_it_with_the_zone(client, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    me = UserFactory(username="lin", role="staff")
    complaint = _complaint_due_at_desk_noon(me)
    client.force_login(me)

    before = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "2026-12-04 12:00<" in before  # the desk's own zone: no zone named
    response = client.post(
        "/preferences/time-zone/",
        {"time_zone": "Europe/Berlin", "next": f"/complaints/{complaint.pk}/"},
    )
    assert response.status_code == 302 and response.url == f"/complaints/{complaint.pk}/"
    assert StaffPreference.objects.get(user=me).time_zone == "Europe/Berlin"

    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "2026-12-04 05:00 CET" in page
    assert '<option value="Europe/Berlin" selected>' in page
    queue = client.get("/?scope=all").content.decode()
    assert "2026-12-04 05:00 CET" in queue


def test_the_zone_chosen_comes_back_at_the_next_login(client):
    me = UserFactory(username="lin", role="staff")
    time_zones.time_zone_set(user=me, time_zone="America/New_York")
    complaint = _complaint_due_at_desk_noon(me)
    client.force_login(me)

    assert "2026-12-03 23:00 EST" in client.get(f"/complaints/{complaint.pk}/").content.decode()


def test_choosing_the_desk_zone_again_names_no_zone(client):
    me = UserFactory(username="lin", role="staff")
    time_zones.time_zone_set(user=me, time_zone="UTC")
    complaint = _complaint_due_at_desk_noon(me)
    client.force_login(me)
    client.post("/preferences/time-zone/", {"time_zone": "Asia/Shanghai", "next": "/"})

    assert StaffPreference.objects.get(user=me).time_zone == ""
    assert "2026-12-04 12:00<" in client.get(f"/complaints/{complaint.pk}/").content.decode()


def test_an_unknown_zone_is_refused_and_the_next_address_stays_on_the_site(client):
    me = UserFactory(username="lin", role="staff")
    client.force_login(me)

    response = client.post(
        "/preferences/time-zone/", {"time_zone": "Mars/Olympus", "next": "https://evil.example/"}
    )

    assert response.status_code == 302 and response.url == "/"
    assert not StaffPreference.objects.filter(user=me).exclude(time_zone="").exists()
    with pytest.raises(ValidationError):
        time_zones.time_zone_set(user=me, time_zone="Not/AZone")


def test_the_zone_menu_needs_a_login(client):
    response = client.post("/preferences/time-zone/", {"time_zone": "UTC"})
    assert response.status_code in (302, 403)
    assert not StaffPreference.objects.exists()
