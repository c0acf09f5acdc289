"""Overdue in one range: an index and statistics on the moment a complaint becomes overdue.

The overdue filter was two branches OR-ed over the control/open deadline indexes. Judged
by the whole table's deadlines (nine in ten are long past, on closed complaints), the
planner expected most open complaints to match, so a count walked all of them: 100,000
index entries to find 3,000 at a million complaints (15-97 ms). complaints.models.
overdue_from() is that rule as one expression (NULL once closed); the index over the
complaints where it is set serves "overdue_from < now" as a range, and the statistics
(PostgreSQL) give the planner its real distribution: the count takes 3-4 ms. The
statistics expression must stay the one Django writes for overdue_from() (a test checks
that the planner's estimate comes from them).
"""

from django.db import migrations, models
from django.db.models.functions import Least
from django.db.models.lookups import IsNull

from ._postgresql import run_on_postgresql

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS complaint_overdue_from_stats ON "
    "((CASE WHEN stage = 'control' THEN LEAST(respond_by, resolve_by) "
    "WHEN NOT (stage = 'closed') THEN resolve_by ELSE NULL END)) FROM complaints_complaint"
)
DROP = "DROP STATISTICS IF EXISTS complaint_overdue_from_stats"


def overdue_from():
    """complaints.models.overdue_from() as it is today."""
    return models.Case(
        models.When(stage="control", then=Least("respond_by", "resolve_by")),
        models.When(~models.Q(stage="closed"), then=models.F("resolve_by")),
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0016_tracking_token_unique_when_set")]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                overdue_from(),
                condition=models.Q(IsNull(overdue_from(), False)),
                name="complaint_open_overdue_from",
            ),
        ),
        run_on_postgresql(CREATE, DROP),
    ]
