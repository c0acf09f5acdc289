import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import Complaint
from tests.factories import CustomerFactory, make_complaint, walk


def closed_case(by, *, days_ago, customer=None, category="product_quality", content="", product="", **close):
    """A complaint received `days_ago` days ago and closed a day later, through the services."""
    received = timezone.now() - dt.timedelta(days=days_ago)
    complaint = make_complaint(
        by=by, customer=customer or CustomerFactory(), category=category, content=content, now=received
    )
    complaint = walk(complaint, by, **close)
    fields = {"closed_at": received + dt.timedelta(days=1)}
    if product:
        fields["product"] = product
    Complaint.objects.filter(pk=complaint.pk).update(**fields)
    return Complaint.objects.get(pk=complaint.pk)


@pytest.fixture
def cases(staff_user):
    """A new kettle complaint from Wang, and earlier closed ones around it."""
    wang = CustomerFactory(name="Wang Fang")
    text = "The kettle lid snapped off after two days and hot water spilled."
    return {
        "wang": wang,
        # Wang's own history, in another category and other words: still first.
        "wang_billing": closed_case(
            staff_user, days_ago=40, customer=wang, category="billing", content="I was charged twice."
        ),
        "wang_old": closed_case(
            staff_user, days_ago=90, customer=wang, category="delivery", content="The courier never came."
        ),
        "close_words": closed_case(
            staff_user, days_ago=20, content="The kettle lid snapped off after three days; water spilled."
        ),
        "some_words": closed_case(staff_user, days_ago=10, content="My kettle stopped heating."),
        "other_words": closed_case(staff_user, days_ago=5, content="The box was crushed on one side."),
        "same_product": closed_case(
            staff_user,
            days_ago=15,
            category="installation_repair",
            content="The fitter left a mess.",
            product="Kettle K-40",
        ),
        "other_category": closed_case(
            staff_user, days_ago=8, category="waiting_time", content="The kettle lid snapped off."
        ),
        "still_open": make_complaint(
            by=staff_user,
            content="The kettle lid snapped off after two days.",
            now=timezone.now() - dt.timedelta(days=3),
        ),
        "new": make_complaint(by=staff_user, customer=wang, content=text),
        "text": text,
    }
