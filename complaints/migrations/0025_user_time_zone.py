# A member of staff's own time zone (complaints.models.preferences).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import complaints.models.preferences


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0024_escalation_reason_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "time_zone",
                    models.CharField(
                        blank=True,
                        max_length=64,
                        validators=[complaints.models.preferences.validate_time_zone],
                        verbose_name="time zone",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="desk_preference",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "staff preference",
                "verbose_name_plural": "staff preferences",
            },
        ),
    ]
