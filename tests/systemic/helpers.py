"""Similar complaints from different customers, for the systemic-issue tests."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import CustomerFactory, make_complaint

LEAKS = [
    "The kettle model X leaks after the spring update",
    "Kettle model X leaks water after the spring update",
    "My model X kettle is leaking since the spring software update",
    "Model X kettle leaks after the spring update, water everywhere",
    "Since the spring update my kettle model X leaks",
    "After the spring update the model X kettle leaks on the table",
]
OTHER = "The courier was rude and left the parcel in the rain."


def leaks(by, n=5, *, customer=None, start=None, category="product_quality"):
    """`n` similar complaints, each from its own customer unless one is given, an hour apart."""
    start = start or timezone.now() - timedelta(days=1)
    return [
        make_complaint(
            by=by,
            customer=customer or CustomerFactory(),
            category=category,
            content=LEAKS[i % len(LEAKS)],
            now=start + timedelta(hours=i),
        )
        for i in range(n)
    ]
