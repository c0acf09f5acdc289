"""A PostgreSQL role for the app that owns nothing, so it cannot switch the record's triggers off.

The append-only triggers stop every session, but a table's owner (or a superuser) may
still ALTER TABLE ... DISABLE TRIGGER. Run migrations as the owner and the app as this
role: it reads and writes the desk's tables, may only read and add to the filed record and
its redactions (erasure redacts through the SECURITY DEFINER trigger of migration 0018),
and owns no table, so no statement it can send changes or removes a record entry.

Run as the owner, after `migrate`; run it again after a migration that adds an append-only
table (tables added later get read and write through the default privileges).
"""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from ...redaction import APPEND_ONLY_TABLES

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# The app never writes the migration history; only the owner's `migrate` does.
READ_ONLY_TABLES = ("django_migrations",)


class Command(BaseCommand):
    help = (
        "Create or update the PostgreSQL role the app connects as: read and write on the desk's "
        "tables, read and add only on the filed record, owner of nothing. Run as the tables' owner."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="name of the role (lower case letters, digits, _)")
        parser.add_argument("--password", help="set this login password (trust or peer auth need none)")

    def handle(self, role, password=None, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "db_app_role is for PostgreSQL (set DATABASE_URL); SQLite has no roles: the app "
                "and its file share one machine account."
            )
        if not ROLE_NAME.match(role):
            raise CommandError("Give the role a lower-case name of letters, digits and _ (at most 63).")
        from psycopg2.extensions import quote_ident

        try:
            with transaction.atomic(), connection.cursor() as cursor:
                summary = self._grant(cursor, role, password, lambda name: quote_ident(name, cursor.cursor))
        except DatabaseError as exc:
            raise CommandError(f"Could not set up role {role}: {exc}".strip()) from exc
        self.stdout.write(self.style.SUCCESS(summary))

    def _grant(self, cursor, role, password, ident):
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
        record = APPEND_ONLY_TABLES[0]
        cursor.execute(
            "SELECT tableowner FROM pg_tables WHERE schemaname = %s AND tablename = %s", [schema, record]
        )
        found = cursor.fetchone()
        if found is None:
            raise CommandError(f"No table {record} in schema {schema}: run `manage.py migrate` first.")
        owner = found[0]
        if role == owner:
            raise CommandError(f"{role} owns the tables; name a different role for the app.")

        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        existing = cursor.fetchone()
        login = "LOGIN" + (" PASSWORD %s" if password else "")
        params = [password] if password else None
        if existing is None:
            cursor.execute(f"CREATE ROLE {ident(role)} {login}", params)
            created = True
        else:
            if existing[0]:
                raise CommandError(f"{role} is a superuser: it could switch any trigger off.")
            cursor.execute(f"ALTER ROLE {ident(role)} {login}", params)
            created = False
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])
        if cursor.fetchone()[0]:
            raise CommandError(f"{role} is a member of {owner}, the tables' owner: it could act as it.")

        who, where = ident(role), ident(schema)
        append_only = ", ".join(ident(table) for table in APPEND_ONLY_TABLES)
        read_only = ", ".join(ident(table) for table in READ_ONLY_TABLES)
        statements = [
            f"GRANT CONNECT ON DATABASE {ident(database)} TO {who}",
            f"GRANT USAGE ON SCHEMA {where} TO {who}",
            # From a clean slate, so running it again also takes back what it no longer grants.
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {where} FROM {who}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {where} TO {who}",
            f"REVOKE UPDATE, DELETE ON {append_only} FROM {who}",
            f"REVOKE INSERT, UPDATE, DELETE ON {read_only} FROM {who}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}",
            # Tables and sequences the owner's later migrations create.
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {ident(owner)} IN SCHEMA {where} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {who}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {ident(owner)} IN SCHEMA {where} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {who}",
        ]
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema])
        if cursor.fetchone()[0]:
            self.stderr.write(
                self.style.WARNING(
                    f"{role} may create objects in schema {schema} (PostgreSQL before 15 grants that to "
                    f"PUBLIC): as the owner run REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC."
                )
            )
        return (
            f"Role {role} {'created' if created else 'updated'}: reads and writes the tables of "
            f"{database}.{schema}, only reads and adds to {', '.join(APPEND_ONLY_TABLES)}, owns "
            f"nothing. Run the app with DATABASE_URL=postgres://{role}:...@host/{database}; keep "
            f"running migrate (and then this command) as {owner}."
        )
