"""Celery tasks: thin wrappers that call the services."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import ratelimit, services


@shared_task(name="customers.tasks.recompute_tiers", ignore_result=True)
def recompute_tiers():
    """Nightly: rank customers by value and store their tiers (safe to run twice)."""
    now = timezone.now()
    changed = services.recompute_tiers(now=now)
    ratelimit.purge(before=now - timedelta(days=1))
    return {"changed": len(changed)}
