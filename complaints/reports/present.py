"""The stored report as people read it: labels in the reader's language, durations in words, tables."""

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from customers.models import Customer

from .. import access
from ..models import Channel, PreventiveAction, Resolution, Severity, SystemicIssue
from ..wording import duration_text, localised
from . import weeks


def _team_label(code):
    return {
        access.STAFF: _("Service staff"),
        access.SUPERVISOR: _("Supervisors"),
        access.MANAGER: _("Managers"),
    }.get(code, _("Other"))


def _pick(row, prefix=""):
    return localised(row.get(f"{prefix}label_en"), row.get(f"{prefix}label_zh")) or row.get("code") or ""


def report_moment(value: str | None) -> str:
    """A stored moment (ISO text) as the page shows it, in the report's time zone (TIME_ZONE,
    the zone its weeks are in): "2026-12-16 13:00"."""
    if not value:
        return ""
    return datetime.fromisoformat(value).astimezone(weeks.tz()).strftime("%Y-%m-%d %H:%M")


def duration(seconds: float | None) -> str:
    """A median in words a manager reads at a glance."""
    return "–" if seconds is None else duration_text(seconds)


def present(report: dict[str, Any]) -> dict[str, Any]:
    """The stored report plus labels in the current language (the stored data is unchanged)."""
    r = copy.deepcopy(report)
    channels, severities = dict(Channel.choices), dict(Severity.choices)
    tiers, resolutions = dict(Customer.Tier.choices), dict(Resolution.choices)
    statuses = dict(PreventiveAction.Status.choices)
    for row in r["by_channel"]:
        row["label"] = str(channels.get(row["code"], row["code"]))
    for row in r["by_severity"]:
        row["label"] = str(severities.get(row["code"], row["code"]))
    for row in r["by_tier"]:
        row["label"] = str(tiers.get(row["code"], row["code"]))
    for rows in (
        r["by_category"],
        r["root_causes"],
        r["recurring_causes"],
        r["departments"],
        r["brief"]["top_causes"],
    ):
        for row in rows:
            row["label"] = _pick(row)
    for row in r["satisfaction"]["by_resolution"]:
        row["label"] = str(resolutions.get(row["code"], row["code"]))
    for action in r["preventive"]["actions"] + r["brief"]["actions"]:
        action["department_label"] = _pick(action, "department_")
        action["status_label"] = str(statuses.get(action["status"], action["status"]))
    for row in r["coaching"]:
        row["label"] = str(_team_label(row["team"]))
    # Reports stored before outside deadlines existed have none.
    r.setdefault("outside_deadlines", [])
    for regime in r["outside_deadlines"]:
        regime["label"] = _pick(regime)
        for clock in regime["clocks"]:
            clock["label"] = _pick(clock)
    # Reports published before the register and the fix check have neither list.
    issue_statuses = dict(SystemicIssue.Status.choices)
    for row in r.setdefault("systemic_issues", []):
        row["status_label"] = str(issue_statuses.get(row["status"], row["status"]))
    for row in r.setdefault("fix_effect", []):
        row["label"] = _pick(row)
        row["done_on"] = report_moment(row["done_at"])[:10]
    # Weeks published before the vulnerable split and the redress ledger have neither.
    for row in [*r.get("redress", {}).get("by_category", []), *r.get("redress", {}).get("by_root_cause", [])]:
        row["label"] = _pick(row) or _("(none)")
    r["sla"]["median_respond"] = duration(r["sla"]["median_respond_seconds"])
    r["sla"]["median_resolve"] = duration(r["sla"]["median_resolve_seconds"])
    # Reports published before holds existed have no hold figures.
    if r.get("holds"):
        r["holds"]["total"] = duration(r["holds"]["total_seconds"])
        r["holds"]["median"] = duration(r["holds"]["median_seconds"])
    return r


def csv_tables(r: Mapping[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every table of the (presented) report as (header, rows), keyed by the name used in ?table=."""

    def dim(rows):
        return (
            [_("Code"), _("Name"), _("Received"), _("Closed"), _("Open at week end")],
            [[x["code"], x["label"], x["received"], x["closed"], x["open"]] for x in rows],
        )

    sla = r["sla"]
    p = r["preventive"]
    h = r.get("holds") or {}
    extra: dict[str, tuple[list[str], list[list[Any]]]] = {}
    if "vulnerable" in r:
        v, o = r["vulnerable"]["vulnerable"], r["vulnerable"]["others"]
        extra["vulnerable_customers"] = (
            [_("Figure"), _("Vulnerable customers"), _("Other customers")],
            [
                [label, v[key], o[key]]
                for label, key in (
                    (_("Received"), "received"),
                    (_("Closed"), "closed"),
                    (_("Responses due"), "response_due"),
                    (_("Responded in time"), "response_met"),
                    (_("Response compliance %"), "response_pct"),
                    (_("Resolved in time"), "resolution_met"),
                    (_("Resolution compliance %"), "resolution_pct"),
                    (_("Satisfaction responses"), "responses"),
                    (_("Average satisfaction"), "average"),
                    (_("Dissatisfied %"), "dissatisfied_share"),
                )
            ],
        )
    if "redress" in r:
        header = [
            _("Code"),
            _("Name"),
            _("Offered"),
            _("Amount offered"),
            _("Accepted"),
            _("Declined"),
            _("Paid"),
            _("Amount paid"),
        ]

        def redress_table(rows):
            return (
                header,
                [
                    [
                        x["code"],
                        x["label"],
                        x["offered"],
                        x["offered_amount"],
                        x["accepted"],
                        x["declined"],
                        x["paid"],
                        x["paid_amount"],
                    ]
                    for x in rows
                ],
            )

        extra["redress_by_category"] = redress_table(r["redress"]["by_category"])
        extra["redress_by_root_cause"] = redress_table(r["redress"]["by_root_cause"])
    tables = {
        "by_channel": dim(r["by_channel"]),
        "by_category": dim(r["by_category"]),
        "by_severity": dim(r["by_severity"]),
        "by_tier": dim(r["by_tier"]),
        "root_causes": (
            [
                _("Code"),
                _("Root cause"),
                _("Count"),
                _("Share %"),
                _("Cumulative %"),
                _("Average of previous 4 weeks"),
                _("Change"),
                _("Weeks seen (of 5)"),
                _("Keeps coming back"),
            ],
            [
                [
                    c["code"],
                    c["label"],
                    c["count"],
                    c["share"],
                    c["cumulative_share"],
                    c["previous_average"],
                    c["change"],
                    c["weeks_seen"],
                    c["recurring"],
                ]
                for c in r["root_causes"]
            ],
        ),
        "departments": (
            [_("Code"), _("Department"), _("Count"), _("Share %")],
            [[d["code"], d["label"], d["count"], d["share"]] for d in r["departments"]],
        ),
        "service_levels": (
            [_("Figure"), _("Value")],
            [
                [_("Responses due"), sla["response_due"]],
                [_("Responded in time"), sla["response_met"]],
                [_("Response compliance %"), sla["response_pct"]],
                [_("Closed"), sla["resolution_due"]],
                [_("Resolved in time"), sla["resolution_met"]],
                [_("Resolution compliance %"), sla["resolution_pct"]],
                [_("Median time to respond (s)"), sla["median_respond_seconds"]],
                [_("Median time to resolve (s)"), sla["median_resolve_seconds"]],
                [_("Escalations"), r["escalations"]],
                [_("Closings"), r["closings"]],
                [_("Reopenings"), r["reopens"]],
                [_("Reopen rate %"), r["reopen_rate"]],
                [_("Repeat complaints"), r.get("repeats", {}).get("total")],
            ],
        ),
        "holds": (
            [_("Figure"), _("Value")],
            [
                [_("Put on hold"), h.get("started")],
                [_("Holds ended"), h.get("ended")],
                [_("Total time on hold (s)"), h.get("total_seconds")],
                [_("Median time on hold (s)"), h.get("median_seconds")],
                [_("Came back with no answer"), h.get("no_answer")],
                [_("On hold at week end"), h.get("on_hold_at_end")],
            ],
        ),
        # Per regime, then each of its clocks (reports stored before them have none).
        "outside_deadlines": (
            [
                _("Regime"),
                _("Outside deadline"),
                _("Due"),
                _("Met on time"),
                _("Met late"),
                _("Missed"),
                _("Still running"),
                _("On time %"),
            ],
            [
                [
                    regime["label"],
                    clock_label,
                    x["due"],
                    x["met_on_time"],
                    x["met_late"],
                    x["missed"],
                    x["running"],
                    x["met_pct"],
                ]
                for regime in r.get("outside_deadlines", [])
                for clock_label, x in [("", regime), *((clock["label"], clock) for clock in regime["clocks"])]
            ],
        ),
        "satisfaction": (
            [_("Score"), _("Count"), _("Share %")],
            [[d["score"], d["count"], d["share"]] for d in r["satisfaction"]["distribution"]],
        ),
        "satisfaction_by_resolution": (
            [_("Resolution"), _("Responses"), _("Average"), _("Dissatisfied %")],
            [
                [x["label"], x["responses"], x["average"], x["dissatisfied_share"]]
                for x in r["satisfaction"]["by_resolution"]
            ],
        ),
        "preventive_actions": (
            [_("Complaint"), _("Preventive action"), _("Department"), _("Due"), _("Status")],
            [
                [
                    a["complaint"],
                    a["description"],
                    a["department_label"],
                    report_moment(a["due_at"]),
                    a["status_label"],
                ]
                for a in p["actions"]
            ],
        ),
        "systemic_issues": (
            [_("Issue"), _("Status"), _("Owner"), _("Opened"), _("New this week"), _("Complaints")],
            [
                [
                    i["title"],
                    i["status_label"],
                    i["owner"],
                    report_moment(i["opened_at"]),
                    i["new"],
                    i["complaints"],
                ]
                for i in r["systemic_issues"]
            ],
        ),
        "fix_effect": (
            [
                _("Complaint"),
                _("Preventive action"),
                _("Root cause"),
                _("Done"),
                _("4 weeks before"),
                _("4 weeks after"),
                _("Weeks after so far"),
                _("Change"),
            ],
            [
                [
                    f["complaint"],
                    f["description"],
                    f["label"],
                    f["done_on"],
                    f["before"],
                    f["after"],
                    f["weeks_after"],
                    f["change"],
                ]
                for f in r["fix_effect"]
            ],
        ),
        "coaching": (
            [_("Team"), _("Coaching moments"), _("Phrase warnings")],
            [[c["label"], c["moments"], c["hits"]] for c in r["coaching"]],
        ),
        "trend": (
            [_("Week"), _("Received"), _("Closed")],
            [[t["week"], t["received"], t["closed"]] for t in r["trend"]],
        ),
    }
    return tables | extra


def present_brief(brief: Mapping[str, Any]) -> dict[str, Any]:
    """A stored report's brief for all staff, with labels in the current language."""
    b = copy.deepcopy(dict(brief))
    for row in b.get("top_causes", []):
        row["label"] = _pick(row)
    for action in b.get("actions", []):
        action["department_label"] = _pick(action, "department_")
    return b
