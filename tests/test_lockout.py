"""Behind the proxy the lockout keys on the client's own address, so nobody can lock a colleague out."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # REMOTE_ADDR of every request: the reverse proxy
ATTACKER, VICTIM, SHARED, ELSEWHERE = "203.0.113.5", "198.51.100.7", "192.0.2.9", "198.51.100.8"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "TRUSTED_PROXY_COUNT": 1}


def browser(address):
    # The client may send its own X-Forwarded-For; the proxy appends the address it saw.
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {address}")


def login(address, username, password):
    return browser(address).post("/accounts/login/", {"username": username, "password": password})


def token(address, username, password):
    api = APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
    return api.post("/api/token/", {"username": username, "password": password}, format="json")


def test_failures_from_one_address_do_not_lock_the_username_out_elsewhere(staff_user):
    for _ in range(4):
        assert login(ATTACKER, "lin", "wrong").status_code == 200
    assert login(ATTACKER, "lin", "wrong").status_code == 429
    assert login(VICTIM, "lin", "pw").status_code == 302


def test_five_failures_lock_the_username_at_that_address_even_with_the_right_password(staff_user):
    for _ in range(5):
        login(ATTACKER, "lin", "wrong")
    locked = browser(ATTACKER)
    assert locked.post("/accounts/login/", {"username": "lin", "password": "pw"}).status_code == 429
    assert "_auth_user_id" not in locked.session


def test_twenty_failures_across_usernames_lock_the_address_for_every_username(staff_user):
    for n in range(20):
        UserFactory(username=f"guess{n}", role="staff")
    answers = [login(SHARED, f"guess{n}", "wrong").status_code for n in range(20)]
    assert answers == [200] * 19 + [429]  # no username reached 5; the twentieth failure locks the address
    assert login(SHARED, "lin", "pw").status_code == 429
    assert login(ELSEWHERE, "lin", "pw").status_code == 302

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert login(SHARED, "guess0", "pw").status_code == 302


def test_nineteen_failures_across_usernames_leave_the_address_open(staff_user):
    for n in range(19):
        login(SHARED, f"nobody{n}", "wrong")
    assert login(SHARED, "lin", "pw").status_code == 302


def test_the_address_limit_is_a_setting(settings, staff_user):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    for n in range(6):
        login(SHARED, f"nobody{n}", "wrong")
    assert login(SHARED, "lin", "pw").status_code == 429


def test_the_token_endpoint_keys_on_the_same_address(staff_user):
    for _ in range(4):
        assert token(ATTACKER, "lin", "wrong").status_code == 400
    assert token(ATTACKER, "lin", "wrong").status_code == 429
    assert token(ATTACKER, "lin", "pw").status_code == 429
    assert token(VICTIM, "lin", "pw").status_code == 200

    for n in range(15):  # with the five above: twenty failures from the attacker's address
        token(ATTACKER, f"nobody{n}", "wrong")
    UserFactory(username="ana", role="staff")
    assert token(ATTACKER, "ana", "pw").status_code == 429
    assert token(ELSEWHERE, "ana", "pw").status_code == 200


def test_a_forwarded_hop_that_is_no_address_counts_against_the_connection(staff_user):
    from axes.models import AccessAttempt

    odd = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    assert odd.post("/accounts/login/", {"username": "lin", "password": "wrong"}).status_code == 200
    assert AccessAttempt.objects.get(username="lin").ip_address == PROXY


def test_a_login_without_any_address_is_still_counted(settings, staff_user):
    from axes.models import AccessAttempt

    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "TRUSTED_PROXY_COUNT": 0}
    nowhere = Client(REMOTE_ADDR="")
    assert nowhere.post("/accounts/login/", {"username": "lin", "password": "wrong"}).status_code == 200
    assert AccessAttempt.objects.get(username="lin").ip_address is None
