"""Repeat complaints (Complaint.repeat_of) and the indexes similar past cases read
(complaints.workflow.similar): the latest closings per customer, category and product."""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0033_redress_ledger"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="repeat_of",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="repeats",
                to="complaints.complaint",
                verbose_name="repeat of",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("stage", "closed")),
                fields=["customer", "closed_at", "id"],
                name="complaint_closed_by_customer",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("stage", "closed")),
                fields=["category", "closed_at", "id"],
                name="complaint_closed_by_category",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                django.db.models.functions.text.Upper("product"),
                models.F("closed_at"),
                models.F("id"),
                condition=models.Q(("stage", "closed"), models.Q(("product", ""), _negated=True)),
                name="complaint_closed_by_product",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("repeat_of__isnull", False)),
                fields=["repeat_of"],
                name="complaint_repeat_of",
            ),
        ),
    ]
