"""Many rows in one statement, without building a model instance per row.

The deadline sweep writes thousands of rows a minute at scale (events, records, the
outbox, the complaints' escalation columns). Django's bulk_create and bulk_update spend
most of their time in Python (bulk_update builds a CASE WHEN per field and row), so the
sweep's hot path sends plain statements instead. Values are what the model fields take
(ids for foreign keys).

On PostgreSQL each column travels as one array parameter and the statement reads them
with unnest(): a thousand rows are one short statement with a handful of parameters,
where a multi-row VALUES list would be parsed and planned placeholder by placeholder
(three times slower at a thousand rows). SQLite gets multi-row VALUES.
"""

import json

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

# SQLite accepts 32,766 parameters per statement; stay well below on every database.
MAX_PARAMS = 20_000


def _chunks(rows, width):
    size = max(MAX_PARAMS // max(width, 1), 1)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _fields(model, names):
    meta = model._meta
    return [meta.pk if name == "pk" else meta.get_field(name) for name in names]


def _quoted(fields):
    qn = connection.ops.quote_name
    return [qn(f.column) for f in fields]


# --- PostgreSQL: one array per column --------------------------------------------------


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _element_writer(field):
    """How one value of `field` is spelled inside an array literal (None is NULL)."""
    kind = (field.target_field if field.is_relation else field).get_internal_type()
    if kind == "JSONField":
        return lambda value: _quote(json.dumps(value, cls=field.encoder))
    if kind == "BooleanField":
        return lambda value: "t" if value else "f"
    if kind.endswith(("IntegerField", "AutoField")):
        return str
    if kind == "DateTimeField":
        return lambda value: value.isoformat()  # digits, "-", ":", "T", "+", ".": no quotes needed
    return lambda value: _quote(str(value))


def _array(values, field):
    """`values` as a PostgreSQL array literal, e.g. {1,2,NULL} or {"a","b \\"c\\""}."""
    write = _element_writer(field)
    if field.get_internal_type() == "JSONField":
        return "{" + ",".join("NULL" if v is None else write(v) for v in values) + "}"
    # Columns repeat themselves (the same moment, kind or stage on every row): spell each
    # distinct value once.
    spelled = {None: "NULL"}
    for value in values:
        if value not in spelled:
            spelled[value] = write(value)
    return "{" + ",".join([spelled[v] for v in values]) + "}"


def _unnest(fields, rows):
    """(SQL, params): unnest(%s::type[], ...) over the columns of `rows`."""
    columns = list(zip(*rows, strict=True))
    sql = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    return f"unnest({sql})", [_array(column, f) for column, f in zip(columns, fields, strict=True)]


# --- SQLite (and anything else): multi-row VALUES ----------------------------------------


def _values(fields, rows):
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params = [
        f.get_db_prep_save(value, connection) for row in rows for f, value in zip(fields, row, strict=True)
    ]
    return ", ".join([one] * len(rows)), params


def insert_rows(model, names, rows, *, ignore_conflicts=False):
    """INSERT `rows` (tuples in the order of `names`) into `model`'s table; return len(rows)."""
    if not rows:
        return 0
    fields = _fields(model, names)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_quoted(fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            source, params = _unnest(fields, rows)
            conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM {source}{conflict}",  # noqa: S608 - names from model meta, values bound
                params,
            )
            return len(rows)
        verb = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
        for chunk in _chunks(rows, len(fields)):
            values, params = _values(fields, chunk)
            cursor.execute(f"{verb} INTO {table} ({columns}) VALUES {values}", params)
    return len(rows)


def update_rows(model, names, rows):
    """Set `names` per row: rows are (pk, value, ...) tuples. One UPDATE on PostgreSQL."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        fields = _fields(model, names)
        objs = []
        for pk, *values in rows:
            obj = model(pk=pk)
            for field, value in zip(fields, values, strict=True):
                setattr(obj, field.attname, value)
            objs.append(obj)
        model.objects.bulk_update(objs, [f.name for f in fields])
        return len(rows)
    fields = _fields(model, ["pk", *names])
    pk, *columns = _quoted(fields)
    source, params = _unnest(fields, rows)
    assignments = ", ".join(f"{c} = v.{c}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(model._meta.db_table)} AS t SET {assignments} "  # noqa: S608 - names from model meta
            f"FROM {source} AS v({pk}, {', '.join(columns)}) WHERE t.{pk} = v.{pk}",
            params,
        )
    return len(rows)


def among(queryset, name, ids):
    """`queryset` limited to rows whose integer field `name` is one of `ids`.

    For a thousand ids, Django's __in prepares each value on its own and PostgreSQL parses
    a thousand literals; on PostgreSQL the ids travel as one array parameter instead.
    """
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{name}__in": ids})
    field = queryset.model._meta.get_field(name)
    qn = connection.ops.quote_name
    column = f"{qn(queryset.model._meta.db_table)}.{qn(field.column)}"
    return queryset.filter(
        RawSQL(  # noqa: S611 - names from model meta, the ids bound as one parameter
            f"{column} = ANY(%s::{field.db_type(connection)}[])",
            [_array(ids, field)],
            output_field=BooleanField(),
        )
    )
