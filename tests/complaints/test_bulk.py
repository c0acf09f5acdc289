"""complaints.bulk writes what it is given, byte for byte, on PostgreSQL and on SQLite."""

import datetime as dt

import pytest

from complaints import bulk
from complaints.models import Complaint, ComplaintRecord, Notification
from tests.factories import UserFactory, make_complaint

AWKWARD = [
    'He said "never again" \\ twice',
    "{braces}, commas, and NULL",
    "NULL",
    "",
    "line one\nline two\ttab",
    "中文投诉：包裹被雨淋湿了",
    "'single' quotes; DROP TABLE x; --",
]


@pytest.mark.django_db
def test_insert_rows_keeps_text_json_nulls_and_times_exactly():
    lin = UserFactory(role="staff")
    complaint = make_complaint(by=lin)
    when = dt.datetime(2026, 11, 3, 9, 30, 15, 123456, tzinfo=dt.UTC)
    data = [{"note": text, "nested": {"list": [1, None, text]}} for text in AWKWARD]
    rows = [(complaint.pk, "process", "control", None, when, d) for d in data]
    before = ComplaintRecord.objects.count()
    assert (
        bulk.insert_rows(
            ComplaintRecord, ["complaint", "kind", "stage", "author", "created_at", "data"], rows
        )
        == 7
    )
    written = list(ComplaintRecord.objects.order_by("id")[before:])
    assert [r.data for r in written] == data
    assert {r.created_at for r in written} == {when}
    assert {r.author_id for r in written} == {None}


@pytest.mark.django_db
def test_insert_rows_skips_existing_keys_when_asked():
    now = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)
    names = ["key", "to", "subject", "body", "html", "complaint", "status", "attempts", "last_error"]
    names += ["created_at", "available_at", "claim"]

    def row(key, body):
        return (key, "a@example.com", "s", body, "", None, "pending", 0, "", now, now, "")

    assert bulk.insert_rows(Notification, names, [row(f"k{i}", text) for i, text in enumerate(AWKWARD)]) == 7
    bulk.insert_rows(Notification, names, [row("k0", "changed"), row("k-new", "new")], ignore_conflicts=True)
    assert Notification.objects.get(key="k0").body == AWKWARD[0]
    assert sorted(Notification.objects.values_list("body", flat=True)) == sorted([*AWKWARD, "new"])


@pytest.mark.django_db
def test_update_rows_sets_each_row_its_own_values():
    lin, boss = UserFactory(role="staff"), UserFactory(role="supervisor")
    first, second = make_complaint(by=lin), make_complaint(by=lin)
    at = dt.datetime(2026, 11, 3, 12, 0, tzinfo=dt.UTC)
    names = [
        "escalated",
        "escalated_at",
        "escalation_reason",
        "escalation_level",
        "escalation_acknowledged_by",
    ]
    bulk.update_rows(
        Complaint,
        names,
        [(first.pk, True, at, AWKWARD[0], 2, boss.pk), (second.pk, False, None, AWKWARD[4], 0, None)],
    )
    got = {c.pk: c for c in Complaint.objects.filter(pk__in=[first.pk, second.pk])}
    assert (got[first.pk].escalated, got[first.pk].escalated_at, got[first.pk].escalation_reason) == (
        True,
        at,
        AWKWARD[0],
    )
    assert (got[first.pk].escalation_level, got[first.pk].escalation_acknowledged_by_id) == (2, boss.pk)
    assert (got[second.pk].escalated, got[second.pk].escalated_at, got[second.pk].escalation_reason) == (
        False,
        None,
        AWKWARD[4],
    )


@pytest.mark.django_db
def test_among_limits_a_query_to_the_given_ids():
    lin = UserFactory(role="staff")
    complaints = [make_complaint(by=lin) for _ in range(3)]
    wanted = [complaints[0].pk, complaints[2].pk]
    found = bulk.among(Complaint.objects.all(), "id", wanted)
    assert sorted(found.values_list("pk", flat=True)) == sorted(wanted)
    records = bulk.among(ComplaintRecord.objects.filter(kind="content"), "complaint", wanted)
    assert sorted(records.values_list("complaint_id", flat=True)) == sorted(wanted)
    assert not bulk.among(Complaint.objects.all(), "id", []).exists()
