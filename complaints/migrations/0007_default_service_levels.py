from django.db import migrations
from django.db.models import F, Q
from django.db.models.functions import Least

DEFAULTS = [
    # severity, tier, respond, unit, resolve, unit
    ("minor", "", 1, "working_hours", 24, "hours"),
    ("major", "", 1, "working_hours", 7, "working_days"),
    ("minor", "A", 30, "minutes", 12, "hours"),
    ("major", "A", 30, "minutes", 4, "working_days"),
]


def seed(apps, schema_editor):
    SLAPolicy = apps.get_model("complaints", "SLAPolicy")
    BusinessHours = apps.get_model("complaints", "BusinessHours")
    Complaint = apps.get_model("complaints", "Complaint")
    for severity, tier, respond, respond_unit, resolve, resolve_unit in DEFAULTS:
        SLAPolicy.objects.get_or_create(
            severity=severity,
            tier=tier,
            defaults={
                "respond_within": respond,
                "respond_unit": respond_unit,
                "resolve_within": resolve,
                "resolve_unit": resolve_unit,
            },
        )
    if not BusinessHours.objects.exists():
        BusinessHours.objects.create()
    # Complaints logged before the sweep existed: watch their deadlines from now on.
    open_ = Complaint.objects.filter(~Q(stage="closed"))
    open_.filter(stage="control").update(next_deadline_at=Least(F("respond_by"), F("resolve_by")))
    open_.exclude(stage="control").update(next_deadline_at=F("resolve_by"))
    Complaint.objects.filter(escalated=True, escalation_level=0).update(escalation_level=1)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0006_deadlines_and_escalations")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
