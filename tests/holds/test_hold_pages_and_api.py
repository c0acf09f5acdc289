"""Holds through the API and the complaint page, and the queue card that shows them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Complaint, ComplaintHold, ComplaintRecord
from complaints.workflow import holds
from tests.factories import make_complaint, walk

pytestmark = pytest.mark.django_db


def test_api_hold_and_resume(staff_api, staff_user):
    c = make_complaint(by=staff_user)
    url = f"/api/complaints/{c.pk}/"
    answer = staff_api.post(
        url + "hold/", {"kind": "third_party", "reason": "Courier's report"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["stage"] == "control"
    assert body["on_hold"]["kind"] == "third_party" and body["on_hold"]["reason"] == "Courier's report"
    assert body["next_deadline"] is None and body["overdue"] is False and body["time_left"] is None
    assert body["on_hold"]["paused_deadline"] is not None
    again = staff_api.post(url + "hold/", {"kind": "customer", "reason": "x"}, format="json")
    assert again.status_code == 409 and "already on hold" in again.json()["detail"]
    resumed = staff_api.post(url + "resume/", {}, format="json")
    assert resumed.status_code == 200 and resumed.json()["on_hold"] is None
    assert resumed.json()["next_deadline"] is not None
    assert staff_api.post(url + "resume/", {}, format="json").status_code == 409
    records = staff_api.get(url + "records/").json()
    assert [r["data"].get("action") for r in records][-2:] == ["hold", "resume"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "customer"}, "reason"),
        ({"kind": "customer", "reason": "   "}, "reason"),
        ({"kind": "someone", "reason": "x"}, "kind"),
        ({"reason": "x"}, "kind"),
        ({"kind": 3, "reason": "x"}, "kind"),
        ({"kind": "customer", "reason": "x" * 5001}, "reason"),
    ],
)
def test_api_bad_hold_input_is_400_with_messages(staff_api, staff_user, body, field):
    c = make_complaint(by=staff_user)
    answer = staff_api.post(f"/api/complaints/{c.pk}/hold/", body, format="json")
    assert answer.status_code == 400 and answer.json()[field], answer.content
    assert not ComplaintHold.objects.exists()


def test_api_closed_complaint_cannot_go_on_hold_and_managers_may_not(
    staff_api, staff_user, manager_user, api
):
    closed = walk(make_complaint(by=staff_user), staff_user)
    answer = staff_api.post(
        f"/api/complaints/{closed.pk}/hold/", {"kind": "customer", "reason": "x"}, format="json"
    )
    assert answer.status_code == 409
    api.force_authenticate(manager_user)
    c = make_complaint(by=staff_user)
    assert (
        api.post(
            f"/api/complaints/{c.pk}/hold/", {"kind": "customer", "reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        staff_api.post(
            "/api/complaints/999999/hold/", {"kind": "customer", "reason": "x"}, format="json"
        ).status_code
        == 404
    )


def test_the_overdue_filter_leaves_complaints_on_hold_out(staff_api, staff_user):
    now = timezone.now()
    late = make_complaint(by=staff_user, now=now - timedelta(days=3))
    held = make_complaint(by=staff_user, now=now - timedelta(days=3))
    holds.put_on_hold(held, kind="customer", reason="photo", by=staff_user)
    overdue = [r["id"] for r in staff_api.get("/api/complaints/", {"overdue": "true"}).json()["results"]]
    not_overdue = [r["id"] for r in staff_api.get("/api/complaints/", {"overdue": "false"}).json()["results"]]
    assert overdue == [late.pk] and held.pk in not_overdue


def test_page_hold_form_keeps_the_typed_reason_on_error(client, staff_user):
    c = make_complaint(by=staff_user)
    client.force_login(staff_user)
    page = client.get(f"/complaints/{c.pk}/").content.decode()
    assert 'name="hold-reason"' in page and 'value="hold"' in page
    answer = client.post(
        f"/complaints/{c.pk}/", {"action": "hold", "hold-kind": "", "hold-reason": "The receipt"}
    )
    assert answer.status_code == 400
    assert "The receipt</textarea>" in answer.content.decode()
    assert not ComplaintHold.objects.exists()


def test_page_hold_then_resume(client, staff_user):
    c = make_complaint(by=staff_user)
    client.force_login(staff_user)
    answer = client.post(
        f"/complaints/{c.pk}/",
        {"action": "hold", "hold-kind": "customer", "hold-reason": "The receipt photo"},
    )
    assert answer.status_code == 302
    page = client.get(f"/complaints/{c.pk}/").content.decode()
    assert "On hold since" in page and "(waiting for the customer): The receipt photo" in page
    assert "left when paused" in page
    assert 'value="resume"' in page and 'name="hold-reason"' not in page
    # Putting it on hold a second time (a second tab) is a conflict, the reason kept.
    again = client.post(
        f"/complaints/{c.pk}/", {"action": "hold", "hold-kind": "customer", "hold-reason": "Second"}
    )
    assert again.status_code == 409 and "already on hold" in again.content.decode()
    assert (
        client.post(f"/complaints/{c.pk}/", {"action": "resume", "resume-note": "Photo came"}).status_code
        == 302
    )
    c = Complaint.objects.get(pk=c.pk)
    assert c.hold is None
    entry = ComplaintRecord.objects.filter(complaint=c, data__action="resume").get()
    assert entry.data["note"] == "Photo came" and entry.data["how"] == "resumed"
    page = client.get(f"/complaints/{c.pk}/").content.decode()
    assert "Put on hold" in page and "Resumed" in page
    assert client.post(f"/complaints/{c.pk}/", {"action": "resume"}).status_code == 409


def test_queue_card_shows_the_hold_and_its_paused_clock(client, staff_user, django_assert_max_num_queries):
    now = timezone.now()
    running = [make_complaint(by=staff_user, now=now) for _ in range(3)]
    held = [make_complaint(by=staff_user, now=now) for _ in range(3)]
    for c in held:
        holds.put_on_hold(c, kind="third_party", reason=f"Courier report {c.pk}", by=staff_user)
    client.force_login(staff_user)
    client.get("/")
    with django_assert_max_num_queries(12) as captured:
        page = client.get("/").content.decode()
    more = make_complaint(by=staff_user, now=now)
    holds.put_on_hold(more, kind="customer", reason="photo", by=staff_user)
    with django_assert_max_num_queries(len(captured)):
        client.get("/")
    for c in held:
        assert f"(waiting for a third party): Courier report {c.pk}" in page
    assert page.count("left when paused") == 3
    # Held complaints come after those whose clocks run.
    assert max(page.index(c.reference) for c in running) < min(page.index(c.reference) for c in held)


def test_an_escalated_complaint_on_hold_says_so_on_the_escalation_queue(client, staff_user, supervisor_user):
    from complaints.escalations import queue

    c = make_complaint(by=staff_user)
    Complaint.objects.filter(pk=c.pk).update(escalated=True, escalation_level=1, escalated_at=timezone.now())
    holds.put_on_hold(c, kind="customer", reason="photo", by=staff_user)
    (row,) = queue.escalation_queue()
    assert row.paused and not row.follow_up and row.urgency == 0
    client.force_login(supervisor_user)
    page = client.get("/escalations/").content.decode()
    assert "<strong data-paused>On hold</strong>" in page and "Follow-up needed" not in page


def test_the_hold_speaks_chinese_on_the_page(client, staff_user):
    c = make_complaint(by=staff_user)
    holds.put_on_hold(c, kind="customer", reason="收据照片", by=staff_user)
    client.force_login(staff_user)
    page = client.get(f"/complaints/{c.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "（等待客户回复）：收据照片" in page and "暂停时还剩" in page


def test_the_admin_shows_a_complaints_holds_read_only(client, staff_user):
    from tests.factories import UserFactory

    admin = UserFactory(username="root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    c = make_complaint(by=staff_user)
    holds.put_on_hold(c, kind="customer", reason="Receipt photo", by=staff_user)
    client.force_login(admin)
    page = client.get(f"/admin/complaints/complaint/{c.pk}/change/")
    assert page.status_code == 200 and "Receipt photo" in page.content.decode()
