"""Two people press the same button at the same moment: one wins, the other hears 409."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from complaints.models import Complaint, ComplaintRecord
from tests.factories import UserFactory, make_complaint


def race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.usefixtures("seeded_lists")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rounds", range(5))
def test_simultaneous_listen_has_one_winner(rounds):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are checked on PostgreSQL (set DATABASE_URL)")
    lin = UserFactory(username="lin", role="staff")
    ana = UserFactory(username="ana", role="staff")
    complaint = make_complaint(by=lin)

    def press(user):
        def call():
            client = APIClient()
            client.force_authenticate(user)
            return client.post(
                f"/api/complaints/{complaint.pk}/transitions/listen/", {}, format="json"
            ).status_code

        return call

    statuses = race([press(lin), press(ana)])

    assert sorted(statuses) == [200, 409]
    process = ComplaintRecord.objects.filter(complaint=complaint, kind="process", data__transition="listen")
    assert process.count() == 1
    # The customer hears once that someone took it.
    assert ComplaintRecord.objects.filter(complaint=complaint, data__message="responded").count() == 1
    winner = lin if statuses[0] == 200 else ana
    assert Complaint.objects.get(pk=complaint.pk).assignee == winner
    assert process.get().author == winner


@pytest.mark.usefixtures("seeded_lists")
@pytest.mark.django_db(transaction=True)
def test_escalation_during_a_transition_is_not_overwritten():
    """A transition saves only the columns it changes, so a concurrent escalation survives."""
    from complaints.escalations import services as escalation_services
    from complaints.workflow import transitions

    lin = UserFactory(username="lin", role="staff")
    complaint = make_complaint(by=lin)
    stale = Complaint.objects.get(pk=complaint.pk)  # read before the escalation
    escalation_services.complaint_escalate(complaint=complaint, data={"reason": "VIP"}, by=lin)
    transitions.complaint_transition(complaint=stale, name="listen", data={}, by=lin)
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.stage == "listen"
    assert fresh.escalated is True
    assert fresh.escalation_reason == "VIP"
