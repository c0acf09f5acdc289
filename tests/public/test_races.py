"""The same survey link, or the same client, at the same moment (PostgreSQL row locks)."""

import pytest
from django.db import connection
from django.test import Client

from complaints.models import ComplaintRecord
from customers.models import RateLimitCounter, SurveyInvitation
from customers.public import public_file_complaint
from tests.complaints.test_concurrency import race
from tests.factories import UserFactory

from .flow import close_complaint

pytestmark = [pytest.mark.usefixtures("seeded_lists"), pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are checked on PostgreSQL (set DATABASE_URL)")


def test_a_survey_link_pressed_twice_at_once_files_one_answer():
    staff = UserFactory(username="lin", role="staff")
    complaint = public_file_complaint(
        name="Wang", phone="", email="w@example.com", what_happened="x", desired_outcome="y", language="en"
    )
    complaint = close_complaint(complaint, staff)
    token = SurveyInvitation.objects.get(complaint=complaint).token

    def answer(score):
        return lambda: Client().post(f"/survey/{token}/", {"score": str(score)}).status_code

    statuses = race([answer(5), answer(1)])
    assert sorted(statuses) == [200, 410]
    assert ComplaintRecord.objects.filter(complaint=complaint, kind="satisfaction").count() == 1


def test_simultaneous_submissions_are_all_counted(settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "PUBLIC_SUBMIT_LIMIT": 2}

    def submit(n):
        data = {
            "name": "Wang",
            "phone": f"1380000{n:04d}",
            "email": "",
            "what_happened": "x",
            "desired_outcome": "y",
        }
        return lambda: Client().post("/submit/", data).status_code

    statuses = race([submit(n) for n in range(4)])
    assert sorted(statuses) == [302, 302, 429, 429]
    assert RateLimitCounter.objects.get().hits == 4
