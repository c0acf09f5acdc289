"""The filed record is evidence: the database itself refuses to change or remove it.

On PostgreSQL a trigger rejects UPDATE, DELETE and TRUNCATE on the record table unless
the session has set `clear_desk.maintenance = 'on'` (only the test suite's flush between
tests does that). SQLite (the single-machine default) gets the UPDATE trigger; rows there can only be
removed by a DELETE, which the test suite's flush needs.
"""

from django.db import migrations

TABLE = "complaints_complaintrecord"

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION clear_desk_record_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('clear_desk.maintenance', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the filed record is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER record_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION clear_desk_record_append_only();
CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION clear_desk_record_append_only();
"""

PG_BACKWARD = f"""
DROP TRIGGER IF EXISTS record_no_update_delete ON {TABLE};
DROP TRIGGER IF EXISTS record_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS clear_desk_record_append_only();
"""

SQLITE_FORWARD = [
    f"""CREATE TRIGGER record_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the filed record is append-only: UPDATE refused'); END;""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS record_no_update;"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_callbacks_and_outbox")]

    operations = [migrations.RunPython(forward, backward)]
