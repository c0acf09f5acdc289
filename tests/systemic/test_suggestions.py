"""The beat's suggestions: once per cluster, different customers only, dismissed stays dismissed."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from complaints.models import ComplaintRecord, SystemicIssue, SystemicSuggestion
from complaints.systemic import services, suggestions
from complaints.systemic.tasks import suggest_systemic_issues
from tests.factories import CustomerFactory, UserFactory, make_complaint

from .helpers import LEAKS, OTHER, leaks

pytestmark = pytest.mark.django_db


def test_five_similar_complaints_from_different_customers_are_suggested_once(staff_user):
    complaints = leaks(staff_user, 5)
    make_complaint(by=staff_user, content=OTHER)
    made = suggestions.suggest_systemic_issues()
    assert len(made) == 1
    suggestion = made[0]
    assert suggestion.customer_count == 5
    assert suggestion.title == LEAKS[0]
    assert set(suggestion.members.values_list("complaint_id", flat=True)) == {c.pk for c in complaints}
    # the beat again, and the task itself: nothing new
    assert suggestions.suggest_systemic_issues() == []
    assert suggest_systemic_issues.apply().get() == {"suggested": 0}
    assert SystemicSuggestion.objects.count() == 1


def test_five_complaints_from_one_customer_suggest_nothing(staff_user):
    leaks(staff_user, 5, customer=CustomerFactory())
    assert suggestions.suggest_systemic_issues() == []
    assert not SystemicSuggestion.objects.exists()


def test_the_minimum_is_a_setting(staff_user, settings):
    settings.SYSTEMIC_MIN_COMPLAINTS = 3
    leaks(staff_user, 3)
    assert len(suggestions.suggest_systemic_issues()) == 1


def test_complaints_older_than_seven_days_do_not_count(staff_user):
    now = timezone.now()
    leaks(staff_user, 2, start=now - timedelta(days=9))
    leaks(staff_user, 3, start=now - timedelta(days=2))
    assert suggestions.suggest_systemic_issues(now=now) == []


def test_a_dismissed_suggestion_stays_dismissed(staff_user, supervisor_user):
    leaks(staff_user, 5)
    (suggestion,) = suggestions.suggest_systemic_issues()
    services.suggestion_dismiss(suggestion=suggestion, by=supervisor_user)
    # one more similar complaint: the dismissed five are not clustered again, and one alone is no cluster
    leaks(staff_user, 1)
    assert suggestions.suggest_systemic_issues() == []
    suggestion.refresh_from_db()
    assert suggestion.status == SystemicSuggestion.Status.DISMISSED
    assert suggestion.decided_by == supervisor_user


def test_accepting_opens_the_issue_with_the_complaints_linked_and_filed(staff_user, manager_user):
    complaints = leaks(staff_user, 5)
    (suggestion,) = suggestions.suggest_systemic_issues()
    issue = services.suggestion_accept(suggestion=suggestion, by=manager_user, title="Model X leaks")
    assert issue.title == "Model X leaks" and issue.status == SystemicIssue.Status.OPEN
    assert set(issue.links.values_list("complaint_id", flat=True)) == {c.pk for c in complaints}
    for complaint in complaints:
        entry = ComplaintRecord.objects.filter(complaint=complaint).latest("id")
        assert entry.data["action"] == "systemic_issue_link" and entry.data["systemic_issue"] == issue.pk
        assert entry.author == manager_user
    suggestion.refresh_from_db()
    assert suggestion.status == SystemicSuggestion.Status.ACCEPTED and suggestion.issue == issue
    # linked complaints are not suggested again either
    assert suggestions.suggest_systemic_issues() == []


def test_a_decided_suggestion_cannot_be_decided_again(staff_user, supervisor_user):
    from complaints.exceptions import Conflict

    leaks(staff_user, 5)
    (suggestion,) = suggestions.suggest_systemic_issues()
    services.suggestion_dismiss(suggestion=suggestion, by=supervisor_user)
    with pytest.raises(Conflict):
        services.suggestion_accept(suggestion=suggestion, by=supervisor_user)
    with pytest.raises(Conflict):
        services.suggestion_dismiss(suggestion=suggestion, by=supervisor_user)
    assert not SystemicIssue.objects.exists()


def test_staff_may_not_decide_on_suggestions(staff_user):
    from django.core.exceptions import PermissionDenied

    leaks(staff_user, 5)
    (suggestion,) = suggestions.suggest_systemic_issues()
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(suggestion=suggestion, by=staff_user)
    with pytest.raises(PermissionDenied):
        services.suggestion_dismiss(suggestion=suggestion, by=staff_user)


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_suggest_each_cluster_once(seeded_lists):
    staff = UserFactory(username="lin", role="staff")
    for i, text in enumerate(LEAKS[:5]):
        make_complaint(by=staff, content=text, now=timezone.now() - timedelta(hours=5 - i))
    for i in range(5):
        make_complaint(
            by=staff,
            category="delivery",
            content=f"The courier left parcel {i} in the rain and it got soaked",
            now=timezone.now() - timedelta(hours=5 - i),
        )
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(len(suggestions.suggest_systemic_issues()))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(results) == 2  # two clusters, each filed by one of the two runs
    assert SystemicSuggestion.objects.count() == 2
    assert sorted(SystemicSuggestion.objects.values_list("category__code", flat=True)) == [
        "delivery",
        "product_quality",
    ]
