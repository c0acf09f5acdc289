# Escalation reasons the desk writes itself are kept as a code and its values, worded in
# the reader's language when shown; old rows keep only their text.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0023_resolve_public_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="escalation_reason_code",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=40, verbose_name="escalation reason code"
            ),
        ),
        migrations.AddField(
            model_name="complaint",
            name="escalation_reason_values",
            field=models.JSONField(
                blank=True, default=None, null=True, verbose_name="escalation reason values"
            ),
        ),
    ]
