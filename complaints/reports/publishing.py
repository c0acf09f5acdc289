"""Publishing the weekly report: keep a snapshot per week and email every manager once.

Decision on re-running: one snapshot per ISO week. The scheduled run never overwrites a
published week (two beats or a retry change nothing); an explicit rebuild by a supervisor
or manager replaces the stored figures and increments `version`, so the page shows which
version is on screen and when it was built.
"""

from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import access
from ..exceptions import Conflict
from ..models import WeeklyReportSnapshot
from ..notifications import outbox
from . import compose, weeks
from .present import present


def report_publish(
    *,
    monday: date,
    now: datetime | None = None,
    by: User | AnonymousUser | None = None,
    rebuild: bool = False,
) -> tuple[WeeklyReportSnapshot, bool]:
    """Store the report of the week starting `monday`; return (snapshot, created_or_rebuilt)."""
    now = now or timezone.now()
    week = weeks.week_label(monday)
    if not rebuild:
        existing = WeeklyReportSnapshot.objects.filter(week=week).first()
        if existing:
            return existing, False
    data = compose.build_report(monday, now=now)
    built_by = by if by is not None and by.is_authenticated else None
    try:
        with transaction.atomic():
            snapshot, created = WeeklyReportSnapshot.objects.get_or_create(
                week=week, defaults={"data": data, "created_at": now, "updated_at": now, "built_by": built_by}
            )
    except IntegrityError:  # another beat published it a moment ago
        return WeeklyReportSnapshot.objects.get(week=week), False
    if created:
        return snapshot, True
    if not rebuild:
        return snapshot, False
    with transaction.atomic():
        snapshot = WeeklyReportSnapshot.objects.select_for_update().get(pk=snapshot.pk)
        snapshot.data = data
        snapshot.version += 1
        snapshot.updated_at = now
        snapshot.built_by = built_by
        snapshot.save(update_fields=["data", "version", "updated_at", "built_by"])
    return snapshot, True


def report_rebuild(*, monday: date, by: User, now: datetime | None = None) -> WeeklyReportSnapshot:
    """Publish or rebuild an ended week on demand (supervisors and managers)."""

    if not access.can_publish_reports(by):
        raise PermissionDenied(_("Only supervisors and managers may publish a report."))
    now = now or timezone.now()
    if weeks.week_bounds(monday)[1] > now:
        # A snapshot of a running week would stop the Monday run from publishing the full week.
        raise Conflict(_("This week has not ended yet; it can be published once it is over."))
    snapshot, _changed = report_publish(monday=monday, now=now, by=by, rebuild=True)
    return snapshot


def managers() -> QuerySet[AbstractUser]:
    return access.users_with_role(access.MANAGER, with_email=True)


def report_email_managers(snapshot: WeeklyReportSnapshot, now: datetime | None = None) -> int:
    """Queue the summary for every manager; the key makes it one email per manager per week."""
    site = settings.CLEAR_DESK.get("SITE_URL") or getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
    url = f"{site.rstrip('/')}/reports/weekly/?week={snapshot.week}"  # type: ignore[union-attr]  # has a default
    with translation.override(settings.LANGUAGE_CODE):
        context = {"report": present(snapshot.data), "url": url, "snapshot": snapshot}
        subject = _("Weekly complaints report %(week)s") % {"week": snapshot.week}
        body = render_to_string("reports/email_weekly.txt", context)
        html = render_to_string("reports/email_weekly.html", context)
    messages = [
        {
            "to": user.email,
            "subject": subject,
            "body": body,
            "html": html,
            "key": f"weekly-report:{snapshot.week}:{user.pk}",
        }
        for user in managers()
    ]
    return outbox.queue_emails(messages, now=now)


def publish_last_week(now: datetime | None = None) -> tuple[WeeklyReportSnapshot, int]:
    """The Monday-morning job: publish the week just ended and tell the managers."""
    now = now or timezone.now()
    snapshot, _created = report_publish(monday=weeks.last_full_week(now), now=now)
    queued = report_email_managers(snapshot, now=now)
    return snapshot, queued
