"""The coach checks long texts in one pass: its patterns are compiled once and have no
nested unbounded quantifiers, so no input makes a pattern backtrack catastrophically."""

import re

import pytest

from complaints.coaching import rules as coaching

# A group holding a * or + that is itself repeated without bound: (a+)+, (?:x*y)*, (\w+ )+ ...
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*(?<!\\)[*+](?:[^()\\]|\\.)*\)(?:[*+]|\{\d*,\})")


def test_built_in_patterns_are_compiled_once():
    for rule in coaching.COMPILED_RULES:
        assert len(rule.compiled) == len(rule.all_patterns()), rule.code


def test_the_nested_quantifier_check_catches_a_bomb():
    assert _NESTED.search(r"(a+)+b") and _NESTED.search(r"(?:\w+ )*x") and _NESTED.search(r"(x*y){2,}")
    assert not _NESTED.search(r"(?:\w+ ){1,3}?properly") and not _NESTED.search(r"(?:sorry|but)+")


@pytest.mark.parametrize("rule", coaching.RULES, ids=lambda rule: rule.code)
def test_no_built_in_pattern_nests_unbounded_quantifiers(rule):
    assert [p for p in rule.all_patterns() if _NESTED.search(p)] == []


@pytest.mark.parametrize(
    "text",
    [
        "sorry " * 2000 + "but",
        "I'm sorry, " * 500 + "but that's company policy",
        "对不起" * 1700 + "但是",
        "不" * 5000,
        "you " * 1250,
        "îmi pare rău " * 400 + "dar",
        "a" * 5000 + "!",
    ],
    ids=["sorry-but", "polite-policy", "zh-sorry", "zh-not", "you", "ro-sorry", "one-word"],
)
def test_a_long_pathological_text_is_checked(text):
    """Each returns within the call; a pattern with nested quantifiers would hang here."""
    assert len(text) >= 2000
    warnings = coaching.check_text(text)
    assert isinstance(warnings, list)


def test_a_long_text_still_finds_its_phrase():
    text = "sorry " * 2000 + "but"
    assert "sorry_but" in [w.rule for w in coaching.check_text(text)]
    assert "calm_down" in [w.rule for w in coaching.check_text("Thank you. " * 450 + "Please calm down.")]
