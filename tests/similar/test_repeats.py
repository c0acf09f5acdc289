"""Repeat complaints at intake (complaints.workflow.repeats): the customer complained about the
same category or product lately; the page asks before saving, the API answers the candidates."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from complaints.models import Category, Complaint, ComplaintRecord
from complaints.reports import compose, weeks
from complaints.workflow import intake, repeats
from tests.factories import CustomerFactory, make_complaint, walk

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - dt.timedelta(days=n)


@pytest.fixture
def wang():
    return CustomerFactory(name="Wang Fang")


def candidates(user, customer, category="delivery", **kwargs):
    return repeats.repeat_candidates(
        customer=customer, category=Category.objects.get(code=category), user=user, **kwargs
    )


def test_a_complaint_in_the_window_about_the_same_category_is_a_candidate(staff_user, wang):
    recent = make_complaint(by=staff_user, customer=wang, category="delivery", now=days_ago(3))
    older = make_complaint(by=staff_user, customer=wang, category="delivery", now=days_ago(29))
    make_complaint(by=staff_user, customer=wang, category="delivery", now=days_ago(31))  # outside
    make_complaint(by=staff_user, customer=wang, category="billing", now=days_ago(2))  # other category
    make_complaint(by=staff_user, category="delivery", now=days_ago(1))  # another customer
    assert candidates(staff_user, wang) == [recent, older]


def test_the_window_is_a_setting(staff_user, wang):
    found = make_complaint(by=staff_user, customer=wang, category="delivery", now=days_ago(8))
    with override_settings(CLEAR_DESK={**settings.CLEAR_DESK, "REPEAT_WINDOW_DAYS": 7}):
        assert candidates(staff_user, wang) == []
    assert candidates(staff_user, wang) == [found]


def test_the_same_product_in_another_category_is_a_candidate(staff_user, wang):
    earlier = make_complaint(by=staff_user, customer=wang, category="installation_repair", now=days_ago(4))
    Complaint.objects.filter(pk=earlier.pk).update(product="Kettle K-40")
    assert candidates(staff_user, wang, product="kettle k-40") == [earlier]
    assert candidates(staff_user, wang) == []


def test_closed_ones_count_and_say_how_they_ended(staff_user, wang):
    closed = walk(
        make_complaint(by=staff_user, customer=wang, category="delivery", now=days_ago(3)), staff_user
    )
    (found,) = candidates(staff_user, wang)
    summary = repeats.summarise(found)
    assert found == closed
    assert summary.ago.startswith("3 days")
    assert summary.status == "closed, fully resolved: We sent a replacement by courier."
    opened = make_complaint(by=staff_user, customer=wang, category="delivery")
    assert repeats.summarise(opened).status == "still open (Control)"


def test_a_user_without_a_role_sees_none(no_role_user, staff_user, wang):
    make_complaint(by=staff_user, customer=wang, category="delivery", now=days_ago(3))
    assert candidates(no_role_user, wang) == []


def test_a_repeat_must_be_of_the_same_customer(staff_user, wang):
    other = make_complaint(by=staff_user, category="delivery")
    with pytest.raises(intake.ValidationError):
        intake.complaint_create(
            customer=wang,
            channel="phone",
            category=Category.objects.get(code="delivery"),
            severity="minor",
            content="Again.",
            by=staff_user,
            repeat_of=other,
        )


# --- the intake page -----------------------------------------------------------------


def intake_form(customer, **extra):
    return {
        "customer": customer.pk,
        "channel": "phone",
        "category": "delivery",
        "severity": "major",
        "content": "The parcel is late <again>, third time this month.",
        **extra,
    }


@pytest.fixture
def earlier(staff_user, wang):
    return make_complaint(by=staff_user, customer=wang, category="delivery", now=days_ago(3))


def test_intake_asks_before_saving_and_keeps_everything_typed(client, staff_user, wang, earlier):
    client.force_login(staff_user)
    response = client.post(reverse("complaint-new"), intake_form(wang))
    assert response.status_code == 200
    html = response.content.decode()
    assert Complaint.objects.count() == 1  # nothing saved yet
    assert 'id="repeat-warning"' in html
    assert "3 days" in html and earlier.reference in html and "still open (Control)" in html
    assert f'value="add:{earlier.pk}"' in html and f'value="repeat:{earlier.pk}"' in html
    assert 'value="new"' in html
    # What was typed is all still there, for whichever button is pressed.
    assert "The parcel is late &lt;again&gt;, third time this month." in html
    assert f'name="customer" value="{wang.pk}"' in html
    assert re.search(r'<input type="radio" name="severity" value="major"[^>]*checked', html)
    assert re.search(r'<option value="delivery" selected>', html)
    assert wang.name in html


def test_no_question_for_another_category(client, staff_user, wang, earlier):
    client.force_login(staff_user)
    response = client.post(reverse("complaint-new"), intake_form(wang, category="billing"))
    assert response.status_code == 302
    assert Complaint.objects.count() == 2


def test_no_question_outside_the_window(client, staff_user, wang):
    make_complaint(by=staff_user, customer=wang, category="delivery", now=days_ago(45))
    client.force_login(staff_user)
    assert client.post(reverse("complaint-new"), intake_form(wang)).status_code == 302


def test_adding_to_the_earlier_complaint_files_the_contact_and_logs_nothing_new(
    client, staff_user, wang, earlier
):
    client.force_login(staff_user)
    response = client.post(
        reverse("complaint-new"), intake_form(wang, repeat=f"add:{earlier.pk}"), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("complaint-detail", args=[earlier.pk])
    assert Complaint.objects.count() == 1
    entry = ComplaintRecord.objects.filter(complaint=earlier).order_by("id").last()
    assert entry.kind == "process" and entry.author == staff_user and entry.stage == "control"
    assert entry.data == {
        "action": "contacted_again",
        "channel": "phone",
        "content": "The parcel is late <again>, third time this month.",
    }
    html = response.content.decode()
    assert "Customer contacted again" in html
    assert f"Added to complaint {earlier.reference}" in html


def test_adding_to_a_closed_complaint_files_it_without_reopening(client, staff_user, wang, earlier):
    closed = walk(earlier, staff_user)
    client.force_login(staff_user)
    response = client.post(
        reverse("complaint-new"), intake_form(wang, repeat=f"add:{closed.pk}"), follow=True
    )
    closed.refresh_from_db()
    assert closed.stage == "closed" and Complaint.objects.count() == 1
    assert ComplaintRecord.objects.filter(
        complaint=closed, data__action="contacted_again", stage="closed"
    ).exists()
    assert "reopen it below" in response.content.decode()


def test_the_same_press_twice_adds_the_contact_once(client, staff_user, wang, earlier):
    client.force_login(staff_user)
    data = intake_form(wang, repeat=f"add:{earlier.pk}", submission="t" * 24)
    client.post(reverse("complaint-new"), data)
    response = client.post(reverse("complaint-new"), data, follow=True)
    assert ComplaintRecord.objects.filter(complaint=earlier, data__action="contacted_again").count() == 1
    assert "already added" in response.content.decode()


def test_a_new_repeat_is_marked_with_the_earlier_complaint(client, staff_user, wang, earlier):
    client.force_login(staff_user)
    response = client.post(
        reverse("complaint-new"), intake_form(wang, repeat=f"repeat:{earlier.pk}"), follow=True
    )
    new = Complaint.objects.exclude(pk=earlier.pk).get()
    assert new.repeat_of == earlier and new.customer == wang
    assert ComplaintRecord.objects.get(complaint=new, kind="content").data["repeat_of"] == earlier.reference
    html = response.content.decode()
    link = reverse("complaint-detail", args=[earlier.pk])
    assert f'<dd id="repeat-of"><a href="{link}">{earlier.reference}</a>' in html


def test_a_different_matter_is_logged_unmarked(client, staff_user, wang, earlier):
    client.force_login(staff_user)
    assert client.post(reverse("complaint-new"), intake_form(wang, repeat="new")).status_code == 302
    assert Complaint.objects.exclude(pk=earlier.pk).get().repeat_of is None


def test_a_choice_that_is_no_longer_recent_asks_again(client, staff_user, wang, earlier):
    stranger = make_complaint(by=staff_user, category="delivery")
    client.force_login(staff_user)
    response = client.post(reverse("complaint-new"), intake_form(wang, repeat=f"repeat:{stranger.pk}"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "choose again" in html and f'value="repeat:{earlier.pk}"' in html
    assert Complaint.objects.count() == 2


# --- the API -----------------------------------------------------------------------


def api_body(customer, **extra):
    return {
        "customer": customer.pk,
        "channel": "email",
        "category": "delivery",
        "severity": "minor",
        "content": "Late again.",
        **extra,
    }


def test_the_api_files_and_answers_the_possible_repeats(staff_api, wang, earlier):
    response = staff_api.post("/api/complaints/", api_body(wang), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["repeat_of"] is None
    (candidate,) = body["possible_repeats"]
    assert candidate["id"] == earlier.pk and candidate["reference"] == earlier.reference
    assert candidate["stage"] == "control" and candidate["category"] == "delivery"
    assert candidate["summary"].startswith("3 days") and earlier.reference in candidate["summary"]
    assert Complaint.objects.count() == 2


def test_the_api_marks_a_repeat(staff_api, wang, earlier):
    response = staff_api.post("/api/complaints/", api_body(wang, repeat_of=earlier.pk), format="json")
    assert response.status_code == 201 and response.json()["repeat_of"] == earlier.pk
    assert Complaint.objects.get(pk=response.json()["id"]).repeat_of == earlier


def test_the_api_refuses_a_repeat_of_another_customer(staff_api, wang, staff_user):
    other = make_complaint(by=staff_user, category="delivery")
    response = staff_api.post("/api/complaints/", api_body(wang, repeat_of=other.pk), format="json")
    assert response.status_code == 400 and "repeat_of" in response.json()
    response = staff_api.post("/api/complaints/", api_body(wang, repeat_of=999999), format="json")
    assert response.status_code == 400 and "repeat_of" in response.json()
    assert Complaint.objects.count() == 1


def test_the_api_answers_no_candidates_for_a_first_complaint(staff_api, wang):
    response = staff_api.post("/api/complaints/", api_body(wang), format="json")
    assert response.status_code == 201 and response.json()["possible_repeats"] == []


# --- the weekly report -------------------------------------------------------------


def test_the_weekly_report_counts_repeats_in_the_same_queries(staff_user, wang, django_assert_num_queries):
    monday = weeks.last_full_week(now=timezone.now())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time(10)))
    first = make_complaint(by=staff_user, customer=wang, category="delivery", now=start)
    intake.complaint_create(
        customer=wang,
        channel="phone",
        category=Category.objects.get(code="delivery"),
        severity="minor",
        content="Again.",
        by=staff_user,
        repeat_of=first,
        now=start + dt.timedelta(days=1),
    )
    repeats.complaint_add_contact(
        complaint=first,
        channel="phone",
        content="And again.",
        by=staff_user,
        now=start + dt.timedelta(days=2),
    )
    # Outside the week: not counted.
    repeats.complaint_add_contact(
        complaint=first,
        channel="phone",
        content="Next week.",
        by=staff_user,
        now=start + dt.timedelta(days=8),
    )
    with django_assert_num_queries(compose.QUERIES_PER_REPORT):
        report = compose.build_report(monday, now=start + dt.timedelta(days=9))
    assert report["repeats"] == {"logged": 1, "added": 1, "total": 2}


def test_the_report_page_shows_the_figure(client, supervisor_user, staff_user, wang):
    client.force_login(supervisor_user)
    monday = weeks.last_full_week(now=timezone.now())
    html = client.get(reverse("report-weekly") + f"?week={weeks.week_label(monday)}").content.decode()
    assert "Repeat complaints" in html


def test_the_api_adds_a_contact_to_an_earlier_complaint(staff_api, wang, earlier):
    response = staff_api.post(
        f"/api/complaints/{earlier.pk}/contacts/",
        {"channel": "email", "content": "Still late."},
        format="json",
    )
    assert response.status_code == 200 and response.json()["id"] == earlier.pk
    entry = ComplaintRecord.objects.filter(complaint=earlier).order_by("id").last()
    assert entry.data == {"action": "contacted_again", "channel": "email", "content": "Still late."}
    assert Complaint.objects.count() == 1


def test_the_api_refuses_a_contact_without_words_or_channel(staff_api, earlier, api, manager_user):
    response = staff_api.post(f"/api/complaints/{earlier.pk}/contacts/", {"channel": "fax"}, format="json")
    assert response.status_code == 400 and {"channel", "content"} <= set(response.json())
    assert staff_api.post("/api/complaints/999999/contacts/", {}, format="json").status_code == 404
    api.force_authenticate(manager_user)
    denied = api.post(
        f"/api/complaints/{earlier.pk}/contacts/", {"channel": "email", "content": "x"}, format="json"
    )
    assert denied.status_code == 403
    assert not ComplaintRecord.objects.filter(complaint=earlier, data__action="contacted_again").exists()
