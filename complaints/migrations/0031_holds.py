"""Holds: a complaint waiting for the customer or a third party has its own clocks paused.

complaints.models.deadline_now() is NULL while a complaint is on hold (Complaint.hold set),
so the overdue index and its statistics (migrations 0017 and 0020) are rebuilt on the new
expression. The statistics expression must stay the one Django writes for deadline_now()
(tests/bench checks that the planner's estimate comes from them).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Coalesce, Least
from django.db.models.lookups import IsNull

from ._postgresql import run_on_postgresql

OLD_STATS = (
    "CREATE STATISTICS IF NOT EXISTS complaint_overdue_from_stats ON "
    "((CASE WHEN stage = 'control' THEN LEAST(respond_by, resolve_by, COALESCE(callback_due_at, respond_by)) "
    "WHEN NOT (stage = 'closed') THEN LEAST(resolve_by, COALESCE(callback_due_at, resolve_by)) "
    "ELSE NULL END)) FROM complaints_complaint"
)
NEW_STATS = (
    "CREATE STATISTICS IF NOT EXISTS complaint_overdue_from_stats ON "
    "((CASE WHEN (hold_id IS NULL AND stage = 'control') "
    "THEN LEAST(respond_by, resolve_by, COALESCE(callback_due_at, respond_by)) "
    "WHEN (NOT (stage = 'closed') AND hold_id IS NULL) "
    "THEN LEAST(resolve_by, COALESCE(callback_due_at, resolve_by)) "
    "ELSE NULL END)) FROM complaints_complaint"
)
DROP_STATS = "DROP STATISTICS IF EXISTS complaint_overdue_from_stats"


def deadline_now():
    """complaints.models.deadline_now() as it is today."""
    return models.Case(
        models.When(
            models.Q(stage="control", hold__isnull=True),
            then=Least("respond_by", "resolve_by", Coalesce("callback_due_at", "respond_by")),
        ),
        models.When(
            ~models.Q(stage="closed") & models.Q(hold__isnull=True),
            then=Least("resolve_by", Coalesce("callback_due_at", "resolve_by")),
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0030_letters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplaintHold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("customer", "waiting for the customer"),
                            ("third_party", "waiting for a third party"),
                        ],
                        max_length=20,
                        verbose_name="waiting for",
                    ),
                ),
                ("reason", models.TextField(verbose_name="reason")),
                (
                    "started_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="on hold since"),
                ),
                (
                    "paused_deadline",
                    models.DateTimeField(blank=True, null=True, verbose_name="deadline when paused"),
                ),
                (
                    "reminded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="customer reminded"),
                ),
                ("ended_at", models.DateTimeField(blank=True, null=True, verbose_name="ended")),
                (
                    "ended_how",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("resumed", "resumed by staff"),
                            ("customer_replied", "the customer replied"),
                            ("moved_on", "moved to the next stage"),
                            ("no_answer", "no answer in time"),
                        ],
                        default="",
                        max_length=20,
                        verbose_name="how it ended",
                    ),
                ),
                (
                    "complaint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="holds",
                        to="complaints.complaint",
                        verbose_name="complaint",
                    ),
                ),
                (
                    "ended_by",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="ended by",
                    ),
                ),
                (
                    "started_by",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="put on hold by",
                    ),
                ),
            ],
            options={
                "verbose_name": "hold",
                "verbose_name_plural": "holds",
                "ordering": ["started_at", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(ended_at__isnull=True),
                        fields=("complaint",),
                        name="complaint_hold_one_open",
                    )
                ],
                "indexes": [
                    models.Index(
                        condition=models.Q(ended_at__isnull=True),
                        fields=["started_at"],
                        name="hold_open_started",
                    ),
                    models.Index(fields=["started_at"], name="hold_started_at"),
                    models.Index(
                        condition=models.Q(ended_at__isnull=False), fields=["ended_at"], name="hold_ended_at"
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="complaint",
            name="hold",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="complaints.complainthold",
                verbose_name="on hold",
            ),
        ),
        migrations.AddField(
            model_name="complaint",
            name="back_from_hold",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="complaints.complainthold",
                verbose_name="came back from hold",
            ),
        ),
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
    ]
