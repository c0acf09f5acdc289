"""Seed the phrase list from the built-in coaching rules (English, Chinese, Romanian).

The patterns are copied here, not imported, so this migration means the same thing
whatever complaints.coaching says later. Reasons and alternatives stay blank: the
built-in rule with the same code supplies them, translated.
"""

from django.db import migrations

PHRASES = [
    ('pay_for', 'en', '\\byou (?:only )?get what you pa(?:y|id) for\\b'),
    ('pay_for', 'en', '\\bwhat did you expect for (?:that|this) price\\b'),
    ('pay_for', 'zh', '一分(?:钱|价钱)一分货'),
    ('pay_for', 'zh', '便宜没好货'),
    ('pay_for', 'ro', '\\bprimesti (?:exact )?(?:cat|ce) (?:ai )?plat(?:esti|it)\\b'),
    ('pay_for', 'ro', '\\bcat (?:dai|platesti),? atat primesti\\b'),
    ('impossible', 'en', "(?:that'?s|that is|it'?s|it is|this is|those are|these are)(?: just| simply| completely)? impossible\\b(?! for (?:me|us) to)"),
    ('impossible', 'en', '^impossible\\b'),
    ('impossible', 'en', "\\b(?:that|this|it) (?:can'?t|cannot|could not|couldn'?t) (?:have )?happen(?:ed)?\\b(?! again)(?! to you again)"),
    ('impossible', 'en', '\\b(?:that|this) never happens\\b'),
    ('impossible', 'zh', '(?<![会能让再也])(?:绝对?|根本)?不可能(?![再不让])'),
    ('impossible', 'ro', '\\b(?:e|este) imposibil\\b(?! sa)'),
    ('impossible', 'ro', '^imposibil\\b'),
    ('impossible', 'ro', '\\b(?:asa ceva )?nu (?:are cum|se poate) sa se (?:fi )?intample\\b'),
    ('impossible', 'ro', '\\basa ceva nu se intampla\\b'),
    ('not_my_business', 'en', "(?:that'?s|that is|it'?s|it is|this is|those are|these are)(?: really| just| simply)? not my (?:business|problem|job|department|responsibility|fault)\\b"),
    ('not_my_business', 'en', '^not my (?:business|problem|job)\\b'),
    ('not_my_business', 'en', '\\bnothing to do with me\\b'),
    ('not_my_business', 'en', "(?:^|[,;:] ?|you(?: should| need to| have to| must| can| could|'ll have to| will have to) |go and |just )(?:ask|contact|call|go to|talk to|complain to|take it up with) the (?:manufacturer|supplier|factory)\\b"),
    ('not_my_business', 'zh', '不关我(?:的)?事'),
    ('not_my_business', 'zh', '(?:这|那)?不是我的(?:事|问题|工作|责任)'),
    ('not_my_business', 'zh', '(?<![帮替给])(?:你|您)(?:自己)?(?:去)?找(?:厂家|厂商|生产商|供应商)'),
    ('not_my_business', 'zh', '^(?:去)?找(?:厂家|厂商|生产商)'),
    ('not_my_business', 'zh', '(?:这|那)?不归我管'),
    ('not_my_business', 'zh', '跟我(?:没|无)关'),
    ('not_my_business', 'ro', '\\bnu(?: e| este|-i) (?:treaba|problema|vina|responsabilitatea|departamentul) mea\\b'),
    ('not_my_business', 'ro', '\\bnu (?:e|este) (?:treaba|problema) noastra\\b'),
    ('not_my_business', 'ro', '\\b(?:intrebati|intreaba|sunati|contactati|adresati-va|mergeti) (?:la )?producator(?:ul|ului)?\\b'),
    ('not_sure', 'en', "\\bi'?m not (?:really |quite |too |very )?sure about (?:that|this|it)\\b"),
    ('not_sure', 'en', "\\bi (?:don'?t|do not) (?:really )?know (?:about (?:that|this|it)|anything about (?:that|this|it))\\b"),
    ('not_sure', 'en', '\\bi (?:have )?no idea\\b'),
    ('not_sure', 'zh', '(?:这个)?(?:问题)?我(?:也)?不(?:大|太|是很)清楚'),
    ('not_sure', 'zh', '我(?:也)?不知道(?:啊|呀|。|$)'),
    ('not_sure', 'ro', '\\bnu sunt (?:prea |foarte )?sigur(?:a)? de (?:asta|asa ceva)\\b'),
    ('not_sure', 'ro', '\\bnu (?:am nicio idee|am idee|stiu nimic)\\b'),
    ('never_said', 'en', "\\bi (?:never|did not|didn'?t) (?:ever )?(?:said|say|tell you|told you) (?:that|so|anything like that)\\b"),
    ('never_said', 'en', "\\bthat'?s not what i said\\b"),
    ('never_said', 'zh', '我(?:绝对|从来|根本)?(?:没有|没)(?:说过|讲过)(?:那种|这种|这样的|这)?(?:话)?'),
    ('never_said', 'ro', '\\b(?:n-am|nu am) spus (?:niciodata )?(?:asta|asa ceva)\\b'),
    ('never_said', 'ro', '\\bnu asta am spus\\b'),
    ('cant_wont', 'en', "^(?:(?:i'?m |i am )?(?:afraid|sorry|unfortunately|well|look|listen)(?: that)?,? )*(?:no,? )?i (?:can'?t|cannot|won'?t|will not)(?: do (?:that|it|this))?(?: for you)?[.!]*$"),
    ('cant_wont', 'en', "\\bthere'?s nothing (?:i|we) can do\\b"),
    ('cant_wont', 'en', '\\bthere is nothing (?:i|we) can do\\b'),
    ('cant_wont', 'zh', '^(?:我|这个我)(?:不会|不能|做不到|办不到|帮不了)(?:的)?[。!]*$'),
    ('cant_wont', 'zh', '(?:我|我们)(?:也)?没(?:有)?办法'),
    ('cant_wont', 'ro', '^nu pot[.!]*$'),
    ('cant_wont', 'ro', '\\bnu (?:pot|putem) (?:sa )?face nimic\\b'),
    ('cant_wont', 'ro', '\\bnu am ce (?:sa )?(?:va )?fac\\b'),
    ('policy', 'en', "(?:(?:i'?m |i am )?(?:afraid|sorry|unfortunately|well|look|listen)(?: that)?,? )*(?:that'?s|that is|it'?s|it is|this is|those are|these are) (?:just |simply )?(?:our |the )?(?:company'?s? |store )?(?:policy|rules?)\\b(?!\\s*to\\b)"),
    ('policy', 'en', "\\b(?:company )?policy (?:says|doesn'?t allow|does not allow|won'?t allow|forbids)\\b"),
    ('policy', 'en', '\\brules are rules\\b'),
    ('policy', 'en', "\\bi'?m (?:just )?following (?:the )?(?:rules|policy|procedure)\\b"),
    ('policy', 'zh', '(?:这|这是|那是)(?:我们)?公司(?:的)?(?:规定|政策|制度)'),
    ('policy', 'zh', '(?:规定|制度)就是(?:规定|制度|这样)'),
    ('policy', 'zh', '公司规定(?:不|没)'),
    ('policy', 'ro', '\\b(?:asta|aceasta|asa) (?:e|este) (?:politica|regula|regulamentul) (?:companiei|firmei|noastra|magazinului)\\b'),
    ('policy', 'ro', '\\b(?:e|este) politica (?:companiei|firmei)\\b'),
    ('policy', 'ro', '\\basa (?:e|este|sunt) (?:regula|regulile)\\b'),
    ('policy', 'ro', '\\bregulile sunt reguli\\b'),
    ('calm_down', 'en', '\\bcalm (?:yourself )?down\\b'),
    ('calm_down', 'en', '\\bcool down\\b'),
    ('calm_down', 'en', '\\bstop (?:being|getting) (?:so )?(?:emotional|upset|angry|hysterical)\\b'),
    ('calm_down', 'zh', '(?:你|您|请)(?:先)?冷静'),
    ('calm_down', 'zh', '^冷静(?:一下|一点|点)?[!。]*$'),
    ('calm_down', 'zh', '(?:别|不要)(?:这么)?(?:激动|生气)'),
    ('calm_down', 'ro', '\\bcalmea?za-?te\\b'),
    ('calm_down', 'ro', '\\bcalmati-?va\\b'),
    ('calm_down', 'ro', '\\blinisteste-?te\\b'),
    ('calm_down', 'ro', '\\bnu va (?:mai )?agitati\\b'),
    ('raise_voice', 'en', "\\b(?:don'?t|do not) (?:you )?(?:raise your voice|shout|yell|scream) at me\\b"),
    ('raise_voice', 'en', '\\bstop (?:shouting|yelling|screaming)\\b'),
    ('raise_voice', 'en', '\\blower your voice\\b'),
    ('raise_voice', 'zh', '(?:别|不要|不许)(?:对我|跟我|冲我)?(?:大声(?:嚷嚷|说话)?|吼|喊|嚷)'),
    ('raise_voice', 'ro', '\\bnu (?:mai )?(?:tipati|urlati|ridicati tonul)\\b'),
    ('raise_voice', 'ro', '\\bnu-mi ridicati tonul\\b'),
    ('raise_voice', 'ro', '\\bnu tipa\\b'),
    ('confused', 'en', '\\byou (?:must|probably|surely|obviously|clearly) (?:have )?(?:confused|mixed up|misunderstood|misread|got (?:it|that|something) wrong)\\b'),
    ('confused', 'en', "\\byou'?re (?:confused|mistaken|confusing (?:it|something))\\b"),
    ('confused', 'en', '\\byou are (?:confused|mistaken)\\b'),
    ('confused', 'zh', '(?<![帮替])(?:你|您)(?:一定|肯定|可能|应该)?(?:是)?(?:搞错|弄错|记错|看错|误会)了?'),
    ('confused', 'ro', '\\b(?:probabil|sigur) (?:ati|ai) (?:incurcat|confundat|inteles gresit)\\b'),
    ('confused', 'ro', '\\b(?:ati|ai) (?:incurcat|confundat) ceva\\b'),
    ('confused', 'ro', '\\bv-ati (?:incurcat|inselat)\\b'),
    ('too_busy', 'en', "\\b(?:we'?re|we are|i'?m|i am) (?:too|very|really|so|extremely) busy\\b"),
    ('too_busy', 'en', "\\bi (?:don'?t|do not) have time for (?:this|that|you)\\b"),
    ('too_busy', 'en', '\\bno time for (?:this|that)\\b'),
    ('too_busy', 'zh', '我们?(?:现在)?(?:太|很|非常|特别)忙'),
    ('too_busy', 'zh', '没(?:有)?(?:时间|空)(?:处理|管|理)'),
    ('too_busy', 'ro', '\\b(?:suntem|sunt) (?:prea |foarte )?ocupat(?:i|a)?\\b'),
    ('too_busy', 'ro', '\\b(?:n-am|nu am|nu avem) timp (?:de|pentru)\\b'),
    ('sorry_but', 'en', '\\b(?:sorry|apologi[sz]e|apologies|i regret)\\b[^.!?]{0,60}?\\b(?:but|however)\\b'),
    ('sorry_but', 'zh', '(?:对不起|抱歉|不好意思|很遗憾)[^。!?]{0,20}?(?:但是|可是|不过|但)'),
    ('sorry_but', 'ro', '\\b(?:imi pare rau|ne pare rau|scuze|scuzati|ne cerem scuze|imi cer scuze)\\b[^.!?]{0,60}?\\b(?:dar|insa|totusi)\\b'),
]


def seed(apps, schema_editor):
    AvoidPhrase = apps.get_model("complaints", "AvoidPhrase")
    for rule, language, pattern in PHRASES:
        AvoidPhrase.objects.get_or_create(rule=rule, language=language, pattern=pattern, defaults={"is_regex": True})


def unseed(apps, schema_editor):
    AvoidPhrase = apps.get_model("complaints", "AvoidPhrase")
    for rule, language, pattern in PHRASES:
        AvoidPhrase.objects.filter(rule=rule, language=language, pattern=pattern).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0010_avoid_phrase")]

    operations = [migrations.RunPython(seed, unseed)]
