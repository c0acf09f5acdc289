# Weekly report fixes: a preventive action names the root cause it answers (one action per
# complaint and root cause), and an action that is done is never flagged overdue.
import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    PreventiveAction = apps.get_model("complaints", "PreventiveAction")
    Complaint = apps.get_model("complaints", "Complaint")
    # The best we know for actions filed before: the complaint's root cause.
    PreventiveAction.objects.filter(root_cause__isnull=True).update(
        root_cause_id=Subquery(
            Complaint.objects.filter(pk=OuterRef("complaint_id")).values("root_cause_id")[:1]
        )
    )
    PreventiveAction.objects.exclude(status="open").filter(overdue=True).update(
        overdue=False, overdue_since=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0025_user_time_zone"),
    ]

    operations = [
        migrations.AddField(
            model_name="preventiveaction",
            name="root_cause",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="complaints.rootcause",
                verbose_name="root cause",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
