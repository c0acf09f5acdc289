"""The attachments API: upload by multipart, list, download; refusals in words."""

import hashlib
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from complaints.models import Attachment, ComplaintRecord
from tests.factories import walk

from .conftest import EXE, PDF, png_bytes, upload

pytestmark = pytest.mark.django_db


def post_file(client, complaint, name, content, content_type="application/octet-stream"):
    return client.post(
        f"/api/complaints/{complaint.pk}/attachments/",
        {"file": upload(name, content, content_type)},
        format="multipart",
    )


def test_upload_answers_201_with_the_files_digest_and_type_by_its_bytes(staff_api, complaint):
    content = png_bytes()
    # The name and the browser's type say PDF; the bytes say PNG, and the bytes win.
    response = post_file(staff_api, complaint, "receipt.pdf", content, "application/pdf")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {"id", "name", "size", "content_type", "sha256"}
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert (body["name"], body["size"], body["content_type"]) == ("receipt.pdf", len(content), "image/png")
    attachment = Attachment.objects.get(pk=body["id"])
    assert attachment.complaint == complaint and attachment.thumbnail_key


def test_each_attachment_is_a_content_entry_of_the_filed_record(staff_api, complaint, staff_user):
    response = post_file(staff_api, complaint, "notes.txt", b"Kettle leaks, 3 Dec.\n")
    entry = ComplaintRecord.objects.filter(complaint=complaint).order_by("-id").first()
    assert entry.kind == ComplaintRecord.Kind.CONTENT and entry.author == staff_user
    assert entry.data["action"] == "attach"
    assert entry.data["attachment"] == response.json()["id"]
    assert entry.data["sha256"] == hashlib.sha256(b"Kettle leaks, 3 Dec.\n").hexdigest()
    assert response.json()["content_type"] == "text/plain"


def test_list_gives_every_file_oldest_first(staff_api, complaint, manager_user):
    post_file(staff_api, complaint, "a.pdf", PDF)
    post_file(staff_api, complaint, "b.csv", b"date,amount\n2026-12-01,35.00\n")
    reader = APIClient()
    reader.force_authenticate(manager_user)
    response = reader.get(f"/api/complaints/{complaint.pk}/attachments/")
    assert response.status_code == 200
    assert [(f["name"], f["content_type"]) for f in response.json()] == [
        ("a.pdf", "application/pdf"),
        ("b.csv", "text/csv"),
    ]


def test_download_streams_the_bytes_as_an_attachment_with_nosniff(staff_api, complaint, manager_user):
    file_id = post_file(staff_api, complaint, "scan.pdf", PDF).json()["id"]
    reader = APIClient()
    reader.force_authenticate(manager_user)  # managers read every complaint
    response = reader.get(f"/api/attachments/{file_id}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="scan.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_text_is_sent_as_utf8_text_never_as_html(staff_api, complaint):
    content = "<script>alert(1)</script> 水壶漏水".encode()
    file_id = post_file(staff_api, complaint, "page.html", content, "text/html").json()["id"]
    response = staff_api.get(f"/api/attachments/{file_id}/download/")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")


def test_nobody_outside_the_desk_reads_or_attaches(api, staff_api, complaint, no_role_user, manager_user):
    file_id = post_file(staff_api, complaint, "scan.pdf", PDF).json()["id"]
    # Anonymous: no file, whatever exists.
    assert api.get(f"/api/attachments/{file_id}/download/").status_code == 401
    api.force_authenticate(no_role_user)
    assert api.get(f"/api/attachments/{file_id}/download/").status_code == 403
    assert api.get(f"/api/complaints/{complaint.pk}/attachments/").status_code == 403
    # A manager reads but attaches nothing; refused before the complaint is even looked up.
    api.force_authenticate(manager_user)
    assert post_file(api, complaint, "x.pdf", PDF).status_code == 403
    assert post_file(api, type("C", (), {"pk": 999999})(), "x.pdf", PDF).status_code == 403


def test_missing_complaint_or_file_is_404(staff_api):
    assert staff_api.get("/api/attachments/999999/download/").status_code == 404
    assert staff_api.get("/api/complaints/999999/attachments/").status_code == 404


def test_a_program_renamed_jpg_is_refused_in_words(staff_api, complaint, media):
    response = post_file(staff_api, complaint, "photo.jpg", EXE, "image/jpeg")
    assert response.status_code == 400
    message = response.json()["file"][0]
    assert "photo.jpg" in message and "application/x-msdownload" in message and "PDF" in message
    assert not Attachment.objects.exists()
    assert not Path(media).exists() or not [p for p in Path(media).rglob("*") if p.is_file()]


def test_bytes_that_say_png_but_do_not_decode_are_refused_not_a_500(staff_api, complaint):
    broken = png_bytes()[:60] + b"\x00" * 100
    response = post_file(staff_api, complaint, "photo.png", broken, "image/png")
    assert response.status_code == 400
    assert "cannot be opened" in response.json()["file"][0]


def test_unknown_bytes_and_empty_files_are_refused(staff_api, complaint):
    assert post_file(staff_api, complaint, "blob.bin", bytes(range(256)) * 4).status_code == 400
    response = post_file(staff_api, complaint, "empty.txt", b"")
    assert response.status_code == 400 and "file" in response.json()


def test_a_file_over_the_size_limit_is_refused(staff_api, complaint, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "ATTACHMENT_MAX_BYTES": 1000}
    response = post_file(staff_api, complaint, "long.txt", b"x" * 1001)
    assert response.status_code == 400
    assert "larger than" in response.json()["file"][0]
    assert post_file(staff_api, complaint, "ok.txt", b"x" * 1000).status_code == 201


def test_the_complaints_files_stay_within_their_total(staff_api, complaint, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "ATTACHMENT_COMPLAINT_MAX_BYTES": 2500}
    assert post_file(staff_api, complaint, "1.txt", b"a" * 1200).status_code == 201
    assert post_file(staff_api, complaint, "2.txt", b"b" * 1200).status_code == 201
    response = post_file(staff_api, complaint, "3.txt", b"c" * 200)
    assert response.status_code == 400
    assert "limit" in response.json()["file"][0]
    assert Attachment.objects.filter(complaint=complaint).count() == 2


def test_a_json_body_or_no_file_is_a_clear_refusal(staff_api, complaint):
    url = f"/api/complaints/{complaint.pk}/attachments/"
    assert staff_api.post(url, {"file": "x"}, format="json").status_code == 415
    response = staff_api.post(url, {"other": "x"}, format="multipart")
    assert response.status_code == 400 and response.json()["file"]


def test_too_many_files_in_one_request_is_400_in_words(staff_api, complaint, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [upload(f"{i}.txt", b"hello") for i in range(3)]
    response = staff_api.post(
        f"/api/complaints/{complaint.pk}/attachments/", {"file": files}, format="multipart"
    )
    assert response.status_code == 400
    assert "Too many files" in response.json()["detail"]


def test_staff_may_attach_evidence_after_closing(staff_api, complaint, staff_user):
    walk(complaint, staff_user, "closed")
    assert post_file(staff_api, complaint, "late.pdf", PDF).status_code == 201


def test_the_schema_documents_the_multipart_upload(staff_api):
    schema = staff_api.get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/complaints/{id}/attachments/"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert {"201", "400", "403", "404", "413", "415"} <= set(post["responses"])


def test_a_body_larger_than_any_complaint_may_hold_is_413_in_words(staff_api, complaint, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "ATTACHMENT_COMPLAINT_MAX_BYTES": 1000}
    response = post_file(staff_api, complaint, "huge.txt", b"x" * (1024 * 1024 + 2000))
    assert response.status_code == 413
    assert (
        response.json()["detail"] == "The files are too large together; send at most 1000\xa0bytes in one go."
    )
    assert not Attachment.objects.exists()
