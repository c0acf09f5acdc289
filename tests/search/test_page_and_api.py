"""The search page behind the header's box, GET /api/complaints/?search=, and the queue's
search: one rule (complaints.workflow.search)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import CustomerFactory, make_complaint


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def page_refs(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return [c.reference for c in response.context["complaints"]]


def test_the_header_has_the_search_box_for_desk_roles_only(staff_user, manager_user, no_role_user):
    for user in (staff_user, manager_user):
        html = client_for(user).get("/").content.decode()
        assert 'id="header-search"' in html and 'action="/search/"' in html
    assert 'id="header-search"' not in Client().get("/accounts/login/").content.decode()


def test_the_page_finds_a_closed_complaint(staff_user, found):
    client = client_for(staff_user)
    closed = found["closed"]
    for query in (closed.reference, closed.reference[3:9].lower(), "王芳", "+86 139-0101-2323", "kettle"):
        assert page_refs(client, query) == [closed.reference], query
    html = client.get("/search/", {"q": "王芳"}).content.decode()
    assert 'datetime="' in html and "王芳" in html and closed.get_stage_display() in html
    assert f'href="/complaints/{closed.pk}/"' in html


def test_the_page_lists_open_ones_first(staff_user, found):
    assert page_refs(client_for(staff_user), "example")[-1] == found["closed"].reference


@pytest.mark.parametrize("query", ["", "a", "  b "])
def test_an_empty_or_too_short_query_answers_a_message_not_everything(staff_user, found, query):
    response = client_for(staff_user).get("/search/", {"q": query})
    assert response.status_code == 200
    assert "complaints" not in response.context
    html = response.content.decode()
    assert found["open"].reference not in html
    assert ("at least two letters" in html) == bool(query.strip())


@pytest.mark.parametrize("query", ["%", "%%__", "a" * 5000, "😀", "<script>", "王芳&page=-1"])
def test_odd_input_never_fails(staff_user, found, query):
    client = client_for(staff_user)
    assert client.get("/search/", {"q": query}).status_code == 200
    assert client.get("/search/", {"q": "example", "page": "x"}).status_code == 200
    assert client.get("/search/", {"q": "example", "page": "99999999999999999999"}).status_code == 200


def test_roles(no_role_user, manager_user, found):
    assert client_for(no_role_user).get("/search/", {"q": "王芳"}).status_code == 403
    assert Client().get("/search/", {"q": "王芳"}).status_code == 302
    assert page_refs(client_for(manager_user), "王芳") == [found["closed"].reference]


def count(client, *args):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(*args).status_code == 200
    return len(captured.captured_queries)


def test_pages_of_50_in_a_constant_number_of_queries(staff_user, found, django_assert_num_queries):
    client = client_for(staff_user)
    few = count(client, "/search/", {"q": "example"})
    for i in range(52):
        make_complaint(by=staff_user, customer=CustomerFactory(name=f"Many {i}", email=f"m{i}@example.com"))
    with django_assert_num_queries(few):
        first = client.get("/search/", {"q": "example"})
    assert len(first.context["complaints"]) == 50 and first.context["more"]
    with django_assert_num_queries(few):
        second = client.get("/search/", {"q": "example", "page": "2"})
    assert len(second.context["complaints"]) == 5 and not second.context["more"]
    assert second.context["complaints"][-1].reference == found["closed"].reference


def test_the_api_searches_open_and_closed(staff_api, found):
    closed = found["closed"]

    def refs(query, **extra):
        response = staff_api.get("/api/complaints/", {"search": query, **extra})
        assert response.status_code == 200, response.content
        return [row["reference"] for row in response.json()["results"]]

    queries = (closed.reference.lower(), "王芳", "+86 139-0101-2323", "fang.wang@example.cn", "kettle", "芳")
    for query in queries:
        assert refs(query) == [closed.reference], query
    assert refs("iO") == [found["open"].reference]
    assert refs("example")[-1] == closed.reference
    assert refs("example", ordering="created_at")[0] == closed.reference
    assert refs("example", stage="closed") == [closed.reference]


@pytest.mark.parametrize("query", ["a", "%00"])
def test_the_api_refuses_a_search_too_short_to_mean_anything(staff_api, found, query):
    response = staff_api.get(f"/api/complaints/?search={query}")
    assert response.status_code == 400
    if query == "a":
        assert "at least two letters" in response.json()["search"][0]


def test_the_api_search_keeps_its_query_count(staff_user, staff_api, found):
    few = count(staff_api, "/api/complaints/?search=example")
    for i in range(30):
        make_complaint(by=staff_user, customer=CustomerFactory(email=f"n{i}@example.com"))
    assert count(staff_api, "/api/complaints/?search=example") == few


def test_the_api_refuses_users_without_a_role(api, no_role_user, found):
    api.force_authenticate(no_role_user)
    assert api.get("/api/complaints/", {"search": "王芳"}).status_code == 403


def test_the_queue_search_is_the_same_rule_for_open_complaints(staff_user, found):
    client = client_for(staff_user)

    def queue(query):
        response = client.get("/", {"q": query, "scope": "all"})
        return [c.reference for c in response.context["complaints"]]

    assert queue("Io") == [found["open"].reference]
    assert queue("王芳") == []  # closed: not in the queue, but the search page finds it
    assert queue("parcel arrived") == [found["open"].reference]
    assert set(queue("a")) == {found["open"].reference, found["other"].reference}
