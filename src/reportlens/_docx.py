"""Word .docx → text, with Word's automatic list numbers put back in front of their paragraphs.

A heading such as 「一、工作开展情况」 is often typed as 「工作开展情况」 in a paragraph that Word numbers
itself; python-docx's ``paragraph.text`` drops that number, and with it the report's structure. Here the
number is rendered from numbering.xml as Word would: the paragraph's ``w:numPr`` (or its style's) names a
list instance (numId) and level (ilvl); the list's abstract definition gives each level a format
(decimal, chineseCounting, …), a template (``%1、``, ``（%2）``) and a start value. Counters restart below a
level that advances and, as in Word (not as ECMA-376 reads), run per *abstract* list: instances that share
one continue each other's count, and an instance with a ``w:startOverride`` restarts it where it begins.
Tables stay where they are in the body, one line per row.

Only ``readers`` calls this module; it raises whatever python-docx or lxml raise and ``readers`` turns that
into a ``ReportError``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

P, TBL, TR, TC, SDT, SDT_CONTENT = (qn(t) for t in ("w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent"))
T, TAB, PTAB, BR, CR = (qn(t) for t in ("w:t", "w:tab", "w:ptab", "w:br", "w:cr"))
NO_BREAK_HYPHEN, VAL = qn("w:noBreakHyphen"), qn("w:val")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Subtrees whose text is not the paragraph's own: properties, deleted or moved-away text, text boxes (their
# mc:Fallback copy would repeat them), footnote and comment marks.
SKIPPED = frozenset(
    {qn("w:pPr"), qn("w:rPr"), qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"), MC_FALLBACK}
)

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


def _val(parent: etree._Element | None, tag: str) -> str | None:
    child = parent.find(qn(tag)) if parent is not None else None
    return child.get(VAL) if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl: etree._Element, base: Level = Level()) -> Level:
    """A ``w:lvl`` element read over ``base`` (what it does not say stays as in ``base``)."""
    template = lvl.find(qn("w:lvlText"))
    return Level(
        fmt=_val(lvl, "w:numFmt") or base.fmt,
        template=template.get(VAL, "") if template is not None else base.template,
        start=_int(_val(lvl, "w:start"), base.start),
        suffix=_val(lvl, "w:suff") or base.suffix,
        legal=lvl.find(qn("w:isLgl")) is not None or base.legal,
        style=_val(lvl, "w:pStyle") or base.style,
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


class _Definitions:
    """The numbering and style definitions of one document, read once."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self.styles: dict[str, StyleInfo] = {}
        self.default_style: str | None = None
        for style in styles.iterfind(qn("w:style")) if styles is not None else ():
            style_id = style.get(qn("w:styleId"), "")
            ppr = style.find(qn("w:pPr"))
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            ilvl = _val(num_pr, "w:ilvl")
            outline = _val(ppr, "w:outlineLvl")
            self.styles[style_id] = StyleInfo(
                based_on=_val(style, "w:basedOn"),
                name=_val(style, "w:name") or "",
                num_id=_val(num_pr, "w:numId"),
                ilvl=_int(ilvl, 0) if ilvl is not None else None,
                outline_level=_int(outline, 9) + 1 if outline is not None else None,
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
        levels = {_int(lvl.get(qn("w:ilvl")), 0): _level(lvl) for lvl in element.iterfind(qn("w:lvl"))}
        link = _val(element, "w:numStyleLink")
        if not levels and link:  # the list is defined by a numbering style that points at another list
            for info in self.style_chain(link):
                if info.num_id in self.nums:
                    return self._abstract(_val(self.nums[info.num_id], "w:abstractNumId"), depth + 1)
        return abstract_id or "", levels

    def list_instance(self, num_id: str) -> ListInstance:
        """List instance ``num_id``: its abstract list's levels with its ``w:lvlOverride``s applied."""
        if num_id not in self.instances:
            num = self.nums.get(num_id)
            key, levels = self._abstract(_val(num, "w:abstractNumId")) if num is not None else ("", {})
            restarts = set()
            for override in num.iterfind(qn("w:lvlOverride")) if num is not None else ():
                ilvl = _int(override.get(qn("w:ilvl")), 0)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl, levels.get(ilvl, Level()))
                start = _val(override, "w:startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = replace(levels[ilvl], start=_int(start, 1))
                    restarts.add(ilvl)
            self.instances[num_id] = ListInstance(key, levels, frozenset(restarts))
        return self.instances[num_id]


def _label(levels: dict[int, Level], counters: dict[int, int], ilvl: int) -> str | None:
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


def _text(element: etree._Element) -> Iterator[str]:
    """The visible text under ``element``: w:t, tabs and breaks, in document order."""
    for child in element:
        tag = child.tag
        if tag == T:
            yield child.text or ""
        elif tag in (TAB, PTAB):
            yield "\t"
        elif tag in (BR, CR):
            yield "\n"
        elif tag == NO_BREAK_HYPHEN:
            yield "-"
        elif tag not in SKIPPED and isinstance(tag, str):
            yield from _text(child)


class _BodyReader:
    """Walks a document body in order, keeping the list counters as Word would."""

    def __init__(self, definitions: _Definitions) -> None:
        self.defs = definitions
        self.counters: dict[str, dict[int, int]] = {}  # per abstract list: level → last number shown
        self.seen: set[tuple[str, int]] = set()  # (numId, level) pairs met so far

    def blocks(self, container: etree._Element) -> Iterator[str]:
        for child in container:
            if child.tag == P:
                yield self.paragraph(child)
            elif child.tag == TBL:
                yield from self.table(child)
            elif child.tag == SDT and not self._is_toc(child):
                content = child.find(SDT_CONTENT)
                if content is not None:
                    yield from self.blocks(content)

    @staticmethod
    def _is_toc(sdt: etree._Element) -> bool:
        """A table of contents repeats the headings with page numbers; it is left out."""
        gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
        return gallery is not None and "contents" in (gallery.get(VAL) or "").lower()

    def table(self, tbl: etree._Element) -> Iterator[str]:
        """One line per row, cells joined by tabs; a nested table's text stays inside its cell."""
        for row in tbl.iterchildren(TR):
            cells = (" ".join(filter(None, (self.paragraph(p) for p in tc.iter(P)))) for tc in row.iterchildren(TC))
            yield "\t".join(cells)

    def paragraph(self, p: etree._Element) -> str:
        text = "".join(_text(p))
        label = self._number(p)
        return label + text if label and text.strip() else text

    def _number(self, p: etree._Element) -> str | None:
        ppr = p.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id, ilvl_text = _val(num_pr, "w:numId"), _val(num_pr, "w:ilvl")
        ilvl = _int(ilvl_text, 0) if ilvl_text is not None else None
        style_id = _val(ppr, "w:pStyle") or self.defs.default_style
        heading = None
        for info in self.defs.style_chain(style_id):
            num_id = num_id if num_id is not None else info.num_id
            ilvl = ilvl if ilvl is not None else info.ilvl
            heading = heading or _heading_level(info)
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
            return _label(instance.levels, counters, ilvl)
        if heading is not None and heading - 1 in FALLBACK_LEVELS:
            return _label(FALLBACK_LEVELS, self.counters.setdefault("fallback", {}), heading - 1)
        return None


def _heading_level(info: StyleInfo) -> int | None:
    match = RE_HEADING_STYLE.match(info.name.strip())
    return int(match.group(1)) if match else info.outline_level


def _related_element(part: object, reltype: str) -> etree._Element | None:
    try:
        related = part.part_related_by(reltype)  # type: ignore[attr-defined]
    except KeyError:
        return None
    return getattr(related, "element", None)


def docx_text(data: bytes) -> str:
    """The text of a .docx file, one paragraph or table row per line, list numbers restored."""
    document = docx.Document(io.BytesIO(data))
    definitions = _Definitions(
        _related_element(document.part, RT.NUMBERING), _related_element(document.part, RT.STYLES)
    )
    return "\n".join(_BodyReader(definitions).blocks(document.element.body))
