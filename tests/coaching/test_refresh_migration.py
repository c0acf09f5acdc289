"""Migration 0027 brings the seeded phrase list in line with the built-in rules and leaves
what administrators added or switched off alone."""

import importlib

import pytest
from django.apps import apps

from complaints.coaching import rules as coaching
from complaints.models import AvoidPhrase

seed = importlib.import_module("complaints.migrations.0011_seed_avoid_phrases")
refresh = importlib.import_module("complaints.migrations.0027_refresh_avoid_phrases")

BUILT_IN = {(r.code, lang, p) for r in coaching.RULES for lang, group in r.patterns.items() for p in group}


def rows():
    return set(AvoidPhrase.objects.values_list("rule", "language", "pattern"))


@pytest.mark.django_db
def test_the_migrated_list_holds_exactly_the_built_in_patterns():
    assert rows() == BUILT_IN
    assert AvoidPhrase.objects.filter(is_active=False).count() == 0


@pytest.mark.django_db
def test_reverse_restores_the_0011_list_and_forward_comes_back():
    refresh.restore(apps, None)
    assert rows() == set(seed.PHRASES)
    refresh.refresh(apps, None)
    assert rows() == BUILT_IN


@pytest.mark.django_db
def test_rows_administrators_added_or_switched_off_are_respected():
    refresh.restore(apps, None)
    mine = AvoidPhrase.objects.create(rule="calm_down", language="en", pattern="chill out")
    # An administrator's own regular expression that happens to equal a dropped seed of another rule.
    dropped_rule, language, pattern = refresh.DROPPED[0]
    theirs = AvoidPhrase.objects.create(
        rule="my-rule", language=language, pattern=pattern, is_regex=True, why="x", suggestion="y"
    )
    AvoidPhrase.objects.filter(rule="sorry_but").update(is_active=False)

    refresh.refresh(apps, None)

    assert AvoidPhrase.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2
    assert not AvoidPhrase.objects.filter(rule=dropped_rule, language=language, pattern=pattern).exists()
    assert rows() - {("calm_down", "en", "chill out"), ("my-rule", language, pattern)} == BUILT_IN
    sorry_but = AvoidPhrase.objects.filter(rule="sorry_but")
    assert sorry_but.exists() and not sorry_but.filter(is_active=True).exists()
    assert AvoidPhrase.objects.filter(rule="blame", is_active=True).exists()


@pytest.mark.django_db
def test_a_coach_switched_off_stays_off():
    refresh.restore(apps, None)
    AvoidPhrase.objects.update(is_active=False)
    refresh.refresh(apps, None)
    assert rows() == BUILT_IN
    assert not AvoidPhrase.objects.filter(is_active=True).exists()
