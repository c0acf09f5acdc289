"""A callback promise is a deadline: the complaint carries its earliest open one.

complaints.models.deadline_now() is "the deadline that applies now" - the stage's
deadline, or an earlier callback promised to the customer - and "overdue" is that moment
passing. It needs the promise on the complaint's own row (callback_due_at, kept by
complaints.workflow.callbacks), so the overdue index and its statistics (migration 0017)
are rebuilt on the new expression. The statistics expression must stay the one Django
writes for deadline_now() (tests/bench checks that the planner's estimate comes from them).
"""

from django.db import migrations, models
from django.db.models.functions import Coalesce, Least
from django.db.models.lookups import IsNull

from ._postgresql import run_on_postgresql

OLD_STATS = (
    "CREATE STATISTICS IF NOT EXISTS complaint_overdue_from_stats ON "
    "((CASE WHEN stage = 'control' THEN LEAST(respond_by, resolve_by) "
    "WHEN NOT (stage = 'closed') THEN resolve_by ELSE NULL END)) FROM complaints_complaint"
)
NEW_STATS = (
    "CREATE STATISTICS IF NOT EXISTS complaint_overdue_from_stats ON "
    "((CASE WHEN stage = 'control' THEN LEAST(respond_by, resolve_by, COALESCE(callback_due_at, respond_by)) "
    "WHEN NOT (stage = 'closed') THEN LEAST(resolve_by, COALESCE(callback_due_at, resolve_by)) "
    "ELSE NULL END)) FROM complaints_complaint"
)
DROP_STATS = "DROP STATISTICS IF EXISTS complaint_overdue_from_stats"


def old_overdue_from():
    return models.Case(
        models.When(stage="control", then=Least("respond_by", "resolve_by")),
        models.When(~models.Q(stage="closed"), then=models.F("resolve_by")),
    )


def deadline_now():
    """complaints.models.deadline_now() as it is today."""
    return models.Case(
        models.When(
            stage="control", then=Least("respond_by", "resolve_by", Coalesce("callback_due_at", "respond_by"))
        ),
        models.When(~models.Q(stage="closed"), then=Least("resolve_by", Coalesce("callback_due_at", "resolve_by"))),
    )


def fill_callback_due(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    CallbackPromise = apps.get_model("complaints", "CallbackPromise")
    first_open = (
        CallbackPromise.objects.filter(complaint=models.OuterRef("pk"), fulfilled_at__isnull=True)
        .order_by("due_at")
        .values("due_at")[:1]
    )
    promised = CallbackPromise.objects.filter(fulfilled_at__isnull=True).values("complaint_id")
    Complaint.objects.filter(pk__in=promised).update(callback_due_at=models.Subquery(first_open))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0019_sweep_failures_and_submission_keys")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="callback_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="callback due"),
        ),
        migrations.RunPython(fill_callback_due, migrations.RunPython.noop),
        run_on_postgresql(DROP_STATS, OLD_STATS),
        migrations.RemoveIndex(model_name="complaint", name="complaint_open_overdue_from"),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                deadline_now(),
                condition=models.Q(IsNull(deadline_now(), False)),
                name="complaint_open_overdue_from",
            ),
        ),
        run_on_postgresql(NEW_STATS, DROP_STATS),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["callback_due_at"],
                condition=models.Q(~models.Q(stage="closed"), callback_due_at__isnull=False),
                name="complaint_open_callback_due",
            ),
        ),
    ]
