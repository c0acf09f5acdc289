"""Many rows in one statement, without building a model instance per row.

The deadline sweep writes thousands of rows a minute at scale (events, records, the
outbox, the complaints' escalation columns). Django's bulk_create and bulk_update spend
most of their time in Python (bulk_update builds a CASE WHEN per field and row), so the
sweep's hot path sends plain multi-row INSERTs and one UPDATE ... FROM (VALUES ...)
instead. Values are what the model fields take (ids for foreign keys).
"""

from django.db import connection

# SQLite accepts 32,766 parameters per statement; stay well below on every database.
MAX_PARAMS = 20_000


def _chunks(rows, width):
    size = max(MAX_PARAMS // max(width, 1), 1)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _columns(model, fields):
    meta = model._meta
    return [meta.get_field(name).column for name in fields]


def _prepared(model, fields, rows):
    """Values as the database takes them. psycopg2 adapts plain values itself, so on
    PostgreSQL only JSON is converted; elsewhere (SQLite) every field prepares its value."""
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    if connection.vendor == "postgresql":
        preps = [
            (i, f.get_db_prep_save)
            for i, f in enumerate(model_fields)
            if f.get_internal_type() == "JSONField"
        ]
    else:
        preps = list(enumerate(f.get_db_prep_save for f in model_fields))
    if not preps:
        return rows
    prepared = []
    for row in rows:
        row = list(row)
        for i, prep in preps:
            row[i] = prep(row[i], connection)
        prepared.append(row)
    return prepared


def insert_rows(model, fields, rows, *, ignore_conflicts=False):
    """INSERT `rows` (tuples in the order of `fields`) into `model`'s table; return len(rows)."""
    if not rows:
        return 0
    count = len(rows)
    rows = _prepared(model, fields, rows)
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(c) for c in _columns(model, fields))
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, len(fields)):
            values = ", ".join([one] * len(chunk))
            params = [value for row in chunk for value in row]
            if not ignore_conflicts:
                sql = f"INSERT INTO {table} ({columns}) VALUES {values}"  # noqa: S608 - names from model meta, values bound
            elif connection.vendor == "sqlite":
                sql = f"INSERT OR IGNORE INTO {table} ({columns}) VALUES {values}"  # noqa: S608 - as above
            else:
                sql = f"INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT DO NOTHING"  # noqa: S608 - as above
            cursor.execute(sql, params)
    return count


# PostgreSQL types for the VALUES list of update_rows (its literals arrive untyped).
_PG_TYPES = {
    "BigAutoField": "bigint",
    "AutoField": "integer",
    "BooleanField": "boolean",
    "DateTimeField": "timestamptz",
    "PositiveSmallIntegerField": "smallint",
    "TextField": "text",
    "CharField": "text",
    "ForeignKey": "integer",
}


def update_rows(model, fields, rows):
    """Set `fields` per row: rows are (pk, value, ...) tuples. One UPDATE on PostgreSQL."""
    if not rows:
        return 0
    meta = model._meta
    if connection.vendor != "postgresql":
        objs = []
        for pk, *values in rows:
            obj = model(pk=pk)
            for name, value in zip(fields, values, strict=True):
                setattr(obj, meta.get_field(name).attname, value)
            objs.append(obj)
        model.objects.bulk_update(objs, [meta.get_field(name).name for name in fields])
        return len(rows)
    qn = connection.ops.quote_name
    names = [meta.pk.column, *_columns(model, fields)]
    types = []
    for field in [meta.pk, *(meta.get_field(name) for name in fields)]:
        target = field.target_field if field.is_relation else field
        types.append(_PG_TYPES[target.get_internal_type()])
    one = "(" + ", ".join(f"%s::{t}" for t in types) + ")"
    assignments = ", ".join(f"{qn(c)} = v.{qn(c)}" for c in names[1:])
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, len(names)):
            values = ", ".join([one] * len(chunk))
            cursor.execute(
                f"UPDATE {qn(meta.db_table)} AS t SET {assignments} "  # noqa: S608 - names from model meta
                f"FROM (VALUES {values}) AS v({', '.join(qn(c) for c in names)}) "
                f"WHERE t.{qn(names[0])} = v.{qn(names[0])}",
                [value for row in chunk for value in row],
            )
    return len(rows)
