"""Tell PostgreSQL's planner that stage and assignee go together.

"Mine, or nobody's while in Control" looks rare to a planner that treats the two
columns as independent, so it read every Control complaint (a bitmap scan of ~14,000
rows at a million complaints) instead of walking complaint_control_respond_by in
deadline order and stopping at the queue's length: 39 ms -> 11 ms.
"""

from django.db import migrations

from ._postgresql import run_on_postgresql

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS complaint_stage_assignee (dependencies, mcv) "
    "ON stage, assignee_id FROM complaints_complaint"
)
DROP = "DROP STATISTICS IF EXISTS complaint_stage_assignee"


class Migration(migrations.Migration):
    dependencies = [("complaints", "0014_fewer_indexes_for_the_sweep")]

    operations = [run_on_postgresql(CREATE, DROP)]
