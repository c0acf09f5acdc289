"""The register's pages: who may do what, link and unlink filed, forms keep what was typed,
a constant number of queries per page."""

import pytest
from django.test import Client

from complaints.models import ComplaintRecord, SystemicIssue, SystemicIssueComplaint
from complaints.systemic import services, suggestions
from tests.factories import make_complaint

from .helpers import leaks

pytestmark = pytest.mark.django_db

NEW = {"title": "Model X leaks after the spring update", "description": "Seals shrink.", "status": "open"}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def issue(supervisor_user):
    return services.systemic_issue_create(data={**NEW, "owner": ""}, by=supervisor_user)


def test_every_role_reads_the_register_and_an_issue(issue, staff_user, manager_user, supervisor_user):
    for user in (staff_user, manager_user, supervisor_user):
        client = client_for(user)
        assert NEW["title"] in client.get("/issues/").content.decode()
        assert client.get(f"/issues/{issue.pk}/").status_code == 200
        assert client.get("/issues/987654/").status_code == 404


def test_staff_may_not_open_change_or_link(issue, staff_user, complaint):
    client = client_for(staff_user)
    assert client.get("/issues/new/").status_code == 403
    assert client.post("/issues/new/", NEW).status_code == 403
    body = {"action": "link", "references": complaint.reference}
    assert client.post(f"/issues/{issue.pk}/", body).status_code == 403
    assert client.post(f"/issues/{issue.pk}/", {**NEW, "action": "edit", "title": "X"}).status_code == 403
    assert not SystemicIssueComplaint.objects.exists()
    page = client.get(f"/issues/{issue.pk}/").content.decode()
    assert 'value="link"' not in page and "/issues/new/" not in client.get("/issues/").content.decode()


def test_no_role_is_refused_everywhere(issue, no_role_user):
    client = client_for(no_role_user)
    for url in ("/issues/", f"/issues/{issue.pk}/", "/issues/987654/", "/issues/new/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/issues/suggestions/987654/dismiss/").status_code == 403


@pytest.mark.parametrize("role", ["supervisor_user", "manager_user"])
def test_supervisors_and_managers_open_an_issue(role, request):
    user = request.getfixturevalue(role)
    response = client_for(user).post("/issues/new/", {**NEW, "owner": user.pk})
    issue = SystemicIssue.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/issues/{issue.pk}/"
    assert issue.owner == user and issue.opened_by == user and issue.title == NEW["title"]


def test_a_form_with_errors_keeps_what_was_typed(supervisor_user, issue):
    client = client_for(supervisor_user)
    response = client.post("/issues/new/", {"title": "", "description": "Typed by hand", "status": "nope"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Typed by hand" in page and "This field is required." in page
    response = client.post(
        f"/issues/{issue.pk}/",
        {"action": "edit", "title": "x" * 201, "description": "Kept text", "status": "fixed"},
    )
    assert response.status_code == 400 and "Kept text" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == "open"
    response = client.post(f"/issues/{issue.pk}/", {"action": "link", "references": "CLR-NONE-0000"})
    assert response.status_code == 400
    assert "CLR-NONE-0000" in response.content.decode()


def test_changing_the_status_keeps_its_dates(supervisor_user, issue):
    client = client_for(supervisor_user)
    client.post(f"/issues/{issue.pk}/", {**NEW, "action": "edit", "status": "fixed"})
    issue.refresh_from_db()
    assert issue.status == "fixed" and issue.fixed_at and issue.closed_at is None
    client.post(f"/issues/{issue.pk}/", {**NEW, "action": "edit", "status": "closed"})
    issue.refresh_from_db()
    assert issue.closed_at and issue.fixed_at
    client.post(f"/issues/{issue.pk}/", {**NEW, "action": "edit", "status": "investigating"})
    issue.refresh_from_db()
    assert issue.closed_at is None and issue.fixed_at is None


def test_link_and_unlink_each_file_a_record_entry(manager_user, staff_user, issue):
    one, two = make_complaint(by=staff_user), make_complaint(by=staff_user)
    client = client_for(manager_user)
    response = client.post(
        f"/issues/{issue.pk}/", {"action": "link", "references": f"{one.reference}, {two}"}
    )
    assert response.status_code == 302
    assert set(issue.links.values_list("complaint_id", flat=True)) == {one.pk, two.pk}
    # linked again: nothing new is filed
    client.post(f"/issues/{issue.pk}/", {"action": "link", "references": one.reference})
    assert ComplaintRecord.objects.filter(complaint=one, data__action="systemic_issue_link").count() == 1
    response = client.post(f"/issues/{issue.pk}/", {"action": "unlink", "complaint": one.pk})
    assert response.status_code == 302
    assert list(issue.links.values_list("complaint_id", flat=True)) == [two.pk]
    entries = list(
        ComplaintRecord.objects.filter(complaint=one, kind="process")
        .order_by("id")
        .values_list("data", flat=True)
    )
    assert [e["action"] for e in entries[-2:]] == ["systemic_issue_link", "systemic_issue_unlink"]
    assert all(e["systemic_issue"] == issue.pk for e in entries[-2:])
    # unlinking again is a conflict, said on the page
    response = client.post(f"/issues/{issue.pk}/", {"action": "unlink", "complaint": one.pk})
    assert response.status_code == 409 and "not part of this issue" in response.content.decode()
    # the complaint page names the issue of the one still linked, and files both moves
    page = client_for(staff_user).get(f"/complaints/{two.pk}/").content.decode()
    assert 'id="systemic-issue"' in page and f"/issues/{issue.pk}/" in page
    page = client_for(staff_user).get(f"/complaints/{one.pk}/").content.decode()
    assert 'id="systemic-issue"' not in page
    assert "Linked to a systemic issue" in page and "Removed from a systemic issue" in page


def test_a_complaint_belongs_to_one_issue_at_most(supervisor_user, staff_user, issue, complaint):
    other = services.systemic_issue_create(data={**NEW, "title": "Another"}, by=supervisor_user)
    services.systemic_issue_link(issue=issue, complaints=[complaint], by=supervisor_user)
    response = client_for(supervisor_user).post(
        f"/issues/{other.pk}/", {"action": "link", "references": complaint.reference}
    )
    assert response.status_code == 409
    assert "already part of the issue" in response.content.decode()
    assert SystemicIssueComplaint.objects.get().issue == issue


def test_a_closed_issue_takes_no_more_complaints(supervisor_user, issue, complaint):
    from complaints.exceptions import Conflict

    services.systemic_issue_update(issue=issue, data={"status": "closed"}, by=supervisor_user)
    with pytest.raises(Conflict):
        services.systemic_issue_link(issue=issue, complaints=[complaint], by=supervisor_user)


def test_pages_run_a_constant_number_of_queries(supervisor_user, staff_user, django_assert_max_num_queries):
    client = client_for(supervisor_user)
    first = services.systemic_issue_create(data={**NEW, "owner": staff_user.pk}, by=supervisor_user)
    services.systemic_issue_link(issue=first, complaints=leaks(staff_user, 2), by=supervisor_user)
    leaks(staff_user, 5, category="billing")
    assert len(suggestions.suggest_systemic_issues()) == 1
    client.get("/issues/")
    with django_assert_max_num_queries(12) as few:
        assert client.get("/issues/").status_code == 200
    with django_assert_max_num_queries(12) as detail_few:
        assert client.get(f"/issues/{first.pk}/").status_code == 200
    # many more issues, complaints and suggestions: the same number of queries
    services.systemic_issue_link(issue=first, complaints=leaks(staff_user, 8), by=supervisor_user)
    for n in range(5):
        issue = services.systemic_issue_create(
            data={**NEW, "title": f"Issue {n}", "owner": staff_user.pk}, by=supervisor_user
        )
        services.systemic_issue_link(
            issue=issue, complaints=[make_complaint(by=staff_user)], by=supervisor_user
        )
    leaks(staff_user, 5, category="delivery")
    assert len(suggestions.suggest_systemic_issues()) == 1
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/issues/").content.decode()
    assert page.count('id="suggestion-') == 2 and page.count('id="issue-') == 6
    with django_assert_max_num_queries(len(detail_few.captured_queries)):
        page = client.get(f"/issues/{first.pk}/").content.decode()
    assert page.count('id="complaint-') == 10


def test_suggestions_are_accepted_and_dismissed_on_the_list(supervisor_user, staff_user):
    client = client_for(supervisor_user)
    leaks(staff_user, 5)
    leaks(staff_user, 5, category="delivery")
    first, second = suggestions.suggest_systemic_issues()
    page = client.get("/issues/").content.decode()
    assert f'id="suggestion-{first.pk}"' in page and f'id="suggestion-{second.pk}"' in page
    assert 'id="suggestion-' not in client_for(staff_user).get("/issues/").content.decode()
    response = client.post(f"/issues/suggestions/{first.pk}/accept/", {"title": "x" * 201}, follow=True)
    assert "at most 200 characters" in response.content.decode() and not SystemicIssue.objects.exists()
    response = client.post(f"/issues/suggestions/{first.pk}/accept/", {"title": "Kettles leak"})
    issue = SystemicIssue.objects.get()
    assert response["Location"] == f"/issues/{issue.pk}/" and issue.title == "Kettles leak"
    assert issue.links.count() == 5
    response = client.post(f"/issues/suggestions/{second.pk}/dismiss/")
    assert response.status_code == 302
    page = client.get("/issues/").content.decode()
    assert 'id="suggestion-' not in page
    # deciding again is refused with a message, not a 500
    response = client.post(f"/issues/suggestions/{second.pk}/accept/", follow=True)
    assert "already decided" in response.content.decode()
    assert client.post("/issues/suggestions/987654/accept/").status_code == 404
    assert client.post(f"/issues/suggestions/{second.pk}/maybe/").status_code == 404
    assert client_for(staff_user).post(f"/issues/suggestions/{second.pk}/dismiss/").status_code == 403


def test_the_register_speaks_both_chinese_scripts(issue, supervisor_user):
    client = client_for(supervisor_user)
    simplified = client.get("/issues/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "系统性问题" in simplified and "待处理" in simplified and "服务台的建议" in simplified
    traditional = client.get("/issues/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert "系統性問題" in traditional and "待處理" in traditional
