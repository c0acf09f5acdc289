"""Resolve stage: what the customer asked for on the public form, and the message to the customer."""

from django.db import migrations, models


def keep_what_the_customer_asked_for(apps, schema_editor):
    """Public complaints nobody has taken past Listen still hold the customer's own words in
    desired_outcome (the public form wrote them there); keep them as the customer's request.
    Later stages hold staff's version there, so they are left without one."""
    Complaint = apps.get_model("complaints", "Complaint")
    Complaint.objects.filter(
        tracking_token__isnull=False, stage__in=["control", "listen"], requested_remedy=""
    ).update(requested_remedy=models.F("desired_outcome"))


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0022_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="customer_message",
            field=models.TextField(blank=True, db_default="", verbose_name="message to the customer"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="requested_remedy",
            field=models.TextField(blank=True, db_default="", verbose_name="what the customer asked for"),
        ),
        migrations.RunPython(keep_what_the_customer_asked_for, migrations.RunPython.noop, elidable=True),
    ]
