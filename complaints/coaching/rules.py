"""CLEAR guidance and the phrase coach. Pure functions over data.

The phrase coach warns and never blocks. Each rule is a set of regular expressions,
per language, over text that has been folded (NFKC so full-width letters and
punctuation match their ASCII forms; accents removed so "calmează-te" and
"calmeaza-te" are one; curly quotes straightened; lower case; spaces collapsed),
plus the reason and a better alternative.

The built-in RULES seed the editable list (complaints.models.AvoidPhrase, see
complaints.phrasebook) and are the fallback when that list is empty.
"""

# Long regular expressions and guidance sentences read better unbroken.
# ruff: noqa: E501

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import opencc
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Words shown to people: a translatable (lazy) string until it is read in a language.
Text = str | Promise


@dataclass(frozen=True)
class Rule:
    code: str
    patterns: dict  # language code -> tuple of regular expressions (over folded text)
    why: Text
    suggestion: Text
    compiled: tuple = field(default=(), compare=False, repr=False)

    def all_patterns(self):
        return tuple(p for group in self.patterns.values() for p in group)


@dataclass(frozen=True)
class Warning:
    phrase: str
    why: Text
    suggestion: Text
    rule: str

    def as_dict(self):
        data = asdict(self)
        return {key: str(value) for key, value in data.items()}


# Softeners people put in front of a refusal; they do not make it kinder.
_POLITE = r"(?:(?:i'?m |i am )?(?:afraid|sorry|unfortunately|well|look|listen)(?: that)?,? )*"
_SUBJ = r"(?:that'?s|that is|it'?s|it is|this is|those are|these are)"

RULES = (
    Rule(
        "pay_for",
        {
            "en": (
                r"\byou (?:only )?get what you pa(?:y|id) for\b",
                r"\bwhat did you expect for (?:that|this) price\b",
            ),
            "zh": (r"一分(?:钱|价钱)一分货", r"便宜没好货"),
            "ro": (
                r"\bprimesti (?:exact )?(?:cat|ce) (?:ai )?plat(?:esti|it)\b",
                r"\bcat (?:dai|platesti),? atat primesti\b",
            ),
        },
        _("It tells the customer the problem is their own fault for paying too little."),
        _("Acknowledge the problem and say what you will do about it."),
    ),
    Rule(
        "impossible",
        {
            "en": (
                _SUBJ + r"(?: just| simply| completely)? impossible\b(?! for (?:me|us) to)",
                r"^impossible\b",
                r"\b(?:that|this|it) (?:can'?t|cannot|could not|couldn'?t) (?:have )?happen(?:ed)?\b(?! again)(?! to you again)",
                r"\b(?:that|this) never happens\b",
            ),
            "zh": (r"(?<![会能让再也])(?:绝对?|根本)?不可能(?![再不让])",),
            "ro": (
                r"\b(?:e|este) imposibil\b(?! sa)",
                r"^imposibil\b",
                r"\b(?:asa ceva )?nu (?:are cum|se poate) sa se (?:fi )?intample\b",
                r"\basa ceva nu se intampla\b",
            ),
        },
        _("Denying what the customer experienced tells them they are not believed."),
        _('Say what you will check: "Let me look into exactly what happened."'),
    ),
    Rule(
        "not_my_business",
        {
            "en": (
                _SUBJ
                + r"(?: really| just| simply)? not my (?:business|problem|job|department|responsibility|fault)\b",
                r"^not my (?:business|problem|job)\b",
                r"\bnothing to do with me\b",
                r"(?:^|[,;:] ?|you(?: should| need to| have to| must| can| could|'ll have to| will have to) |go and |just )"
                r"(?:ask|contact|call|go to|talk to|complain to|take it up with) the (?:manufacturer|supplier|factory)\b",
            ),
            "zh": (
                r"不关我(?:的)?事",
                r"(?:这|那)?不是我的(?:事|问题|工作|责任)",
                r"(?<![帮替给])(?:你|您)(?:自己)?(?:去)?找(?:厂家|厂商|生产商|供应商)",
                r"^(?:去)?找(?:厂家|厂商|生产商)",
                r"(?:这|那)?不归我管",
                r"跟我(?:没|无)关",
            ),
            "ro": (
                r"\bnu(?: e| este|-i) (?:treaba|problema|vina|responsabilitatea|departamentul) mea\b",
                r"\bnu (?:e|este) (?:treaba|problema) noastra\b",
                r"\b(?:intrebati|intreaba|sunati|contactati|adresati-va|mergeti) (?:la )?producator(?:ul|ului)?\b",
            ),
        },
        _("Passing the buck leaves the customer with nobody who owns the problem."),
        _('Own it: "I will find the right person and get back to you by ..."'),
    ),
    Rule(
        "not_sure",
        {
            "en": (
                r"\bi'?m not (?:really |quite |too |very )?sure about (?:that|this|it)\b",
                r"\bi (?:don'?t|do not) (?:really )?know (?:about (?:that|this|it)|anything about (?:that|this|it))\b",
                r"\bi (?:have )?no idea\b",
            ),
            "zh": (r"(?:这个)?(?:问题)?我(?:也)?不(?:大|太|是很)清楚", r"我(?:也)?不知道(?:啊|呀|。|$)"),
            "ro": (
                r"\bnu sunt (?:prea |foarte )?sigur(?:a)? de (?:asta|asa ceva)\b",
                r"\bnu (?:am nicio idee|am idee|stiu nimic)\b",
            ),
        },
        _("A vague answer sounds like nobody is in charge of the customer's problem."),
        _('Promise a concrete answer: "I\'ll find out and call you back within 10 minutes."'),
    ),
    Rule(
        "never_said",
        {
            "en": (
                r"\bi (?:never|did not|didn'?t) (?:ever )?(?:said|say|tell you|told you) (?:that|so|anything like that)\b",
                r"\bthat'?s not what i said\b",
            ),
            "zh": (r"我(?:绝对|从来|根本)?(?:没有|没)(?:说过|讲过)(?:那种|这种|这样的|这)?(?:话)?",),
            "ro": (r"\b(?:n-am|nu am) spus (?:niciodata )?(?:asta|asa ceva)\b", r"\bnu asta am spus\b"),
        },
        _("Contradicting the customer turns the conversation into an argument."),
        _('Clarify politely: "I may not have explained that well; let me put it clearly."'),
    ),
    Rule(
        "cant_wont",
        {
            "en": (
                r"^"
                + _POLITE
                + r"(?:no,? )?i (?:can'?t|cannot|won'?t|will not)(?: do (?:that|it|this))?(?: for you)?[.!]*$",
                r"\bthere'?s nothing (?:i|we) can do\b",
                r"\bthere is nothing (?:i|we) can do\b",
            ),
            "zh": (
                r"^(?:我|这个我)(?:不会|不能|做不到|办不到|帮不了)(?:的)?[。!]*$",
                r"(?:我|我们)(?:也)?没(?:有)?办法",
            ),
            "ro": (
                r"^nu pot[.!]*$",
                r"\bnu (?:pot|putem) (?:sa )?face nimic\b",
                r"\bnu am ce (?:sa )?(?:va )?fac\b",
            ),
        },
        _("A flat refusal without an alternative closes the door on the customer."),
        _("Say what you can do instead."),
    ),
    Rule(
        "policy",
        {
            "en": (
                _POLITE
                + _SUBJ
                + r" (?:just |simply )?(?:our |the )?(?:company'?s? |store )?(?:policy|rules?)\b(?!\s*to\b)",
                r"\b(?:company )?policy (?:says|doesn'?t allow|does not allow|won'?t allow|forbids)\b",
                r"\brules are rules\b",
                r"\bi'?m (?:just )?following (?:the )?(?:rules|policy|procedure)\b",
            ),
            "zh": (
                r"(?:这|这是|那是)(?:我们)?公司(?:的)?(?:规定|政策|制度)",
                r"(?:规定|制度)就是(?:规定|制度|这样)",
                r"公司规定(?:不|没)",
            ),
            "ro": (
                r"\b(?:asta|aceasta|asa) (?:e|este) (?:politica|regula|regulamentul) (?:companiei|firmei|noastra|magazinului)\b",
                r"\b(?:e|este) politica (?:companiei|firmei)\b",
                r"\basa (?:e|este|sunt) (?:regula|regulile)\b",
                r"\bregulile sunt reguli\b",
            ),
        },
        _("Hiding behind rules sounds cold and shifts responsibility away from you."),
        _("Explain the reason and offer what is possible within it."),
    ),
    Rule(
        "calm_down",
        {
            "en": (
                r"\bcalm (?:yourself )?down\b",
                r"\bcool down\b",
                r"\bstop (?:being|getting) (?:so )?(?:emotional|upset|angry|hysterical)\b",
            ),
            "zh": (
                r"(?:你|您|请)(?:先)?冷静",
                r"^冷静(?:一下|一点|点)?[!。]*$",
                r"(?:别|不要)(?:这么)?(?:激动|生气)",
            ),
            "ro": (
                r"\bcalmea?za-?te\b",
                r"\bcalmati-?va\b",
                r"\blinisteste-?te\b",
                r"\bnu va (?:mai )?agitati\b",
            ),
        },
        _("Telling someone to calm down makes them feel dismissed."),
        _('Name the feeling instead: "I can hear how frustrating this has been."'),
    ),
    Rule(
        "raise_voice",
        {
            "en": (
                r"\b(?:don'?t|do not) (?:you )?(?:raise your voice|shout|yell|scream) at me\b",
                r"\bstop (?:shouting|yelling|screaming)\b",
                r"\blower your voice\b",
            ),
            "zh": (r"(?:别|不要|不许)(?:对我|跟我|冲我)?(?:大声(?:嚷嚷|说话)?|吼|喊|嚷)",),
            "ro": (
                r"\bnu (?:mai )?(?:tipati|urlati|ridicati tonul)\b",
                r"\bnu-mi ridicati tonul\b",
                r"\bnu tipa\b",
            ),
        },
        _("It makes the conversation about you rather than the customer's problem."),
        _("Set a limit calmly: \"I want to help; if we can't talk calmly now, let's set another time.\""),
    ),
    Rule(
        "confused",
        {
            "en": (
                r"\byou (?:must|probably|surely|obviously|clearly) (?:have )?(?:confused|mixed up|misunderstood|misread|got (?:it|that|something) wrong)\b",
                r"\byou'?re (?:confused|mistaken|confusing (?:it|something))\b",
                r"\byou are (?:confused|mistaken)\b",
            ),
            "zh": (r"(?<![帮替])(?:你|您)(?:一定|肯定|可能|应该)?(?:是)?(?:搞错|弄错|记错|看错|误会)了?",),
            "ro": (
                r"\b(?:probabil|sigur) (?:ati|ai) (?:incurcat|confundat|inteles gresit)\b",
                r"\b(?:ati|ai) (?:incurcat|confundat) ceva\b",
                r"\bv-ati (?:incurcat|inselat)\b",
            ),
        },
        _("It blames the customer."),
        _('Check together: "Let\'s go through what happened step by step."'),
    ),
    Rule(
        "too_busy",
        {
            "en": (
                r"\b(?:we'?re|we are|i'?m|i am) (?:too|very|really|so|extremely) busy\b",
                r"\bi (?:don'?t|do not) have time for (?:this|that|you)\b",
                r"\bno time for (?:this|that)\b",
            ),
            "zh": (r"我们?(?:现在)?(?:太|很|非常|特别)忙", r"没(?:有)?(?:时间|空)(?:处理|管|理)"),
            "ro": (
                r"\b(?:suntem|sunt) (?:prea |foarte )?ocupat(?:i|a)?\b",
                r"\b(?:n-am|nu am|nu avem) timp (?:de|pentru)\b",
            ),
        },
        _("Excuses tell the customer they are not a priority."),
        _('Give a time: "I can give this my full attention at 15:00; may I call you then?"'),
    ),
    Rule(
        "sorry_but",
        {
            "en": (r"\b(?:sorry|apologi[sz]e|apologies|i regret)\b[^.!?]{0,60}?\b(?:but|however)\b",),
            "zh": (r"(?:对不起|抱歉|不好意思|很遗憾)[^。!?]{0,20}?(?:但是|可是|不过|但)",),
            "ro": (
                r"\b(?:imi pare rau|ne pare rau|scuze|scuzati|ne cerem scuze|imi cer scuze)\b[^.!?]{0,60}?\b(?:dar|insa|totusi)\b",
            ),
        },
        _('"But" after an apology takes the apology back.'),
        _("Apologise fully, then start a new sentence with what you will do."),
    ),
)


@functools.cache
def _to_simplified() -> opencc.OpenCC:
    """OpenCC's Traditional -> Simplified conversion (phrases as well as characters)."""
    return opencc.OpenCC("t2s")


def _one_script(text: str) -> str:
    """Traditional Chinese in Simplified characters, so that a rule written in either script
    catches both; text without Han characters is returned as it is."""
    if not any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text):
        return text
    return _to_simplified().convert(text)


def fold(text: str | None) -> str:
    """Normalise text for matching: one Chinese script, full-width forms, accents, curly
    quotes, case and spacing."""
    text = _one_script(unicodedata.normalize("NFKC", text or ""))
    # Drop combining marks (ă, ș, ţ, î ...); Han characters have none, so Chinese is untouched.
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u3001", ",")  # the ideographic comma
    text = re.sub(r"[ \t]+", " ", text)
    return text.lower().strip()


def _fold_pattern(pattern):
    """Fold a pattern like the text it runs over, leaving its case (and so its escapes) alone."""
    pattern = _one_script(unicodedata.normalize("NFKC", pattern))
    pattern = "".join(ch for ch in unicodedata.normalize("NFD", pattern) if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", pattern).replace("\u2019", "'").replace("\u2018", "'")


def phrase_to_pattern(phrase: str) -> str | None:
    """A plain phrase typed by an administrator, as a pattern tolerant of spacing and punctuation."""
    words = re.findall(r"\w+", fold(phrase))
    if not words:
        return None
    body = r"[\s,;:!.\-]*".join(re.escape(w) for w in words)
    start = r"\b" if words[0][0].isascii() else ""
    end = r"\b" if words[-1][-1].isascii() else ""
    return start + body + end


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a regular expression to run over folded text (raises re.error if invalid)."""
    return re.compile(_fold_pattern(pattern), re.IGNORECASE)


def compile_rule(rule: Rule) -> Rule:
    """The rule with its patterns compiled over folded text; bad patterns are skipped."""
    compiled = []
    for pattern in rule.all_patterns():
        try:
            compiled.append(compile_pattern(pattern))
        except re.error:
            continue
    return Rule(rule.code, rule.patterns, rule.why, rule.suggestion, tuple(compiled))


COMPILED_RULES = tuple(compile_rule(rule) for rule in RULES)


def _sentences(text):
    return [part.strip() for part in re.split(r"(?<=[.!?。！？;])\s*|\n+", text) if part.strip()]


def check_text(text: str | None, rules: Iterable[Rule] | None = None) -> list[Warning]:
    """Return a Warning for each rule the text trips, once per rule, in rule order.

    `rules` defaults to the built-in list; pass complaints.phrasebook.active_rules()
    for the list administrators edit.
    """
    folded = fold(text)
    if not folded:
        return []
    rules = COMPILED_RULES if rules is None else rules
    sentences = _sentences(folded)
    warnings = []
    for rule in rules:
        patterns = rule.compiled or compile_rule(rule).compiled
        for sentence in sentences:
            match = next((m for p in patterns if (m := p.search(sentence))), None)
            if match:
                warnings.append(Warning(match.group(0).strip(" ,"), rule.why, rule.suggestion, rule.code))
                break
    return warnings


def check_fields(
    data: Mapping[str, Any], field_names: Iterable[str], rules: Iterable[Rule] | None = None
) -> list[dict[str, str]]:
    """Check each customer-facing field of `data`; a warning records which field tripped it."""
    found = []
    for name in field_names:
        for warning in check_text(str(data.get(name) or ""), rules):
            found.append({**warning.as_dict(), "field": name})
    return found


# --- CLEAR guidance shown beside each stage's form ---------------------------------


@dataclass(frozen=True)
class Guidance:
    letter: str
    goal: Text
    principle: Text
    techniques: tuple
    phrases: tuple


GUIDANCE = {
    "control": Guidance(
        "C",
        _("Master your own reaction before you handle theirs."),
        _("The customer may be wrong about the facts, but they are always entitled to complain."),
        (
            _("Take a slow breath before you answer; keep sighs out of your voice."),
            _("Weigh how serious this really is: a minor annoyance or a major failure?"),
            _("The anger is about the situation, not about you personally."),
            _("If you need time, make a concrete promise with a time, and keep it."),
        ),
        (
            _("Thank you for telling us. I'm going to help you with this."),
            _("Let me look into it properly; I will call you back within 10 minutes."),
        ),
    ),
    "listen": Guidance(
        "L",
        _("Find the real problem, what the customer wants and how they feel."),
        _("Listen to understand, not to prepare your answer."),
        (
            _("Don't interrupt; let them vent. When they start repeating themselves, gently take the lead."),
            _("Ask one or two factual questions (their name, when it happened), then use their name."),
            _("Notice the tone and volume; they tell you how urgent it feels."),
            _("Clarify politely: ask, don't correct."),
        ),
        (
            _("May I have your name, please? Thank you, Ms Chen."),
            _("When did you first notice the problem?"),
            _("What would put this right for you?"),
        ),
    ),
    "establish": Guidance(
        "E",
        _("Show the customer that you understand their situation."),
        _("Empathy means seeing it from their side; it does not mean getting swept up in their anger."),
        (
            _("Restate what happened in your own words and ask whether you got it right."),
            _("Name the feeling you heard: worried, let down, out of pocket."),
            _('Never a bare "I understand": say what it is you understand.'),
        ),
        (
            _(
                "So the fridge arrived with a cracked door on Monday and nobody called you back. Is that right?"
            ),
            _("I can hear how let down you feel after waiting all week."),
        ),
    ),
    "apologize": Guidance(
        "A",
        _("Calm the emotions on both sides."),
        _("Apologise sincerely, and never shift the blame, not even onto a colleague."),
        (
            _("Apologise for the situation and its effect, without admitting a specific fault."),
            _("An apology is right even when the customer is mistaken."),
            _('No "sorry, but": end the apology there and start a new sentence.'),
        ),
        (
            _("I'm sorry this has caused you so much trouble."),
            _("I'm sorry you had to call us twice about this."),
        ),
    ),
    "resolve": Guidance(
        "R",
        _("Fix this complaint and stop the next one from happening."),
        _("A quick remedy now, plus a change that prevents it next time."),
        (
            _(
                "Offer options that fit what the customer told you (if they work until 18:00, don't offer 14:00)."
            ),
            _("Or ask what they would like; agree on it."),
            _("Sum up who does what and by when, and check they agree."),
            _("Record the cause and the preventive action, and thank the customer."),
        ),
        (
            _("I can send a replacement tomorrow morning, or refund you today. Which suits you better?"),
            _("To sum up: I will ..., and you will hear from us by Friday. Does that work for you?"),
            _("Thank you for telling us; it helps us fix this for everyone."),
        ),
    ),
    "closed": Guidance(
        "✓",
        _("Make sure the complaint really was resolved."),
        _("A complaint handled quickly and well is how customers decide to stay."),
        (
            _("Follow up and ask how satisfied the customer is; a low score deserves another look."),
            _("Share what you learned with the team so it does not happen again."),
        ),
        (_("We changed how we pack fragile items after your call. Are you happy with how we handled it?"),),
    ),
}


def guidance_for(stage: str) -> Guidance | None:
    """The coaching for a stage (CLEAR letter, goal, principle, techniques, example phrases)."""
    return GUIDANCE.get(stage)
