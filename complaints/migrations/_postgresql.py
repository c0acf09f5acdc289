"""Migration steps for PostgreSQL only (the loader skips modules whose name starts with _)."""

from django.db import migrations


def run_on_postgresql(sql, reverse_sql):
    """Run `sql` when migrating forwards and `reverse_sql` backwards, on PostgreSQL; other
    databases (SQLite in development and tests) have no such statement and skip it."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(reverse_sql)

    return migrations.RunPython(forwards, backwards)
