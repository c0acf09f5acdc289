"""The phrase coach against a labelled example set in English, Chinese and Romanian."""

import pytest

from complaints.coaching import phrasebook
from complaints.coaching import rules as coaching

from .examples import CHINESE, ENGLISH, ROMANIAN

SETS = {"en": ENGLISH, "zh": CHINESE, "ro": ROMANIAN}


def score(examples, rules=None):
    tp = fp = fn = 0
    misses = []
    for text, bad in examples:
        warned = bool(coaching.check_text(text, rules))
        tp += warned and bad
        fp += warned and not bad
        fn += bad and not warned
        if warned != bad:
            misses.append(text)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, misses


@pytest.mark.parametrize("language", SETS)
def test_example_set_is_big_and_balanced_enough(language):
    examples = SETS[language]
    assert len(examples) >= 40
    assert sum(bad for _, bad in examples) >= 15
    assert sum(not bad for _, bad in examples) >= 15


@pytest.mark.parametrize("language", SETS)
def test_built_in_rules_reach_precision_and_recall_of_0_9(language, capsys):
    precision, recall, misses = score(SETS[language])
    with capsys.disabled():
        n = len(SETS[language])
        print(f"\nphrase coach [{language}] n={n} precision={precision:.3f} recall={recall:.3f}")
    figures = f"{language}: P={precision:.3f} R={recall:.3f} misses={misses}"
    assert precision >= 0.9 and recall >= 0.9, figures


@pytest.mark.django_db
@pytest.mark.parametrize("language", SETS)
def test_seeded_phrase_list_scores_like_the_built_in_rules(language):
    """The data migration copies the built-in rules, so the editable list starts equally good."""
    rules = phrasebook.active_rules()
    assert phrasebook.is_from_database(rules)
    assert score(SETS[language], rules)[:2] == score(SETS[language])[:2]
