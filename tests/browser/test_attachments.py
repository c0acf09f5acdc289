"""Attachments in chromium: a photo on the complaint page shows as a thumbnail in the filed
record; the customer sends one with the public form and another from their tracking page."""

import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _photo(path, color):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_staff_attach_a_photo_and_see_its_thumbnail(seeded_lists, login, live_server, artifacts, tmp_path):
    from complaints.models import Attachment
    from tests.factories import UserFactory, make_complaint

    staff = UserFactory(username="lin", role="staff")
    complaint = make_complaint(by=staff)
    page = login(staff)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.get_by_label("Files to attach").set_input_files(
        str(_photo(tmp_path / "broken-kettle.jpg", (180, 40, 40)))
    )
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("1 file attached.")
    attachment = Attachment.objects.get(complaint=complaint)
    thumbnail = page.locator(f'img.thumbnail[src$="/files/{attachment.pk}/thumbnail/"]')
    expect(thumbnail).to_be_visible()
    # The picture really loaded (a broken image has no natural width).
    # Wait for it to finish loading (or failing) rather than read it mid-way under load.
    loaded = """img => img.complete ? img.naturalWidth : new Promise(done => {
        img.addEventListener("load", () => done(img.naturalWidth));
        img.addEventListener("error", () => done(0));
    })"""
    assert 0 < thumbnail.evaluate(loaded) <= 320
    expect(page.locator(".timeline")).to_contain_text(attachment.sha256)
    page.screenshot(path=str(artifacts / "attachment-thumbnail.png"), full_page=True)

    # A program renamed .jpg is refused, in words, on the same page.
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 300)
    page.get_by_label("Files to attach").set_input_files(str(fake))
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.locator("#attach-form")).to_contain_text("is not a file we accept")
    assert Attachment.objects.filter(complaint=complaint).count() == 1


def test_the_customer_sends_photos_with_the_form_and_from_the_tracking_page(
    seeded_lists, page, live_server, artifacts, tmp_path
):
    from complaints.models import Complaint

    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/submit/")
    page.get_by_label("Your name").fill("Wang Fang")
    page.get_by_label("Phone").fill("+86 138 0013 8000")
    page.get_by_label("What happened?").fill("The kettle I bought on Monday leaks from the base.")
    page.get_by_label("What would you like us to do?").fill("A replacement kettle, please.")
    page.get_by_label("Photos or documents (optional)").set_input_files(
        [
            str(_photo(tmp_path / "kettle.jpg", (30, 90, 160))),
            str(_photo(tmp_path / "box.jpg", (90, 160, 30))),
        ]
    )
    page.get_by_role("button", name="Send my complaint").click()
    page.wait_for_url(re.compile(r".*/track/[^/]+/\?filed=1$"))
    complaint = Complaint.objects.get()
    assert sorted(complaint.attachments.values_list("name", flat=True)) == ["box.jpg", "kettle.jpg"]
    expect(page.locator("#files")).to_contain_text("kettle.jpg")

    page.get_by_label("Add photos or documents").set_input_files(
        str(_photo(tmp_path / "receipt.jpg", (0, 0, 0)))
    )
    page.get_by_role("button", name="Send the files").click()
    expect(page.locator(".messages")).to_contain_text("Thank you, we have your file.")
    expect(page.locator("#files")).to_contain_text("receipt.jpg")
    page.screenshot(path=str(artifacts / "attachment-tracking.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#files a", has_text="receipt.jpg").click()
    assert download.value.suggested_filename == "receipt.jpg"
    assert complaint.attachments.count() == 3
