"""A real Celery worker (Redis) takes up the lane tasks one beat fans out to."""

from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection
from django.utils import timezone

from complaints.deadlines import sweep
from complaints.models import Complaint, ComplaintRecord, DeadlineEvent
from tests.complaints.test_celery_worker import wait_for, worker_app  # noqa: F401 - fixture
from tests.factories import UserFactory, make_complaint


@pytest.mark.redis
@pytest.mark.usefixtures("seeded_lists")
@pytest.mark.django_db(transaction=True)
def test_one_beat_fans_out_to_lane_tasks_that_escalate_each_breach_once(worker_app):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("lanes run on PostgreSQL only (set DATABASE_URL)")
    from complaints import tasks

    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    UserFactory(username="zhang", role="supervisor", email="zhang@example.com")
    logged = timezone.now() - timedelta(days=3)  # past both deadlines
    complaints = [make_complaint(by=lin, now=logged) for _ in range(60)]
    ran = []

    def count_lanes(sender=None, retval=None, **kwargs):
        if sender is not None and sender.name == "complaints.tasks.sweep_lane":
            ran.append(retval)

    task_postrun.connect(count_lanes, weak=False)
    try:
        with start_worker(worker_app, pool="threads", concurrency=2, perform_ping_check=False):
            tasks.check_deadlines.delay()
            assert wait_for(lambda: len(ran) == sweep.sweep_lanes(), seconds=30), ran
    finally:
        task_postrun.disconnect(count_lanes)

    assert sum(result["breaches"] for result in ran) == 120  # two breaches each
    for complaint in complaints:
        assert DeadlineEvent.objects.filter(complaint=complaint).count() == 2
        assert (
            ComplaintRecord.objects.filter(complaint=complaint, data__action="deadline_breach").count() == 2
        )
    assert set(Complaint.objects.values_list("escalation_level", flat=True)) == {2}
