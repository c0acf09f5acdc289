"""The redress ledger: offered -> accepted or declined -> paid, in order, within the approval rule."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client

from complaints.escalations import compensation, redress
from complaints.exceptions import Conflict
from complaints.models import Complaint, ComplaintRecord, Redress
from tests.factories import make_complaint, walk

pytestmark = pytest.mark.django_db

PAYMENT = {"step": "pay", "paid_on": date.today().isoformat(), "method": "bank_transfer", "reference": "TX-1"}


def step(complaint, by, name, **data):
    values = {"offer": {"amount": "50.00", "description": "Refund of the delivery fee"}}.get(name, {})
    if name == "pay":
        values = dict(PAYMENT)
    return redress.redress_step(complaint=complaint, data={"step": name, **values, **data}, by=by)


@pytest.fixture
def resolved(staff_user):
    return walk(make_complaint(by=staff_user), staff_user, "resolve")


def test_offer_accept_pay_files_each_step(resolved, staff_user):
    step(resolved, staff_user, "offer")
    step(resolved, staff_user, "accept", note="Happy with that")
    paid = step(resolved, staff_user, "pay")
    assert paid.status == Redress.Status.PAID
    assert (
        paid.paid_on == date.today() and paid.method == "bank_transfer" and paid.payment_reference == "TX-1"
    )
    entries = [
        r.data
        for r in ComplaintRecord.objects.filter(
            complaint=resolved, data__action__startswith="redress_"
        ).order_by("id")
    ]
    assert [e["action"] for e in entries] == ["redress_offered", "redress_accepted", "redress_paid"]
    assert entries[0]["amount"] == "50.00" and entries[1]["note"] == "Happy with that"
    assert entries[2]["reference"] == "TX-1" and entries[2]["paid_on"] == date.today().isoformat()
    assert all(e["redress"] == paid.pk for e in entries)


@pytest.mark.parametrize("first", ["accept", "decline", "pay"])
def test_nothing_but_an_offer_comes_first(resolved, staff_user, first):
    with pytest.raises(Conflict):
        step(resolved, staff_user, first)
    assert not Redress.objects.exists()


def test_paid_before_accepted_is_refused(resolved, staff_user):
    step(resolved, staff_user, "offer")
    with pytest.raises(Conflict, match="not accepted"):
        step(resolved, staff_user, "pay")
    assert Redress.objects.get().status == "offered"


def test_one_offer_in_play_and_a_new_one_after_a_no(resolved, staff_user):
    step(resolved, staff_user, "offer")
    with pytest.raises(Conflict):
        step(resolved, staff_user, "offer", amount="80.00")
    step(resolved, staff_user, "decline", note="Wants a replacement instead")
    with pytest.raises(Conflict):
        step(resolved, staff_user, "pay")
    again = step(resolved, staff_user, "offer", amount="80.00")
    step(resolved, staff_user, "accept")
    with pytest.raises(Conflict):
        step(resolved, staff_user, "decline")
    with pytest.raises(Conflict):
        step(resolved, staff_user, "offer")
    step(resolved, staff_user, "pay")
    with pytest.raises(Conflict, match="already paid"):
        step(resolved, staff_user, "pay")
    assert list(Redress.objects.values_list("status", flat=True)) == ["declined", "paid"]
    assert Redress.objects.get(status="paid") == again


def test_bad_input_is_a_field_error(resolved, staff_user):
    from django.core.exceptions import ValidationError

    for data in (
        {"step": "refund"},
        {"step": "offer", "amount": "-5", "description": "x"},
        {"step": "offer", "amount": "10"},
    ):
        with pytest.raises(ValidationError):
            redress.redress_step(complaint=resolved, data=data, by=staff_user)
    step(resolved, staff_user, "offer")
    step(resolved, staff_user, "accept")
    future = (date.today() + timedelta(days=3)).isoformat()
    with pytest.raises(ValidationError) as error:
        step(resolved, staff_user, "pay", paid_on=future)
    assert "paid_on" in error.value.message_dict


# --- the approval limit (the rule closing uses) --------------------------------------


def test_payment_above_the_limit_waits_for_approval(resolved, staff_user, supervisor_user):
    step(resolved, staff_user, "offer", amount="500.00")
    step(resolved, staff_user, "accept")
    with pytest.raises(Conflict, match="approval"):
        step(resolved, staff_user, "pay")
    request = compensation.compensation_request(
        complaint=resolved, data={"amount": "400.00", "reason": "Two broken parcels"}, by=staff_user
    )
    compensation.compensation_decide(request=request, approve=True, data={}, by=supervisor_user)
    with pytest.raises(Conflict, match="approval"):  # approved 400 is less than 500
        step(resolved, staff_user, "pay")
    request = compensation.compensation_request(
        complaint=resolved, data={"amount": "500.00", "reason": "Two broken parcels"}, by=staff_user
    )
    compensation.compensation_decide(request=request, approve=True, data={}, by=supervisor_user)
    assert step(resolved, staff_user, "pay").status == "paid"


def test_a_supervisor_pays_above_the_limit_on_their_own_authority(resolved, staff_user, supervisor_user):
    step(resolved, staff_user, "offer", amount="900.00")
    step(resolved, staff_user, "accept")
    assert step(resolved, supervisor_user, "pay").status == "paid"


def test_within_the_limit_staff_pay_themselves(resolved, staff_user):
    step(resolved, staff_user, "offer", amount="200.00")
    step(resolved, staff_user, "accept")
    assert step(resolved, staff_user, "pay").status == "paid"


# --- concurrency ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_once_record_one(seeded_lists):
    from tests.factories import UserFactory

    staff = UserFactory(username="pay-staff", role="staff")
    other = UserFactory(username="pay-other", role="staff")
    complaint = walk(make_complaint(by=staff), staff, "resolve")
    step(complaint, staff, "offer")
    step(complaint, staff, "accept")
    barrier = threading.Barrier(2)
    outcomes = []

    def pay(user, reference):
        try:
            barrier.wait()
            step(Complaint.objects.get(pk=complaint.pk), user, "pay", reference=reference)
            outcomes.append("paid")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(u, r)) for u, r in ((staff, "A"), (other, "B"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "paid"]
    assert Redress.objects.get().status == "paid"
    assert ComplaintRecord.objects.filter(complaint=complaint, data__action="redress_paid").count() == 1


# --- the page and the API ------------------------------------------------------------


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_panel_shows_the_ledger_and_the_next_step(resolved, staff_user):
    client = client_for(staff_user)
    page = client.get(f"/complaints/{resolved.pk}/").content.decode()
    assert 'id="redress-offer"' in page and "Nothing offered yet." in page
    answer = client.post(
        f"/complaints/{resolved.pk}/",
        {
            "action": "redress",
            "step": "offer",
            "redress_offer-amount": "30",
            "redress_offer-description": "A voucher",
        },
    )
    assert answer.status_code == 302
    page = client.get(f"/complaints/{resolved.pk}/").content.decode()
    assert 'id="redress-ledger"' in page and "A voucher" in page
    assert (
        'id="redress-accept"' in page and 'id="redress-decline"' in page and 'id="redress-offer"' not in page
    )
    assert "Redress offered" in page  # the filed record's entry


def test_page_refuses_a_step_out_of_order_and_keeps_the_typed_text(resolved, staff_user):
    client = client_for(staff_user)
    answer = client.post(
        f"/complaints/{resolved.pk}/",
        {
            "action": "redress",
            "step": "pay",
            "redress_pay-paid_on": date.today().isoformat(),
            "redress_pay-method": "cash",
            "redress_pay-reference": "RCPT-778",
        },
    )
    assert answer.status_code == 409
    assert "There is no accepted offer to pay" in answer.content.decode()
    step(resolved, staff_user, "offer")
    step(resolved, staff_user, "accept")
    answer = client.post(
        f"/complaints/{resolved.pk}/",
        {"action": "redress", "step": "pay", "redress_pay-paid_on": "", "redress_pay-reference": "RCPT-778"},
    )
    assert answer.status_code == 400
    assert "RCPT-778" in answer.content.decode()
    assert (
        client.post(f"/complaints/{resolved.pk}/", {"action": "redress", "step": "nope"}).status_code == 404
    )


def test_api_takes_the_steps_and_answers_409_out_of_order(staff_api, resolved):
    url = f"/api/complaints/{resolved.pk}/redress/"
    assert staff_api.post(url, {"step": "accept"}, format="json").status_code == 409
    assert staff_api.post(url, {"step": "offer", "amount": 20}, format="json").status_code == 400
    offered = staff_api.post(
        url, {"step": "offer", "amount": "20.00", "description": "Refund"}, format="json"
    )
    assert offered.status_code == 200 and offered.json()["status"] == "offered"
    assert (
        staff_api.post(
            url, {"step": "pay", **{k: v for k, v in PAYMENT.items() if k != "step"}}, format="json"
        ).status_code
        == 409
    )
    assert staff_api.post(url, {"step": "accept", "note": None}, format="json").status_code == 400
    assert staff_api.post(url, {"step": "accept"}, format="json").status_code == 200
    paid = staff_api.post(url, PAYMENT, format="json")
    assert paid.status_code == 200 and paid.json()["payment_reference"] == "TX-1"
    ledger = staff_api.get(url).json()
    assert [r["status"] for r in ledger] == ["paid"]
    assert staff_api.post("/api/complaints/999999/redress/", PAYMENT, format="json").status_code == 404


def test_api_managers_read_but_do_not_pay(api, manager_user, resolved):
    api.force_authenticate(manager_user)
    url = f"/api/complaints/{resolved.pk}/redress/"
    assert api.get(url).status_code == 200
    assert (
        api.post(url, {"step": "offer", "amount": "5.00", "description": "x"}, format="json").status_code
        == 403
    )
