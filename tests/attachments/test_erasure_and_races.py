"""Erasing a customer removes their files' bytes and keeps the entries; two uploads at once
cannot pass the complaint's total."""

import threading

import pytest
from django.db import connection

from complaints.models import Attachment, ComplaintRecord, attachment_storage
from complaints.workflow.attachments import attach_files
from customers.privacy import erase_customer, export_customer
from tests.factories import CustomerFactory, UserFactory, make_complaint

from .conftest import PDF, png_bytes, upload


@pytest.mark.django_db
def test_erasure_removes_the_bytes_and_keeps_the_entry(
    client, staff_user, supervisor_user, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(name="Wang Fang", phone="+86 138 0013 8000")
    complaint = make_complaint(by=staff_user, customer=customer)
    photo, scan = attach_files(
        complaint, [upload("wang-fang-kettle.png", png_bytes()), upload("receipt.pdf", PDF)], by=staff_user
    )
    storage = attachment_storage()
    keys = [photo.storage_key, photo.thumbnail_key, scan.storage_key]
    assert all(storage.exists(key) for key in keys)
    exported = export_customer(customer)["complaints"][0]["attachments"]
    assert [f["sha256"] for f in exported] == [photo.sha256, scan.sha256]

    with django_capture_on_commit_callbacks(execute=True):
        erase_customer(customer=customer, reason="Customer asked", by=supervisor_user)

    assert not any(storage.exists(key) for key in keys)
    photo.refresh_from_db()
    assert photo.erased_at is not None and photo.sha256 and photo.size
    assert "Wang" not in photo.name and "Fang" not in photo.name.title()
    entries = ComplaintRecord.objects.filter(complaint=complaint, data__action="attach")
    assert entries.count() == 2  # the record keeps its entries, with their digests
    assert {e.data["sha256"] for e in entries} == {photo.sha256, scan.sha256}
    assert all("wang" not in e.data["name"] for e in entries)
    assert Attachment.objects.count() == 2
    client.force_login(staff_user)
    assert client.get(f"/api/attachments/{photo.pk}/download/").status_code == 404
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "The file was erased with the customer" in page
    assert "wang-fang" not in page


@pytest.mark.django_db
def test_an_attachment_is_never_deleted(staff_user):
    complaint = make_complaint(by=staff_user)
    (attachment,) = attach_files(complaint, [upload("a.pdf", PDF)], by=staff_user)
    with pytest.raises(Attachment.Kept):
        attachment.delete()


@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_cannot_pass_the_complaints_total(seeded_lists, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "ATTACHMENT_COMPLAINT_MAX_BYTES": 1500}
    staff = UserFactory(username="racer", role="staff")
    complaint = make_complaint(by=staff)
    start = threading.Barrier(2)
    outcomes = []

    def send(n):
        try:
            start.wait()
            attach_files(complaint, [upload(f"{n}.txt", b"x" * 1000)], by=staff)
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ValidationError", "ok"]
    assert Attachment.objects.filter(complaint=complaint).count() == 1
    # The refused upload left no bytes behind.
    storage = attachment_storage()
    assert len(storage.listdir(f"attachments/{complaint.pk}")[0]) == 1
