"""Attachments over the API: upload (multipart), list, download. The rules are in
workflow.attachments; this module only speaks HTTP."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Attachment
from ..workflow import attachments as service
from ..workflow.selectors import complaint_list


class AttachmentSerializer(serializers.ModelSerializer):
    erased = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "name",
            "size",
            "content_type",
            "sha256",
            "source",
            "created_at",
            "erased",
            "download_url",
        ]
        read_only_fields = fields

    def get_erased(self, attachment) -> bool:
        return attachment.is_erased

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download_url(self, attachment):
        if attachment.is_erased:
            return None
        return reverse("api-attachment-download", args=[attachment.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="One file (photo, PDF, sound recording or UTF-8 text), checked by its content."
    )


UPLOAD_ERRORS = {
    400: OpenApiResponse(
        description="No file, or a file refused: its content is not an accepted type, it is too "
        "large, a picture cannot be decoded, or the complaint's files would pass their total. "
        "The reason is in `file`."
    ),
    403: OpenApiResponse(description="Your role may not attach files."),
    404: OpenApiResponse(description="No such complaint."),
    413: OpenApiResponse(description="The request body is larger than the server accepts."),
    415: OpenApiResponse(description="Send multipart/form-data with the file in the field `file`."),
}


class ComplaintAttachmentsView(APIView):
    """GET the complaint's files; POST one (multipart/form-data, field `file`)."""

    parser_classes = [MultiPartParser]

    def _complaint(self, pk):
        return get_object_or_404(complaint_list(), pk=pk)

    @extend_schema(
        responses={
            200: AttachmentSerializer(many=True),
            404: OpenApiResponse(description="No such complaint."),
        },
        summary="The complaint's attachments, oldest first",
    )
    def get(self, request, pk):
        complaint = self._complaint(pk)
        return Response(AttachmentSerializer(service.attachments_of(complaint), many=True).data)

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, **UPLOAD_ERRORS},
        summary="Attach a file to the complaint as evidence (any stage, closed included)",
    )
    def post(self, request, pk):
        complaint = self._complaint(pk)
        uploads = request.FILES.getlist("file")
        if len(uploads) != 1:
            raise ValidationError(
                {"file": [service.no_file_message() if not uploads else _("Send one file per request.")]}
            )
        (attachment,) = service.attach_files(complaint, uploads, by=request.user, source=service.STAFF)
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDownloadView(APIView):
    """The file itself, to those who may read its complaint."""

    @extend_schema(
        responses={
            (200, "*/*"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="The file, as a download (Content-Disposition: attachment), with the "
                "type its content has.",
            ),
            404: OpenApiResponse(description="No such attachment, or its bytes were erased."),
        },
        summary="Download an attachment",
    )
    def get(self, request, pk):
        attachment = get_object_or_404(
            Attachment.objects.kept().filter(complaint__in=complaint_list().values("pk")), pk=pk
        )
        return service.download_response(attachment)
