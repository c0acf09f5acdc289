"""A pg_dump of the database restores into an empty one with the filed record intact."""

import shutil
import subprocess

import psycopg2
import pytest
from django.db import connection

from complaints.models import ComplaintRecord, RecordRedaction
from customers.privacy import erase_customer
from tests.factories import CustomerFactory, UserFactory, make_complaint


@pytest.mark.usefixtures("seeded_lists")
@pytest.mark.django_db(transaction=True)
def test_dump_restores_into_an_empty_database_with_the_record_intact(tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("backups are pg_dump/pg_restore; needs PostgreSQL (DATABASE_URL) and its client tools")
    staff = UserFactory(username="lin", role="staff")
    make_complaint(by=staff, content="Backup me: 返修三次仍未修好")
    # An erased customer: their redactions load before the triggers that made them come back.
    erased = make_complaint(by=staff, customer=CustomerFactory(name="Wang Fang"), content="Wang Fang wrote")
    erase_customer(
        customer=erased.customer, reason="asked", by=UserFactory(username="zhang", role="supervisor")
    )
    expected = list(ComplaintRecord.objects.order_by("id").values_list("id", "kind", "data"))
    redactions = list(RecordRedaction.objects.values_list("id", "complaint_id", "digests"))

    params = connection.get_connection_params()
    source = connection.settings_dict["NAME"]
    target = f"{source}_restore"
    dump = tmp_path / "clear.dump"
    common = ["-h", params.get("host", "127.0.0.1"), "-p", str(params.get("port", 5432))]
    common += ["-U", params.get("user", "postgres")]

    subprocess.run(["pg_dump", *common, "-Fc", "-f", str(dump), source], check=True, timeout=120)
    subprocess.run(["dropdb", *common, "--if-exists", target], check=True, timeout=60)
    subprocess.run(["createdb", *common, target], check=True, timeout=60)
    try:
        subprocess.run(
            ["pg_restore", *common, "--no-owner", "--exit-on-error", "-d", target, str(dump)],
            check=True,
            timeout=120,
        )
        restored = psycopg2.connect(
            **{**{k: v for k, v in params.items() if k not in ("database", "dbname")}, "dbname": target}
        )
        try:
            with restored.cursor() as cursor:
                cursor.execute("SELECT id, kind, data FROM complaints_complaintrecord ORDER BY id")
                assert [tuple(row) for row in cursor.fetchall()] == expected
                cursor.execute("SELECT id, complaint_id, digests FROM complaints_recordredaction")
                assert [tuple(row) for row in cursor.fetchall()] == redactions
                # The append-only trigger came back with the data, without an escape hatch.
                with pytest.raises(psycopg2.Error):
                    cursor.execute("DELETE FROM complaints_complaintrecord")
                restored.rollback()
                with pytest.raises(psycopg2.Error):
                    cursor.execute("SET clear_desk.maintenance = 'on'")
                    cursor.execute("TRUNCATE complaints_complaintrecord CASCADE")
                restored.rollback()
                cursor.execute("SELECT count(*) FROM complaints_complaintrecord")
                assert cursor.fetchone()[0] == len(expected)
        finally:
            restored.close()
    finally:
        subprocess.run(["dropdb", *common, "--if-exists", target], check=True, timeout=60)
