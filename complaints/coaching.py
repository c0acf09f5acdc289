"""The phrase coach: spots wording that makes an upset customer angrier. Pure functions.

It warns and never blocks. Each rule is a set of regular expressions over text that
has been folded (NFKC, so full-width letters and punctuation match their ASCII forms;
lower case; runs of spaces collapsed), plus the reason and a better alternative.
"""

import re
import unicodedata
from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    code: str
    patterns: tuple
    why: str
    suggestion: str


@dataclass(frozen=True)
class Warning:
    phrase: str
    why: str
    suggestion: str
    rule: str

    def as_dict(self):
        data = asdict(self)
        return {key: str(value) for key, value in data.items()}


_POLITE = r"(?:i'?m afraid |sorry,? |unfortunately,? |well,? )?"

RULES = (
    Rule(
        "pay_for",
        (r"\byou get what you pay for\b", r"一分钱一分货", r"primești cât plătești"),
        _("It tells the customer the problem is their own fault for paying too little."),
        _("Acknowledge the problem and say what you will do about it."),
    ),
    Rule(
        "impossible",
        (
            r"\b(?:that'?s|that is|it'?s|it is) impossible\b",
            r"\bthat can'?t (?:have )?happen(?:ed)?\b",
            r"(?<![会能让再])(?:绝)?不可能(?:发生)?(?:这种事|的事|吧|啊|！|!|。|$)",
            r"\be imposibil\b",
        ),
        _("Denying what the customer experienced tells them they are not believed."),
        _('Say what you will check: "Let me look into exactly what happened."'),
    ),
    Rule(
        "not_my_business",
        (
            r"\b(?:that'?s|that is|it'?s|it is) not my (?:business|problem|job|department)\b",
            r"\bnot my (?:business|problem|job)\b",
            r"\bask the manufacturer\b",
            r"不关我的事|不是我的(?:事|问题|工作)|去找厂家",
            r"\bnu e treaba mea\b",
        ),
        _("Passing the buck leaves the customer with nobody who owns the problem."),
        _('Own it: "I will find the right person and get back to you by ..."'),
    ),
    Rule(
        "not_sure",
        (
            r"\bi'?m not (?:really )?sure about (?:that|this)\b",
            r"这个问题我不(?:大|太)清楚",
            r"\bnu sunt sigur\b",
        ),
        _("A vague answer sounds like nobody is in charge of the customer's problem."),
        _('Promise a concrete answer: "I\'ll find out and call you back within 10 minutes."'),
    ),
    Rule(
        "never_said",
        (r"\bi never said (?:that|so)\b", r"我(?:绝对)?没有?说过(?:那种|这种)?话", r"\bn-am spus asta\b"),
        _("Contradicting the customer turns the conversation into an argument."),
        _('Clarify politely: "I may not have explained that well; let me put it clearly."'),
    ),
    Rule(
        "cant_wont",
        (
            r"^" + _POLITE + r"i (?:can'?t|cannot|won'?t)\.?$",
            r"\bi (?:can'?t|won'?t) do (?:that|it)\b",
            r"^我不会[。！!]?$",
        ),
        _("A flat refusal without an alternative closes the door on the customer."),
        _("Say what you can do instead."),
    ),
    Rule(
        "policy",
        (
            _POLITE + r"(?:that'?s|that is|it'?s|it is) (?:our |the )?(?:company )?(?:policy|the rules)\b",
            r"这是公司的?规定",
            r"\b(?:asta )?e politica (?:companiei|firmei)\b",
        ),
        _("Hiding behind rules sounds cold and shifts responsibility away from you."),
        _("Explain the reason and offer what is possible within it."),
    ),
    Rule(
        "calm_down",
        (r"\bcalm down\b", r"\bcalmea?z[aă]-te\b", r"\bcalmeaza-te\b", r"冷静(?:一点|点)?[!！]?$|你冷静"),
        _("Telling someone to calm down makes them feel dismissed."),
        _('Name the feeling instead: "I can hear how frustrating this has been."'),
    ),
    Rule(
        "raise_voice",
        (r"\bdon'?t (?:raise your voice|shout|yell) at me\b", r"别(?:对我)?(?:大声|吼|喊)"),
        _("It makes the conversation about you rather than the customer's problem."),
        _("Set a limit calmly: \"I want to help; if we can't talk calmly now, let's set another time.\""),
    ),
    Rule(
        "confused",
        (
            r"\byou must have (?:confused|mixed up|misunderstood)\b",
            r"你(?:一定|肯定)(?:是)?(?:搞错|弄错|记错)",
        ),
        _("It blames the customer."),
        _('Check together: "Let\'s go through what happened step by step."'),
    ),
    Rule(
        "too_busy",
        (
            r"\bwe'?re (?:too|very|really) busy\b",
            r"\bwe are (?:too|very|really) busy\b",
            r"我们(?:太|很|现在很)忙",
        ),
        _("Excuses tell the customer they are not a priority."),
        _('Give a time: "I can give this my full attention at 15:00; may I call you then?"'),
    ),
    Rule(
        "sorry_but",
        (
            r"\b(?:i'?m |we'?re |i am |we are )?(?:so |very |really |truly )?sorry\b"
            r"[^.!?]{0,40}?,?\s*\bbut\b",
            r"\bi apologi[sz]e\b[^.!?]{0,40}?,?\s*\bbut\b",
            r"(?:对不起|抱歉|不好意思)[，,]?\s*(?:但是|可是|不过)",
            r"\b(?:îmi pare rău|imi pare rau|scuze)\b[^.!?]{0,40}?,?\s*\b(?:dar|însă|insa)\b",
        ),
        _('"But" after an apology takes the apology back.'),
        _("Apologise fully, then start a new sentence with what you will do."),
    ),
)

_COMPILED = tuple(
    (rule, tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in rule.patterns)) for rule in RULES
)


def fold(text):
    """Normalise text for matching: full-width forms, curly quotes, case and spacing."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[ \t]+", " ", text)
    return text.lower().strip()


def _sentences(text):
    return [part.strip() for part in re.split(r"(?<=[.!?。！？])\s*|\n+", text) if part.strip()]


def check_text(text):
    """Return a Warning for each rule the text trips, once per rule, in rule order."""
    folded = fold(text)
    if not folded:
        return []
    warnings = []
    for rule, patterns in _COMPILED:
        for sentence in _sentences(folded):
            match = next((m for p in patterns if (m := p.search(sentence))), None)
            if match:
                warnings.append(Warning(match.group(0).strip(), rule.why, rule.suggestion, rule.code))
                break
    return warnings


def check_fields(data, field_names):
    """Check each customer-facing field of `data`; a warning records which field tripped it."""
    found = []
    for name in field_names:
        for warning in check_text(str(data.get(name) or "")):
            found.append({**warning.as_dict(), "field": name})
    return found
