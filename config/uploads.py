"""Refuse an upload that can never be accepted before reading it.

No complaint holds more than CLEAR_DESK["ATTACHMENT_COMPLAINT_MAX_BYTES"] of files, so a
multipart body larger than that (plus a little for the form's other fields) is refused
at once with a 413 in words (config.urls.handler400), instead of being written to a
temporary file first.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler

FORM_ALLOWANCE = 1024 * 1024


class UploadTooLarge(RequestDataTooBig):
    pass


def upload_request_limit():
    return settings.CLEAR_DESK["ATTACHMENT_COMPLAINT_MAX_BYTES"] + FORM_ALLOWANCE


class BoundedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: checks the body's declared length, stores nothing."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803 - Django names it
        if content_length and content_length > upload_request_limit():
            raise UploadTooLarge(f"Multipart body of {content_length} bytes")

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
