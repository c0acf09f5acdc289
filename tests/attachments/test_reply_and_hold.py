"""The customer's reply on the tracking page: text and files together, filed together, and
a complaint waiting for the customer runs again."""

from django.test import Client

from complaints.models import Attachment, Complaint, ComplaintHold, ComplaintRecord, Notification
from complaints.workflow import holds, replies
from tests.factories import UserFactory, make_complaint, walk

from .conftest import EXE, png_bytes, upload


def _waiting(lin):
    complaint = walk(make_complaint(by=lin), lin, "listen")
    holds.put_on_hold(complaint, kind="customer", reason="a photo of the receipt", by=lin)
    complaint.refresh_from_db()
    return complaint


def test_a_reply_with_a_photo_files_both_tells_the_assignee_and_ends_the_wait(db):
    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    complaint = _waiting(lin)
    assert complaint.hold_id is not None and complaint.deadline_now() is None
    response = Client().post(
        f"/track/{complaint.tracking_token}/",
        {"reply-text": "Here is the receipt.", "reply-uploads": [upload("receipt.png", png_bytes())]},
    )
    assert response.status_code == 302
    (entry,) = ComplaintRecord.objects.filter(complaint=complaint, data__action=replies.CUSTOMER_REPLY)
    assert entry.data["files"] == ["receipt.png"]
    (attachment,) = Attachment.objects.filter(complaint=complaint)
    assert attachment.source == "customer" and attachment.content_type == "image/png"
    assert Notification.objects.filter(to="lin@example.com", key=f"reply:{entry.pk}").count() == 1
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.hold_id is None and complaint.deadline_now() is not None
    assert ComplaintHold.objects.get(complaint=complaint).ended_how == "customer_replied"
    # The customer sees their file on the page.
    page = Client().get(f"/track/{complaint.tracking_token}/").content.decode()
    assert "receipt.png" in page


def test_a_refused_file_keeps_the_text_files_nothing_and_the_wait_goes_on(db):
    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    complaint = _waiting(lin)
    response = Client().post(
        f"/track/{complaint.tracking_token}/",
        {"reply-text": "See the attached program.", "reply-uploads": [upload("photo.jpg", EXE)]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "See the attached program." in html  # what they typed is kept
    assert not ComplaintRecord.objects.filter(
        complaint=complaint, data__action=replies.CUSTOMER_REPLY
    ).exists()
    assert not Attachment.objects.filter(complaint=complaint).exists()
    assert Complaint.objects.get(pk=complaint.pk).hold_id is not None


def test_files_sent_on_their_own_also_end_the_wait(db):
    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    complaint = _waiting(lin)
    response = Client().post(
        f"/track/{complaint.tracking_token}/files/", {"uploads": [upload("receipt.png", png_bytes())]}
    )
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).hold_id is None


def test_putting_on_hold_and_resuming_tells_the_customer_once_each(db, django_capture_on_commit_callbacks):
    lin = UserFactory(username="lin", role="staff", email="lin@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        complaint = _waiting(lin)
    hold = ComplaintHold.objects.get(complaint=complaint)
    sent = ComplaintRecord.objects.filter(complaint=complaint, data__action="customer_message")
    on_hold = [r for r in sent if r.data["message"] == "on_hold"]
    assert len(on_hold) == 1 and "a photo of the receipt" in on_hold[0].data["body"]  # what to send
    with django_capture_on_commit_callbacks(execute=True):
        holds.resume_hold(complaint, by=lin, how="resumed")
    resumed = [r for r in sent.all() if r.data["message"] == "resumed"]
    assert len(resumed) == 1 and resumed[0].data["key"] == f"progress:{complaint.pk}:resumed:{hold.pk}"
