"""Files on the desk's pages: intake, the complaint page's form, the timeline's thumbnails."""

import re

import pytest
from django.test import Client

from complaints.models import Attachment, Category, Complaint
from complaints.workflow.attachments import attach_files
from tests.factories import walk

from .conftest import EXE, PDF, jpeg_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


def test_intake_logs_the_complaint_with_its_photos(desk):
    response = desk.post(
        "/complaints/new/",
        {
            "new_customer_name": "Wang Fang",
            "new_customer_phone": "+86 138 0013 8000",
            "channel": "counter",
            "category": Category.objects.get(code="product_quality").code,
            "severity": "minor",
            "content": "The kettle leaks.",
            "uploads": [upload("kettle.jpg", jpeg_bytes()), upload("receipt.pdf", PDF)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert [(a.name, a.content_type) for a in complaint.attachments.all()] == [
        ("kettle.jpg", "image/jpeg"),
        ("receipt.pdf", "application/pdf"),
    ]


def test_intake_with_a_refused_file_logs_nothing_and_says_why(desk):
    response = desk.post(
        "/complaints/new/",
        {
            "new_customer_name": "Wang Fang",
            "channel": "counter",
            "category": "product_quality",
            "severity": "minor",
            "content": "The kettle leaks.",
            "uploads": [upload("kettle.jpg", EXE)],
        },
    )
    assert response.status_code == 400
    assert "is not a file we accept" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_complaint_page_attaches_and_shows_the_thumbnail_in_the_timeline(desk, complaint):
    response = desk.post(
        f"/complaints/{complaint.pk}/",
        {"action": "attach", "attach-uploads": [upload("damage.png", png_bytes((800, 600)))]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    page = desk.get(f"/complaints/{complaint.pk}/").content.decode()
    thumbnail_url = f"/complaints/{complaint.pk}/files/{attachment.pk}/thumbnail/"
    assert f'src="{thumbnail_url}"' in page
    assert "File attached" in page and attachment.sha256 in page
    thumbnail = desk.get(thumbnail_url)
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert thumbnail["Content-Disposition"] == "inline"
    assert thumbnail["X-Content-Type-Options"] == "nosniff"
    body = b"".join(thumbnail.streaming_content)
    assert body[:3] == b"\xff\xd8\xff"  # re-encoded as JPEG, at most 320 px
    from io import BytesIO

    from PIL import Image

    assert max(Image.open(BytesIO(body)).size) <= 320
    download = desk.get(f"/complaints/{complaint.pk}/files/{attachment.pk}/")
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "image/png"


def test_a_refused_file_on_the_complaint_page_is_a_form_error(desk, complaint):
    response = desk.post(
        f"/complaints/{complaint.pk}/", {"action": "attach", "attach-uploads": [upload("a.jpg", EXE)]}
    )
    assert response.status_code == 400
    assert "is not a file we accept" in response.content.decode()
    response = desk.post(f"/complaints/{complaint.pk}/", {"action": "attach"})
    assert response.status_code == 400
    assert "Choose a file to attach." in response.content.decode()


def test_managers_see_the_files_but_no_upload_form(client, manager_user, complaint, staff_user):
    attach_files(complaint, [upload("a.pdf", PDF)], by=staff_user)
    client.force_login(manager_user)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "Download a.pdf" in page and 'id="attach-form"' not in page
    response = client.post(
        f"/complaints/{complaint.pk}/", {"action": "attach", "attach-uploads": [upload("b.pdf", PDF)]}
    )
    assert response.status_code == 403
    assert Attachment.objects.count() == 1


def test_files_of_another_complaint_or_without_a_role_are_not_served(
    client, complaint, staff_user, no_role_user
):
    other = walk(complaint, staff_user, "listen")
    (attachment,) = attach_files(other, [upload("a.pdf", PDF)], by=staff_user)
    from tests.factories import make_complaint

    second = make_complaint(by=staff_user)
    client.force_login(staff_user)
    assert client.get(f"/complaints/{second.pk}/files/{attachment.pk}/").status_code == 404
    client.force_login(no_role_user)
    assert client.get(f"/complaints/{other.pk}/files/{attachment.pk}/").status_code == 403
    anonymous = Client()
    response = anonymous.get(f"/complaints/{other.pk}/files/{attachment.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_complaint_page_costs_the_same_queries_with_one_file_or_ten(
    desk, complaint, staff_user, django_assert_max_num_queries
):
    attach_files(complaint, [upload("1.png", png_bytes())], by=staff_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert desk.get(f"/complaints/{complaint.pk}/").status_code == 200
    attach_files(complaint, [upload(f"{n}.png", png_bytes()) for n in range(9)], by=staff_user)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = desk.get(f"/complaints/{complaint.pk}/").content.decode()
    assert len(re.findall(r'class="thumbnail"', page)) == 10


def test_too_many_files_on_a_page_is_a_clear_400(desk, complaint, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    response = desk.post(
        f"/complaints/{complaint.pk}/",
        {"action": "attach", "attach-uploads": [upload(f"{n}.txt", b"hi") for n in range(3)]},
    )
    assert response.status_code == 400
    assert "Too many files in one request" in response.content.decode()


def test_a_body_too_large_on_a_page_is_a_clear_413(desk, complaint, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "ATTACHMENT_COMPLAINT_MAX_BYTES": 1000}
    response = desk.post(
        f"/complaints/{complaint.pk}/",
        {"action": "attach", "attach-uploads": [upload("huge.txt", b"x" * (1024 * 1024 + 2000))]},
    )
    assert response.status_code == 413
    assert "too large together" in response.content.decode()


def test_a_sideways_phone_photo_gets_an_upright_thumbnail(staff_user, complaint):
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to view"
    Image.new("RGB", (400, 200), (0, 0, 0)).save(out, "JPEG", exif=exif)
    (attachment,) = attach_files(complaint, [upload("phone.jpg", out.getvalue())], by=staff_user)
    with attachment.open_thumbnail() as thumbnail:
        assert Image.open(thumbnail).size == (160, 320)


def test_the_admin_lists_a_complaints_files_read_only(client, complaint, staff_user):
    from tests.factories import UserFactory

    attach_files(complaint, [upload("receipt.pdf", PDF)], by=staff_user)
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    page = client.get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    assert page.status_code == 200
    assert "receipt.pdf" in page.content.decode()
