"""Customers may prefer Traditional Chinese (zh-hant): a new choice, no data changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0004_phones_e164"),
    ]

    operations = [
        migrations.AlterField(
            model_name="customer",
            name="preferred_language",
            field=models.CharField(
                choices=[("en", "English"), ("zh-hans", "Simplified Chinese"), ("zh-hant", "Traditional Chinese")],
                default="en",
                max_length=10,
                verbose_name="preferred language",
            ),
        ),
    ]
