"""Traditional Chinese is folded to one script before matching (OpenCC), so every rule
written in Simplified catches its Traditional form, and a rule may be written in either."""

import pytest

from complaints.coaching import phrasebook, rules
from complaints.models import AvoidPhrase

# The Traditional sentences that passed the coach unflagged before.
TRADITIONAL_HARMFUL = [
    ("這是公司規定，我也沒辦法。", "policy"),
    ("請您冷靜一下。", "calm_down"),
    ("您先別激動。", "calm_down"),
    ("對不起，但是這不是我們的問題。", None),
    ("這不歸我管。", "not_my_business"),
]

TRADITIONAL_GOOD = [
    "我理解這不是您期望的結果，我來幫您處理。",
    "非常抱歉給您添麻煩了，我們今天就為您寄出新的。",
    "謝謝您告訴我們，這能幫我們把服務做得更好。",
    "我們的規定是為了保護您，我來幫您申請例外。",
]


@pytest.mark.parametrize(("sentence", "code"), TRADITIONAL_HARMFUL)
def test_each_traditional_sentence_is_flagged_like_its_simplified_form(sentence, code):
    warnings = rules.check_text(sentence)
    assert warnings, sentence
    simplified = rules.check_text(rules._to_simplified().convert(sentence))
    assert [w.rule for w in warnings] == [w.rule for w in simplified]
    if code:
        assert any(w.rule.startswith(code) or code in w.rule for w in warnings), [w.rule for w in warnings]


@pytest.mark.parametrize("sentence", TRADITIONAL_GOOD)
def test_good_traditional_sentences_are_left_alone(sentence):
    assert rules.check_text(sentence) == []


def test_folding_leaves_latin_text_and_simplified_text_as_they_are():
    assert rules.fold("Vă rog să vă calmați") == "va rog sa va calmati"
    assert rules.fold("这是公司规定") == "这是公司规定"
    assert rules.fold("這是公司規定") == "这是公司规定"


@pytest.mark.django_db
def test_a_phrase_written_in_the_admin_in_either_script_catches_both():
    for rule, pattern in (("shifts-blame", "這個我們不負責"), ("blames-customer", "你们自己看说明书")):
        AvoidPhrase.objects.create(
            rule=rule, language="zh", pattern=pattern, why="It hurts.", suggestion="Say what you will do."
        )
    # Each administrator's rule fires on the text in the other script (built-in rules may fire too).
    caught = {
        w.rule: w.phrase
        for text in ("这个我们不负责。", "你們自己看說明書吧。")
        for w in phrasebook.check_text(text)
    }
    assert caught.get("shifts-blame") == "这个我们不负责", caught
    assert caught.get("blames-customer") == "你们自己看说明书", caught
