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
from .weeks import (
    FIX_LOOKBACK_WEEKS,
    FIX_WEEKS,
    TREND_WEEKS,
    fix_windows,
    trend_mondays,
    week_bounds,
    week_label,
)

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


_OUTSIDE_FIGURES = ("due", "met_on_time", "met_late", "missed", "running")


def _outside_compliance(rows):
    """Per regime: its clocks due in the week and how they fared; the share met on time
    among those decided (met, or past due unmet)."""
    regimes: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: (r["regime__code"], r["clock__position"], r["clock__code"])):
        regime = regimes.setdefault(
            row["regime__code"],
            {
                "code": row["regime__code"],
                "label_en": row["regime__name"],
                "label_zh": row["regime__name_zh"],
                **dict.fromkeys(_OUTSIDE_FIGURES, 0),
                "clocks": [],
            },
        )
        clock = {
            "code": row["clock__code"],
            "label_en": row["clock__name"],
            "label_zh": row["clock__name_zh"],
            **{name: row[name] for name in _OUTSIDE_FIGURES},
        }
        clock["met_pct"] = pct(clock["met_on_time"], clock["due"] - clock["running"])
        regime["clocks"].append(clock)
        for name in _OUTSIDE_FIGURES:
            regime[name] += row[name]
    for regime in regimes.values():
        regime["met_pct"] = pct(regime["met_on_time"], regime["due"] - regime["running"])
    return list(regimes.values())


def _issues(rows, start):
    return [
        {
            "id": r["id"],
            "title": r["title"],
            "status": r["status"],
            "owner": r["owner__username"] or "",
            "opened_at": r["opened_at"].isoformat(),
            "new": r["opened_at"] >= start,
            "complaints": r["complaints"],
        }
        for r in rows
    ]


def _fix_effect(actions, counts, monday):
    """Each verified action with its root cause's complaints received before and after it."""
    out = []
    for i, a in enumerate(actions):
        windows = fix_windows(a["done_at"], monday)
        before, after = counts[f"n{2 * i}"], counts[f"n{2 * i + 1}"]
        complete = windows["weeks_after"] == FIX_WEEKS
        out.append(
            {
                "id": a["id"],
                "description": a["description"],
                "complaint": a["complaint__reference"],
                "root_cause": a["root_cause__code"],
                "label_en": a["root_cause__label"],
                "label_zh": a["root_cause__label_zh"],
                "done_at": a["done_at"].isoformat(),
                "verified_at": a["verified_at"].isoformat() if a["verified_at"] else None,
                "before": before,
                "after": after,
                "weeks_before": FIX_WEEKS,
                "weeks_after": windows["weeks_after"],
                # Only once the four weeks after have passed is the comparison a fair one.
                "change": after - before if complete else None,
                "change_pct": pct(after - before, before) if complete else None,
            }
        )
    return out


def fix_count_windows(actions, monday):
    """The (root cause, start, end) windows `_fix_effect` reads, two per action, in order."""
    windows = []
    for a in actions:
        w = fix_windows(a["done_at"], monday)
        windows.append((a["root_cause_id"], *w["before"]))
        windows.append((a["root_cause_id"], *w["after"]))
    return windows


def _money(value: Any) -> str:
    return f"{(value or 0):.2f}"


def _vulnerable_group(split: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """One side of the vulnerable split: volume, service levels, satisfaction."""
    g = {name[len(prefix) :]: n for name, n in split.items() if name.startswith(prefix)}
    by_score = {s: g.get(f"score{s}", 0) for s in SCORES}
    responses = sum(by_score.values())
    dissatisfied = sum(n for s, n in by_score.items() if is_low_satisfaction(s))
    return {
        "received": g["received"],
        "closed": g["closed"],
        "response_due": g["response_due"],
        "response_met": g["response_met"],
        "response_pct": pct(g["response_met"], g["response_due"]),
        "resolution_met": g["resolution_met"],
        "resolution_pct": pct(g["resolution_met"], g["closed"]),
        "responses": responses,
        "average": round(sum(s * n for s, n in by_score.items()) / responses, 2) if responses else None,
        "dissatisfied": dissatisfied,
        "dissatisfied_share": pct(dissatisfied, responses),
    }


REDRESS_FIGURES = ("offered", "accepted", "declined", "paid")


def _redress(rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Redress this week: totals, and per category and per root cause (amounts as text)."""

    def fold(prefix: str) -> list[dict[str, Any]]:
        groups: dict[str, dict[str, Any]] = {}
        for row in rows:
            code = row[f"complaint__{prefix}__code"] or ""
            entry = groups.setdefault(
                code,
                {
                    "code": code,
                    "label_en": row[f"complaint__{prefix}__label"] or "",
                    "label_zh": row[f"complaint__{prefix}__label_zh"] or "",
                    **dict.fromkeys(REDRESS_FIGURES, 0),
                    "offered_amount": 0,
                    "paid_amount": 0,
                },
            )
            for figure in (*REDRESS_FIGURES, "offered_amount", "paid_amount"):
                entry[figure] += row[figure] or 0
        entries = sorted(groups.values(), key=lambda e: (-e["offered"], -e["paid"], e["code"]))
        for entry in entries:
            entry["offered_amount"] = _money(entry["offered_amount"])
            entry["paid_amount"] = _money(entry["paid_amount"])
        return entries

    totals: dict[str, Any] = {figure: sum(row[figure] for row in rows) for figure in REDRESS_FIGURES}
    totals["offered_amount"] = _money(sum(row["offered_amount"] or 0 for row in rows))
    totals["paid_amount"] = _money(sum(row["paid_amount"] or 0 for row in rows))
    return {**totals, "by_category": fold("category"), "by_root_cause": fold("root_cause")}


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
        "holds": {
            "started": raw["holds"]["started"],
            "ended": raw["holds"]["ended"],
            "total_seconds": _round(raw["holds"]["total_seconds"]),
            "median_seconds": _round(raw["holds"]["median_seconds"]),
            "no_answer": raw["holds"]["no_answer"],
            "on_hold_at_end": raw["holds"]["on_hold_at_end"],
        },
        "trend": trend,
        "outside_deadlines": _outside_compliance(raw.get("outside_deadlines", ())),
        "systemic_issues": _issues(raw["systemic_issues"], start),
        "fix_effect": _fix_effect(raw["fix_actions"], raw["fix_counts"], monday),
        # Vulnerable customers apart from the others (counts only: no one is named).
        "vulnerable": {
            "vulnerable": _vulnerable_group(raw["vulnerable"], "v_"),
            "others": _vulnerable_group(raw["vulnerable"], "o_"),
        },
        "redress": _redress(raw["redress"]),
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
        "outside_deadlines": q.outside_deadline_rows(start, end, now),
        "holds": q.hold_figures(start, end),
        "systemic_issues": q.systemic_issue_rows(start, end),
        "fix_actions": q.fix_actions(start, end, lookback=end - datetime.timedelta(weeks=FIX_LOOKBACK_WEEKS)),
        "vulnerable": q.vulnerable_split(start, end, now),
        "redress": q.redress_rows(start, end),
    }
    raw["fix_counts"] = q.root_cause_received(fix_count_windows(raw["fix_actions"], monday))
    return compose(raw, monday=monday, now=now)


QUERIES_PER_REPORT = 17
