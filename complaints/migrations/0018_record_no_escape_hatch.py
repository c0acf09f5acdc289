"""The filed record without an escape hatch, and the one narrow path that redacts it.

0004's trigger let any session through that set `clear_desk.maintenance = 'on'` (and then
skipped UPDATE and DELETE silently), so one `SET LOCAL` emptied the record. Its function
now refuses UPDATE, DELETE and TRUNCATE whatever the session says. Whoever must empty the
table (the test suite's flush, the bench reset) uses its owner's DDL instead: `ALTER
TABLE ... DISABLE TRIGGER USER` inside the transaction, which only the owner or a
superuser may run (`manage.py db_app_role` sets up a role for the app that owns nothing).

The one change the record accepts is a redaction on request (customers.privacy erasing a
customer): inserting a complaints_recordredaction row runs clear_desk_record_redact(),
which, for a complaint whose customer is marked erased, replaces the given strings by
"[erased]" in the string values of that complaint's entries, stores their count and keyed
digests and empties the row's payload, so the strings are never written. The record's
trigger accepts an UPDATE only from inside another trigger (pg_trigger_depth() > 1) and
only when every column but `data` stays as it was.
The redaction function is SECURITY DEFINER: an app role with SELECT and INSERT on the
record can redact through it and change nothing else. Redactions are append-only as well.

SQLite (single machine, no roles) keeps its UPDATE trigger on the record, gets one on the
redactions, and complaints.redaction replaces the strings itself inside the erasure's
transaction.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

RECORD = "complaints_complaintrecord"
REDACTION = "complaints_recordredaction"

# __SCHEMA__ becomes the schema the tables live in: the functions name their search path
# (with pg_temp last) so a SECURITY DEFINER function cannot be pointed at other objects.
PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION clear_desk_record_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = __SCHEMA__, pg_temp AS $$
BEGIN
    -- The redaction trigger rewrites `data` of existing entries; nothing else may change.
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = '{RECORD}' AND pg_trigger_depth() > 1 THEN
        IF NEW.id = OLD.id AND NEW.complaint_id = OLD.complaint_id AND NEW.kind = OLD.kind
           AND NEW.stage = OLD.stage AND NEW.author_id IS NOT DISTINCT FROM OLD.author_id
           AND NEW.created_at = OLD.created_at THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

-- `value` with every needle replaced by [erased] in its string values (keys, numbers and
-- the structure stay): the same walk as complaints.redaction.redact_json on SQLite.
CREATE OR REPLACE FUNCTION clear_desk_redact_strings(value jsonb, needles text[]) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = __SCHEMA__, pg_temp AS $$
DECLARE
    text_value text;
    needle text;
BEGIN
    CASE jsonb_typeof(value)
        WHEN 'string' THEN
            text_value := value #>> '{{}}';
            FOREACH needle IN ARRAY needles LOOP
                text_value := replace(text_value, needle, '[erased]');
            END LOOP;
            RETURN to_jsonb(text_value);
        WHEN 'object' THEN
            RETURN coalesce(
                (SELECT jsonb_object_agg(e.key, clear_desk_redact_strings(e.item, needles))
                   FROM jsonb_each(value) AS e(key, item)),
                '{{}}'::jsonb);
        WHEN 'array' THEN
            RETURN coalesce(
                (SELECT jsonb_agg(clear_desk_redact_strings(e.item, needles) ORDER BY e.position)
                   FROM jsonb_array_elements(value) WITH ORDINALITY AS e(item, position)),
                '[]'::jsonb);
        ELSE
            RETURN value;
    END CASE;
END;
$$;

CREATE OR REPLACE FUNCTION clear_desk_record_redact() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$
DECLARE
    needles text[];
    changed integer;
BEGIN
    IF jsonb_typeof(NEW.payload -> 'strings') IS DISTINCT FROM 'array'
       OR jsonb_typeof(NEW.payload -> 'key') IS DISTINCT FROM 'string' THEN
        RAISE EXCEPTION 'a record redaction carries its strings and digest key in payload'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT FROM complaints_complaint AS complaint
                     JOIN customers_customer AS customer ON customer.id = complaint.customer_id
                    WHERE complaint.id = NEW.complaint_id AND customer.erased_at IS NOT NULL) THEN
        RAISE EXCEPTION 'only the record of an erased customer''s complaint can be redacted'
            USING ERRCODE = 'check_violation';
    END IF;
    -- Longest first, so a name is erased whole before any shorter string inside it.
    SELECT coalesce(array_agg(needle ORDER BY length(needle) DESC, needle COLLATE "C"), '{{}}')
      INTO needles
      FROM (SELECT DISTINCT value AS needle
              FROM jsonb_array_elements_text(NEW.payload -> 'strings')) AS given;
    IF cardinality(needles) = 0
       OR EXISTS (SELECT FROM unnest(needles) AS needle WHERE length(needle) < 2) THEN
        RAISE EXCEPTION 'a record redaction names strings of at least two characters'
            USING ERRCODE = 'check_violation';
    END IF;
    UPDATE {RECORD} AS entry
       SET data = redacted.data
      FROM (SELECT id, clear_desk_redact_strings(data, needles) AS data
              FROM {RECORD} WHERE complaint_id = NEW.complaint_id) AS redacted
     WHERE entry.id = redacted.id AND entry.data IS DISTINCT FROM redacted.data;
    GET DIAGNOSTICS changed = ROW_COUNT;
    NEW.string_count := cardinality(needles);
    NEW.digests := (
        SELECT jsonb_agg(digest ORDER BY digest COLLATE "C")
          FROM (SELECT encode(sha256(convert_to((NEW.payload ->> 'key') || needle, 'UTF8')), 'hex') AS digest
                  FROM unnest(needles) AS needle) AS digested);
    NEW.entries_redacted := changed;
    NEW.payload := NULL;
    RETURN NEW;
END;
$$;

CREATE TRIGGER record_redaction_apply BEFORE INSERT ON {REDACTION}
    FOR EACH ROW EXECUTE FUNCTION clear_desk_record_redact();
CREATE TRIGGER record_redaction_no_update_delete BEFORE UPDATE OR DELETE ON {REDACTION}
    FOR EACH ROW EXECUTE FUNCTION clear_desk_record_append_only();
CREATE TRIGGER record_redaction_no_truncate BEFORE TRUNCATE ON {REDACTION}
    FOR EACH STATEMENT EXECUTE FUNCTION clear_desk_record_append_only();
"""

# Back to 0004's function, maintenance flag and all.
PG_BACKWARD = f"""
DROP TRIGGER IF EXISTS record_redaction_apply ON {REDACTION};
DROP TRIGGER IF EXISTS record_redaction_no_update_delete ON {REDACTION};
DROP TRIGGER IF EXISTS record_redaction_no_truncate ON {REDACTION};
DROP FUNCTION IF EXISTS clear_desk_record_redact();
DROP FUNCTION IF EXISTS clear_desk_redact_strings(jsonb, text[]);
CREATE OR REPLACE FUNCTION clear_desk_record_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('clear_desk.maintenance', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the filed record is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
ALTER FUNCTION clear_desk_record_append_only() RESET search_path;
"""

SQLITE_FORWARD = f"""CREATE TRIGGER record_redaction_no_update BEFORE UPDATE ON {REDACTION}
    BEGIN SELECT RAISE(ABORT, 'record redactions are append-only: UPDATE refused'); END;"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS record_redaction_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            schema = cursor.fetchone()[0]
        schema_editor.execute(PG_FORWARD.replace("__SCHEMA__", schema_editor.quote_name(schema)), params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0017_overdue_from_index"),
        ("customers", "0003_customer_erased_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    # A sibling 0018 written at the same time also follows 0017; running this one first
    # keeps a single leaf, so no merge migration is needed.
    operations = [
        migrations.CreateModel(
            name="RecordRedaction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="redacted"),
                ),
                ("reason", models.TextField(verbose_name="reason")),
                ("string_count", models.PositiveSmallIntegerField(default=0, verbose_name="strings erased")),
                ("digests", models.JSONField(default=list, verbose_name="digests")),
                (
                    "entries_redacted",
                    models.PositiveIntegerField(default=0, verbose_name="record entries changed"),
                ),
                ("payload", models.JSONField(blank=True, editable=False, null=True)),
                (
                    "by",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "complaint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="redactions",
                        to="complaints.complaint",
                        verbose_name="complaint",
                    ),
                ),
            ],
            options={
                "verbose_name": "record redaction",
                "verbose_name_plural": "record redactions",
                "ordering": ["created_at", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("payload__isnull", True)),
                        name="record_redaction_payload_never_stored",
                    )
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
