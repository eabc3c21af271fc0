"""Metadata a report does not state outright: title, year (with its evidence), issuing unit, kind of report."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from reportlens.normalize import RE_ANY_MARKER

# A title line: short, no sentence end, naming the kind of document. 「2026年上海市政府工作报告」
HEADLINE_MIN, HEADLINE_MAX = 6, 40
RE_TITLE_LINE = re.compile(r"^[^。！？；：:，]{4,60}(报告|总结|汇报|述职|情况|说明|意见|材料)$")
# The preamble's closing formula: 「现将我局关于贯彻执行中央八项规定精神工作汇报如下：」
RE_REPORT_AS_FOLLOWS = re.compile(r"现将(.{2,80}?)(报告|汇报|总结|说明)如下")
# 「关于贯彻执行中央八项规定精神工作的报告」
RE_ABOUT = re.compile(r"关于([^，。；“”《》]{2,40}?)的(报告|汇报|总结|情况)")
# A self-check: 「对机关作风突出问题专项整治情况进行了认真自查评估」
RE_SELF_CHECK = re.compile(r"对([^，。；]{4,30}?)(情况)?进行了?(?:认真|全面|深入)?的?(自查评估|自查|评估)")
# A named campaign or activity in the preamble: 「“能力作风建设年”活动」「“为群众办实事办好事”主题活动」
RE_ACTIVITY = re.compile(r"“[^”]{2,20}”(主题活动|活动|专项行动|行动)")
# Any 关于……的 phrase: 「关于党风廉政建设工作的决策部署」 → 党风廉政建设工作
RE_ABOUT_ANY = re.compile(r"关于([^，。；“”《》<>]{2,20}?)的")
# A generic 现将 phrase that names no topic: 「现将工作开展情况、存在的问题及整改措施等情况」
RE_GENERIC_TOPIC = re.compile(r"^(我局|我单位|我们)?(的)?(关于)?(工作|有关|相关|具体|主要)?(开展)?(相关)?(情况|工作)")
# Who wrote it: 「***市文化和旅游局」「*市文化和旅游局」「上海市人民政府」
RE_UNIT = re.compile(r"([*＊\u4e00-\u9fff]{0,8}?(?:省|市|县|区|州|盟|旗)[\u4e00-\u9fff]{0,8}?(?:局|委员会|办公室|人民政府|厅|委))")
# The place character a ``RE_UNIT`` match holds within its first nine: 「上海市人民政府」「***市文化和旅游局」
RE_UNIT_PLACE = re.compile(r"[省市县区州盟旗]")
# A ``RE_UNIT`` match opens at most this many characters before its place character, and ends at most this many
# after it (8 more characters, then the longest ending: 人民政府).
UNIT_BEFORE_PLACE, UNIT_AFTER_PLACE = 8, 13
RE_MASKED_UNIT = re.compile(r"([*＊]+[\u4e00-\u9fff]{0,3}?(?:省|市|县|区)[\u4e00-\u9fff]{1,8}?(?:局|委员会|办公室|厅))")

# A four-digit year standing alone (not inside a hex id): 「2026年」「_2023_」
RE_YEAR = re.compile(r"(?<![0-9A-Za-z])(19[4-9]\d|20\d\d)(?![0-9A-Za-z])")
# The dateline under a speech title: 「——2026年2月3日在上海市第十六届人民代表大会第四次会议上」
RE_DATELINE = re.compile(r"(19[4-9]\d|20\d\d)年\d{1,2}月\d{1,2}日在.{0,40}?(会议|大会)上")
# A review of the previous year: 「一、2024年工作回顾」 → report of 2025
RE_REVIEW_YEAR = re.compile(r"(19[4-9]\d|20\d\d)年(国内)?工作回顾")
# A plan for the report's own year: 「三、2025年政府工作任务」「2026年重点工作」
RE_PLAN_YEAR = re.compile(r"(19[4-9]\d|20\d\d)年(的)?(政府)?(工作任务|重点工作|主要任务|工作安排|工作建议)")
# A year written in Chinese numerals: 「一九五五年」
RE_CN_YEAR = re.compile(r"([一二三四五六七八九〇零○]{4})年")
CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
# Targets of the five-year plan about to start: 「“十五”期间的奋斗目标」 → its first year
FIVE_YEAR_PLANS = {"九五": 1996, "十五": 2001, "十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
RE_PLAN_PERIOD = re.compile(r"“(九五|十五|十一五|十二五|十三五|十四五|十五五)”(时期|期间)的?(主要|奋斗)?目标")
# The opening looks back on a finished year: 「1991年，……」 under 「过去一年」「一年来」「回顾」
RE_LOOKING_BACK = re.compile(r"过去的?一年|去年|一年来|回顾")
OPENING_CHARS = 400


@dataclass(frozen=True)
class EventCue:
    """A dated event whose mention bounds the year a report was written in."""

    pattern: re.Pattern[str]
    first: int
    last: int
    weight: float
    note: str


# Years are the years a report mentioning the event is most likely written in.
EVENT_CUES: tuple[EventCue, ...] = (
    EventCue(re.compile(r"(迎接|喜迎|召开|胜利召开)党的二十大|二十大(胜利)?召开"), 2022, 2022, 3, "迎接/召开党的二十大"),
    EventCue(re.compile(r"二十大(会议)?精神"), 2023, 9999, 2, "学习贯彻党的二十大精神（2022年10月后）"),
    EventCue(re.compile(r"二十届三中全会"), 2024, 9999, 3, "党的二十届三中全会（2024年7月）"),
    EventCue(re.compile(r"二十届四中全会|十五五"), 2025, 9999, 3, "党的二十届四中全会 / “十五五”"),
    EventCue(re.compile(r"(学习贯彻习近平新时代中国特色社会主义思想)?主题教育"), 2023, 2024, 1, "主题教育（2023年）"),
    EventCue(re.compile(r"党纪学习教育"), 2024, 2024, 3, "党纪学习教育（2024年）"),
    EventCue(re.compile(r"中央八项规定精神学习教育"), 2025, 2025, 3, "中央八项规定精神学习教育（2025年）"),
    EventCue(re.compile(r"党史学习教育"), 2021, 2022, 1, "党史学习教育（2021年）"),
    EventCue(re.compile(r"不忘初心、?牢记使命"), 2019, 2020, 1, "“不忘初心、牢记使命”主题教育（2019年）"),
    EventCue(re.compile(r"两学一做"), 2016, 2017, 1, "“两学一做”学习教育（2016年）"),
    EventCue(re.compile(r"新冠|复工复产|常态化疫情防控|疫情防控和经济社会发展"), 2020, 2022, 2, "新冠疫情防控 / 复工复产（2020—2022年）"),
    EventCue(re.compile(r"能力作风建设年"), 2022, 2022, 1, "“能力作风建设年”活动（2022年）"),
    EventCue(re.compile(r"十九大(会议)?精神"), 2018, 9999, 1, "学习贯彻党的十九大精神（2017年10月后）"),
    EventCue(re.compile(r"十四五"), 2020, 2025, 1, "“十四五”时期"),
)


@dataclass(frozen=True)
class YearGuess:
    year: int | None
    source: str
    evidence: str


def _lines(text: str, limit: int = 40) -> list[str]:
    return [line.strip() for line in text.split("\n", limit)[:limit] if line.strip()]


def opening(text: str, limit: int = 1500) -> str:
    """The preamble: the lines before the first numbered heading, at most ``limit`` characters."""
    # Lines after the one holding character ``limit`` cannot change the result: only those up to it are split.
    cut = text.find("\n", limit)
    out: list[str] = []
    for line in (text if cut < 0 else text[:cut]).split("\n"):
        if RE_ANY_MARKER.match(line) and out:
            break
        out.append(line)
    return "\n".join(out)[:limit]


def _title_line(text: str) -> str | None:
    for line in _lines(opening(text), 25):
        if RE_TITLE_LINE.match(line) and not line.startswith(("——", "关于印发")) and not RE_ANY_MARKER.match(line):
            return line
    return None


def _headline(text: str) -> str | None:
    """A first line that reads as a headline above the text (「县纪委监委开展节前作风建设专项督查」): short, no
    sentence or clause mark, no heading marker, and text after it."""
    lines = [line.strip() for line in text.strip().split("\n", 2)]
    if len(lines) < 2 or not lines[1]:
        return None
    first = lines[0]
    if not HEADLINE_MIN <= len(first) <= HEADLINE_MAX or RE_ANY_MARKER.match(first) or any(m in first for m in "。！？；：:，,"):
        return None
    return first


def infer_title(text: str, *, file_name: str = "") -> str:
    """A title line if the text has one; else one built from 「现将……报告如下」/「关于……的报告」; else the file name."""
    line = _title_line(text)
    if line:
        return line
    head = opening(text)
    unit = infer_unit(text)
    prefix = unit if unit and "*" not in unit else ""
    match = RE_REPORT_AS_FOLLOWS.search(head)
    noun = match.group(2) if match else "报告"
    noun = "报告" if noun == "说明" else noun
    if match:
        topic = re.sub(r"^(我局|我单位|我们)", "", match.group(1)).strip("，、 ")
        if not RE_GENERIC_TOPIC.match(topic) and len(topic) >= 4:
            return f"{prefix}{topic}{noun}"
    about = RE_ABOUT.search(head)
    if about:
        return f"{prefix}关于{about.group(1)}的{about.group(2) if about.group(2) != '情况' else '情况报告'}"
    if checked := RE_SELF_CHECK.search(head):
        return f"{prefix}{checked.group(1)}{checked.group(3)}报告"
    if topic := _topic_phrase(head):
        return f"{prefix}{topic}{noun}"
    if about_any := RE_ABOUT_ANY.search(head):
        return f"{prefix}{about_any.group(1)}情况{noun}"
    if headline := _headline(text):
        return headline
    stem = PurePath(file_name).stem if file_name else ""
    return stem or (text.strip().split("\n")[0][:30] if text.strip() else "未命名报告")


def _topic_phrase(head: str) -> str:
    """The activities the preamble names: 「“能力作风建设年”活动及“为群众办实事办好事”主题活动开展情况」."""
    names = list(dict.fromkeys(m.group(0) for m in RE_ACTIVITY.finditer(head)))
    return "及".join(names[:2]) + "开展情况" if names else ""


def infer_unit(text: str, *, title: str = "") -> str:
    """The issuing unit named in the title or opening (「***市文化和旅游局」, 「上海市人民政府」), or ""."""
    opening = f"{title}\n{text[:1200]}"
    masked = RE_MASKED_UNIT.search(opening)
    if masked:
        return masked.group(1)
    found = _unit_names(opening)
    return Counter(found).most_common(1)[0][0] if found else ""


def _unit_names(head: str) -> list[str]:
    """``RE_UNIT.findall(head)``, searching only the stretches around place characters (省, 市, 县, 区, …).

    Every match lies within ``UNIT_BEFORE_PLACE`` characters before and ``UNIT_AFTER_PLACE`` after one of its
    place characters; stretches that overlap are merged, so no match spans two. The pattern looks neither
    behind nor ahead, so searching each stretch on its own finds what searching the whole text finds — without
    the regex engine trying every position of it, most of them far from any place character.
    """
    found: list[str] = []
    start = end = 0
    for match in RE_UNIT_PLACE.finditer(head):
        low = max(match.start() - UNIT_BEFORE_PLACE, 0)
        if low > end:
            found += RE_UNIT.findall(head, start, end)
            start = low
        end = match.start() + UNIT_AFTER_PLACE
    found += RE_UNIT.findall(head, start, end)
    return found


def infer_kind(text: str, *, title: str = "") -> str:
    """工作总结 / 自查报告 / 情况汇报 / 述职报告 / 政府工作报告, from the title and the opening."""
    head = f"{title}\n{opening(text)}"
    if "政府工作报告" in head or "向大会报告" in head or "作政府工作报告" in head:
        return "政府工作报告"
    if "述职" in head:
        return "述职报告"
    if "自查" in head:
        return "自查报告"
    if re.search(r"汇报(如下)?", head):
        return "情况汇报"
    if "总结" in head:
        return "工作总结"
    return "情况报告"


def _event_guess(text: str) -> YearGuess | None:
    this_year = date.today().year
    hits = [(cue, m.group(0)) for cue in EVENT_CUES if (m := cue.pattern.search(text))]
    if not hits:
        return None
    scores: dict[int, float] = {}
    for year in range(1949, this_year + 1):
        scores[year] = sum(cue.weight for cue, _ in hits if cue.first <= year <= cue.last)
    best = max(scores.values())
    if best == 0:
        return None
    year = min(y for y, s in scores.items() if s == best)
    used = [f"「{quote}」→{cue.note}" for cue, quote in hits if cue.first <= year <= cue.last]
    return YearGuess(year, "inferred", "据文中事件推断：" + "；".join(used))


def _cn_year(value: str) -> str:
    """「一九五五」 → "1955"."""
    return "".join(CN_DIGITS[c] for c in value)


def infer_year(text: str, *, title: str = "", file_name: str = "") -> YearGuess:
    """The report's year and where it came from, strongest evidence first.

    title → file name → dateline (「2026年2月3日在……会议上」) → a reviewed year + 1 (「2024年工作回顾」) →
    a planned year (「2025年政府工作任务」) → dated events mentioned in the text (an inferred best guess) →
    the commonest explicit year in the opening (inferred). None when nothing points to a year.
    """
    title_line = title or _title_line(text) or ""
    if match := RE_YEAR.search(title_line):
        return YearGuess(int(match.group(1)), "title", f"标题「{title_line}」")
    if file_name and (match := RE_YEAR.search(PurePath(file_name).stem)):
        return YearGuess(int(match.group(1)), "filename", f"文件名「{file_name}」")
    if match := RE_DATELINE.search(text[:3000]):
        return YearGuess(int(match.group(1)), "dateline", f"文中日期「{match.group(0)}」")
    if match := RE_REVIEW_YEAR.search(text):
        return YearGuess(int(match.group(1)) + 1, "text", f"「{match.group(0)}」为上一年的回顾")
    if match := RE_PLAN_YEAR.search(text):
        return YearGuess(int(match.group(1)), "text", f"「{match.group(0)}」")
    if guess := _event_guess(text):
        return guess
    if match := RE_PLAN_PERIOD.search(text):
        start = FIVE_YEAR_PLANS[match.group(1)]
        return YearGuess(start, "inferred", f"「{match.group(0)}」→该五年规划（计划）的第一年")
    head = text[:OPENING_CHARS]
    years = RE_YEAR.findall(head) + [_cn_year(y) for y in RE_CN_YEAR.findall(head)]
    if years:
        year, _ = Counter(years).most_common(1)[0]
        if RE_LOOKING_BACK.search(head):
            return YearGuess(int(year) + 1, "inferred", f"开头回顾「{year}年」的工作，报告应写于次年")
        return YearGuess(int(year), "inferred", f"开头出现的年份「{year}年」")
    return YearGuess(None, "unknown", "文中没有可判断年份的线索，请手动填写")
