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
        "blame",
        {
            "en": (
                r"\byou (?:\w+ )?(?:have )?(?:used|installed|set up|connected|assembled|washed|charged|handled|stored|fitted|operated|plugged in) (?:it|them|this|that|the \w+)(?: the)? (?:wrong(?:ly)?|incorrectly|improperly|wrong way|the wrong way)\b",
                r"\byou(?:'re| are) (?:using|installing|doing|holding|handling|charging|setting up|connecting) (?:it|this|that|them)(?: up)? (?:wrong(?:ly)?|incorrectly|improperly|the wrong way)\b",
                r"\byou should(?:'ve| have) (?:read|checked|followed|looked at) (?:the )?(?:manual|instructions|guide|label|terms|small print|leaflet)\b",
                r"\bif you(?:'d| had) (?:read|followed|checked|looked at|listened to) (?:the )?(?:manual|instructions|guide|label|terms|leaflet)\b",
                r"(?<!saying )(?<!say )(?<!think )(?<!mean )\b(?:that'?s|it'?s|that is|it is|this is|it was|that was)(?: all| entirely| completely| really| totally)? (?:your (?:own )?(?:fault|problem|responsibility)|on you)\b",
                r"\byou (?:didn'?t|did not|never) (?:read|follow|check|look at) (?:the )?(?:manual|instructions|guide|label|terms|leaflet)\b",
                r"^(?:just |please |maybe |next time,? )*(?:read|check|follow) the (?:manual|instructions|leaflet)(?: next time| first| properly| again)?[.!]*$",
                r"\byou (?:must|probably|obviously|clearly|surely) (?:have )?(?:dropped|damaged|broke|broken|overloaded|misused|knocked|done something to)\b",
                r"\b(?:user error|misuse|improper use|incorrect use)\b",
                r"\bthat'?s what happens (?:when|if) you\b",
                r"\b(?:did|have) you (?:even|actually|ever) (?:read|looked at|look at|checked|check)\b",
                r"\byou (?:didn'?t|did not|never|haven'?t|have not) (?!get\b|receive\b|have\b|deserve\b)(?:\w+ ){1,3}?(?:properly|correctly)\b",
            ),
            "zh": (
                r"(?<!不是)(?<!并不是)(?:您|你)(?:自己)?(?:的)?(?:使用|操作|用法|安装|保管|保养)(?:方法|方式)?(?:不当|不对|不正确|有误|错误|有问题|出了问题)",
                r"(?<!不是)(?:您|你)(?:肯定|一定|可能|应该)?(?:是)?(?:用|装|操作|按|插|接|设置|放)错(?:了|方法)?",
                r"(?:您|你)(?:自己)?(?:是不是)?(?:没有?|不)(?:按照?|照着?|看|仔细看|读|遵守|遵照)(?:说明书|说明|使用说明|要求|步骤|指示)",
                r"(?:应该|要|得)(?:先)?(?:仔细|好好)?(?:看|读|阅读)(?:一下|一遍)?(?:说明书|说明)",
                r"说明书上(?:都|已经)?(?:有|写)",
                r"(?:您|你)(?:都)?没(?:有)?看(?:说明书)?吗",
                r"(?<!不)是(?:您|你)(?:自己)?的(?:错|问题|责任)",
                r"(?<!不是)(?:您|你)自己的(?:错|问题|责任)",
                r"(?<!不是)(?<!不)(?:您|你)(?:自己)?(?:摔|弄|搞|用|碰|撞|泡)坏(?:的|了)",
                r"(?<!不是)(?<!非)人为(?:损坏|损伤|造成|原因)",
                r"(?<![不能别难])怪(?:您|你)",
                r"谁让(?:您|你)",
                r"(?:您|你)(?:这是|这|是)?自己(?:没有?|不)(?:注意|小心|仔细|看清)",
                r"(?:您|你)(?:是不是)?(?:没有?|忘了)(?:先)?(?:充电|充满电|插好|插电|装好|检查|注意|看清楚|按(?:照)?说明)",
            ),
            "ro": (
                r"(?<!nu )\b(?:e|este|a fost)(?: numai| doar| in totalitate)? vina (?:dumneavoastra|dvs|voastra|ta|clientului)\b",
                r"(?<!nu )\bdin vina (?:dumneavoastra|dvs|voastra|ta)\b",
                r"(?<!nu )(?<!n-)\b(?:l-|o-|le-|i-)?(?:ati|ai) (?:folosit|utilizat|montat|instalat|conectat|spalat|incarcat|manevrat|asamblat)(?:-o|-l|-le|-i)?(?: \w+)? (?:gresit|incorect|necorespunzator|prost)\b",
                r"\btrebuia sa (?:cititi|citesti|verificati|verifici|respectati|urmati|fiti (?:mai )?atent)",
                r"\b(?:nu |n-)(?:ati|ai) (?:citit|respectat|urmat)\b",
                r"\b(?:probabil|sigur|clar) (?:l-|o-|le-)?(?:ati|ai) (?:scapat|lovit|stricat|udat|fortat|trantit)\b",
                r"\b(?:utilizare|folosire|utilizarii|folosirii)a? (?:incorecta|gresita|necorespunzatoare)\b",
                r"\bmacar (?:ati|ai) citit\b",
                r"\b(?:ati|ai) citit macar\b",
            ),
        },
        _("Blaming the customer puts them on the defensive, even when they did make a mistake."),
        _(
            'Look at it together: "Let\'s go through how it was used, step by step, and find what went wrong."'
        ),
    ),
    Rule(
        "impossible",
        {
            "en": (
                _SUBJ + r"(?: just| simply| completely)? impossible\b(?! for (?:me|us) to)",
                r"^impossible\b",
                r"\b(?:that|this|it) (?:can'?t|cannot|could not|couldn'?t|doesn'?t|does not|won'?t) (?:just )?(?:have )?happen(?:ed)?\b(?! again)(?! to you again)",
                r"\b(?:that|this) never happens\b",
                r"\b(?:this|that|it)(?: problem| issue)?(?: has|'s| had)? never (?:happened|occurred)\b",
                r"\b(?:it'?s|it is|that'?s|that is|this is) not possible (?:with|on|for) (?:this|that|these|our|the|your)\b",
                r"\b(?:there'?s|there is) no way (?:that|this|it) (?:could (?:have )?)?happen",
                r"\bour (?:products?|machines?|systems?|couriers?|drivers?|staff|engineers?|appliances?|devices?)(?: just| simply| really)? (?:don'?t|do not|never|doesn'?t|does not|can'?t|cannot|won'?t) (?:ever )?(?:break|fail|leak|make (?:a )?mistakes?|do that|lose|get lost)\b",
                r"\b(?:nobody|no one|no other customer)(?: else)?(?: has| have| had)?(?: ever)? (?:had|complained|reported|mentioned)\b",
                r"\bwe(?:'ve| have) never had (?:a |any |this |that |such a )?(?:problem|complaint|issue)",
                r"\bnever (?:seen|heard of|known) (?:that|this|it) happen\b",
                r"\bnever (?:seen|heard of) (?:anything like (?:that|this)|such a thing)\b",
            ),
            "zh": (
                r"(?<![会能让再也])(?:绝对?|根本)?不可能(?![再不让])",
                r"(?:情况|事情?|问题|状况)(?:是)?(?:绝对|根本|一般|肯定)?不(?:会|可能)(?:发生|出现|有)",
                r"从(?:来)?(?:没|没有|未)(?:出|发生|出现|遇到|碰到|接到|收到|见|听说|有人?反映|坏)过",
                r"质量(?:是)?(?:绝对|肯定|根本|完全)?没(?:有)?(?:任何)?问题",
                r"(?:别的|其他|其它)(?:的)?(?:客户|顾客|客人|人|用户)(?:都|从来)?(?:没|没有|从来没|不)(?:遇到|碰到|反映|投诉|出现|有)",
                r"(?:产品|系统|机器|机型|型号|设备)(?:是)?(?:绝对|根本|从来)?(?:不会|不可能)(?:出错|坏|有(?:这种|这个|这样的)?(?:问题|状况|情况)|出(?:这种)?问题|这样)",
            ),
            "ro": (
                r"\b(?:e|este) imposibil\b(?! sa)",
                r"^imposibil\b",
                r"\b(?:asa ceva )?nu (?:are cum|se poate) sa se (?:fi )?intample\b",
                r"\basa ceva nu se intampla\b",
                r"\bnu se poate intampla\b(?! din nou)(?! iar)",
                r"\bnu s-a (?:mai )?intamplat (?:niciodata|pana acum)\b",
                r"\bnu (?:e|este) posibil (?:la|cu|pentru) (?:modelul|acest|aceasta|produsul|aparatul|noi)",
                r"\b(?:produsele|aparatele|masinile|sistemul|curierii) (?:noastre|nostru|nostri)(?: pur si simplu| chiar| niciodata)? nu (?:se )?(?:strica|defecteaza|gresesc|greseste|pierd|fac asa ceva)\b",
                r"\b(?:niciun|nici un) (?:alt )?client nu s-a (?:mai )?(?:plans|reclamat)\b",
                r"\bnimeni (?:altcineva )?nu s-a (?:mai )?plans\b",
                r"\b(?:n-am|nu am|n-a|nu a|n-au|nu au) (?:mai )?(?:vazut|auzit|intalnit|avut) (?:niciodata )?(?:asa ceva|ceva de genul|o asemenea)",
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
                r"(?:ask|contact|call|go to|talk to|speak to|complain to|write to|take it up with) the (?:manufacturer|supplier|factory|courier|delivery company|post office|bank|warehouse|installer|other department|shop|store|retailer|seller)\b",
                r"\bblame (?:the|our) (?:courier|warehouse|supplier|manufacturer|delivery company|post office|bank|driver|installer|factory|system|computer|other department|head office)\b",
                r"\bnot (?:our|my)(?: own)? (?:fault|responsibility|problem)\b",
                r"\bthe (?:courier|warehouse|supplier|manufacturer|delivery company|post office|bank|driver|installer|factory|other department)'?s? (?:fault|problem|responsibility|mistake)\b",
                r"\bi (?:can'?t|cannot) (?:handle|deal with|help (?:you )?with|do anything (?:about|with)) (?:this|that|it)\b(?! alone)(?! on my own)(?! myself)(?! by myself)",
                r"\bwe(?:'re| are) not (?:responsible|liable)\b",
                r"\bi just work here\b",
                r"\bnot (?:something|anything) (?:i|we) (?:handle|deal with)\b",
            ),
            "zh": (
                r"不关我(?:的)?事",
                r"唔关(?:我|我哋)(?:嘅)?事",
                r"(?:这|那)?不是(?:我|我们)的(?:事|问题|工作|责任|错)",
                r"(?:不是|并非)(?:我|我们)(?:这边)?(?:造成|弄|搞)",
                r"(?<![帮替给])(?:你|您)(?:自己|的话)?(?:要|得|可以)?(?:自己)?(?:去|再)?(?:找|问|联系|打(?:去|给|到)?)(?:一下)?(?:厂家|厂商|原厂|生产商|供应商|快递|物流|银行|客服|售后|其他部门|商场|卖场|店家|经销商|总公司)",
                r"(?:我们|我)(?:这边|这里|门市|店里)?(?:不|没法|无法)(?:处理|受理)(?!不)",
                r"^(?:去)?找(?:厂家|厂商|生产商)",
                r"不(?:归|由|是)(?:我|我们)(?:这边|部门)?(?:管|负责|处理)",
                r"(?<!一个人)(?:我|我们)(?:可|也|真的|实在)?(?:处理|管|办|解决|搞定)不了",
                r"(?:跟|和|与)(?:我|我们)(?:这边)?(?:没|没有|无)(?:关|什么关系)",
                r"(?:我们|我)(?:门市|这边|店里|公司)?(?:不|概不|不予)负责",
                r"(?:这|那)(?:是|属于)(?:快递|物流|仓库|厂家|原厂|供应商|银行|商场|其他部门|售后|总公司)(?:公司)?(?:那边)?的(?:问题|责任|事|错)",
            ),
            "ro": (
                r"\bnu(?: e| este|-i)(?: chiar)? (?:treaba|problema|vina|responsabilitatea|departamentul) (?:mea|noastra)\b",
                r"\b(?:intrebati|intreaba|sunati|contactati|adresati-va|mergeti) (?:la )?producator(?:ul|ului)?\b",
                r"\bvina (?:e|este|o are) (?:a )?(?:curierului|firmei de curierat|producatorului|depozitului|furnizorului|bancii|postei|colegului|colegei)\b",
                r"\btrebuie sa (?:vorbiti|luati legatura|sunati|va adresati|mergeti)(?: cu| la)? (?:firma de curierat|curierul|curier|banca|producatorul|posta|service|alt departament|depozitul|magazinul)",
                r"\bnu (?:ma ocup|ne ocupam) (?:eu |noi )?de\b",
                r"\bnu (?:pot|putem) (?:sa )?(?:rezolva|rezolv|rezolvam) (?:eu |noi )?(?:asta|asa ceva|problema)\b(?! singur)",
                r"\bnu (?:tine|tin) de (?:mine|noi)\b",
                r"\bnu (?:raspund|raspundem) (?:eu |noi )?de\b",
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
            "zh": (
                r"我(?:绝对|从来|根本)?(?:没有|没)(?:说过|讲过)(?:那种|这种|这样的|这)?(?:话)?",
                r"我(?:可|绝对|从来|根本|并)?(?:没有|没)(?:这么|这样|那么|那样)(?:说|讲)",
            ),
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
                r"^没(?:有)?办法(?:[,!。]|$)",
            ),
            "ro": (
                r"^nu pot[.!]*$",
                r"\bnu (?:pot|putem) (?:sa )?face nimic\b",
                r"\bnu am ce (?:sa )?(?:va )?fac\b",
                r"\bnu (?:pot|putem) (?:sa )?(?:schimb|schimba|schimbam) nimic\b",
            ),
        },
        _("A flat refusal without an alternative closes the door on the customer."),
        _("Say what you can do instead."),
    ),
    Rule(
        "policy",
        {
            "en": (
                _SUBJ
                + r" (?:just |simply )?(?:our |the )?(?:company'?s? |store )?(?:policy|rules?)\b(?!\s*to\b)",
                r"\bpolicy (?:says (?:no\b|(?:that )?(?:we|i|you) (?:can'?t|cannot|won'?t|don'?t|aren'?t))|(?:doesn'?t|does not|won'?t|will not) (?:allow|let|permit)|forbids)",
                r"\brules are rules\b",
                r"\bpolicy is policy\b",
                r"\bi'?m (?:just )?following (?:the )?(?:rules|policy|procedure)\b",
                r"\bagainst (?:our |the |company |store )?(?:company )?polic(?:y|ies)\b",
                r"\bi (?:don'?t|do not) make the rules\b",
                r"\b(?:those|these) are the (?:rules|terms|conditions)\b",
                r"\b(?:policy|rules?) (?:to |won'?t |will not |can'?t |cannot |doesn'?t |isn'?t going to )?(?:change|bend|make (?:an )?exceptions?) for (?:you|anyone|anybody)\b",
                r"\b(?:the )?terms (?:and conditions )?you agreed to\b",
                r"\bit'?s (?:all )?in the (?:small print|terms|contract)\b",
            ),
            "zh": (
                r"(?:这|这是|那是)(?:我们)?公司(?:的)?(?:规定|政策|制度)",
                r"(?:这|那)(?:就|都|也)?是(?:我们)?(?:公司|门市|店里|总公司)?(?:的)?(?:规定|规矩|政策|制度)(?=[,。!?呢啊啦喔吧嘛]|$)",
                r"(?:规定|制度|规矩)(?:就是|如此|就这样)",
                r"(?:公司|上面|总部)(?:就是|就)?(?:这么|这样)(?:规定|要求)",
                r"(?:按|依|依照|按照|根据)(?:公司)?(?:的)?规定(?:是|来说|的话)?(?:不行|不可以|不能|没办法|办不到)",
                r"公司规定(?:不|没)",
                r"(?:公司|我们)有(?:规定|规矩)(?:的)?(?:[。!]|$)",
                r"(?:^|[,。])系(?:公司|我哋)?(?:嘅)?(?:规定|规矩)",
            ),
            "ro": (
                r"\b(?:asta|aceasta|asa) (?:e|este) (?:politica|regula|regulamentul) (?:companiei|firmei|noastra|magazinului)\b",
                r"\b(?:e|este) politica (?:companiei|firmei)\b",
                r"\basa (?:e|este|sunt) (?:regula|regulile)\b",
                r"\bregulile sunt reguli\b",
                r"\b(?:politica|regulamentul|procedura|regula)(?: firmei| companiei| noastra| magazinului)? nu (?:ne |va |imi )?(?:permite|accepta|prevede)\b",
                r"\bnu eu fac regulile\b",
                r"\b(?:asta|aceasta|asa) (?:e|este) procedura\b",
                r"\b(?:asa |asta )?scrie (?:in|pe) (?:contract|regulament|termeni|conditii)",
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
                r"\bno need to (?:get |be )?(?:so )?(?:upset|angry|worked up|emotional|rude|aggressive|dramatic)\b",
                r"(?:^|[,;] ?|\bjust |\bplease )relax\b",
                r"\b(?:don'?t|do not) (?:be|get) (?:so |all |this )?(?:upset|worked up|angry|emotional|excited|agitated|dramatic|rude|aggressive)\b",
                r"\byou(?:'re| are) (?:over-?reacting|being (?:unreasonable|hysterical|dramatic|emotional|difficult))\b",
                r"\btake it easy\b",
                r"\bsettle down\b",
            ),
            "zh": (
                r"(?:你|您|请)(?:先)?冷静",
                r"冷静(?:一点|一下|点)儿",
                r"^冷静(?:一下|一点|点)?[!。]*$",
                r"(?:别|不要|用不着|没必要|犯不着|不用|不必)(?:跟我|对我|冲我|和我)?(?:这么|那么|这样|太)?(?:激动|生气|发火|上火|冲动|大惊小怪|凶)",
                r"有话好好说",
                r"(?:您|你)(?:的)?情绪(?:太|有点|比较|很)?激动",
                r"至于(?:吗|这么|那么)",
                r"淡定",
            ),
            "ro": (
                r"\bcalmea?za-?te\b",
                r"\bcalmati-?va\b",
                r"\bsa va calmati\b",
                r"\blinisteste-?te\b",
                r"\blinistiti-?va\b",
                r"\bsa va linistiti\b",
                r"\brelaxati-?va\b",
                r"\bnu va (?:mai )?(?:agitati|enervati|infuriati)\b",
                r"\bnu (?:e|este) cazul sa va (?:enervati|agitati|suparati|infuriati)\b",
                r"(?<!nu )\bexagerati\b",
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
            "en": (
                r"\b(?:sorry|apologi[sz]e|apologies|i regret)\b[^.!?]{0,60}?\b(?:but(?! also\b)|however)\b",
            ),
            "zh": (r"(?:对不起|抱歉|不好意思|很遗憾)[^。!?]{0,20}?(?:但是|可是|不过|但(?!凡))",),
            "ro": (
                r"\b(?:imi pare rau|ne pare rau|scuze|scuzati|ne cerem scuze|imi cer scuze)\b[^.!?]{0,60}?\b(?:dar|insa|totusi)\b",
            ),
        },
        _('"But" after an apology takes the apology back.'),
        _("Apologise fully, then start a new sentence with what you will do."),
    ),
    Rule(
        "overpromise",
        {
            "en": (
                r"\b(?:i|we) (?:can |will )?(?:personally |absolutely )?(?:guarantee|swear)\b",
                r"\b(?:it'?s|that'?s|it is) guaranteed\b",
                r"\btrust me\b[^.!?]{0,60}?\b(?:tomorrow|today|tonight|guaranteed|definitely|for sure|never)\b",
                r"[,;-] ?guaranteed[.!]*$",
                r"\b(?:i|we) promise\b[^.!?]{0,40}?\bnever\b",
                r"\bnever\b[^.!?]{0,40}?\b(?:i|we) promise\b",
                r"\b(?:i|we) promise(?: you)?(?: that)? you(?:'ll| will| are going to|'re going to| get)\b[^.!?]{0,30}?\b(?:refund|money back|replacement|compensation|new one)",
                r"\b100 ?(?:%|percent)(?! of\b)(?! din\b)",
                r"\byou(?:'ll| will) (?:definitely|certainly|surely|absolutely) (?:get|have|receive)\b",
                r"[,;-] ?no question[.!]*$",
                r"\b(?:without (?:a|any) doubt|you have my word)\b",
                r"\b(?:definitely|guaranteed|for sure) (?:by |before )?(?:tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
            ),
            "zh": (
                r"(?:我|我们)(?:可以|敢)?(?:向您|跟您|给您|和您|向你|跟你)?(?:百分之百|绝对|一定)?(?:保证|担保|发誓)",
                r"打包票|包(?:您|你)满意",
                r"(?:百分之百|百分百)(?!的)",
                r"100 ?%(?=[\u4e00-\u9fff])(?!的)",
                r"(?:一定|肯定|绝对|保证)(?:能|会|可以)?(?:给您|帮您|给你|帮你|为您)?(?:办理)?(?:全额)?(?:退款|退全款|退钱|赔偿|换新)",
                r"(?:绝对|百分之百|保证|肯定)(?:不会|没)(?:有|再有|出)?(?:任何)?问题",
                r"(?<!保证)(?<!担保)(?:明天|今天|马上|下午|后天|[一二两三四五六七八九十\d]+天(?:之内|内)|(?:周|礼拜|星期)[一二三四五六日天])(?:前|之前)?(?:就)?(?:一定|肯定|绝对|百分之百)(?:能|会|可以)?(?:给您|帮您|给你|帮你|为您)?(?:修好|到|送到|到货|发货|解决|搞定|退)",
                r"(?:绝对|再也)不会再(?:发生|坏|出现|有)",
            ),
            "ro": (
                r"\b(?:va|iti|te) (?:garantez|garantam|jur)\b",
                r"\b100 ?(?:%|la suta)(?! din\b)(?! of\b)",
                r"\b(?:va|iti) promit ca (?:o sa |veti |vei )?(?:primiti|primesti|primi|aveti|ajunge|se rezolva|nu se (?:va )?mai|banii)",
                r"\b(?:va|iti) (?:asigur|garantez|promit) ca\b[^.!?]{0,30}?\bniciodata\b",
                r"\b(?:maine|azi|astazi) (?:ajunge|e gata|e reparat|primiti|aveti) sigur\b",
                r"\bsigur (?:maine|azi|astazi)\b",
                r"[,;-] ?fara (?:discutie|discutii|doar si poate|nicio indoiala)[.!]*$",
            ),
        },
        _("A promise you cannot be sure of keeping becomes a second complaint when it breaks."),
        _('Promise only what you control, with a time: "I will check and call you by 5 pm."'),
    ),
    Rule(
        "argue",
        {
            "en": (
                r"\b(?:that'?s|that is|this is|it'?s|it is)(?: just| simply| absolutely| completely| totally)? (?:not true|untrue|incorrect|false|a lie|nonsense|rubbish)\b",
                r"\b(?:that'?s|that is|this is) not (?:what|how it) happened\b",
                r"\byou(?:'re| are)(?: just| simply| completely| totally| absolutely| dead)? wrong\b",
                r"\bthat never happened\b",
                r"\b(?:that|this|it)(?: just| simply| absolutely| really)? (?:isn'?t|is not) (?:true|correct|what happened)\b",
                r"^no,? you (?:didn'?t|did not|never|weren'?t|haven'?t|don'?t|aren'?t)\b",
                r"\byou (?:never|didn'?t|did not) (?:call|ring|phone|email) us\b",
            ),
            "zh": (
                r"(?<!我)(?:你|您)(?:这么|这样|那么)?(?:说|讲)(?:的|得)?(?:就)?(?:不对|不是事实|错了)",
                r"^不是这样(?:的|子)?(?:[,。!]|$)",
                r"根本(?:就)?没(?:有)?(?:人)?(?:给我们|跟我们|来|打过|说过)",
                r"(?<![我帮替])(?:你|您)错了",
                r"(?:这|那|你说的|您说的)(?:根本|完全|并)?不是(?:事实|真的)",
                r"没(?:有)?这回事",
            ),
            "ro": (
                r"\bnu (?:e|este)(?: deloc)? adevarat\b",
                r"(?<!nu )\bgresiti\b",
                r"\bva inselati\b",
                r"\b(?:nu |n-)aveti dreptate\b",
                r"\bnu s-a intamplat (?:asa|deloc|nimic de genul)\b",
                r"\bnu (?:e|este|a fost)(?: deloc)? (?:asa )?cum (?:spuneti|ziceti|spui|zici|credeti)\b",
            ),
        },
        _("Telling the customer they are wrong starts an argument nobody wins."),
        _('Check the facts together: "Let me look at what we have on record and go through it with you."'),
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
    return _to_simplified().convert(text).replace("妳", "你")


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
