import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from complaints.admin import ComplaintAdmin, ComplaintRecordAdmin, ComplaintRecordInline
from complaints.models import Complaint, ComplaintRecord
from customers.models import Customer
from tests.factories import CustomerFactory, make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(staff_user):
    # A customer without email: no acknowledgement entry, so the record holds one entry.
    return make_complaint(by=staff_user, customer=CustomerFactory(email=""))


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_records_endpoint_refuses_changes(staff_api, complaint, method):
    url = f"/api/complaints/{complaint.pk}/records/"
    response = getattr(staff_api, method)(url, {"kind": "outcome"}, format="json")
    assert response.status_code == 405
    assert ComplaintRecord.objects.filter(complaint=complaint).count() == 1


def test_no_endpoint_for_a_single_record(staff_api, complaint):
    record = ComplaintRecord.objects.get(complaint=complaint)
    response = staff_api.delete(f"/api/complaints/{complaint.pk}/records/{record.pk}/")
    assert response.status_code == 404
    assert ComplaintRecord.objects.filter(pk=record.pk).exists()


def test_model_refuses_save_of_existing_and_delete(complaint):
    record = ComplaintRecord.objects.get(complaint=complaint)
    record.data = {"content": "rewritten"}
    with pytest.raises(ComplaintRecord.Immutable):
        record.save()
    with pytest.raises(ComplaintRecord.Immutable):
        record.delete()
    assert ComplaintRecord.objects.get(pk=record.pk).data["content"] == "The parcel arrived broken."


def test_admin_cannot_add_change_or_delete_records(admin_user, complaint):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    record = ComplaintRecord.objects.get(complaint=complaint)
    model_admin = ComplaintRecordAdmin(ComplaintRecord, site)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, record)
    assert not model_admin.has_delete_permission(request, record)
    inline = ComplaintRecordInline(Complaint, site)
    assert not inline.has_change_permission(request, complaint)
    assert not inline.has_delete_permission(request, complaint)
    assert not ComplaintAdmin(Complaint, site).has_delete_permission(request, complaint)


def test_admin_pages_render_records_read_only(admin_client, complaint):
    record = ComplaintRecord.objects.get(complaint=complaint)
    page = admin_client.get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    assert page.status_code == 200
    assert b"The parcel arrived broken." in page.content
    view = admin_client.get(f"/admin/complaints/complaintrecord/{record.pk}/change/")
    assert view.status_code == 200
    assert b'name="data"' not in view.content
    delete = admin_client.post(f"/admin/complaints/complaintrecord/{record.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert ComplaintRecord.objects.filter(pk=record.pk).exists()


def _refused(callable_):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        callable_()


def test_database_refuses_queryset_update_and_delete(complaint):
    record = ComplaintRecord.objects.get(complaint=complaint)
    _refused(lambda: ComplaintRecord.objects.filter(pk=record.pk).update(data={"content": "forged"}))
    if connection_vendor() == "postgresql":
        _refused(lambda: ComplaintRecord.objects.filter(pk=record.pk).delete())
    assert ComplaintRecord.objects.get(pk=record.pk).data["content"] == "The parcel arrived broken."


def test_database_refuses_raw_sql_update_delete_and_truncate(complaint):
    from django.db import connection

    record = ComplaintRecord.objects.get(complaint=complaint)
    table = ComplaintRecord._meta.db_table

    def raw(sql):
        return lambda: connection.cursor().execute(sql)

    _refused(raw(f"UPDATE {table} SET kind = 'outcome' WHERE id = {record.pk}"))
    if connection.vendor == "postgresql":
        _refused(raw(f"DELETE FROM {table} WHERE id = {record.pk}"))
        # With the deferred foreign-key checks done first: a table with pending trigger
        # events refuses TRUNCATE anyway, trigger or not.
        _refused(raw(f"SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE {table} CASCADE"))
    assert ComplaintRecord.objects.get(pk=record.pk).kind == "content"
    assert ComplaintRecord.objects.count() == 1


def connection_vendor():
    from django.db import connection

    return connection.vendor


# --- No escape hatch, and the one narrow redaction path --------------------------------


def _postgres_only():
    if connection_vendor() != "postgresql":
        pytest.skip("the record's triggers and roles are PostgreSQL's (set DATABASE_URL)")


@pytest.mark.parametrize(
    "statement",
    [
        'UPDATE complaints_complaintrecord SET data = \'{{"content": "forged"}}\' WHERE id = {pk}',
        "DELETE FROM complaints_complaintrecord WHERE id = {pk}",
        "TRUNCATE complaints_complaintrecord CASCADE",
    ],
    ids=["update", "delete", "truncate"],
)
def test_a_session_setting_no_longer_opens_the_record(complaint, statement):
    from django.db import connection

    _postgres_only()
    record = ComplaintRecord.objects.get(complaint=complaint)

    def with_the_old_flag():
        with connection.cursor() as cursor:
            # Check the deferred foreign keys now: TRUNCATE refuses a table with pending
            # trigger events, which would pass this test for the wrong reason.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL clear_desk.maintenance = 'on'")
            cursor.execute(statement.format(pk=record.pk))

    _refused(with_the_old_flag)
    assert ComplaintRecord.objects.get(pk=record.pk).data["content"] == "The parcel arrived broken."


def test_a_redaction_rewrites_strings_in_one_complaints_record_only(staff_user, supervisor_user):
    from django.utils import timezone

    from complaints.redaction import digest, records_redact
    from tests.factories import make_complaint

    quoted = 'Wang Fang said "call me" \\ 王芳'
    mine = make_complaint(
        by=staff_user, content=f"{quoted}; parcel 42 broken", customer=CustomerFactory(email="")
    )
    other = make_complaint(
        by=staff_user, content="Wang Fang is also my name", customer=CustomerFactory(email="")
    )
    before = list(ComplaintRecord.objects.filter(complaint=mine).values("id", "kind", "stage", "created_at"))
    # Only an erased customer's record opens to a redaction.
    with pytest.raises(ValueError):
        records_redact(
            complaint_ids=[mine.pk], strings=["Wang Fang"], by=supervisor_user, reason="x", now=timezone.now()
        )
    Customer.objects.filter(pk=mine.customer_id).update(erased_at=timezone.now())

    (redaction,) = records_redact(
        complaint_ids=[mine.pk],
        strings=["Wang Fang", "王芳", '"call me"'],
        by=supervisor_user,
        reason="asked",
        now=timezone.now(),
    )

    entry = ComplaintRecord.objects.get(complaint=mine)
    assert entry.data["content"] == "[erased] said [erased] \\ [erased]; parcel 42 broken"
    assert entry.data["customer"] == mine.customer_id  # numbers and keys stay
    assert list(
        ComplaintRecord.objects.filter(complaint=mine).values("id", "kind", "stage", "created_at")
    ) == (before)
    assert ComplaintRecord.objects.get(complaint=other).data["content"] == "Wang Fang is also my name"
    redaction.refresh_from_db()
    assert (redaction.string_count, redaction.entries_redacted, redaction.payload) == (3, 1, None)
    assert redaction.digests == sorted(digest(s) for s in ["Wang Fang", "王芳", '"call me"'])
    # The audit row is append-only as well, and the record's trigger is back in force.
    _refused(lambda: type(redaction).objects.filter(pk=redaction.pk).update(reason="forged"))
    _refused(lambda: ComplaintRecord.objects.filter(pk=entry.pk).update(data={"content": "forged"}))


def test_a_redaction_never_stores_its_strings(complaint, supervisor_user):
    from complaints.models import RecordRedaction

    _postgres_only()
    # The trigger, without the service's own check: only an erased customer's record opens.
    _refused(
        lambda: RecordRedaction.objects.create(
            complaint=complaint, by=supervisor_user, reason="x", payload={"strings": ["parcel"], "key": "k"}
        )
    )
    Customer.objects.filter(pk=complaint.customer_id).update(erased_at=complaint.created_at)
    RecordRedaction.objects.create(
        complaint=complaint, by=supervisor_user, reason="x", payload={"strings": ["parcel"], "key": "k"}
    )
    assert list(RecordRedaction.objects.values_list("payload", "string_count")) == [(None, 1)]
    assert ComplaintRecord.objects.get(complaint=complaint).data["content"] == "The [erased] arrived broken."
    # Without its strings the trigger refuses the row; the constraint refuses stored strings.
    _refused(lambda: RecordRedaction.objects.create(complaint=complaint, by=supervisor_user, reason="x"))


@pytest.fixture
def app_role(seeded_lists):
    """A role made by `manage.py db_app_role`, connected to the test database (trust auth)."""
    import io
    import uuid

    import psycopg2
    from django.core.management import call_command
    from django.db import connection

    _postgres_only()
    role = f"clear_app_{uuid.uuid4().hex[:12]}"
    call_command("db_app_role", role, stdout=io.StringIO())
    params = {k: v for k, v in connection.get_connection_params().items() if k not in ("database", "dbname")}
    app = psycopg2.connect(**{**params, "user": role, "dbname": connection.settings_dict["NAME"]})
    app.autocommit = True
    try:
        yield app
    finally:
        app.close()
        with connection.cursor() as cursor:
            # Roles belong to the cluster: take back its grants (default privileges too), then drop it.
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


@pytest.mark.django_db(transaction=True)
def test_the_app_role_may_add_to_the_record_and_change_nothing(app_role, staff_user, supervisor_user):
    import psycopg2

    from tests.factories import make_complaint

    complaint = make_complaint(
        by=staff_user, content="Call Wang Fang back", customer=CustomerFactory(email="")
    )
    record = ComplaintRecord.objects.get(complaint=complaint)
    table = ComplaintRecord._meta.db_table
    redact = (
        "INSERT INTO complaints_recordredaction (complaint_id, by_id, created_at, reason, string_count,"
        f" digests, entries_redacted, payload) VALUES ({complaint.pk}, {supervisor_user.pk}, now(),"
        """ 'asked', 0, '[]', 0, '{"strings": ["Wang Fang"], "key": "k"}')"""
    )

    def refused(*statements):
        with pytest.raises(psycopg2.Error), app_role.cursor() as cursor:
            cursor.execute("BEGIN")
            try:
                for statement in statements:
                    cursor.execute(statement)
            finally:
                cursor.execute("ROLLBACK")

    refused(f"UPDATE {table} SET kind = 'outcome' WHERE id = {record.pk}")
    refused(f"DELETE FROM {table} WHERE id = {record.pk}")
    refused(f"TRUNCATE {table} CASCADE")
    refused(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    refused(f"ALTER TABLE {table} DISABLE TRIGGER record_no_update_delete")
    refused("SET LOCAL clear_desk.maintenance = 'on'", f"DELETE FROM {table} WHERE id = {record.pk}")
    refused("SET LOCAL session_replication_role = replica")
    refused("UPDATE complaints_recordredaction SET reason = 'forged'")
    refused("DELETE FROM django_migrations")
    refused(redact)  # the customer is not erased
    with app_role.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (complaint_id, kind, stage, author_id, created_at, data)"
            " VALUES (%s, 'process', 'control', %s, now(), '{\"action\": \"note\"}')",
            [complaint.pk, staff_user.pk],
        )
        # The one change it may make: a redaction of an erased customer's record, through
        # the SECURITY DEFINER trigger.
        cursor.execute(
            "UPDATE customers_customer SET erased_at = now() WHERE id = %s", [complaint.customer_id]
        )
        cursor.execute(redact)
        cursor.execute("UPDATE complaints_complaint SET product = 'kettle' WHERE id = %s", [complaint.pk])
    assert ComplaintRecord.objects.filter(complaint=complaint).count() == 2
    assert ComplaintRecord.objects.get(pk=record.pk).data["content"] == "Call [erased] back"
    assert ComplaintRecord.objects.get(pk=record.pk).kind == "content"
