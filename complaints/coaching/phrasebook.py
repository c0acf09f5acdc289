"""The phrase coach's rules as administrators configured them (complaints.models.AvoidPhrase).

Costs one query per check. A data migration seeds the list from the built-in rules
(complaints.coaching.RULES); if the table has no rows at all (a flushed test database)
the built-in rules apply. Deactivating every row switches the coach off.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from ..models import AvoidPhrase
from ..wording import localised
from . import rules as coaching

_BUILT_IN = {rule.code: rule for rule in coaching.RULES}


class DatabaseRules(tuple):
    """A tuple of coaching.Rule that remembers it came from the database."""


def active_rules() -> tuple[coaching.Rule, ...]:
    """The active rules from the phrase list; the built-in rules if the list has no rows at all."""
    rows = list(AvoidPhrase.objects.order_by("rule", "id").values())
    if not rows:
        return coaching.COMPILED_RULES
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        if row["is_active"]:
            grouped.setdefault(row["rule"], []).append(row)
    order = [rule.code for rule in coaching.RULES]
    codes = sorted(grouped, key=lambda code: (order.index(code) if code in order else len(order), code))
    rules = []
    for code in codes:
        group = grouped[code]
        built_in = _BUILT_IN.get(code)
        text_row = next((r for r in group if r["why"] and r["suggestion"]), None)
        if text_row:
            why = localised(text_row["why"], text_row["why_zh"])
            suggestion = localised(text_row["suggestion"], text_row["suggestion_zh"])
        elif built_in:
            why, suggestion = built_in.why, built_in.suggestion
        else:
            continue  # cannot happen through the admin (AvoidPhrase.clean), but never crash a check
        patterns: dict[str, list[str]] = {}
        for entry in group:
            pattern = entry["pattern"] if entry["is_regex"] else coaching.phrase_to_pattern(entry["pattern"])
            if pattern:
                patterns.setdefault(entry["language"], []).append(pattern)
        rule = coaching.Rule(code, {lang: tuple(p) for lang, p in patterns.items()}, why, suggestion)
        rules.append(coaching.compile_rule(rule))
    return DatabaseRules(rules)


def is_from_database(rules: Sequence[coaching.Rule]) -> bool:
    return isinstance(rules, DatabaseRules)


def check_text(text: str | None) -> list[coaching.Warning]:
    """coaching.check_text with the configured list."""
    return coaching.check_text(text, active_rules())
