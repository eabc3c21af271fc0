"""The wording the parser looks for, as named patterns. Every pattern is matched against the canonical view of
the text (``canon.canonical_view``: full-width punctuation, simplified characters), so 「;」 is 「；」 and 「問題」
is 「问题」 here. Each comment shows a real line the pattern matches.
"""

from __future__ import annotations

import re

NUMERALS = "一二三四五六七八九十百零〇两"
CN = f"[{NUMERALS}]"

# ---- heading markers at the start of a line (each captures its number) -----------------------------------------
# 「一、工作开展情况」「三．下一步打算」「二 存在的问题」 (a space for the comma, as text from PDFs has it)
RE_MARK_CN = re.compile(rf"^({CN}{{1,4}})(?:[、．.]|[ 　]+(?=[\u4e00-\u9fff]))")
# A numeral alone on its line, the part's number without a title (State Council 1960: 「一」 … 「二」)
RE_MARK_CN_ALONE = re.compile(rf"^({CN}{{1,3}})$")
# 「（一）加强干部选拔培养，提升干事创业水平」
RE_MARK_PAREN_CN = re.compile(rf"^（({CN}{{1,4}})）")
# 「第一部分 工作回顾」「第二章 存在问题」: a part of the report, above its 一、
RE_MARK_PART = re.compile(rf"^第({CN}{{1,4}})(?:部分|章|篇)")
# 「第一，全国动员，大办农业」「第二、关于工业生产」
RE_MARK_ORDINAL = re.compile(rf"^第({CN}{{1,4}})(?:[，、：．.]|节)")
# 「1、提高政治站位，强化组织领导」「2．……」「12.……」 but not 「2.5」
RE_MARK_ARABIC = re.compile(r"^(\d{1,3})(?:[、．]|\.(?!\d))")
# 「（1）完善考核机制」「1）阵地设施老化」 (the opening bracket left out)
RE_MARK_PAREN_ARABIC = re.compile(r"^（?(\d{1,3})）")
# 「①加强督导检查」
RE_MARK_CIRCLED = re.compile(r"^([①-⑳])")
# 「一查立场是否坚定方面」: the numeral is part of the title ("the first check")
RE_MARK_CHA = re.compile(rf"^({CN}{{1,2}})查")
# 「一是加强学习，提高认识。」「二要严格执法」 at the start of a line
RE_MARK_SHI = re.compile(rf"^({CN}{{1,3}})[是要]")

# Marker styles in the order GB/T 9704 nests them, under the parts 「第一部分」 of a long report (the prior when
# two could be the top layer).
STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", RE_MARK_PART),
    ("cn", RE_MARK_CN),
    ("cn_alone", RE_MARK_CN_ALONE),
    ("paren_cn", RE_MARK_PAREN_CN),
    ("ordinal", RE_MARK_ORDINAL),
    ("arabic", RE_MARK_ARABIC),
    ("paren_arabic", RE_MARK_PAREN_ARABIC),
    ("circled", RE_MARK_CIRCLED),
    ("cha", RE_MARK_CHA),
    ("shi", RE_MARK_SHI),
)
PRIOR = {name: rank for rank, (name, _) in enumerate(STYLES)} | {"bare": -1}
# One pattern for all of them: the first group that takes part names the style.
RE_ANY_MARK = re.compile("|".join(f"(?:{p.pattern})" for _, p in STYLES))
# Styles whose line-start members are items of a list rather than headings of a part when nothing nests them.
LIST_STYLES = frozenset({"shi", "cha", "circled"})

# ---- inline enumerations inside a paragraph ---------------------------------------------------------------------
# 「……的问题，一是主动学习自觉性不高。……二是学习制度坚持的不好。」
RE_INLINE_SHI = re.compile(rf"(?:^|(?<=[。；，：！？ ]))({CN}{{1,3}})是", re.M)
# 「……一要落实属地责任。二要加强执法检查。」
RE_INLINE_YAO = re.compile(rf"(?:^|(?<=[。；，：！？ ]))({CN}{{1,3}})要", re.M)
# A part heading whose line break was lost (text pasted from a web page, a PDF without paragraph marks), run on
# after the sentence before it: 「……城市书房3个。二、存在的问题。馆舍面积小……」. Its title is short and ends at
# the first full stop or colon, with no comma before it: 「。一、加强领导，成立专班。」 stays a sentence.
RE_INLINE_PART = re.compile(rf"(?:^|[。！？])\s*([{NUMERALS[:10]}])、(?=[^。！？；，：:\n]{{2,30}}[。：:])")
# 「……方面。1、为了……；2、在贯彻……」
RE_INLINE_ARABIC = re.compile(r"(?:^|(?<=[。；：！？ ]))(\d{1,3})[、．](?!\d)", re.M)
# 「……主要有：（一）……；（二）……」
RE_INLINE_PAREN = re.compile(rf"(?:^|(?<=[。；：！？ ]))（({CN}{{1,3}}|\d{{1,3}})）", re.M)
# 「……第一，压实生产经营者主体责任。第二，加强抽检监测。」
RE_INLINE_ORDINAL = re.compile(rf"(?:^|(?<=[。；：！？ ]))第({CN}{{1,3}})[，、：]", re.M)
# What the first member of each inline list begins with: a paragraph holding none of them holds no such list.
# 「首先，……其次，……最后，……」「一方面，……另一方面，……」: an order told in words
RE_INLINE_SEQUENCE = re.compile(r"(?:^|(?<=[。；，：！？ ]))(首先|其次|再次|然后|最后|一方面|另一方面)[，、]", re.M)
# The place each of those words gives (「最后」 and 「然后」 take the next one).
SEQUENCE_NUMBERS = {"首先": 1, "其次": 2, "再次": 3, "一方面": 1, "另一方面": 2}
RE_INLINE_FIRST_MEMBER = re.compile("一是|一要|（一）|（1）|1、|1．|第一|首先|一方面")
# What the second member of each begins with: a list needs two members, so a paragraph without one has none.
RE_INLINE_SECOND_MEMBER = re.compile("二是|二要|（二）|（2）|2、|2．|第二|其次|另一方面")
INLINE_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("shi", RE_INLINE_SHI),
    ("paren", RE_INLINE_PAREN),
    ("arabic", RE_INLINE_ARABIC),
    ("ordinal", RE_INLINE_ORDINAL),
    ("yao", RE_INLINE_YAO),
    ("sequence", RE_INLINE_SEQUENCE),
)

# ---- sentences and clauses --------------------------------------------------------------------------------------
# The end of a sentence: 「……落到实处。为进一步……」
RE_SENTENCE_END = re.compile(r"[。！？；]")
# The end of a sentence without 「；」 (a 「；」-list item ends there, a heading does not), or of a line
RE_FULL_STOP_OR_LINE = re.compile(r"[。！？\n]")
CLAUSE_MARKS = "，；：、"
# Adverbial leads a title must not consist of: 「近年来，」「五年来，」「目前，」
RE_ADVERBIAL_LEAD = re.compile(
    rf"^(?:近年来|近期|近来|{CN}{{1,3}}年来|多年来|长期以来|一直以来|目前|当前|同时|此外|另外|其中|总体上看|总的来看|从国际看|从国内看|"
    r"与此同时|在此基础上|一方面|另一方面)$"
)

# ---- header, closing and appendix zones ------------------------------------------------------------------------
# Page and publishing metadata: 「来源：北京日报」「时间：2026-02-02」「索引号：|…|」「【字号：大 中 小】」
RE_METADATA_LINE = re.compile(
    r"^(?:来源|时间|发布时间|发布日期|日期|作者|编辑|责任编辑|字号|索引号|文号|发文字号|发布机构|主题分类|浏览次数|点击数|信息来源|"
    r"稿源|成文日期|生效日期)[：]|[|｜]|^【字[体号]|^(?:下载|打印|全屏|收藏|分享|加大|还原|减小|关闭|返回顶部|纠错|打印本页|关闭窗口|"
    r"扫一扫.*|相关附件|相关链接|相关报道：?|相关稿件|大|中|小|】|减小】)$"
)
# The delivery line under a title: 「——2026年1月25日在北京市第十六届人民代表大会第四次会议上」
RE_DELIVERY_LINE = re.compile(r"^(?:——|－－|--)?.{0,12}\d{4}年\d{1,2}月\d{1,2}日在.{2,60}(?:会议|大会)上")
# A salutation: 「各位代表：」「县河长办：」「各位代表！」
RE_SALUTATION = re.compile(r"^.{1,20}[：！]$")
# The closing formula: 「特此报告。」「特此汇报」
RE_CLOSING_FORMULA = re.compile(r"^(?:特此(?:报告|汇报|说明|请示|通知|函告)|以上报告|妥否，请批示)[。！]?$")
# A dateline: 「2023年12月5日」「二〇二三年十二月五日」「2021-05-06」
RE_DATELINE = re.compile(rf"^(?:\d{{4}}|[{NUMERALS}]{{4}})\s*年\s*[\d{NUMERALS}]{{1,3}}\s*月\s*[\d{NUMERALS}]{{1,3}}\s*日$|^\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}}$")
# A signature: 「某某镇人民政府」「中共某某市文化和旅游局党组」
RE_SIGNATURE = re.compile(
    r"^(?:中共)?[\u4e00-\u9fff（）]{2,30}(?:政府|局|委|委员会|办公室|办|厅|部|处|科|所|院|站|中心|党组|党委|支部|总支|公司|集团|"
    r"街道|镇|乡|村|社区|大队|队|学校|医院|协会|联合会|小组|组)$"
)
# The start of an appendix: 「附件」「附件1：2026年省十件民生实事」「名词解释」「注释」
RE_APPENDIX = re.compile(r"^(?:附件\s*\d*|附表\s*\d*|附录\s*\d*|附[：:]|名词解释|注释|注解|编者按)(?:[：:：\s].{0,60})?$")

# ---- a document that is a plan --------------------------------------------------------------------------------
# A title naming a plan (「2024年工作要点」「关于……的实施方案」) and no review (「工作总结及2024年工作计划」 reviews too)
RE_PLAN_TITLE = re.compile(r"工作要点|工作计划|工作安排|工作思路|实施方案|行动方案|工作方案|行动计划")
RE_REVIEW_TITLE = re.compile(r"总结|回顾|情况|报告|汇报|述职|自查|检查|调研")

# ---- unnumbered part titles -------------------------------------------------------------------------------------
# Words a part title is made of: 「过去一年工作回顾」「2026年重点工作」「关于国内建设」「今后五年的奋斗目标」
# 「存在的差距」「今后的努力方向」
RE_PART_TITLE_WORD = re.compile(
    r"回顾|工作|任务|安排|部署|建议|目标|打算|措施|问题|不足|体会|情况|成绩|成效|做法|举措|建设|发展|改革|结束语|结语|总结|"
    r"思路|计划|要求|设想|方向|展望|下一?步|差距|短板|经验|^关于"
)
# Bookends: an opening or closing part beside the numbered ones: 「首先回顾去年的工作」「结束语」
RE_BOOKEND = re.compile(r"^(?:首先|结束语|结语|最后|总结|结尾|尾声)")

# ---- roles from heading wording (weight per match) --------------------------------------------------------------
# 「一、工作开展情况」「一、2024年工作回顾」「一、前期工作主要成绩」
RE_ROLE_ACHIEVEMENTS = re.compile(
    r"开展情况|主要成绩|工作成效|工作回顾|主要做法|成绩|成效|做法|完成情况|工作情况|执行情况|落实情况|回顾|成就|进展|"
    r"基本情况|主要工作|工作总结|整改情况|自查情况|检查情况|推进情况|工作开展"
)
# A heading that states a problem: 「（一）关于选人用人工作不规范的问题」「（二）隐患排查不彻底」
RE_PROBLEM_STATEMENT = re.compile(
    r"问题$|不到位|不规范|不彻底|不够|不足|不严|不力|不强|不高|不深|不实|不细|不全|不及时|不健全|不完善|滞后|薄弱|缺失|欠缺|差距|短板|弱项|偏低|偏弱|流于形式"
)
# What a part that draws lessons says: 「我们有以下几点体会」「深刻认识到」
RE_LESSONS = re.compile(r"体会|启示|经验|深刻认识|规律性认识|深切感到")
# Review words that name work in general rather than work done: 「三、2026年主要工作」
RE_WEAK_REVIEW = re.compile(r"主要工作|工作情况|基本情况|进展|推进情况")
# 「二、存在的主要问题」「二、检查发现的问题」「二、存在的困难」「二、短板弱项」
RE_ROLE_PROBLEMS = re.compile(
    r"(?:存在|发现|查摆|查找|查出|梳理|面临|遇到)的?(?:主要|突出)?(?:问题|不足|困难|差距|短板)|"
    r"(?:问题|困难|不足|差距|短板)(?:与|和|及|、)(?:不足|差距|短板|困难|问题|挑战|弱项|原因)|主要问题|突出问题|不足之处|"
    r"短板弱项|薄弱环节|(?<!若干)(?<!几个)(?<!有关)(?<!几点)(?:问题|不足|差距|困难)$|教训"
)
# 「三、下一步工作打算」「三、几点建议」「二、对今年政府工作的建议」「三、2024年的工作」「五、存在的主要问题及改进情况」
RE_ROLE_MEASURES = re.compile(
    r"下一?步|打算|改进(?:情况|方向|计划|打算)|整改(?:措施|方向|举措|意见)|努力方向|工作安排|工作计划|工作思路|工作任务|重点工作|主要任务|重点任务|工作重点|"
    r"建议|对策|措施|举措|今后|部署|(?:\d{4}年|今年|明年)的?(?:政府)?工作(?:$|安排|任务|要点|打算|计划)|工作要点|任务安排|计划安排|计划的?主要任务"
)
# 「二、“十五五”时期的主要目标和任务」「二、2024年经济社会发展总体要求和政策取向」「二、“十五五”发展的主要考虑」
RE_ROLE_GOALS = re.compile(
    r"总体要求|主要目标|预期目标|奋斗目标|发展目标|目标任务|政策取向|主要考虑|总体思路|指导思想|战略举措|重大举措|目标和"
)
# The plan of one year: 「2026年重点工作」「今年的工作安排」「2024年政府工作任务」
RE_YEAR_PLAN = re.compile(r"(?:\d{4}年|今年|明年)的?(?:政府)?(?:重点|主要)?(?:工作|任务)")
# A period of several years: 「“十五五”时期」「今后五年」
RE_MULTI_YEAR = re.compile(r"“?十[一二三四五六七八九]五”?|今后五年|未来五年|五年来|规划")
# An opening part that reviews: 「首先回顾过去一年的工作」「首先报告2001年的工作」
RE_OPENING_REVIEW = re.compile(r"^首先(?:简要)?(?:回顾|报告|总结|汇报)")
# 「三、几点体会」「三、关于国际形势和外交工作」「结束语」「四、加强政府自身建设」「关于……的说明」「三、问题产生的原因」
# 「六、其他需要报告的事项」
RE_ROLE_OTHER = re.compile(
    r"体会|经验|启示|说明|外交|国际形势|结束语|结语|政府自身建设|有关要求|工作要求|保障措施|组织保障|附则|背景|"
    r"原因|根源|剖析|其他(?:需要|应当)?(?:报告|说明)?的?事项"
)

# ---- roles from body wording ------------------------------------------------------------------------------------
# Done: 「开展了」「已」「增长5.2%」「取得」; events counted (「召开专题会议3次」「查处案件47起」) report work done
RE_DONE = re.compile(
    r"了(?!解)|已经?|取得|增长\d|下降\d|共计|累计|先后|圆满|顺利|成功|"
    r"\d+(?:\.\d+)?万?(?:人次|家次|批次|次|起)"
)
# The marks of a finished action: 「开展了」「已完成」
RE_DONE_MARK = re.compile(r"了(?!解)|已经?")
# Planned: 「要」「将」「必须」「着力」「力争」「今年」「下一步」
RE_PLANNED = re.compile(r"要|将|必须|着力|力争|确保|今年|明年|下一步|下步|拟|务必|努力|争取|预期|左右")
# Words holding 「要」 or 「将」 that plan nothing: 「重要」「主要」「要求」「将军」
RE_NOT_PLANNED = re.compile(r"重要|主要|需要|纲要|摘要|概要|简要|必要|提要|只要|要求|要点|要素|要闻|要件|要害|将军|将士|将领")
# An announced count of tasks: 「今年要重点做好以下三个方面工作」「重点做好十个方面工作：」「主要做了以下工作」
RE_ANNOUNCED = re.compile(rf"(?:做好|抓好|突出|着重|重点|以下)[^。]{{0,12}}?([{NUMERALS}\d]{{1,3}})(?:个方面|方面|项|件)的?(?:工作|任务|重点工作)")
RE_ANNOUNCE_PLAN = re.compile(r"(?:今年|明年|\d{4}年|下一步|下步|今后)[^。]{0,20}(?:要|将)?[^。]{0,10}(?:做好|抓好|着重|突出抓好|重点)[^。]{0,20}(?:工作|任务)")

# ---- un-headed problem passages ---------------------------------------------------------------------------------
SHORTFALL_NOUN = r"(?:问题|不足|困难|差距|短板|弱项|薄弱环节|矛盾|挑战|隐患|风险)"
# The opening of a passage of problems: 「我们也清醒看到」「还存在一些问题」「短板同样不容忽视」「发现的问题主要有：」
SHORTFALL_CUE = (
    r"清醒地?(?:看到|认识到|认识|意识到)|(?:也|还|同时|必须|应当|要)(?:要|应)?(?:清醒地?)?(?:看到|认识到)|"
    rf"(?:还|仍|仍然|也|依然|尚|还是)(?:存在|有|面临)(?:着)?(?:一些|不少|许多|诸多|较多|一定的?|某些)?[^，。；：]{{0,8}}?{SHORTFALL_NOUN}|"
    rf"{SHORTFALL_NOUN}(?:也|同样|仍然|依然)?不容忽视|{SHORTFALL_NOUN}(?:仍然|依然|还)?不少|"
    rf"(?:发现|查摆|查找|查出|梳理|存在|反映)(?:出)?的(?:主要)?{SHORTFALL_NOUN}(?:主要)?(?:有|是|为|如下|包括)?|"
    rf"(?:主要|突出)?(?:存在|有)(?:以下|如下)(?:几个|几方面)?的?{SHORTFALL_NOUN}|不足之处|存在的(?:主要)?{SHORTFALL_NOUN}"
)
# The characters a cue can begin with: looked ahead for first, which lets the regex engine pass over every other
# position quickly (a sixth of the time to scan a report; the matches are the same, as a test checks).
SHORTFALL_CUE_FIRST = "清也还同必应要仍依尚问不困差短弱薄矛挑隐风发查梳存反主突有"
RE_SHORTFALL_CUE = re.compile(f"(?=[{SHORTFALL_CUE_FIRST}])(?:{SHORTFALL_CUE})")
# The closing of a 「；」-list of problems: 「……等问题依然存在。」
RE_SHORTFALL_CLOSER = re.compile(r"等(?:方面的?)?(?:问题|不足|现象)(?:依然|仍然|还|仍|也)?(?:不同程度地?)?存在")
# A list closed by 「等问题」, right after the verb that has it: 「个别单位仍存在上班迟到早退、工作日午间饮酒、公车管理
# 不规范等问题」 (``RE_SHORTFALL_ETC`` finds the verb, ``RE_ETC_LIST`` takes the list from where it starts)
ETC_NOUN = r"等(?:方面的?)?(?:问题|不足|现象)"
RE_SHORTFALL_ETC = re.compile(rf"(?:仍然|仍|还|依然|也|普遍)?(?:存在|还有|仍有|也有)着?(?=[^。；：]{{2,160}}?{ETC_NOUN})")
RE_ETC_LIST = re.compile(rf"([^。；：]{{2,160}}?){ETC_NOUN}")
ETC_SIGNS = ("等问题", "等不足", "等现象", "等方面")
# A finding of no problem: 「我单位不存在超编配备公务用车问题」「未发现违规问题」
RE_NO_PROBLEM = re.compile(r"(?:不存在|未发现|没有发现|无|没有)[^，。；]{0,16}?(?:问题|现象|情况)")
# A generic statement of shortfall, a lead-in rather than a problem: 「我国发展中还存在不少困难和问题」「老问题、新挑战仍然不少」
RE_GENERIC_SHORTFALL = re.compile(
    rf"(?:存在|有|面临|看到|认识到)[^，。；：]{{0,20}}?(?:一些|不少|许多|诸多|较多|以下|如下)?[^，。；：]{{0,6}}?{SHORTFALL_NOUN}(?:和{SHORTFALL_NOUN})?"
    rf"(?:[，：]?(?:主要是|主要有|主要表现在|具体是|表现在))?$|仍然不少$|不容忽视$|{SHORTFALL_NOUN}$"
)
# A lead-in inside a sentence, up to its colon or comma: 「主要是：」「突出表现在，」「具体表现为：」
RE_MAINLY = re.compile(r"(?:主要|突出|具体)(?:是|有|表现在|表现为|体现在)[：，]?")
# A lead-in closed by a colon that announces the list after it: 「经检查，主要存在以下问题：」「存在的不足：」
RE_LEAD_IN = re.compile(r"以下|如下|下列|(?:问题|不足|差距|短板|困难|隐患)[^，。；]{0,4}$")
LEAD_IN_MAX = 30  # a lead-in is short: its colon comes within this many characters of the sentence's start
# The resolve after a list of problems: 「我们要直面这些问题挑战」「对此，我们将采取有力措施」
RE_RESOLVE = re.compile(
    r"直面|正视|高度重视|加以解决|认真解决|切实解决|着力解决|努力解决|决不辜负|决不能|采取(?:有力|有效|切实)?措施|^对此|^对于这些|^对这些|"
    r"^这些[^，。；]{0,12}?(?:问题|困难|矛盾|挑战)|^针对(?:上述|以上|这些)|^我们(?:一定|将|要|必须)|^必须(?:高度)?重视"
)
# A trailing 「，等等」 that is no part of the last item
RE_ETC = re.compile(r"[，；]?等等$")

# ---- un-headed plan paragraphs ----------------------------------------------------------------------------------
# 「下一步，针对问题我局将结合自身工作实际……」「今后，我们将……」「下步工作：一是……」「针对上述问题，……」
RE_MEASURES_OPENER = re.compile(
    r"^(?:下一步|下步|下一阶段|下阶段|今后一个时期|今后一段时间|今后)[，：]?(?:工作中，?)?(?:我|本|将|要|针对|重点|继续|结合|围绕|进一步)|"
    r"^(?:下一步|下步|下一阶段|下阶段)的?(?:工作)?(?:打算|计划|措施|重点|安排|思路)?[，：]|"
    r"^针对(?:上述|以上|存在的|这些|检查发现的)问题"
)

# ---- lead-ins of a list -----------------------------------------------------------------------------------------
# 「当前仍有」「但」「同时」 before the first item of a 「；」-list (used with ``match`` at a clause's start)
RE_LIST_LEAD = re.compile(r"(?:当前|目前|但是?|同时|然而)(?:仍然|仍|还|也)?(?:存在|有)?")
