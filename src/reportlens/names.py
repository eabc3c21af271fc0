"""What a report and its parts are called on screen: short names (简称), unique labels, section names.

A short name is unit + year + topic and kind, 「市文旅局 2023 党风廉政报告」, 「上海市 2026 政府工作报告」: short
enough for a chart axis or a chip, and it always keeps the year, so the reports of one series can be told apart.
A user may give a report its own short name (kept in the library); otherwise ``infer_short_name`` makes one
from the metadata, so an edited year or unit shows at once. Full titles stay for tooltips, tables and CSVs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd

from reportlens.roles import ROLE_LABELS

TOPIC_MAX = 8  # characters of the topic kept in a short name (「机关作风突出问题专项整治」 → 「机关作风突出问题」)

# Official abbreviations of unit names, applied in order: 「***市文化和旅游局」 → 「市文旅局」.
UNIT_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("中华人民共和国", ""),
    ("中国共产党", ""),
    ("中共", ""),
    ("人民政府", ""),
    ("文化和旅游", "文旅"),
    ("文化广电和旅游", "文广旅"),
    ("发展和改革", "发改"),
    ("卫生健康", "卫健"),
    ("住房和城乡建设", "住建"),
    ("人力资源和社会保障", "人社"),
    ("市场监督管理", "市场监管"),
    ("自然资源和规划", "自然资源"),
    ("委员会", "委"),
)
# Masked place names in published samples: 「***市」「＊市」 (the mask is dropped, the level kept)
RE_MASK = re.compile(r"[*＊]+")
# A year in a title, also several and in Chinese numerals: 「2026年」「2023年度」「1980、1981年」「一九五八年度」
RE_TITLE_YEAR = re.compile(r"(?:(?:19|20)\d\d|[一二三四五六七八九〇零○]{4})(?:年?[、—–\-到至](?:(?:19|20)\d\d|[一二三四五六七八九〇零○]{4}))*年度?|(?<!\d)(?:19|20)\d\d[_\s]+")
# The issuer a title opens with: 「上海市政府工作报告」「宁夏回族自治区……」「中华人民共和国国务院……」
RE_TITLE_ISSUER = re.compile(r"^(?:中华人民共和国)?(国务院|[\u4e00-\u9fff]{2,7}?(?:自治区|省|市|县|区|州|盟|旗))(?=人民政府|政府|[\u4e00-\u9fff]{2})")
# A unit as some openings name it: 「我代表上海市人民政府」「省长刘小涛代表省人民政府」 → the part after 代表
RE_UNIT_SPEAKER = re.compile(r"^.*代表|^我")
# Characters no unit name holds once abbreviated (「经济结构和区域布局」 was cut from a sentence)
RE_NOT_A_UNIT = re.compile(r"[的和在请并存与及，。、]")
UNIT_MAX = 8  # characters of an abbreviated unit; a longer match is most likely part of a sentence
LEVEL_WORDS = frozenset({"省", "市", "县", "区", "州", "自治区", "盟", "旗"})  # a unit named by its level alone
# Separators a title taken from a file name holds: 「2026_四川省_政府工作报告」
RE_SPACES = re.compile(r"[\s_]+")
# A bracketed remark in a title: 「（草案）」「(2023年)」
RE_TITLE_REMARK = re.compile(r"[（(][^）)]{0,12}[）)]")
# The first quoted name in a title: 「“能力作风建设年”活动及……」 → 能力作风建设年
RE_QUOTED = re.compile(r"[“\"「]([^”\"」]{2,16})[”\"」]")
# What a title says about its own form, at its end: 「……工作情况报告」「……开展情况汇报」「……自查评估报告」
RE_TITLE_FORM = re.compile(r"的?(工作)?(开展)?(情况)?(自查评估|自查|评估|述职)?(报告|汇报|总结)$")
# Verbs that open a topic without naming it: 「关于贯彻执行中央八项规定精神……」 → 中央八项规定精神
RE_TOPIC_VERB = re.compile(r"^(关于)?(我国|我省|我市|我县|我区|我局)?(认真)?(贯彻执行|贯彻落实|深入开展|扎实开展|开展|加强|推进|落实|做好)?")
# A generic last word of a topic: 「党风廉政建设」 → 党风廉政 (only when four characters remain)
RE_TOPIC_GENERIC_END = re.compile(r"(工作|情况|建设|活动)$")
# A conjunction joining two topics: 「领导班子和干部队伍建设」 → 领导班子
RE_TOPIC_JOIN = re.compile(r"[和及与、]")
# The kind of report as a short name ends: 情况报告 → 报告, 情况汇报 → 汇报, 工作总结 → 总结
KIND_ENDINGS = {"情况报告": "报告", "情况汇报": "汇报", "工作总结": "总结"}


def short_unit(unit: str) -> str:
    """The unit as it is commonly abbreviated: 「***市文化和旅游局」 → 「市文旅局」, 「上海市人民政府」 → 「上海市」."""
    short = RE_SPACES.sub("", RE_MASK.sub("", unit))
    for long, abbreviation in UNIT_ABBREVIATIONS:
        short = short.replace(long, abbreviation)
    return short


def _clean_title(title: str) -> str:
    """The title without its years and bracketed remarks: 「2026年上海市政府工作报告」 → 上海市政府工作报告."""
    return RE_SPACES.sub("", RE_TITLE_REMARK.sub("", RE_TITLE_YEAR.sub("", title))).strip("、")


def _issuer(title: str, unit: str) -> str:
    """Who issued the report, shortened: the place a title opens with (「江苏省政府工作报告」 → 江苏省), else the
    unit when it reads as one (「***市文化和旅游局」 → 市文旅局; 「我代表上海市人民政府」 → 上海市), else ""."""
    if found := RE_TITLE_ISSUER.match(_clean_title(title)):
        return found.group(1)
    short = short_unit(RE_UNIT_SPEAKER.sub("", unit.strip()))
    plausible = 2 <= len(short) <= UNIT_MAX and not RE_NOT_A_UNIT.search(short) and short not in LEVEL_WORDS
    return short if plausible else ""


def _topic(title: str, *, issuer: str, unit: str) -> str:
    """What the title is about, without its year, issuer and form: 「党风廉政建设工作情况报告」 → 党风廉政."""
    if quoted := RE_QUOTED.search(title):
        return quoted.group(1)[:TOPIC_MAX]
    topic = RE_TITLE_FORM.sub("", _clean_title(title))
    names = {issuer, unit, short_unit(unit), RE_MASK.sub("", unit)}
    names.update(long for long, _ in UNIT_ABBREVIATIONS[:3])  # 中华人民共和国, 中国共产党, 中共
    for name in sorted(names - {""}, key=len, reverse=True):
        topic = topic.replace(name, "")
    topic = RE_TOPIC_VERB.sub("", RE_MASK.sub("", topic))
    topic = RE_TOPIC_JOIN.split(topic, maxsplit=1)[0]
    while len(trimmed := RE_TOPIC_GENERIC_END.sub("", topic)) >= 4 and trimmed != topic:
        topic = trimmed
    return "" if topic in ("政府", "人民政府") else topic[:TOPIC_MAX]


def _form(title: str) -> str:
    """The form a title ends with, shortened: 「……自查评估报告」 → 自查报告, 「……开展情况汇报」 → 汇报; "" if none."""
    found = RE_TITLE_FORM.search(_clean_title(title))
    if not found:
        return ""
    check = found.group(4) or ""
    return ("自查" if check.startswith("自查") else check) + found.group(5)


def infer_short_name(title: str, *, unit: str = "", year: int | None = None, kind: str = "") -> str:
    """A short name from the metadata: issuer + year + topic and form, 「市文旅局 2023 党风廉政报告」.

    The year is always there when it is known. A title naming no topic of its own ends with the kind
    (「上海市 2026 政府工作报告」).
    """
    issuer = _issuer(title, unit)
    topic = _topic(title, issuer=issuer, unit=unit)
    form = _form(title)
    # a topic of its own takes the title's form (报告, 汇报, 自查报告); without one the kind says what it is
    ending = (form or KIND_ENDINGS.get(kind, kind) or "报告") if topic else (kind or form or "报告")
    known = year is not None and not pd.isna(year)
    pieces = [issuer, str(int(year)) if known else "", topic + ending]  # type: ignore[arg-type]
    return " ".join(p for p in pieces if p)


def unique_labels(names: Sequence[str], years: Sequence[object]) -> list[str]:
    """``names`` made unique: a repeated name gets its year (unless it shows it already), then a running
    number （2）（3）… if it is still repeated. Order and the first of each name are kept."""
    counts = Counter(names)
    labels = []
    for name, year in zip(names, years, strict=True):
        known = year is not None and not pd.isna(year)
        add_year = counts[name] > 1 and known and str(int(year)) not in name  # type: ignore[call-overload]
        labels.append(f"{name}（{int(year)}）" if add_year else name)  # type: ignore[call-overload]
    seen: Counter[str] = Counter()
    out = []
    for label in labels:
        seen[label] += 1
        out.append(label if seen[label] == 1 else f"{label}（{seen[label]}）")
    return out


def display_names(reports: pd.DataFrame) -> pd.DataFrame:
    """``reports`` (``title``, ``year``, ``unit``, ``kind`` and, when present, ``short_name``: a name the user
    gave, "" for none) with two unique display columns: ``label``, the full title (tooltips, tables, CSVs),
    and ``short``, the short name (chart axes, chips, pickers)."""
    out = reports.copy()
    given = out["short_name"] if "short_name" in out.columns else pd.Series("", index=out.index)
    shorts = [
        str(own).strip()
        or infer_short_name(str(title), unit=str(unit or ""), year=None if pd.isna(year) else int(year), kind=str(kind or ""))
        for own, title, unit, year, kind in zip(
            given.fillna(""), out["title"], out["unit"], out["year"], out["kind"], strict=True
        )
    ]
    years = out["year"].tolist()
    out["label"] = unique_labels(out["title"].astype(str).tolist(), years)
    out["short"] = unique_labels(shorts, years)
    return out


def section_name(heading: str, role: str, labels: Mapping[str, str] | None = None, *, title: str = "") -> str:
    """A section's name for reading: its heading; a section without one (the preamble, an un-headed problems
    paragraph) is named in brackets by its title if the parser gave it one, else by its part (labels from
    ``labels``, by default the role registry's): 〔导语〕, 〔存在问题〕."""
    if heading:
        return heading
    return f"〔{title or (labels or ROLE_LABELS).get(role, role)}〕"
