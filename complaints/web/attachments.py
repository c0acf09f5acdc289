"""The complaint page's files: download one, or see its thumbnail. Every role that may read
the complaint may read its files (workflow.attachments streams them)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import access
from ..models import Attachment
from ..workflow import attachments as service


def _attachment(complaint_pk, pk):
    return get_object_or_404(Attachment.objects.kept(), pk=pk, complaint_id=complaint_pk)


@access.desk_page
def attachment_download(request, pk, attachment_pk):
    return service.download_response(_attachment(pk, attachment_pk))


@access.desk_page
def attachment_thumbnail(request, pk, attachment_pk):
    attachment = _attachment(pk, attachment_pk)
    if not attachment.thumbnail_key:
        raise Http404("No thumbnail.")
    return service.download_response(attachment, thumbnail=True)
