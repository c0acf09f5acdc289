"""The weekly root-cause report: the arithmetic that turns aggregated rows into it.

`build_report(week)` runs the fixed set of aggregate queries in complaints.reports.selectors
and hands the rows to `compose()`, a pure function. The result is plain JSON-ready data
(codes, numbers, English and Chinese labels of the editable lists) so a published week
can be stored as it was and shown later in either language.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone

from customers.models import Customer

from ..escalations.rules import is_low_satisfaction
from . import selectors as q
from .recurrence import RECURRING_MIN_WEEKS, recurring_causes
from .weeks import TREND_WEEKS, trend_mondays, week_bounds, week_label

SCORES = (1, 2, 3, 4, 5)
CHANNELS = ("phone", "counter", "email", "web_form", "social_media", "other")
SEVERITIES = ("minor", "major")
TIERS = tuple(Customer.Tier.values)
RESOLUTIONS = ("full", "partial", "none")


# --- arithmetic ----------------------------------------------------------------------


def pct(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _round(value, digits=1):
    return None if value is None else round(float(value), digits)


def _fold(rows, key, order=None, labels=None):
    totals = {}
    for row in rows:
        code = row[key]
        entry = totals.setdefault(code, {"code": code, "received": 0, "closed": 0, "open": 0})
        if labels:
            entry.update({name: row[column] for name, column in labels.items()})
        for figure in ("received", "closed", "open"):
            entry[figure] += row[figure]
    entries = list(totals.values())
    if order:
        rank = {code: i for i, code in enumerate(order)}
        entries.sort(key=lambda e: (rank.get(e["code"], len(rank)), str(e["code"])))
    else:
        entries.sort(key=lambda e: (-e["received"], -e["closed"], str(e["code"])))
    return entries


def _distinct_actions(actions):
    """The same action filed twice (a complaint closed again) is briefed once."""
    seen, out = set(), []
    for action in actions:
        key = (action["description"].strip().lower(), action["department"])
        if key not in seen:
            seen.add(key)
            out.append(action)
    return out


def compose(raw: Mapping[str, Any], *, monday: datetime.date, now: datetime.datetime) -> dict[str, Any]:
    """Turn the aggregated rows of `raw` into the report (pure: no queries)."""
    start, end = week_bounds(monday)
    mondays = trend_mondays(monday)
    dims = raw["dimensions"]
    recurring_codes = recurring_causes(
        {row["root_cause__code"]: [row[f"w{i}"] for i in range(TREND_WEEKS)] for row in raw["causes"]},
        min_weeks=settings.CLEAR_DESK_REPORTS.get("RECURRING_WEEKS", RECURRING_MIN_WEEKS),
    )

    totals = {figure: sum(row[figure] for row in dims) for figure in ("received", "closed", "open")}

    # Root causes as a Pareto of this week's closings, with the four weeks before.
    causes = []
    for row in raw["causes"]:
        weeks = [row[f"w{i}"] for i in range(TREND_WEEKS)]
        previous = weeks[:-1]
        previous_average = round(sum(previous) / len(previous), 2)
        causes.append(
            {
                "code": row["root_cause__code"],
                "label_en": row["root_cause__label"],
                "label_zh": row["root_cause__label_zh"],
                "position": row["root_cause__position"],
                "count": weeks[-1],
                "weeks": weeks,
                "previous_average": previous_average,
                "change": round(weeks[-1] - previous_average, 2),
                "weeks_seen": sum(1 for n in weeks if n),
                "recurring": row["root_cause__code"] in recurring_codes,
            }
        )
    causes.sort(key=lambda c: (-c["count"], c["position"], c["code"]))
    cause_total = sum(c["count"] for c in causes)
    pareto, running = [], 0
    for cause in causes:
        if not cause["count"]:
            continue
        running += cause["count"]
        pareto.append(
            {
                **cause,
                "share": pct(cause["count"], cause_total),
                "cumulative_share": pct(running, cause_total),
            }
        )
    recurring = [
        {k: c[k] for k in ("code", "label_en", "label_zh", "weeks", "weeks_seen")}
        for c in causes
        if c["recurring"]
    ]

    department_total = sum(r["count"] for r in raw["departments"])
    departments = sorted(
        (
            {
                "code": r["responsible_department__code"],
                "label_en": r["responsible_department__label"],
                "label_zh": r["responsible_department__label_zh"],
                "count": r["count"],
                "share": pct(r["count"], department_total),
            }
            for r in raw["departments"]
        ),
        key=lambda d: (-d["count"], d["code"]),
    )

    head = raw["headline"]
    sla = {
        "response_due": head["response_due"],
        "response_met": head["response_met"],
        "response_pct": pct(head["response_met"], head["response_due"]),
        "resolution_due": head["closed"],
        "resolution_met": head["resolution_met"],
        "resolution_pct": pct(head["resolution_met"], head["closed"]),
        "median_respond_seconds": _round(head["median_respond_seconds"]),
        "median_resolve_seconds": _round(head["median_resolve_seconds"]),
    }

    # Satisfaction of the complaints closed this week.
    by_score = dict.fromkeys(SCORES, 0)
    by_resolution = {code: {"responses": 0, "total": 0, "dissatisfied": 0} for code in RESOLUTIONS}
    for row in raw["satisfaction"]:
        score, n = row["satisfaction_score"], row["count"]
        by_score[score] = by_score.get(score, 0) + n
        bucket = by_resolution.setdefault(
            row["resolution"] or "none", {"responses": 0, "total": 0, "dissatisfied": 0}
        )
        bucket["responses"] += n
        bucket["total"] += score * n
        bucket["dissatisfied"] += n if is_low_satisfaction(score) else 0
    responses = sum(by_score.values())
    dissatisfied = sum(n for score, n in by_score.items() if is_low_satisfaction(score))
    satisfaction = {
        "responses": responses,
        "average": round(sum(s * n for s, n in by_score.items()) / responses, 2) if responses else None,
        "distribution": [
            {"score": s, "count": n, "share": pct(n, responses)} for s, n in sorted(by_score.items())
        ],
        "dissatisfied": dissatisfied,
        "dissatisfied_share": pct(dissatisfied, responses),
        "by_resolution": [
            {
                "code": code,
                "responses": b["responses"],
                "average": round(b["total"] / b["responses"], 2) if b["responses"] else None,
                "dissatisfied_share": pct(b["dissatisfied"], b["responses"]),
            }
            for code, b in by_resolution.items()
        ],
    }

    actions = [
        {
            "id": r["id"],
            "description": r["description"],
            "status": r["status"],
            "due_at": r["due_at"].isoformat(),
            "department": r["department__code"],
            "department_label_en": r["department__label"],
            "department_label_zh": r["department__label_zh"],
            "complaint": r["complaint__reference"],
            "root_cause": r["root_cause__code"],
        }
        for r in raw["preventive_rows"]
    ]
    transitions = raw["transitions"]
    trend = [
        {
            "week": week_label(m),
            "received": raw["trend"][f"received{i}"],
            "closed": raw["trend"][f"closed{i}"],
        }
        for i, m in enumerate(mondays)
    ]
    coaching = [
        {"team": r["team"] or "other", "moments": r["moments"], "hits": r["hits"] or 0}
        for r in raw["coaching"]
    ]

    return {
        "week": week_label(monday),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "generated_at": now.isoformat(),
        "weeks": [week_label(m) for m in mondays],
        "totals": totals,
        "by_channel": _fold(dims, "channel", CHANNELS),
        "by_category": _fold(
            dims, "category__code", labels={"label_en": "category__label", "label_zh": "category__label_zh"}
        ),
        "by_severity": _fold(dims, "severity", SEVERITIES),
        "by_tier": _fold(dims, "customer__tier", TIERS),
        "root_causes": pareto,
        "recurring_causes": recurring,
        "departments": departments,
        "sla": sla,
        "escalations": head["escalations"],
        "closings": transitions["closes"],
        "reopens": transitions["reopens"],
        "reopen_rate": pct(transitions["reopens"], transitions["closes"]),
        # Repeat complaints this week: new complaints marked as a repeat, and contacts added
        # to an earlier complaint instead (workflow.repeats).
        "repeats": {
            "logged": head["repeats"],
            "added": transitions["contacts_again"],
            "total": head["repeats"] + transitions["contacts_again"],
        },
        "satisfaction": satisfaction,
        "preventive": {**raw["preventive"], "actions": actions},
        "coaching": coaching,
        "trend": trend,
        "brief": {
            "top_causes": [
                {k: c[k] for k in ("code", "label_en", "label_zh", "count", "share", "recurring")}
                for c in pareto[:3]
            ],
            "actions": _distinct_actions(actions)[:5],
        },
    }


def build_report(monday: datetime.date, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Run the report's queries for the week starting `monday` and compose it."""
    now = now or timezone.now()
    start, end = week_bounds(monday)
    weeks = [week_bounds(m) for m in trend_mondays(monday)]
    q.ensure_ready()
    raw = {
        "dimensions": q.dimension_rows(start, end),
        "headline": q.headline_figures(start, end, now),
        "transitions": q.transition_counts(start, end),
        "coaching": q.coaching_rows(start, end),
        "causes": q.cause_rows(weeks),
        "departments": q.department_rows(start, end),
        "satisfaction": q.satisfaction_rows(start, end),
        "preventive": q.preventive_figures(start, end),
        "preventive_rows": q.preventive_rows(start, end),
        "trend": q.trend_figures(weeks),
    }
    return compose(raw, monday=monday, now=now)


QUERIES_PER_REPORT = 10
