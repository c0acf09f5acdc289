"""The phrase coach against a labelled set in English, Simplified and Traditional Chinese and
Romanian (tests/coaching/labelled.py), scored per language."""

import pytest

from complaints.coaching import phrasebook
from complaints.coaching import rules as coaching

from .labelled import KINDS, REQUIRED_KINDS, SETS


def score(examples, rules=None):
    """(precision, recall, misses): misses lists the missed harmful sentences with their kind
    and the good sentences that were flagged with the rules they tripped."""
    tp = fp = fn = 0
    misses = []
    for text, kind in examples:
        warned = coaching.check_text(text, rules)
        tp += bool(warned) and kind is not None
        fp += bool(warned) and kind is None
        fn += not warned and kind is not None
        if kind is not None and not warned:
            misses.append(f"missed [{kind}]: {text}")
        elif kind is None and warned:
            misses.append(f"flagged good {[w.rule for w in warned]}: {text}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, misses


def test_the_set_is_big_and_balanced():
    assert sum(len(examples) for examples in SETS.values()) >= 300
    for language, examples in SETS.items():
        assert len(examples) >= 60, language
        harmful = sum(kind is not None for _, kind in examples)
        assert 0.4 <= harmful / len(examples) <= 0.6, (language, harmful, len(examples))
        kinds = {kind for _, kind in examples}
        assert set(REQUIRED_KINDS) <= kinds, (language, set(REQUIRED_KINDS) - kinds)
        assert kinds - {None} <= set(KINDS), language
        texts = [text for text, _ in examples]
        assert len(texts) == len(set(texts)), language


@pytest.mark.parametrize("language", SETS)
def test_built_in_rules_reach_precision_and_recall_of_0_95(language, capsys):
    precision, recall, misses = score(SETS[language])
    with capsys.disabled():
        n = len(SETS[language])
        print(f"\nphrase coach [{language}] n={n} precision={precision:.3f} recall={recall:.3f}")
    figures = f"{language}: P={precision:.3f} R={recall:.3f}\n" + "\n".join(misses)
    assert precision >= 0.95 and recall >= 0.95, figures


@pytest.mark.django_db
@pytest.mark.parametrize("language", SETS)
def test_seeded_phrase_list_scores_like_the_built_in_rules(language):
    """The data migrations copy the built-in rules, so the editable list starts equally good."""
    rules = phrasebook.active_rules()
    assert phrasebook.is_from_database(rules)
    assert score(SETS[language], rules) == score(SETS[language])
