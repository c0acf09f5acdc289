import pytest
from django.core.management import call_command

from complaints.models import Complaint, PreventiveAction
from complaints.reports import compose, weeks

pytestmark = pytest.mark.django_db


def test_seed_history_is_idempotent_and_fills_last_week():
    call_command("seed_demo", stdout=None)
    call_command("seed_history", weeks=3)
    count = Complaint.objects.count()
    call_command("seed_history", weeks=3)
    assert Complaint.objects.count() == count
    report = compose.build_report(weeks.last_full_week())
    assert report["totals"]["closed"] > 0
    assert report["root_causes"]
    assert report["satisfaction"]["responses"] > 0
    assert report["reopens"] == 1
    assert PreventiveAction.objects.exists()
