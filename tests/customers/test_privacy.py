import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from complaints import notifications
from complaints.models import Complaint, ComplaintRecord, Notification
from customers.models import Customer
from customers.privacy import erase_customer, export_customer
from tests.factories import CustomerFactory, make_complaint, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_with_history(staff_user):
    customer = CustomerFactory(name="Wang Fang", phone="+86 138 0013 8000", email="wf@example.com")
    complaint = make_complaint(by=staff_user, customer=customer, content="The heater broke in week one.")
    Complaint.objects.filter(pk=complaint.pk).update(tracking_token="t" * 43)
    notifications.queue_email(to="wf@example.com", subject="Your complaint", body="...", key="ack:1")
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
    notifications.deliver_pending()
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
    notifications.deliver_pending()
    to_customer = [m for m in mail.outbox if m.to == ["c@example.com"]]
    assert len(to_customer) >= 2  # acknowledgement and survey
    for message in to_customer:
        text = message.subject + message.body + "".join(body for body, _type in message.alternatives)
        assert "Zhuoran" not in text and "Quillfeather" not in text and "qzstaffer" not in text
