# Attachments: files kept as evidence on a complaint (complaints.models.attachments).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0027_refresh_avoid_phrases"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Attachment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=255, verbose_name="file name")),
                ("size", models.PositiveBigIntegerField(verbose_name="size in bytes")),
                ("content_type", models.CharField(max_length=100, verbose_name="type")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("storage_key", models.CharField(editable=False, max_length=300)),
                ("thumbnail_key", models.CharField(blank=True, editable=False, max_length=300)),
                (
                    "source",
                    models.CharField(
                        choices=[("staff", "Staff"), ("customer", "Customer")],
                        default="staff",
                        max_length=10,
                        verbose_name="sent by",
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="attached")),
                ("erased_at", models.DateTimeField(blank=True, null=True, verbose_name="erased")),
                (
                    "complaint",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="attachments",
                        to="complaints.complaint",
                        verbose_name="complaint",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "attachment",
                "verbose_name_plural": "attachments",
                "ordering": ["created_at", "id"],
                "indexes": [models.Index(fields=["complaint", "created_at", "id"], name="attachment_by_complaint")],
            },
        ),
    ]
