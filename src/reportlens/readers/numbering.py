"""Word's automatic list numbers, rendered as Word shows them (shared by the .docx and .doc readers).

A heading such as 「一、工作开展情况」 is often typed as 「工作开展情况」 in a paragraph that Word numbers
itself; the paragraph's text lacks that number, and with it the report's structure. A list level has a format
(decimal, chineseCounting, …), a template (``%1、``, ``（%2）``) and a start value; ``label`` advances a level's
counter (restarting the deeper ones) and renders its template. In .docx, ``Definitions`` reads numbering.xml
and styles.xml: a paragraph's ``w:numPr`` (or its style's) names a list instance (numId) and level (ilvl).
Counters run, as in Word (not as ECMA-376 reads), per *abstract* list: instances that share one continue each
other's count, and an instance with a ``w:startOverride`` restarts it where it begins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from docx.oxml.ns import qn
from lxml import etree

VAL = qn("w:val")

# A level template's placeholder: "%1" in 「%1、」, "%2" in 「%1.%2」.
RE_PLACEHOLDER = re.compile(r"%([1-9])")
# A heading style's name, English or as WPS localises it: "Heading 2", "heading 2", "标题 2".
RE_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)

CN_DIGITS = "〇一二三四五六七八九"
CN_UNITS = ("", "十", "百", "千")
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
LEGAL_UNITS = ("", "拾", "佰", "仟")
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
CHINESE_COUNTING = frozenset({
    "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
    "taiwaneseCountingThousand", "koreanCounting", "ideographLegalTraditional",
})


@dataclass(frozen=True)
class Level:
    """One level of a list definition (``w:lvl``)."""

    fmt: str = "decimal"
    template: str = "%1."
    start: int = 1
    suffix: str = "tab"
    legal: bool = False
    style: str = ""


# The numbering of Chinese official documents (GB/T 9704), used when a heading's own numbering cannot be
# rendered: 一、 (一) 1. (1).
FALLBACK_LEVELS = {
    0: Level("chineseCounting", "%1、"),
    1: Level("chineseCounting", "（%2）"),
    2: Level("decimal", "%3."),
    3: Level("decimal", "（%4）"),
}


def _chinese(n: int, digits: str = CN_DIGITS, units: tuple[str, ...] = CN_UNITS) -> str:
    """10 → 十, 21 → 二十一, 105 → 一百零五 (with legal digits: 壹拾, 贰拾壹)."""
    if not 0 < n < 10_000:
        return str(n)
    out, zero = "", False
    text = str(n)
    for pos, char in enumerate(text):
        value = int(char)
        if value == 0:
            zero = True
            continue
        if zero and out:
            out += "零"
        zero = False
        out += digits[value] + units[len(text) - 1 - pos]
    return out[1:] if digits is CN_DIGITS and out.startswith("一十") else out


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ROMAN:
        count, n = divmod(n, value)
        out += numeral * count
    return out


def format_number(n: int, fmt: str) -> str:
    """A counter value as Word shows it in number format ``fmt`` (the ``w:numFmt`` value)."""
    if fmt in CHINESE_COUNTING:
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, LEGAL_DIGITS, LEGAL_UNITS)
    if fmt == "ideographDigital":
        return "".join(CN_DIGITS[int(c)] for c in str(n))
    if fmt == "ideographTraditional" and n > 0:
        return HEAVENLY_STEMS[(n - 1) % 10]
    if fmt == "ideographZodiac" and n > 0:
        return EARTHLY_BRANCHES[(n - 1) % 12]
    if fmt.startswith("decimalEnclosedCircle") and 0 < n <= 20:
        return chr(0x2460 + n - 1)  # ①
    if fmt == "decimalEnclosedParen":
        return f"({n})"  # Word draws ⑴, which is (1) after NFKC
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and n > 0:
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt == "none":
        return ""
    return str(n)


def child_val(parent: etree._Element | None, tag: str) -> str | None:
    child = parent.find(qn(tag)) if parent is not None else None
    return child.get(VAL) if child is not None else None


def as_int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def read_level(lvl: etree._Element, base: Level = Level()) -> Level:
    """A ``w:lvl`` element read over ``base`` (what it does not say stays as in ``base``)."""
    template = lvl.find(qn("w:lvlText"))
    return Level(
        fmt=child_val(lvl, "w:numFmt") or base.fmt,
        template=template.get(VAL, "") if template is not None else base.template,
        start=as_int(child_val(lvl, "w:start"), base.start),
        suffix=child_val(lvl, "w:suff") or base.suffix,
        legal=lvl.find(qn("w:isLgl")) is not None or base.legal,
        style=child_val(lvl, "w:pStyle") or base.style,
    )


@dataclass(frozen=True)
class ListInstance:
    """A ``w:num``: the abstract list it counts on (``key``), its levels, the levels it restarts."""

    key: str
    levels: dict[int, Level]
    restarts: frozenset[int]


@dataclass(frozen=True)
class StyleInfo:
    based_on: str | None
    name: str
    num_id: str | None
    ilvl: int | None
    outline_level: int | None


class Definitions:
    """The numbering and style definitions of one document, read once."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self.styles: dict[str, StyleInfo] = {}
        self.default_style: str | None = None
        for style in styles.iterfind(qn("w:style")) if styles is not None else ():
            style_id = style.get(qn("w:styleId"), "")
            ppr = style.find(qn("w:pPr"))
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            ilvl = child_val(num_pr, "w:ilvl")
            outline = child_val(ppr, "w:outlineLvl")
            self.styles[style_id] = StyleInfo(
                based_on=child_val(style, "w:basedOn"),
                name=child_val(style, "w:name") or "",
                num_id=child_val(num_pr, "w:numId"),
                ilvl=as_int(ilvl, 0) if ilvl is not None else None,
                outline_level=as_int(outline, 9) + 1 if outline is not None else None,
            )
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
                self.default_style = style_id
        self._abstracts: dict[str, etree._Element] = {}
        self.nums: dict[str, etree._Element] = {}
        for element in numbering if numbering is not None else ():
            if element.tag == qn("w:abstractNum"):
                self._abstracts[element.get(qn("w:abstractNumId"), "")] = element
            elif element.tag == qn("w:num"):
                self.nums[element.get(qn("w:numId"), "")] = element
        self.instances: dict[str, ListInstance] = {}

    def style_chain(self, style_id: str | None) -> Iterator[StyleInfo]:
        """The style and the styles it is based on, nearest first (cycles cut off)."""
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            yield self.styles[style_id]
            style_id = self.styles[style_id].based_on

    def _abstract(self, abstract_id: str | None, depth: int = 0) -> tuple[str, dict[int, Level]]:
        """(id, levels) of an abstract list, following a ``w:numStyleLink`` to the list that defines it."""
        element = self._abstracts.get(abstract_id or "")
        if element is None or depth > 3:
            return "", {}
        levels = {as_int(lvl.get(qn("w:ilvl")), 0): read_level(lvl) for lvl in element.iterfind(qn("w:lvl"))}
        link = child_val(element, "w:numStyleLink")
        if not levels and link:  # the list is defined by a numbering style that points at another list
            for info in self.style_chain(link):
                if info.num_id in self.nums:
                    return self._abstract(child_val(self.nums[info.num_id], "w:abstractNumId"), depth + 1)
        return abstract_id or "", levels

    def list_instance(self, num_id: str) -> ListInstance:
        """List instance ``num_id``: its abstract list's levels with its ``w:lvlOverride``s applied."""
        if num_id not in self.instances:
            num = self.nums.get(num_id)
            key, levels = self._abstract(child_val(num, "w:abstractNumId")) if num is not None else ("", {})
            restarts = set()
            for override in num.iterfind(qn("w:lvlOverride")) if num is not None else ():
                ilvl = as_int(override.get(qn("w:ilvl")), 0)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels[ilvl] = read_level(lvl, levels.get(ilvl, Level()))
                start = child_val(override, "w:startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = replace(levels[ilvl], start=as_int(start, 1))
                    restarts.add(ilvl)
            self.instances[num_id] = ListInstance(key, levels, frozenset(restarts))
        return self.instances[num_id]


def label(levels: dict[int, Level], counters: dict[int, int], ilvl: int) -> str | None:
    """Advance the counter of ``ilvl`` (restarting deeper ones) and render its label; None for bullets."""
    level = levels[ilvl]
    counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
    for deeper in [k for k in counters if k > ilvl]:
        del counters[deeper]
    if level.fmt == "bullet":
        return None

    def placeholder(match: re.Match[str]) -> str:
        k = int(match.group(1)) - 1
        shown = levels.get(k, Level())
        value = counters.get(k, shown.start)
        return format_number(value, "decimal" if level.legal and k < ilvl else shown.fmt)

    label = RE_PLACEHOLDER.sub(placeholder, level.template)
    # 「一、」 runs straight into its text; 「第一章」 or a bare 「1」 needs a space (Word puts a tab there)
    if label and level.suffix != "nothing" and label[-1].isalnum():
        label += " "
    return label


def heading_level(info: StyleInfo) -> int | None:
    match = RE_HEADING_STYLE.match(info.name.strip())
    return int(match.group(1)) if match else info.outline_level



class Numberer:
    """The list counters of one document, advanced paragraph by paragraph in document order as Word does."""

    def __init__(self, definitions: Definitions) -> None:
        self.defs = definitions
        self.counters: dict[str, dict[int, int]] = {}  # per abstract list: level → last number shown
        self.seen: set[tuple[str, int]] = set()  # (numId, level) pairs met so far

    def paragraph_label(self, ppr: etree._Element | None) -> str | None:
        """The number Word shows before a paragraph with properties ``ppr`` (its ``w:pPr``); None if none."""
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id, ilvl_text = child_val(num_pr, "w:numId"), child_val(num_pr, "w:ilvl")
        ilvl = as_int(ilvl_text, 0) if ilvl_text is not None else None
        style_id = child_val(ppr, "w:pStyle") or self.defs.default_style
        heading = None
        for info in self.defs.style_chain(style_id):
            num_id = num_id if num_id is not None else info.num_id
            ilvl = ilvl if ilvl is not None else info.ilvl
            heading = heading or heading_level(info)
        if num_id is None or num_id == "0":  # numId 0 switches a style's numbering off
            return None
        instance = self.defs.list_instance(num_id)
        if ilvl is None:  # a level may name the style that selects it
            ilvl = next((k for k, lvl in instance.levels.items() if lvl.style and lvl.style == style_id), 0)
        if ilvl in instance.levels:
            counters = self.counters.setdefault("abstract:" + instance.key, {})
            if ilvl in instance.restarts and (num_id, ilvl) not in self.seen:
                counters.pop(ilvl, None)  # a startOverride restarts the shared count where the instance begins
            self.seen.add((num_id, ilvl))
            return label(instance.levels, counters, ilvl)
        if heading is not None and heading - 1 in FALLBACK_LEVELS:
            return label(FALLBACK_LEVELS, self.counters.setdefault("fallback", {}), heading - 1)
        return None
