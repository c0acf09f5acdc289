"""API tokens bring the user's roles along: one query authenticates and authorises."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from complaints import access
from complaints.api.authentication import TokenWithRolesAuthentication
from tests.factories import UserFactory


@pytest.mark.django_db
def test_one_query_reads_the_token_the_user_and_the_roles(django_assert_num_queries):
    user = UserFactory(role="staff")
    user.groups.add(Group.objects.get(name=access.SUPERVISOR))
    token = Token.objects.create(user=user)
    with django_assert_num_queries(1):
        found, used = TokenWithRolesAuthentication().authenticate_credentials(token.key)
        assert (found, used) == (user, token)
        assert access.can_work_complaints(found) and access.is_supervisor(found)


@pytest.mark.django_db
def test_a_user_without_a_group_has_no_role(django_assert_num_queries):
    token = Token.objects.create(user=UserFactory())
    with django_assert_num_queries(1):
        found, _token = TokenWithRolesAuthentication().authenticate_credentials(token.key)
        assert not access.has_any_role(found)


@pytest.mark.django_db
def test_unknown_tokens_and_inactive_users_are_refused():
    with pytest.raises(AuthenticationFailed):
        TokenWithRolesAuthentication().authenticate_credentials("0" * 40)
    token = Token.objects.create(user=UserFactory(role="staff", is_active=False))
    with pytest.raises(AuthenticationFailed):
        TokenWithRolesAuthentication().authenticate_credentials(token.key)


@pytest.mark.django_db
def test_the_api_answers_by_token_with_the_roles_it_read(client):
    staff, manager = UserFactory(role="staff"), UserFactory(role="manager")
    for user, expected in ((staff, 200), (manager, 200)):
        key = Token.objects.create(user=user).key
        assert client.get("/api/complaints/", HTTP_AUTHORIZATION=f"Token {key}").status_code == expected
    manager_key = Token.objects.get(user=manager).key
    refused = client.post(
        "/api/complaints/", {}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {manager_key}"
    )
    assert refused.status_code == 403  # managers read, they do not log complaints


@pytest.mark.django_db
def test_intake_takes_categories_from_a_copy_that_follows_the_admin(client):
    """The active categories are read once, and again as soon as one is saved."""
    from complaints.models import Category
    from tests.factories import CustomerFactory

    key = Token.objects.create(user=UserFactory(role="staff")).key
    body = {"customer": CustomerFactory().pk, "channel": "phone", "severity": "minor", "content": "Late."}

    def log(category):
        return client.post(
            "/api/complaints/",
            {**body, "category": category},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {key}",
        )

    assert log("billing").status_code == 201
    billing = Category.objects.get(code="billing")
    billing.is_active = False
    billing.save()
    refused = log("billing")
    assert refused.status_code == 400
    assert "category" in refused.json()
    assert log(["billing"]).status_code == 400
    Category.objects.create(code="noise", label="Noise")
    assert log("noise").status_code == 201


@pytest.mark.usefixtures("seeded_lists")
@pytest.mark.django_db(transaction=True)
def test_a_category_removed_by_another_process_is_a_form_error_not_a_retry(client):
    """Another process deleted the category this process still offers: 400 on the field, nothing saved."""
    from django.db import connection

    from complaints.models import Category, Complaint
    from complaints.workflow import selectors
    from tests.factories import CustomerFactory

    key = Token.objects.create(user=UserFactory(role="staff")).key
    gone = Category.objects.create(code="gone", label="Gone soon")
    assert "gone" in selectors.active_categories()
    with connection.cursor() as cursor:  # no signal reaches this process
        cursor.execute("DELETE FROM complaints_category WHERE id = %s", [gone.pk])
    answer = client.post(
        "/api/complaints/",
        {
            "customer": CustomerFactory().pk,
            "channel": "phone",
            "category": "gone",
            "severity": "minor",
            "content": "x",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert answer.status_code == 400
    assert answer.json()["category"] == ["This category no longer exists; choose another."]
    assert not Complaint.objects.exists()
    assert "gone" not in selectors.active_categories()  # the copy was dropped
