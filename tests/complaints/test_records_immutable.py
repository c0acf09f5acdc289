import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from complaints.admin import ComplaintAdmin, ComplaintRecordAdmin, ComplaintRecordInline
from complaints.models import Complaint, ComplaintRecord

pytestmark = pytest.mark.django_db


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
        _refused(raw(f"TRUNCATE {table} CASCADE"))
    assert ComplaintRecord.objects.get(pk=record.pk).kind == "content"
    assert ComplaintRecord.objects.count() == 1


def connection_vendor():
    from django.db import connection

    return connection.vendor
