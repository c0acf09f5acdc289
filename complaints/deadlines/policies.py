"""Read the service-level policies and the business calendar for complaints.deadlines.

Two small queries per call (policies, company calendar days); public holidays come from
the `holidays` package for the country in settings.CLEAR_DESK["HOLIDAY_COUNTRY"].
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from customers.models import Customer

from ..models import BusinessHours, CalendarDay, SLAPolicy
from ..process_copy import ProcessCopy
from . import calendar as deadlines


@lru_cache(maxsize=64)
def public_days(
    country: str, subdivision: str | None, year: int
) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(holidays, make-up working days) of one year, as frozensets of dates."""
    calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    days_off = frozenset(calendar.keys())
    # Countries such as CN move weekends to working days around long holidays.
    working = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return days_off, working


def load_calendar(first_year: int, last_year: int | None = None) -> deadlines.Calendar:
    """The business calendar covering `first_year`..`last_year` (plus one year of slack)."""
    last_year = (last_year or first_year) + 1
    country = settings.CLEAR_DESK["HOLIDAY_COUNTRY"]
    subdivision = settings.CLEAR_DESK.get("HOLIDAY_SUBDIVISION", "")
    days_off: set[dt.date] = set()
    working: set[dt.date] = set()
    if country:
        for year in range(first_year, last_year + 1):
            off, on = public_days(country, subdivision, year)
            days_off |= off
            working |= on
    for day in CalendarDay.objects.filter(
        date__gte=dt.date(first_year, 1, 1), date__lte=dt.date(last_year, 12, 31)
    ):
        if day.kind == CalendarDay.Kind.DAY_OFF:
            days_off.add(day.date)
            working.discard(day.date)
        else:
            working.add(day.date)
            days_off.discard(day.date)
    hours = BusinessHours.objects.order_by("pk").first() or BusinessHours()
    return deadlines.Calendar(
        tz=ZoneInfo(settings.TIME_ZONE),
        start=hours.opens_at,
        end=hours.closes_at,
        weekdays=hours.weekdays(),
        days_off=frozenset(days_off),
        working_days=frozenset(working),
    )


def load_policies() -> dict[tuple[str, str], tuple[tuple[int, str], tuple[int, str]]]:
    """{(severity, tier): ((amount, unit), (amount, unit))}; missing entries use the defaults."""
    policies = dict(deadlines.DEFAULT_POLICIES)
    for p in SLAPolicy.objects.all():
        policies[(p.severity, p.tier)] = (
            (p.respond_within, p.respond_unit),
            (p.resolve_within, p.resolve_unit),
        )
    return policies


class Rules:
    """Calendar and policies loaded once, for computing many complaints' deadlines."""

    def __init__(self, first_year, last_year=None):
        self.calendar = load_calendar(first_year, last_year)
        self.policies = load_policies()

    def deadlines(self, severity, tier, received_at, vulnerable=False):
        return deadlines.compute_deadlines(
            self.calendar, self.policies, severity, tier, received_at, sla_factor(vulnerable)
        )


def vulnerable_factor() -> float:
    """How much of each service-level target a vulnerable customer gets (0.5: half the time)."""
    return float(settings.CLEAR_DESK.get("VULNERABLE_SLA_FACTOR", 0.5))


def sla_factor(vulnerable: bool) -> float:
    """The one place a customer's vulnerability shortens their service levels."""
    return vulnerable_factor() if vulnerable else 1.0


# Intake computes deadlines for every new complaint; reading policies and calendar for
# each one cost three queries and more Python than the INSERT itself. Rules are kept per
# year in a per-process copy (complaints.process_copy).
RULES = ProcessCopy(Rules)
forget_rules = RULES.forget


def rules_for_year(year: int) -> Rules:
    return RULES.get(year)


def deadlines_for(
    severity: str, tier: str | None, received_at: dt.datetime, vulnerable: bool = False
) -> deadlines.Deadlines:
    local_year = received_at.astimezone(ZoneInfo(settings.TIME_ZONE)).year
    return rules_for_year(local_year).deadlines(severity, tier, received_at, vulnerable)


def deadlines_for_customer(
    severity: str, customer: Customer, received_at: dt.datetime
) -> deadlines.Deadlines:
    """The deadlines of a complaint from `customer`: their tier, shortened if vulnerable."""
    return deadlines_for(severity, customer.tier, received_at, customer.is_vulnerable)


def _target_text(amount, unit):
    words = {
        deadlines.MINUTES: ngettext("%(n)d minute", "%(n)d minutes", amount),
        deadlines.HOURS: ngettext("%(n)d hour", "%(n)d hours", amount),
        deadlines.WORKING_HOURS: ngettext("%(n)d working hour", "%(n)d working hours", amount),
        deadlines.WORKING_DAYS: ngettext("%(n)d working day", "%(n)d working days", amount),
    }
    return words.get(unit, "%(n)d " + str(unit)) % {"n": amount}


def service_level_hints(now: dt.datetime | None = None) -> str:
    """What intake tells staff about each severity, from the policies in force: the
    targets for every tier, then those of each tier that has its own."""
    from ..models import Severity

    now = now or timezone.now()
    policies = rules_for_year(now.astimezone(ZoneInfo(settings.TIME_ZONE)).year).policies
    lines = []
    for severity, label in Severity.choices:
        base = deadlines.policy_for(policies, severity, "")
        line = _("%(severity)s: answer within %(respond)s, resolve within %(resolve)s.") % {
            "severity": label,
            "respond": _target_text(*base[0]),
            "resolve": _target_text(*base[1]),
        }
        for tier in sorted({t for s, t in policies if s == severity and t}):
            own = deadlines.policy_for(policies, severity, tier)
            if own != base:
                line += " " + _("Tier %(tier)s: %(respond)s and %(resolve)s.") % {
                    "tier": tier,
                    "respond": _target_text(*own[0]),
                    "resolve": _target_text(*own[1]),
                }
        lines.append(line)
    factor = vulnerable_factor()
    if factor != 1.0:
        lines.append(
            _("Vulnerable customers: every target is cut to %(percent)s%% of its time.")
            % {"percent": round(factor * 100)}
        )
    return " ".join(lines)
