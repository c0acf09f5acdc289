import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from complaints.models import Complaint, ComplaintRecord, Notification
from complaints.notifications import outbox
from customers.models import Customer
from customers.privacy import erase_customer, export_customer
from tests.factories import CustomerFactory, make_complaint, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_with_history(staff_user):
    customer = CustomerFactory(name="Wang Fang", phone="+86 138 0013 8000", email="wf@example.com")
    complaint = make_complaint(by=staff_user, customer=customer, content="The heater broke in week one.")
    Complaint.objects.filter(pk=complaint.pk).update(tracking_token="t" * 43)
    outbox.queue_email(to="wf@example.com", subject="Your complaint", body="...", key="ack:1")
    return customer, complaint


def test_export_holds_the_customer_their_complaints_and_records(customer_with_history):
    customer, complaint = customer_with_history
    data = export_customer(customer)
    assert data["customer"]["name"] == "Wang Fang"
    assert data["customer"]["email"] == "wf@example.com"
    assert [c["reference"] for c in data["complaints"]] == [complaint.reference]
    assert data["complaints"][0]["content"] == "The heater broke in week one."
    assert data["complaints"][0]["record"][0]["kind"] == "content"
    json.dumps(data)  # plain JSON


def test_erasure_removes_identity_and_keeps_the_facts(customer_with_history, supervisor_user, client):
    customer, complaint = customer_with_history
    records_before = ComplaintRecord.objects.filter(complaint=complaint).count()

    erase_customer(customer=customer, reason="Customer asked", by=supervisor_user)

    customer = Customer.objects.get(pk=customer.pk)
    assert customer.name == f"Erased customer {customer.pk}"
    assert (customer.phone, customer.email, customer.phone_normalized) == ("", "", "")
    assert customer.erased_at is not None
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.tracking_token is None
    assert complaint.content == "The heater broke in week one."  # the fact stays
    records = ComplaintRecord.objects.filter(complaint=complaint)
    assert records.count() == records_before + 1
    assert records.last().data == {"action": "customer_erased", "reason": "Customer asked"}
    assert client.get("/track/" + "t" * 43 + "/").status_code == 404
    assert not Notification.objects.filter(to="wf@example.com").exists()
    outbox.deliver_pending()
    assert mail.outbox == []
    exported = json.dumps(export_customer(customer))
    assert "Wang Fang" not in exported and "wf@example.com" not in exported and "13800138000" not in exported


def test_only_supervisors_erase(customer_with_history, staff_user):
    from django.core.exceptions import PermissionDenied

    customer, _complaint = customer_with_history
    with pytest.raises(PermissionDenied):
        erase_customer(customer=customer, reason="x", by=staff_user)
    assert Customer.objects.get(pk=customer.pk).name == "Wang Fang"


def test_commands(customer_with_history, supervisor_user, staff_user, tmp_path, capsys):
    customer, _complaint = customer_with_history
    out = tmp_path / "export.json"
    call_command("customer_export", customer.pk, "--out", str(out))
    assert json.loads(out.read_text())["customer"]["name"] == "Wang Fang"
    with pytest.raises(CommandError):
        call_command("customer_erase", customer.pk, "--reason", "asked", "--by", staff_user.username)
    call_command("customer_erase", customer.pk, "--reason", "asked", "--by", supervisor_user.username)
    assert Customer.objects.get(pk=customer.pk).email == ""
    with pytest.raises(CommandError):
        call_command("customer_export", 999999)


def test_admin_actions(customer_with_history, admin_client):
    customer, _complaint = customer_with_history
    url = "/admin/customers/customer/"
    response = admin_client.post(url, {"action": "export_personal_data", "_selected_action": [customer.pk]})
    assert response.status_code == 200
    assert json.loads(response.content)[0]["customer"]["name"] == "Wang Fang"
    admin_client.post(url, {"action": "erase_personal_data", "_selected_action": [customer.pk]})
    assert Customer.objects.get(pk=customer.pk).erased_at is not None


def test_emails_to_customers_never_name_staff(settings):
    """Acknowledgement and survey emails speak for the desk, not for a named employee."""
    from tests.factories import UserFactory

    staff_user = UserFactory(
        username="qzstaffer", role="staff", first_name="Zhuoran", last_name="Quillfeather"
    )
    from customers.public import public_file_complaint

    complaint = public_file_complaint(
        name="Chen Jie",
        phone="",
        email="c@example.com",
        what_happened="Broken lid",
        desired_outcome="A new lid",
        language="en",
    )
    walk(complaint, staff_user)
    outbox.deliver_pending()
    to_customer = [m for m in mail.outbox if m.to == ["c@example.com"]]
    assert len(to_customer) >= 2  # acknowledgement and survey
    for message in to_customer:
        text = message.subject + message.body + "".join(body for body, _type in message.alternatives)
        assert "Zhuoran" not in text and "Quillfeather" not in text and "qzstaffer" not in text


# --- Erasure leaves no trace ------------------------------------------------------------


def test_erasure_cancels_the_acknowledgement_to_an_address_not_on_file(
    customer_with_history, supervisor_user
):
    from customers.public import public_file_complaint

    customer, _complaint = customer_with_history
    # Known by phone, writing from another address: the acknowledgement goes there.
    second = public_file_complaint(
        name="Wang Fang",
        phone="+86 138-0013-8000",
        email="fang.home@example.org",
        what_happened="The new heater leaks",
        desired_outcome="A refund",
        language="en",
    )
    assert second.customer_id == customer.pk
    ack = Notification.objects.get(key=f"acknowledgement:{second.pk}")
    assert (ack.to, ack.status) == ("fang.home@example.org", "pending")

    erase_customer(customer=customer, reason="Customer asked", by=supervisor_user)

    assert outbox.deliver_pending() == (0, 0)
    assert mail.outbox == []
    ack.refresh_from_db()
    assert ack.status == "failed" and ack.last_error.startswith("cancelled: ")
    assert (ack.to, ack.subject, ack.body, ack.html) == ("", "", "", "")


def test_erasure_erases_every_spelling_of_the_customer(staff_user, supervisor_user):
    from complaints.models import RecordRedaction
    from customers.services import customer_set_tier

    customer = CustomerFactory(name="Wang Fang", phone="+86 138 0013 8000", email="wf@example.com")
    complaint = make_complaint(
        by=staff_user, customer=customer, content="WANG FANG: call 138-0013-8000 or mail WF@Example.com."
    )
    customer_set_tier(
        customer=customer, tier="B", reason="wang fang, tel 0086 13800138000", by=supervisor_user
    )

    erase_customer(customer=customer, reason="Wang Fang asked", by=supervisor_user)

    expected = "[erased]: call [erased] or mail [erased]."
    assert Complaint.objects.get(pk=complaint.pk).content == expected
    content, acknowledgement, *_rest, erased = ComplaintRecord.objects.filter(complaint=complaint)
    assert content.data["content"] == expected
    # The acknowledgement filed in the record named them and their address: erased too.
    assert acknowledgement.data["to"] == "[erased]"
    assert "Wang Fang" not in acknowledgement.data["body"] and "[erased]" in acknowledgement.data["body"]
    assert erased.data == {"action": "customer_erased", "reason": "[erased] asked"}
    customer = Customer.objects.get(pk=customer.pk)
    assert customer.tier_override_reason == "[erased], tel [erased]"
    assert customer.tier_changes.get().reason == "[erased], tel [erased]"
    redaction = RecordRedaction.objects.get(complaint=complaint)
    assert (redaction.by, redaction.reason, redaction.entries_redacted) == (
        supervisor_user,
        "[erased] asked",
        2,
    )
    assert redaction.string_count >= 6 and redaction.payload is None


def test_an_email_claimed_before_the_erasure_is_not_sent_after_it(
    customer_with_history, supervisor_user, monkeypatch
):
    customer, _complaint = customer_with_history
    claim = outbox._claim

    def claim_then_erase(batch, now):
        claimed = claim(batch, now)
        # The erasure commits while this worker holds its claim.
        erase_customer(customer=customer, reason="Customer asked", by=supervisor_user)
        return claimed

    monkeypatch.setattr(outbox, "_claim", claim_then_erase)
    assert outbox.deliver_pending() == (0, 0)
    assert mail.outbox == []
    assert Notification.objects.get(key="ack:1").status == "failed"


def test_a_cancelled_email_whose_sending_failed_stays_cancelled(
    customer_with_history, supervisor_user, monkeypatch
):
    customer, _complaint = customer_with_history

    def erased_while_sending(notification):
        erase_customer(customer=customer, reason="Customer asked", by=supervisor_user)
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(outbox, "_send", erased_while_sending)
    assert outbox.deliver_pending() == (0, 1)
    row = Notification.objects.get(key="ack:1")
    assert row.status == "failed" and row.last_error.startswith("cancelled: ")
    assert (row.to, row.body) == ("", "")


def test_erasing_an_erased_customer_again_finds_nothing_more(customer_with_history, supervisor_user):
    from complaints.models import RecordRedaction

    customer, complaint = customer_with_history
    erase_customer(customer=customer, reason="Customer asked", by=supervisor_user)
    erase_customer(customer=customer, reason="Asked again", by=supervisor_user)
    assert Customer.objects.get(pk=customer.pk).name == f"Erased customer {customer.pk}"
    assert RecordRedaction.objects.filter(complaint=complaint).count() == 1
    assert ComplaintRecord.objects.filter(complaint=complaint, data__action="customer_erased").count() == 2
