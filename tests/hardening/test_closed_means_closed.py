"""Nothing changes a closed complaint behind the record's back: not the admin, not a race."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from complaints import exceptions
from complaints.escalations import compensation
from complaints.models import CallbackPromise, CompensationRequest, Complaint, ComplaintRecord
from complaints.workflow import callbacks, severity, transitions
from tests.factories import CLEAR_STEPS, UserFactory, make_complaint, walk

TRIALS = 20


def test_the_admin_only_shows_complaints(admin_client, staff_user):
    complaint = walk(make_complaint(by=staff_user), staff_user)
    records = ComplaintRecord.objects.filter(complaint=complaint).count()
    url = f"/admin/complaints/complaint/{complaint.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200  # it can be looked at
    assert b'name="content"' not in page.content  # but not edited
    response = admin_client.post(url, {"content": "changed", "remedy": "changed", "compensation": "99999"})
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.content == "The parcel arrived broken."
    assert complaint.compensation is None
    assert ComplaintRecord.objects.filter(complaint=complaint).count() == records
    assert admin_client.get("/admin/complaints/complaint/add/").status_code == 403


def _race(first, second, trial):
    barrier = threading.Barrier(2)
    outcome = {}

    def run(name, call):
        try:
            barrier.wait()
            if name == "other":
                # Spread the second call over the close's few milliseconds, so that trials
                # cover it starting before, during and after the close.
                time.sleep((trial % 10) * 0.003)
            outcome[name] = call()
        except Exception as exc:  # the loser's Conflict is part of the result
            outcome[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in (("close", first), ("other", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


def _in_resolve(staff):
    complaint = make_complaint(by=staff)
    return walk(complaint, staff, to="resolve")


def _close(complaint, staff):
    return lambda: transitions.complaint_transition(
        complaint=Complaint.objects.get(pk=complaint.pk),
        name="close",
        data=dict(CLEAR_STEPS[-1][1]),
        by=staff,
    )


def _after_close(complaint, action):
    """Record entries of `action` filed after the complaint's closing entry."""
    closing = ComplaintRecord.objects.get(complaint=complaint, kind="process", data__transition="close")
    return ComplaintRecord.objects.filter(complaint=complaint, data__action=action, id__gt=closing.id).count()


@pytest.fixture
def racers(transactional_db, seeded_lists):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are checked on PostgreSQL (set DATABASE_URL)")
    return UserFactory(username="lin", role="staff"), UserFactory(username="ana", role="staff")


def test_severity_changes_racing_a_close_never_land_after_it(racers):
    lin, ana = racers
    late = 0
    for _trial in range(TRIALS):
        complaint = _in_resolve(lin)
        stale = Complaint.objects.get(pk=complaint.pk)
        _race(
            _close(complaint, lin),
            lambda c=stale: severity.complaint_change_severity(
                complaint=c, data={"severity": "major", "reason": "worse than it looked"}, by=ana
            ),
            _trial,
        )
        assert Complaint.objects.get(pk=complaint.pk).stage == "closed"
        late += _after_close(complaint, "change_severity")
    assert late == 0


def test_callbacks_racing_a_close_never_land_after_it(racers):
    lin, ana = racers
    late = 0
    for _trial in range(TRIALS):
        complaint = _in_resolve(lin)
        stale = Complaint.objects.get(pk=complaint.pk)
        due = (timezone.now() + dt.timedelta(hours=2)).isoformat()
        _race(
            _close(complaint, lin),
            lambda c=stale, d=due: callbacks.complaint_promise_callback(
                complaint=c, data={"due_at": d, "note": "ring back"}, by=ana
            ),
            _trial,
        )
        late += _after_close(complaint, "promise_callback")
        closed_at = Complaint.objects.get(pk=complaint.pk).closed_at
        assert not CallbackPromise.objects.filter(complaint=complaint, created_at__gt=closed_at).exists()
    assert late == 0


def test_compensation_requests_racing_a_close_never_land_after_it(racers):
    lin, ana = racers
    late = 0
    for _trial in range(TRIALS):
        complaint = _in_resolve(lin)
        stale = Complaint.objects.get(pk=complaint.pk)
        _race(
            _close(complaint, lin),
            lambda c=stale: compensation.compensation_request(
                complaint=c, data={"amount": "350", "reason": "broken twice"}, by=ana
            ),
            _trial,
        )
        late += _after_close(complaint, "compensation_request")
    assert late == 0
    assert CompensationRequest.objects.count() <= TRIALS


@pytest.mark.parametrize("change", ["severity", "callback", "compensation"])
def test_a_change_from_a_copy_read_before_the_close_is_refused(staff_user, change):
    complaint = _in_resolve(staff_user)
    stale = Complaint.objects.get(pk=complaint.pk)
    _close(complaint, staff_user)()
    calls = {
        "severity": lambda: severity.complaint_change_severity(
            complaint=stale, data={"severity": "major", "reason": "worse"}, by=staff_user
        ),
        "callback": lambda: callbacks.complaint_promise_callback(
            complaint=stale,
            data={"due_at": (timezone.now() + dt.timedelta(hours=2)).isoformat(), "note": "x"},
            by=staff_user,
        ),
        "compensation": lambda: compensation.compensation_request(
            complaint=stale, data={"amount": "350", "reason": "broken twice"}, by=staff_user
        ),
    }
    with pytest.raises(exceptions.Conflict):
        calls[change]()
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.severity == "minor"
    assert not CallbackPromise.objects.filter(complaint=complaint).exists()
    assert not CompensationRequest.objects.filter(complaint=complaint).exists()
