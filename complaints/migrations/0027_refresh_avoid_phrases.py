"""Bring the seeded phrase list in line with the built-in coaching rules of this release.

The coach now hears paraphrases in English, Simplified and Traditional Chinese and Romanian,
and has three new rules (blame, overpromise, argue). Patterns are copied here, not
imported, like 0011 does. Only the exact rows 0011 seeded for patterns that changed or
were dropped are removed; rows administrators added stay. A rule an administrator had
switched off (every row inactive), or a coach switched off altogether, stays off: its
new rows are added inactive.
"""

from django.db import migrations, models

# Seeded by 0011 and changed or dropped since: (rule, language, pattern).
DROPPED = [
    (
        "impossible",
        "en",
        "\\b(?:that|this|it) (?:can'?t|cannot|could not|couldn'?t) (?:have )?happen(?:ed)?\\b(?! again)(?! to you again)",
    ),
    (
        "not_my_business",
        "en",
        "(?:^|[,;:] ?|you(?: should| need to| have to| must| can| could|'ll have to| will have to) |go and |just )(?:ask|contact|call|go to|talk to|complain to|take it up with) the (?:manufacturer|supplier|factory)\\b",
    ),
    ("not_my_business", "zh", "(?:这|那)?不是我的(?:事|问题|工作|责任)"),
    ("not_my_business", "zh", "(?<![帮替给])(?:你|您)(?:自己)?(?:去)?找(?:厂家|厂商|生产商|供应商)"),
    ("not_my_business", "zh", "(?:这|那)?不归我管"),
    ("not_my_business", "zh", "跟我(?:没|无)关"),
    (
        "not_my_business",
        "ro",
        "\\bnu(?: e| este|-i) (?:treaba|problema|vina|responsabilitatea|departamentul) mea\\b",
    ),
    ("not_my_business", "ro", "\\bnu (?:e|este) (?:treaba|problema) noastra\\b"),
    (
        "policy",
        "en",
        "(?:(?:i'?m |i am )?(?:afraid|sorry|unfortunately|well|look|listen)(?: that)?,? )*(?:that'?s|that is|it'?s|it is|this is|those are|these are) (?:just |simply )?(?:our |the )?(?:company'?s? |store )?(?:policy|rules?)\\b(?!\\s*to\\b)",
    ),
    ("policy", "en", "\\b(?:company )?policy (?:says|doesn'?t allow|does not allow|won'?t allow|forbids)\\b"),
    ("policy", "zh", "(?:规定|制度)就是(?:规定|制度|这样)"),
    ("calm_down", "zh", "(?:别|不要)(?:这么)?(?:激动|生气)"),
    ("calm_down", "ro", "\\bnu va (?:mai )?agitati\\b"),
    ("sorry_but", "en", "\\b(?:sorry|apologi[sz]e|apologies|i regret)\\b[^.!?]{0,60}?\\b(?:but|however)\\b"),
    ("sorry_but", "zh", "(?:对不起|抱歉|不好意思|很遗憾)[^。!?]{0,20}?(?:但是|可是|不过|但)"),
]

# The built-in patterns 0011 did not seed.
ADDED = [
    (
        "blame",
        "en",
        "\\byou (?:\\w+ )?(?:have )?(?:used|installed|set up|connected|assembled|washed|charged|handled|stored|fitted|operated|plugged in) (?:it|them|this|that|the \\w+)(?: the)? (?:wrong(?:ly)?|incorrectly|improperly|wrong way|the wrong way)\\b",
    ),
    (
        "blame",
        "en",
        "\\byou(?:'re| are) (?:using|installing|doing|holding|handling|charging|setting up|connecting) (?:it|this|that|them)(?: up)? (?:wrong(?:ly)?|incorrectly|improperly|the wrong way)\\b",
    ),
    (
        "blame",
        "en",
        "\\byou should(?:'ve| have) (?:read|checked|followed|looked at) (?:the )?(?:manual|instructions|guide|label|terms|small print|leaflet)\\b",
    ),
    (
        "blame",
        "en",
        "\\bif you(?:'d| had) (?:read|followed|checked|looked at|listened to) (?:the )?(?:manual|instructions|guide|label|terms|leaflet)\\b",
    ),
    (
        "blame",
        "en",
        "(?<!saying )(?<!say )(?<!think )(?<!mean )\\b(?:that'?s|it'?s|that is|it is|this is|it was|that was)(?: all| entirely| completely| really| totally)? (?:your (?:own )?(?:fault|problem|responsibility)|on you)\\b",
    ),
    (
        "blame",
        "en",
        "\\byou (?:didn'?t|did not|never) (?:read|follow|check|look at) (?:the )?(?:manual|instructions|guide|label|terms|leaflet)\\b",
    ),
    (
        "blame",
        "en",
        "\\byou (?:must|probably|obviously|clearly|surely) (?:have )?(?:dropped|damaged|broke|broken|overloaded|misused|knocked|done something to)\\b",
    ),
    ("blame", "en", "\\b(?:user error|misuse|improper use|incorrect use)\\b"),
    ("blame", "en", "\\bthat'?s what happens (?:when|if) you\\b"),
    ("blame", "en", "\\b(?:did|have) you (?:even|actually|ever) (?:read|looked at|look at|checked|check)\\b"),
    (
        "blame",
        "en",
        "\\byou (?:didn'?t|did not|never|haven'?t|have not) (?!get\\b|receive\\b|have\\b|deserve\\b)(?:\\w+ ){1,3}?(?:properly|correctly)\\b",
    ),
    (
        "blame",
        "zh",
        "(?<!不是)(?<!并不是)(?:您|你)(?:自己)?(?:的)?(?:使用|操作|用法|安装|保管|保养)(?:方法|方式)?(?:不当|不对|不正确|有误|错误|有问题|出了问题)",
    ),
    (
        "blame",
        "zh",
        "(?<!不是)(?:您|你)(?:肯定|一定|可能|应该)?(?:是)?(?:用|装|操作|按|插|接|设置|放)错(?:了|方法)?",
    ),
    (
        "blame",
        "zh",
        "(?:您|你)(?:自己)?(?:是不是)?(?:没有?|不)(?:按照?|照着?|看|仔细看|读|遵守|遵照)(?:说明书|说明|使用说明|要求|步骤|指示)",
    ),
    ("blame", "zh", "(?:应该|要|得)(?:先)?(?:仔细|好好)?(?:看|读|阅读)(?:一下|一遍)?(?:说明书|说明)"),
    ("blame", "zh", "说明书上(?:都|已经)?(?:有|写)"),
    ("blame", "zh", "(?:您|你)(?:都)?没(?:有)?看(?:说明书)?吗"),
    ("blame", "zh", "(?<!不)是(?:您|你)(?:自己)?的(?:错|问题|责任)"),
    ("blame", "zh", "(?<!不是)(?:您|你)自己的(?:错|问题|责任)"),
    ("blame", "zh", "(?<!不是)(?<!不)(?:您|你)(?:自己)?(?:摔|弄|搞|用|碰|撞|泡)坏(?:的|了)"),
    ("blame", "zh", "(?<!不是)(?<!非)人为(?:损坏|损伤|造成|原因)"),
    ("blame", "zh", "(?<![不能别难])怪(?:您|你)"),
    ("blame", "zh", "谁让(?:您|你)"),
    ("blame", "zh", "(?:您|你)(?:这是|这|是)?自己(?:没有?|不)(?:注意|小心|仔细|看清)"),
    (
        "blame",
        "zh",
        "(?:您|你)(?:是不是)?(?:没有?|忘了)(?:先)?(?:充电|充满电|插好|插电|装好|检查|注意|看清楚|按(?:照)?说明)",
    ),
    (
        "blame",
        "ro",
        "(?<!nu )\\b(?:e|este|a fost)(?: numai| doar| in totalitate)? vina (?:dumneavoastra|dvs|voastra|ta|clientului)\\b",
    ),
    ("blame", "ro", "(?<!nu )\\bdin vina (?:dumneavoastra|dvs|voastra|ta)\\b"),
    (
        "blame",
        "ro",
        "(?<!nu )(?<!n-)\\b(?:l-|o-|le-|i-)?(?:ati|ai) (?:folosit|utilizat|montat|instalat|conectat|spalat|incarcat|manevrat|asamblat)(?:-o|-l|-le|-i)?(?: \\w+)? (?:gresit|incorect|necorespunzator|prost)\\b",
    ),
    (
        "blame",
        "ro",
        "\\btrebuia sa (?:cititi|citesti|verificati|verifici|respectati|urmati|fiti (?:mai )?atent)",
    ),
    ("blame", "ro", "\\b(?:nu |n-)(?:ati|ai) (?:citit|respectat|urmat)\\b"),
    (
        "blame",
        "ro",
        "\\b(?:probabil|sigur|clar) (?:l-|o-|le-)?(?:ati|ai) (?:scapat|lovit|stricat|udat|fortat|trantit)\\b",
    ),
    (
        "blame",
        "ro",
        "\\b(?:utilizare|folosire|utilizarii|folosirii)a? (?:incorecta|gresita|necorespunzatoare)\\b",
    ),
    ("blame", "ro", "\\bmacar (?:ati|ai) citit\\b"),
    ("blame", "ro", "\\b(?:ati|ai) citit macar\\b"),
    (
        "impossible",
        "en",
        "\\b(?:that|this|it) (?:can'?t|cannot|could not|couldn'?t|doesn'?t|does not|won'?t) (?:just )?(?:have )?happen(?:ed)?\\b(?! again)(?! to you again)",
    ),
    (
        "impossible",
        "en",
        "\\b(?:this|that|it)(?: problem| issue)?(?: has|'s| had)? never (?:happened|occurred)\\b",
    ),
    (
        "impossible",
        "en",
        "\\b(?:it'?s|it is|that'?s|that is|this is) not possible (?:with|on|for) (?:this|that|these|our|the|your)\\b",
    ),
    ("impossible", "en", "\\b(?:there'?s|there is) no way (?:that|this|it) (?:could (?:have )?)?happen"),
    (
        "impossible",
        "en",
        "\\bour (?:products?|machines?|systems?|couriers?|drivers?|staff|engineers?|appliances?|devices?)(?: just| simply| really)? (?:don'?t|do not|never|doesn'?t|does not|can'?t|cannot|won'?t) (?:ever )?(?:break|fail|leak|make (?:a )?mistakes?|do that|lose|get lost)\\b",
    ),
    (
        "impossible",
        "en",
        "\\b(?:nobody|no one|no other customer)(?: else)?(?: has| have| had)?(?: ever)? (?:had|complained|reported|mentioned)\\b",
    ),
    (
        "impossible",
        "en",
        "\\bwe(?:'ve| have) never had (?:a |any |this |that |such a )?(?:problem|complaint|issue)",
    ),
    ("impossible", "en", "\\bnever (?:seen|heard of|known) (?:that|this|it) happen\\b"),
    ("impossible", "en", "\\bnever (?:seen|heard of) (?:anything like (?:that|this)|such a thing)\\b"),
    (
        "impossible",
        "zh",
        "(?:情况|事情?|问题|状况)(?:是)?(?:绝对|根本|一般|肯定)?不(?:会|可能)(?:发生|出现|有)",
    ),
    (
        "impossible",
        "zh",
        "从(?:来)?(?:没|没有|未)(?:出|发生|出现|遇到|碰到|接到|收到|见|听说|有人?反映|坏)过",
    ),
    ("impossible", "zh", "质量(?:是)?(?:绝对|肯定|根本|完全)?没(?:有)?(?:任何)?问题"),
    (
        "impossible",
        "zh",
        "(?:别的|其他|其它)(?:的)?(?:客户|顾客|客人|人|用户)(?:都|从来)?(?:没|没有|从来没|不)(?:遇到|碰到|反映|投诉|出现|有)",
    ),
    (
        "impossible",
        "zh",
        "(?:产品|系统|机器|机型|型号|设备)(?:是)?(?:绝对|根本|从来)?(?:不会|不可能)(?:出错|坏|有(?:这种|这个|这样的)?(?:问题|状况|情况)|出(?:这种)?问题|这样)",
    ),
    ("impossible", "ro", "\\bnu se poate intampla\\b(?! din nou)(?! iar)"),
    ("impossible", "ro", "\\bnu s-a (?:mai )?intamplat (?:niciodata|pana acum)\\b"),
    (
        "impossible",
        "ro",
        "\\bnu (?:e|este) posibil (?:la|cu|pentru) (?:modelul|acest|aceasta|produsul|aparatul|noi)",
    ),
    (
        "impossible",
        "ro",
        "\\b(?:produsele|aparatele|masinile|sistemul|curierii) (?:noastre|nostru|nostri)(?: pur si simplu| chiar| niciodata)? nu (?:se )?(?:strica|defecteaza|gresesc|greseste|pierd|fac asa ceva)\\b",
    ),
    ("impossible", "ro", "\\b(?:niciun|nici un) (?:alt )?client nu s-a (?:mai )?(?:plans|reclamat)\\b"),
    ("impossible", "ro", "\\bnimeni (?:altcineva )?nu s-a (?:mai )?plans\\b"),
    (
        "impossible",
        "ro",
        "\\b(?:n-am|nu am|n-a|nu a|n-au|nu au) (?:mai )?(?:vazut|auzit|intalnit|avut) (?:niciodata )?(?:asa ceva|ceva de genul|o asemenea)",
    ),
    (
        "not_my_business",
        "en",
        "(?:^|[,;:] ?|you(?: should| need to| have to| must| can| could|'ll have to| will have to) |go and |just )(?:ask|contact|call|go to|talk to|speak to|complain to|write to|take it up with) the (?:manufacturer|supplier|factory|courier|delivery company|post office|bank|warehouse|installer|other department|shop|store|retailer|seller)\\b",
    ),
    (
        "not_my_business",
        "en",
        "\\bblame (?:the|our) (?:courier|warehouse|supplier|manufacturer|delivery company|post office|bank|driver|installer|factory|system|computer|other department|head office)\\b",
    ),
    ("not_my_business", "en", "\\bnot (?:our|my)(?: own)? (?:fault|responsibility|problem)\\b"),
    (
        "not_my_business",
        "en",
        "\\bthe (?:courier|warehouse|supplier|manufacturer|delivery company|post office|bank|driver|installer|factory|other department)'?s? (?:fault|problem|responsibility|mistake)\\b",
    ),
    (
        "not_my_business",
        "en",
        "\\bi (?:can'?t|cannot) (?:handle|deal with|help (?:you )?with|do anything (?:about|with)) (?:this|that|it)\\b(?! alone)(?! on my own)(?! myself)(?! by myself)",
    ),
    ("not_my_business", "en", "\\bwe(?:'re| are) not (?:responsible|liable)\\b"),
    ("not_my_business", "en", "\\bi just work here\\b"),
    ("not_my_business", "en", "\\bnot (?:something|anything) (?:i|we) (?:handle|deal with)\\b"),
    ("not_my_business", "zh", "唔关(?:我|我哋)(?:嘅)?事"),
    ("not_my_business", "zh", "(?:这|那)?不是(?:我|我们)的(?:事|问题|工作|责任|错)"),
    ("not_my_business", "zh", "(?:不是|并非)(?:我|我们)(?:这边)?(?:造成|弄|搞)"),
    (
        "not_my_business",
        "zh",
        "(?<![帮替给])(?:你|您)(?:自己|的话)?(?:要|得|可以)?(?:自己)?(?:去|再)?(?:找|问|联系|打(?:去|给|到)?)(?:一下)?(?:厂家|厂商|原厂|生产商|供应商|快递|物流|银行|客服|售后|其他部门|商场|卖场|店家|经销商|总公司)",
    ),
    ("not_my_business", "zh", "(?:我们|我)(?:这边|这里|门市|店里)?(?:不|没法|无法)(?:处理|受理)(?!不)"),
    ("not_my_business", "zh", "不(?:归|由|是)(?:我|我们)(?:这边|部门)?(?:管|负责|处理)"),
    ("not_my_business", "zh", "(?<!一个人)(?:我|我们)(?:可|也|真的|实在)?(?:处理|管|办|解决|搞定)不了"),
    ("not_my_business", "zh", "(?:跟|和|与)(?:我|我们)(?:这边)?(?:没|没有|无)(?:关|什么关系)"),
    ("not_my_business", "zh", "(?:我们|我)(?:门市|这边|店里|公司)?(?:不|概不|不予)负责"),
    (
        "not_my_business",
        "zh",
        "(?:这|那)(?:是|属于)(?:快递|物流|仓库|厂家|原厂|供应商|银行|商场|其他部门|售后|总公司)(?:公司)?(?:那边)?的(?:问题|责任|事|错)",
    ),
    (
        "not_my_business",
        "ro",
        "\\bnu(?: e| este|-i)(?: chiar)? (?:treaba|problema|vina|responsabilitatea|departamentul) (?:mea|noastra)\\b",
    ),
    (
        "not_my_business",
        "ro",
        "\\bvina (?:e|este|o are) (?:a )?(?:curierului|firmei de curierat|producatorului|depozitului|furnizorului|bancii|postei|colegului|colegei)\\b",
    ),
    (
        "not_my_business",
        "ro",
        "\\btrebuie sa (?:vorbiti|luati legatura|sunati|va adresati|mergeti)(?: cu| la)? (?:firma de curierat|curierul|curier|banca|producatorul|posta|service|alt departament|depozitul|magazinul)",
    ),
    ("not_my_business", "ro", "\\bnu (?:ma ocup|ne ocupam) (?:eu |noi )?de\\b"),
    (
        "not_my_business",
        "ro",
        "\\bnu (?:pot|putem) (?:sa )?(?:rezolva|rezolv|rezolvam) (?:eu |noi )?(?:asta|asa ceva|problema)\\b(?! singur)",
    ),
    ("not_my_business", "ro", "\\bnu (?:tine|tin) de (?:mine|noi)\\b"),
    ("not_my_business", "ro", "\\bnu (?:raspund|raspundem) (?:eu |noi )?de\\b"),
    ("never_said", "zh", "我(?:可|绝对|从来|根本|并)?(?:没有|没)(?:这么|这样|那么|那样)(?:说|讲)"),
    ("cant_wont", "zh", "^没(?:有)?办法(?:[,!。]|$)"),
    ("cant_wont", "ro", "\\bnu (?:pot|putem) (?:sa )?(?:schimb|schimba|schimbam) nimic\\b"),
    (
        "policy",
        "en",
        "(?:that'?s|that is|it'?s|it is|this is|those are|these are) (?:just |simply )?(?:our |the )?(?:company'?s? |store )?(?:policy|rules?)\\b(?!\\s*to\\b)",
    ),
    (
        "policy",
        "en",
        "\\bpolicy (?:says (?:no\\b|(?:that )?(?:we|i|you) (?:can'?t|cannot|won'?t|don'?t|aren'?t))|(?:doesn'?t|does not|won'?t|will not) (?:allow|let|permit)|forbids)",
    ),
    ("policy", "en", "\\bpolicy is policy\\b"),
    ("policy", "en", "\\bagainst (?:our |the |company |store )?(?:company )?polic(?:y|ies)\\b"),
    ("policy", "en", "\\bi (?:don'?t|do not) make the rules\\b"),
    ("policy", "en", "\\b(?:those|these) are the (?:rules|terms|conditions)\\b"),
    (
        "policy",
        "en",
        "\\b(?:policy|rules?) (?:to |won'?t |will not |can'?t |cannot |doesn'?t |isn'?t going to )?(?:change|bend|make (?:an )?exceptions?) for (?:you|anyone|anybody)\\b",
    ),
    ("policy", "en", "\\b(?:the )?terms (?:and conditions )?you agreed to\\b"),
    ("policy", "en", "\\bit'?s (?:all )?in the (?:small print|terms|contract)\\b"),
    (
        "policy",
        "zh",
        "(?:这|那)(?:就|都|也)?是(?:我们)?(?:公司|门市|店里|总公司)?(?:的)?(?:规定|规矩|政策|制度)(?=[,。!?呢啊啦喔吧嘛]|$)",
    ),
    ("policy", "zh", "(?:规定|制度|规矩)(?:就是|如此|就这样)"),
    ("policy", "zh", "(?:公司|上面|总部)(?:就是|就)?(?:这么|这样)(?:规定|要求)"),
    (
        "policy",
        "zh",
        "(?:按|依|依照|按照|根据)(?:公司)?(?:的)?规定(?:是|来说|的话)?(?:不行|不可以|不能|没办法|办不到)",
    ),
    ("policy", "zh", "(?:公司|我们)有(?:规定|规矩)(?:的)?(?:[。!]|$)"),
    ("policy", "zh", "(?:^|[,。])系(?:公司|我哋)?(?:嘅)?(?:规定|规矩)"),
    (
        "policy",
        "ro",
        "\\b(?:politica|regulamentul|procedura|regula)(?: firmei| companiei| noastra| magazinului)? nu (?:ne |va |imi )?(?:permite|accepta|prevede)\\b",
    ),
    ("policy", "ro", "\\bnu eu fac regulile\\b"),
    ("policy", "ro", "\\b(?:asta|aceasta|asa) (?:e|este) procedura\\b"),
    ("policy", "ro", "\\b(?:asa |asta )?scrie (?:in|pe) (?:contract|regulament|termeni|conditii)"),
    (
        "calm_down",
        "en",
        "\\bno need to (?:get |be )?(?:so )?(?:upset|angry|worked up|emotional|rude|aggressive|dramatic)\\b",
    ),
    ("calm_down", "en", "(?:^|[,;] ?|\\bjust |\\bplease )relax\\b"),
    (
        "calm_down",
        "en",
        "\\b(?:don'?t|do not) (?:be|get) (?:so |all |this )?(?:upset|worked up|angry|emotional|excited|agitated|dramatic|rude|aggressive)\\b",
    ),
    (
        "calm_down",
        "en",
        "\\byou(?:'re| are) (?:over-?reacting|being (?:unreasonable|hysterical|dramatic|emotional|difficult))\\b",
    ),
    ("calm_down", "en", "\\btake it easy\\b"),
    ("calm_down", "en", "\\bsettle down\\b"),
    (
        "calm_down",
        "zh",
        "(?:别|不要|用不着|没必要|犯不着|不用|不必)(?:跟我|对我|冲我|和我)?(?:这么|那么|这样|太)?(?:激动|生气|发火|上火|冲动|大惊小怪|凶)",
    ),
    ("calm_down", "zh", "有话好好说"),
    ("calm_down", "zh", "(?:您|你)(?:的)?情绪(?:太|有点|比较|很)?激动"),
    ("calm_down", "zh", "至于(?:吗|这么|那么)"),
    ("calm_down", "zh", "淡定"),
    ("calm_down", "ro", "\\bsa va calmati\\b"),
    ("calm_down", "ro", "\\blinistiti-?va\\b"),
    ("calm_down", "ro", "\\bsa va linistiti\\b"),
    ("calm_down", "ro", "\\brelaxati-?va\\b"),
    ("calm_down", "ro", "\\bnu va (?:mai )?(?:agitati|enervati|infuriati)\\b"),
    ("calm_down", "ro", "\\bnu (?:e|este) cazul sa va (?:enervati|agitati|suparati|infuriati)\\b"),
    ("calm_down", "ro", "(?<!nu )\\bexagerati\\b"),
    (
        "sorry_but",
        "en",
        "\\b(?:sorry|apologi[sz]e|apologies|i regret)\\b[^.!?]{0,60}?\\b(?:but(?! also\\b)|however)\\b",
    ),
    ("sorry_but", "zh", "(?:对不起|抱歉|不好意思|很遗憾)[^。!?]{0,20}?(?:但是|可是|不过|但(?!凡))"),
    ("overpromise", "en", "\\b(?:i|we) (?:can |will )?(?:personally |absolutely )?(?:guarantee|swear)\\b"),
    ("overpromise", "en", "\\b(?:it'?s|that'?s|it is) guaranteed\\b"),
    ("overpromise", "en", "\\b(?:i|we) promise\\b[^.!?]{0,40}?\\bnever\\b"),
    ("overpromise", "en", "\\bnever\\b[^.!?]{0,40}?\\b(?:i|we) promise\\b"),
    (
        "overpromise",
        "en",
        "\\b(?:i|we) promise(?: you)?(?: that)? you(?:'ll| will| are going to|'re going to| get)\\b[^.!?]{0,30}?\\b(?:refund|money back|replacement|compensation|new one)",
    ),
    ("overpromise", "en", "\\b100 ?(?:%|percent)(?! of\\b)(?! din\\b)"),
    (
        "overpromise",
        "en",
        "\\byou(?:'ll| will) (?:definitely|certainly|surely|absolutely) (?:get|have|receive)\\b",
    ),
    ("overpromise", "en", "[,;-] ?no question[.!]*$"),
    ("overpromise", "en", "\\b(?:without (?:a|any) doubt|you have my word)\\b"),
    (
        "overpromise",
        "en",
        "\\b(?:definitely|guaranteed|for sure) (?:by |before )?(?:tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b",
    ),
    (
        "overpromise",
        "zh",
        "(?:我|我们)(?:可以|敢)?(?:向您|跟您|给您|和您|向你|跟你)?(?:百分之百|绝对|一定)?(?:保证|担保|发誓)",
    ),
    ("overpromise", "zh", "打包票|包(?:您|你)满意"),
    ("overpromise", "zh", "(?:百分之百|百分百)(?!的)"),
    ("overpromise", "zh", "100 ?%(?=[\\u4e00-\\u9fff])(?!的)"),
    (
        "overpromise",
        "zh",
        "(?:一定|肯定|绝对|保证)(?:能|会|可以)?(?:给您|帮您|给你|帮你|为您)?(?:办理)?(?:全额)?(?:退款|退全款|退钱|赔偿|换新)",
    ),
    ("overpromise", "zh", "(?:绝对|百分之百|保证|肯定)(?:不会|没)(?:有|再有|出)?(?:任何)?问题"),
    (
        "overpromise",
        "zh",
        "(?<!保证)(?<!担保)(?:明天|今天|马上|下午|后天|[一二两三四五六七八九十\\d]+天(?:之内|内)|(?:周|礼拜|星期)[一二三四五六日天])(?:前|之前)?(?:就)?(?:一定|肯定|绝对|百分之百)(?:能|会|可以)?(?:给您|帮您|给你|帮你|为您)?(?:修好|到|送到|到货|发货|解决|搞定|退)",
    ),
    ("overpromise", "zh", "(?:绝对|再也)不会再(?:发生|坏|出现|有)"),
    ("overpromise", "ro", "\\b(?:va|iti|te) (?:garantez|garantam|jur)\\b"),
    ("overpromise", "ro", "\\b100 ?(?:%|la suta)(?! din\\b)(?! of\\b)"),
    (
        "overpromise",
        "ro",
        "\\b(?:va|iti) promit ca (?:o sa |veti |vei )?(?:primiti|primesti|primi|aveti|ajunge|se rezolva|nu se (?:va )?mai|banii)",
    ),
    ("overpromise", "ro", "\\b(?:va|iti) (?:asigur|garantez|promit) ca\\b[^.!?]{0,30}?\\bniciodata\\b"),
    ("overpromise", "ro", "\\b(?:maine|azi|astazi) (?:ajunge|e gata|e reparat|primiti|aveti) sigur\\b"),
    ("overpromise", "ro", "\\bsigur (?:maine|azi|astazi)\\b"),
    ("overpromise", "ro", "[,;-] ?fara (?:discutie|discutii|doar si poate|nicio indoiala)[.!]*$"),
    (
        "argue",
        "en",
        "\\b(?:that'?s|that is|this is|it'?s|it is)(?: just| simply| absolutely| completely| totally)? (?:not true|untrue|incorrect|false|a lie|nonsense|rubbish)\\b",
    ),
    ("argue", "en", "\\b(?:that'?s|that is|this is) not (?:what|how it) happened\\b"),
    ("argue", "en", "\\byou(?:'re| are)(?: just| simply| completely| totally| absolutely| dead)? wrong\\b"),
    ("argue", "en", "\\bthat never happened\\b"),
    (
        "argue",
        "en",
        "\\b(?:that|this|it)(?: just| simply| absolutely| really)? (?:isn'?t|is not) (?:true|correct|what happened)\\b",
    ),
    ("argue", "en", "^no,? you (?:didn'?t|did not|never|weren'?t|haven'?t|don'?t|aren'?t)\\b"),
    ("argue", "en", "\\byou (?:never|didn'?t|did not) (?:call|ring|phone|email) us\\b"),
    ("argue", "zh", "(?<!我)(?:你|您)(?:这么|这样|那么)?(?:说|讲)(?:的|得)?(?:就)?(?:不对|不是事实|错了)"),
    ("argue", "zh", "^不是这样(?:的|子)?(?:[,。!]|$)"),
    ("argue", "zh", "根本(?:就)?没(?:有)?(?:人)?(?:给我们|跟我们|来|打过|说过)"),
    ("argue", "zh", "(?<![我帮替])(?:你|您)错了"),
    ("argue", "zh", "(?:这|那|你说的|您说的)(?:根本|完全|并)?不是(?:事实|真的)"),
    ("argue", "zh", "没(?:有)?这回事"),
    ("argue", "ro", "\\bnu (?:e|este)(?: deloc)? adevarat\\b"),
    ("argue", "ro", "(?<!nu )\\bgresiti\\b"),
    ("argue", "ro", "\\bva inselati\\b"),
    ("argue", "ro", "\\b(?:nu |n-)aveti dreptate\\b"),
    ("argue", "ro", "\\bnu s-a intamplat (?:asa|deloc|nimic de genul)\\b"),
    (
        "argue",
        "ro",
        "\\bnu (?:e|este|a fost)(?: deloc)? (?:asa )?cum (?:spuneti|ziceti|spui|zici|credeti)\\b",
    ),
    (
        "blame",
        "en",
        "^(?:just |please |maybe |next time,? )*(?:read|check|follow) the (?:manual|instructions|leaflet)(?: next time| first| properly| again)?[.!]*$",
    ),
    ("calm_down", "zh", "冷静(?:一点|一下|点)儿"),
    (
        "overpromise",
        "en",
        "\\btrust me\\b[^.!?]{0,60}?\\b(?:tomorrow|today|tonight|guaranteed|definitely|for sure|never)\\b",
    ),
    ("overpromise", "en", "[,;-] ?guaranteed[.!]*$"),
]


def _switched_off(AvoidPhrase):
    """(whether the whole coach is off, the rules with rows but none active), before any change."""
    existing = list(AvoidPhrase.objects.values_list("rule", "is_active"))
    coach_off = bool(existing) and not any(active for _, active in existing)
    return coach_off, {rule for rule, _ in existing} - {rule for rule, active in existing if active}


def _replace(AvoidPhrase, remove, add):
    coach_off, rules_off = _switched_off(AvoidPhrase)
    for rule, language, pattern in remove:
        AvoidPhrase.objects.filter(rule=rule, language=language, pattern=pattern, is_regex=True).delete()
    for rule, language, pattern in add:
        AvoidPhrase.objects.get_or_create(
            rule=rule,
            language=language,
            pattern=pattern,
            defaults={"is_regex": True, "is_active": not coach_off and rule not in rules_off},
        )


def refresh(apps, schema_editor):
    _replace(apps.get_model("complaints", "AvoidPhrase"), DROPPED, ADDED)


def restore(apps, schema_editor):
    _replace(apps.get_model("complaints", "AvoidPhrase"), ADDED, DROPPED)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0026_report_fixes")]

    operations = [
        migrations.AlterField(
            model_name="avoidphrase",
            name="language",
            field=models.CharField(
                choices=[
                    ("en", "English"),
                    ("zh", "Chinese (Simplified and Traditional)"),
                    ("ro", "Romanian"),
                    ("any", "Any language"),
                ],
                default="en",
                help_text="Chinese covers both scripts: a phrase written in Simplified or Traditional characters catches both.",
                max_length=3,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(refresh, restore),
    ]
