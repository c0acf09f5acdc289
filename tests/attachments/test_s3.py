"""The S3 path against a real S3 API server on loopback (moto's server, not a mock in the
process): the API uploads through django-storages' S3Storage and downloads the same bytes."""

import hashlib

import boto3
import pytest
from moto.server import ThreadedMotoServer

from complaints.models import Attachment, attachment_storage
from config.storage import S3_BACKEND, s3_options_from_url

from .conftest import PDF, png_bytes, upload

pytestmark = pytest.mark.django_db

BUCKET = "clear-desk-test"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    host = s3_server.removeprefix("http://")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **s3_options_from_url(f"s3+http://testing:testing@{host}/{BUCKET}"),
                "region_name": "us-east-1",
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_upload_and_download_go_through_the_s3_store(staff_api, complaint, s3):
    from storages.backends.s3 import S3Storage

    assert isinstance(attachment_storage(), S3Storage)
    content = png_bytes()
    response = staff_api.post(
        f"/api/complaints/{complaint.pk}/attachments/",
        {"file": upload("photo.png", content)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(pk=response.json()["id"])
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {attachment.storage_key, attachment.thumbnail_key}
    stored = s3.get_object(Bucket=BUCKET, Key=attachment.storage_key)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == response.json()["sha256"]

    download = staff_api.get(f"/api/attachments/{attachment.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")


def test_a_refused_file_leaves_nothing_in_the_bucket(staff_api, complaint, s3, settings):
    settings.CLEAR_DESK = {**settings.CLEAR_DESK, "ATTACHMENT_COMPLAINT_MAX_BYTES": len(PDF) + 10}
    url = f"/api/complaints/{complaint.pk}/attachments/"
    assert staff_api.post(url, {"file": upload("a.pdf", PDF)}, format="multipart").status_code == 201
    assert staff_api.post(url, {"file": upload("b.pdf", PDF)}, format="multipart").status_code == 400
    assert len(s3.list_objects_v2(Bucket=BUCKET)["Contents"]) == 1


def test_storage_url_reads_as_django_storages_options():
    options = s3_options_from_url("s3+http://key:se%2Fcret@minio:9000/clear-desk?region=cn-north-1")
    assert options["bucket_name"] == "clear-desk"
    assert (options["access_key"], options["secret_key"]) == ("key", "se/cret")
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["region_name"] == "cn-north-1"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert s3_options_from_url("s3://k:s@s3.example.com/b")["endpoint_url"] == "https://s3.example.com"
    with pytest.raises(ValueError):
        s3_options_from_url("s3://k:s@host/")
    with pytest.raises(ValueError):
        s3_options_from_url("ftp://k:s@host/b")


def test_settings_choose_the_store_from_the_environment(monkeypatch, tmp_path):
    import environ

    for name in ("STORAGE_URL", "AWS_STORAGE_BUCKET_NAME"):
        monkeypatch.delenv(name, raising=False)
    from config.storage import from_env

    local = from_env(environ.Env(), tmp_path)
    assert local["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert local["OPTIONS"]["location"] == str(tmp_path)


def test_aws_settings_choose_s3(monkeypatch, tmp_path):
    import environ

    from config.storage import from_env

    monkeypatch.delenv("STORAGE_URL", raising=False)
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "desk-files")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "http://minio:9000")
    chosen = from_env(environ.Env(), tmp_path)
    assert chosen["BACKEND"] == S3_BACKEND
    assert chosen["OPTIONS"]["bucket_name"] == "desk-files"
    assert chosen["OPTIONS"]["endpoint_url"] == "http://minio:9000"
