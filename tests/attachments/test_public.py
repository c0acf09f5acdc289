"""The customer's files: on the public form and on their tracking page."""

import pytest
from django.test import Client

from complaints.models import Attachment, Complaint, ComplaintRecord
from complaints.workflow.attachments import attach_files
from tests.factories import UserFactory, walk

from .conftest import EXE, PDF, jpeg_bytes, upload

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Wang Fang",
    "phone": "+86 138 0013 8000",
    "email": "wang@example.com",
    "what_happened": "The kettle I bought on Monday leaks.",
    "desired_outcome": "A replacement kettle.",
}


def test_the_public_form_files_the_complaint_with_its_photos(client):
    response = client.post(
        "/submit/", {**GOOD, "uploads": [upload("kettle.jpg", jpeg_bytes()), upload("r.pdf", PDF)]}
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    files = list(complaint.attachments.all())
    assert [(f.name, f.source, f.uploaded_by) for f in files] == [
        ("kettle.jpg", "customer", None),
        ("r.pdf", "customer", None),
    ]
    entries = complaint.records.filter(data__action="attach")
    assert entries.count() == 2
    assert all(e.kind == ComplaintRecord.Kind.CONTENT and e.author is None for e in entries)


def test_a_sixth_file_on_the_public_form_is_refused_and_nothing_is_filed(client):
    files = [upload(f"{n}.txt", b"note") for n in range(6)]
    response = client.post("/submit/", {**GOOD, "uploads": files})
    assert response.status_code == 400
    assert "Send at most 5 files at a time." in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_program_on_the_public_form_is_refused_in_chinese_too(client):
    response = client.post(
        "/submit/", {**GOOD, "uploads": [upload("photo.jpg", EXE)]}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert "不是我们接受的文件" in response.content.decode()
    assert not Complaint.objects.exists()


def _filed(client):
    client.post("/submit/", GOOD)
    return Complaint.objects.get()


def test_the_customer_adds_files_on_the_tracking_page_and_downloads_them_by_token(client):
    complaint = _filed(client)
    track = f"/track/{complaint.tracking_token}/"
    page = client.get(track).content.decode()
    assert f'action="{track}files/"' in page
    response = client.post(f"{track}files/", {"uploads": [upload("receipt.pdf", PDF)]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    page = client.get(track).content.decode()
    assert "receipt.pdf" in page and f"{track}files/{attachment.pk}/" in page
    download = Client().get(f"{track}files/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"


def test_other_links_and_staff_files_are_404_to_customers(client, staff_user):
    complaint = _filed(client)
    other = Complaint.objects.create(
        **{
            f.name: getattr(complaint, f.name)
            for f in Complaint._meta.concrete_fields
            if f.name not in ("id", "reference", "tracking_token")
        },
        reference="CLR-OTHER01",
        tracking_token="o" * 43,
    )
    (staff_file,) = attach_files(complaint, [upload("internal.pdf", PDF)], by=staff_user)
    (theirs,) = attach_files(other, [upload("theirs.pdf", PDF)], source="customer")
    track = f"/track/{complaint.tracking_token}/"
    assert client.get(f"{track}files/{staff_file.pk}/").status_code == 404  # staff evidence stays internal
    assert client.get(f"{track}files/{theirs.pk}/").status_code == 404  # another customer's file
    assert client.get(f"/track/wrong-token/files/{theirs.pk}/").status_code == 404
    assert "internal.pdf" not in client.get(track).content.decode()


def test_a_closed_complaint_takes_no_more_customer_files(client):
    complaint = _filed(client)
    walk(complaint, UserFactory(username="closer", role="staff"), "closed")
    track = f"/track/{complaint.tracking_token}/"
    assert 'files/"' not in client.get(track).content.decode()
    response = client.post(f"{track}files/", {"uploads": [upload("late.pdf", PDF)]})
    assert response.status_code == 400
    assert "closed" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_refused_file_on_the_tracking_page_says_why(client):
    complaint = _filed(client)
    response = client.post(f"/track/{complaint.tracking_token}/files/", {"uploads": [upload("a.jpg", EXE)]})
    assert response.status_code == 400
    assert "is not a file we accept" in response.content.decode()
    response = client.post(f"/track/{complaint.tracking_token}/files/", {})
    assert response.status_code == 400
