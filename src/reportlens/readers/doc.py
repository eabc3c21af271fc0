"""Word 97-2003 .doc → text, with Word's automatic list numbers put back in front of their paragraphs.

``legacy_doc`` reads the compound file and the text (and says what is wrong with a damaged or encrypted one),
but not the formatting, so a heading numbered by Word (「一、」 shown, 「工作开展情况」 stored) loses its number.
Here the binary format ([MS-DOC]) is read as far as numbering needs:

- the File Information Block locates the piece table (Clx), the paragraph properties (PlcBtePapx → FKP
  pages of PAPX runs), the style sheet (STSH) and the list tables (PlfLst, PlfLfo);
- a paragraph's list comes from ``sprmPIlfo`` (list format override, 1-based) and ``sprmPIlvl`` (level), in
  its own properties or, failing that, its style's (followed up the ``istdBase`` chain);
- each list level (LVL) gives a number format (``nfc``), a start value and the number text, where characters
  0–8 stand for the levels' counters; ``numbering.label`` renders them as for .docx, counting per list (LST);
- field codes (between the field begin and separator marks) are dropped, their shown results kept.

If anything in this reading fails, the text ``legacy_doc`` gives is used as it is (numbers lost, words kept).
"""

from __future__ import annotations

import bisect
import logging
import struct
from dataclasses import dataclass, field, replace

import legacy_doc
from legacy_doc.normalize import normalize_word_text
from legacy_doc.ole import OleReader

from reportlens.errors import ReportError
from reportlens.readers.common import RESAVE_WORD_HINT, UPLOAD_HINT
from reportlens.readers.limits import Budget
from reportlens.readers.numbering import FALLBACK_LEVELS, Level, label

logger = logging.getLogger(__name__)

# Number formats (nfc) as [MS-DOC] numbers them, by their WordprocessingML names (``numbering.format_number``).
NFC_NAMES = (
    "decimal", "upperRoman", "lowerRoman", "upperLetter", "lowerLetter", "ordinal", "cardinalText",
    "ordinalText", "hex", "chicago", "ideographDigital", "japaneseCounting", "aiueo", "iroha",
    "decimalFullWidth", "decimalHalfWidth", "japaneseLegal", "japaneseDigitalTenThousand",
    "decimalEnclosedCircle", "decimalFullWidth2", "aiueoFullWidth", "irohaFullWidth", "decimalZero", "bullet",
    "ganada", "chosung", "decimalEnclosedFullstop", "decimalEnclosedParen", "decimalEnclosedCircleChinese",
    "ideographEnclosedCircle", "ideographTraditional", "ideographZodiac", "ideographZodiacTraditional",
    "taiwaneseCounting", "ideographLegalTraditional", "taiwaneseCountingThousand", "taiwaneseDigital",
    "chineseCounting", "chineseLegalSimplified", "chineseCountingThousand", "koreanDigital", "koreanCounting",
    "koreanLegal", "koreanDigital2", "vietnameseCounting", "russianLower", "russianUpper", "none",
)
NFC_NONE = 0xFF
FOLLOW = {0: "tab", 1: "space", 2: "nothing"}
# Indices in the FIB's FibRgFcLcb of the (fc, lcb) pairs read here.
FC_STSHF, FC_PLCF_BTE_PAPX, FC_CLX, FC_PLF_LST, FC_PLF_LFO = 1, 13, 33, 73, 74
CCP_TEXT = 3  # index of ccpText in FibRgLw97
SPRM_ILVL, SPRM_ILFO = 0x260A, 0x460B
SPRM_T_DEF_TABLE, SPRM_P_CHG_TABS = 0xD608, 0xC615
SPRM_OPERAND_SIZES = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}
ILFO_NO_LIST = 0x7FF  # sprmPIlfo 2047: "no list", overriding the style's
NO_STYLE = 0xFFF
FIELD_BEGIN, FIELD_SEPARATE, FIELD_END = "\x13", "\x14", "\x15"
CELL_MARK = "\x07"
FKP_SIZE = 512


def _u8(data: bytes, at: int) -> int:
    return data[at]


def _u16(data: bytes, at: int) -> int:
    return struct.unpack_from("<H", data, at)[0]


def _i16(data: bytes, at: int) -> int:
    return struct.unpack_from("<h", data, at)[0]


def _u32(data: bytes, at: int) -> int:
    return struct.unpack_from("<I", data, at)[0]


def _i32(data: bytes, at: int) -> int:
    return struct.unpack_from("<i", data, at)[0]


@dataclass
class ListProps:
    """What numbering properties say: list format override (1-based; 0 none) and level, each if set."""

    ilfo: int | None = None
    ilvl: int | None = None


def _sprms(grpprl: bytes) -> ListProps:
    """The list properties among a run of sprms (property modifiers)."""
    props = ListProps()
    at = 0
    while at + 2 <= len(grpprl):
        sprm = _u16(grpprl, at)
        at += 2
        spra = sprm >> 13
        if spra == 6:
            if sprm == SPRM_T_DEF_TABLE:
                size = _u16(grpprl, at) + 1 if at + 2 <= len(grpprl) else 0
            elif sprm == SPRM_P_CHG_TABS and at < len(grpprl) and grpprl[at] == 255:
                break  # a rare variable-size form: nothing numbering needs comes after it in practice
            else:
                size = 1 + grpprl[at] if at < len(grpprl) else 0
        else:
            size = SPRM_OPERAND_SIZES[spra]
        if at + size > len(grpprl):
            break
        if sprm == SPRM_ILVL:
            props.ilvl = grpprl[at]
        elif sprm == SPRM_ILFO:
            props.ilfo = _i16(grpprl, at)
        at += size
    return props


@dataclass(frozen=True)
class Style:
    base: int
    props: ListProps
    name: str
    sti: int


def _styles(table: bytes, fc: int, lcb: int) -> list[Style | None]:
    """The paragraph styles of the style sheet (STSH), by istd; None where a slot is empty or not a paragraph
    style."""
    if lcb < 6:
        return []
    stsh = table[fc : fc + lcb]
    cb_stshi = _u16(stsh, 0)
    cstd, cb_base = _u16(stsh, 2), _u16(stsh, 4)
    at = 2 + cb_stshi
    styles: list[Style | None] = []
    for _ in range(cstd):
        if at + 2 > len(stsh):
            break
        cb_std = _u16(stsh, at)
        std = stsh[at + 2 : at + 2 + cb_std]
        at += 2 + cb_std
        if cb_std < cb_base or len(std) < 10:
            styles.append(None)
            continue
        sti = _u16(std, 0) & 0x0FFF
        sgc, base = _u16(std, 2) & 0xF, _u16(std, 2) >> 4
        cch = _u16(std, cb_base)
        name = std[cb_base + 2 : cb_base + 2 + 2 * cch].decode("utf-16-le", errors="replace")
        upx = cb_base + 2 + 2 * cch + 2
        upx += upx % 2
        props = ListProps()
        if sgc == 1 and upx + 4 <= len(std):  # a paragraph style: its first UPX holds paragraph properties
            cb_upx = _u16(std, upx)
            props = _sprms(std[upx + 4 : upx + 2 + cb_upx])
        styles.append(Style(base, props, name, sti) if sgc == 1 else None)
    return styles


def _level(data: bytes, at: int) -> tuple[Level, int]:
    """An LVL at ``at``: the level and where the next LVL begins."""
    start, nfc, flags = _i32(data, at), data[at + 4], data[at + 5]
    follow = data[at + 15]
    cb_chpx, cb_papx = data[at + 24], data[at + 25]
    at += 28 + cb_papx + cb_chpx
    cch = _u16(data, at)
    xst = data[at + 2 : at + 2 + 2 * cch].decode("utf-16-le", errors="replace")
    template = "".join(f"%{ord(c) + 1}" if ord(c) < 9 else c.replace("%", "%%") for c in xst)
    fmt = "none" if nfc == NFC_NONE else NFC_NAMES[nfc] if nfc < len(NFC_NAMES) else "decimal"
    level = Level(fmt=fmt, template=template, start=start, suffix=FOLLOW.get(follow, "tab"), legal=bool(flags & 4))
    return level, at + 2 + 2 * cch


@dataclass
class ListOverride:
    """An LFO: the list it numbers by (lsid) and the levels whose start it overrides."""

    lsid: int
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)


def _lists(table: bytes, fib: _Fib) -> tuple[dict[int, dict[int, Level]], list[ListOverride]]:
    """The list definitions (lsid → levels) and the list format overrides, in order."""
    fc, lcb = fib.pair(FC_PLF_LST)
    lists: dict[int, dict[int, Level]] = {}
    if lcb >= 2:
        count = _i16(table, fc)
        headers = [(_i32(table, fc + 2 + 28 * i), table[fc + 2 + 28 * i + 26] & 1) for i in range(count)]
        at = fc + 2 + 28 * count
        for lsid, simple in headers:
            levels = {}
            for ilvl in range(1 if simple else 9):
                levels[ilvl], at = _level(table, at)
            lists[lsid] = levels
    fc, lcb = fib.pair(FC_PLF_LFO)
    overrides: list[ListOverride] = []
    if lcb >= 4:
        count = _u32(table, fc)
        headers = [(_i32(table, fc + 4 + 16 * i), table[fc + 4 + 16 * i + 12]) for i in range(count)]
        at = fc + 4 + 16 * count
        for lsid, clfolvl in headers:
            override = ListOverride(lsid)
            at += 4  # LFOData.cp
            for _ in range(clfolvl):
                start, flags = _i32(table, at), _u32(table, at + 4)
                at += 8
                ilvl = flags & 0xF
                if flags & 0x10:
                    override.starts[ilvl] = start
                if flags & 0x20:
                    override.levels[ilvl], at = _level(table, at)
            overrides.append(override)
    return lists, overrides


class _Fib:
    """The File Information Block's variable parts: where FibRgLw97 and FibRgFcLcb begin."""

    def __init__(self, word: bytes) -> None:
        csw = _u16(word, 0x20)
        rg_lw = 0x22 + 2 * csw + 2
        cslw = _u16(word, rg_lw - 2)
        self.word = word
        self.rg_lw = rg_lw
        self.count = _u16(word, rg_lw + 4 * cslw)
        self.rg_fc_lcb = rg_lw + 4 * cslw + 2

    def long(self, index: int) -> int:
        return _i32(self.word, self.rg_lw + 4 * index)

    def pair(self, index: int) -> tuple[int, int]:
        if index >= self.count:
            return 0, 0
        at = self.rg_fc_lcb + 8 * index
        return _u32(self.word, at), _u32(self.word, at + 4)


def _pieces(table: bytes, fib: _Fib) -> list[tuple[int, int, int, bool]]:
    """The piece table: (first CP, end CP, FC of the first character, compressed 8-bit text) per piece."""
    fc, lcb = fib.pair(FC_CLX)
    clx = table[fc : fc + lcb]
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: property modifiers for pieces, skipped
        at += 3 + _u16(clx, at + 1)
    if at >= len(clx) or clx[at] != 0x02:
        raise ValueError("no piece table")
    plc = clx[at + 5 : at + 5 + _u32(clx, at + 1)]
    count = (len(plc) - 4) // 12
    cps = [_u32(plc, 4 * i) for i in range(count + 1)]
    out = []
    for i in range(count):
        fc_value = _u32(plc, 4 * (count + 1) + 8 * i + 2)
        compressed = bool(fc_value & 0x40000000)
        out.append((cps[i], cps[i + 1], (fc_value & 0x3FFFFFFF) // 2 if compressed else fc_value, compressed))
    return out


def _papx_runs(word: bytes, table: bytes, fib: _Fib) -> tuple[list[int], list[tuple[int, ListProps]]]:
    """Paragraph property runs: their start FCs (sorted) and (istd, list properties) of each."""
    fc, lcb = fib.pair(FC_PLCF_BTE_PAPX)
    plc = table[fc : fc + lcb]
    count = (len(plc) - 4) // 8
    starts: list[int] = []
    runs: list[tuple[int, ListProps]] = []
    for i in range(count):
        pn = _u32(plc, 4 * (count + 1) + 4 * i) & 0x3FFFFF
        page = word[pn * FKP_SIZE : (pn + 1) * FKP_SIZE]
        if len(page) < FKP_SIZE:
            continue
        crun = page[FKP_SIZE - 1]
        for k in range(crun):
            offset = 2 * page[4 * (crun + 1) + 13 * k]
            istd, props = 0, ListProps()
            if offset:
                cb = page[offset]
                body = page[offset + 2 : offset + 2 + 2 * page[offset + 1]] if cb == 0 else page[offset + 1 : offset + 2 * cb]
                if len(body) >= 2:
                    istd, props = _u16(body, 0), _sprms(body[2:])
            starts.append(_u32(page, 4 * k))
            runs.append((istd, props))
    order = sorted(range(len(starts)), key=starts.__getitem__)
    return [starts[i] for i in order], [runs[i] for i in order]


def _drop_field_codes(text: str) -> str:
    """Keep what fields show (their result), drop their codes: 「\x13 PAGE \x14 3\x15」 → 「3」."""
    if FIELD_BEGIN not in text:
        return text
    out: list[str] = []
    stack: list[bool] = []  # per open field: whether its result has begun
    for char in text:
        if char == FIELD_BEGIN:
            stack.append(False)
        elif char == FIELD_SEPARATE and stack:
            stack[-1] = True
        elif char == FIELD_END and stack:
            stack.pop()
        elif all(stack):
            out.append(char)
    return "".join(out)


class _DocNumbers:
    """List numbers of one .doc, rendered paragraph by paragraph."""

    def __init__(self, styles: list[Style | None], lists: dict[int, dict[int, Level]],
                 overrides: list[ListOverride]) -> None:
        self.styles, self.lists, self.overrides = styles, lists, overrides
        self.counters: dict[object, dict[int, int]] = {}
        self.seen: set[tuple[int, int]] = set()

    def _style_props(self, istd: int) -> tuple[ListProps, int | None]:
        """List properties from the style chain, and its heading level (built-in heading styles 1–9)."""
        props, heading, seen = ListProps(), None, set()
        while 0 <= istd < len(self.styles) and istd not in seen:
            seen.add(istd)
            style = self.styles[istd]
            if style is None:
                break
            props.ilfo = props.ilfo if props.ilfo is not None else style.props.ilfo
            props.ilvl = props.ilvl if props.ilvl is not None else style.props.ilvl
            heading = heading or (style.sti if 1 <= style.sti <= 9 else None)
            istd = style.base if style.base != NO_STYLE else -1
        return props, heading

    def label(self, istd: int, own: ListProps) -> str | None:
        style, heading = self._style_props(istd)
        ilfo = own.ilfo if own.ilfo is not None else style.ilfo
        ilvl = own.ilvl if own.ilvl is not None else (style.ilvl or 0)
        if not ilfo or ilfo < 0 or ilfo == ILFO_NO_LIST or ilfo > len(self.overrides):
            return None
        override = self.overrides[ilfo - 1]
        levels = {**self.lists.get(override.lsid, {}), **override.levels}
        if ilvl in levels:
            if ilvl in override.starts:
                levels[ilvl] = replace(levels[ilvl], start=override.starts[ilvl])
            counters = self.counters.setdefault(override.lsid, {})
            if ilvl in override.starts and (ilfo, ilvl) not in self.seen:
                counters.pop(ilvl, None)
            self.seen.add((ilfo, ilvl))
            return label(levels, counters, ilvl)
        if heading is not None and heading - 1 in FALLBACK_LEVELS:
            return label(FALLBACK_LEVELS, self.counters.setdefault("fallback", {}), heading - 1)
        return None


def numbered_doc_text(data: bytes, options: legacy_doc.ExtractionOptions) -> str:
    """The main text of a .doc with its list numbers, as ``legacy_doc`` would clean it."""
    ole = OleReader(data, options=options)
    word = ole.read_stream("WordDocument")
    table = ole.read_stream("1Table" if _u16(word, 0x0A) & 0x0200 else "0Table")
    fib = _Fib(word)
    ccp_text = fib.long(CCP_TEXT)
    run_starts, runs = _papx_runs(word, table, fib)
    numbers = _DocNumbers(_styles(table, *fib.pair(FC_STSHF)), *_lists(table, fib))
    out: list[str] = []
    paragraph: list[str] = []
    for cp_start, cp_end, fc, compressed in _pieces(table, fib):
        if cp_start >= ccp_text:
            break
        cp_end = min(cp_end, ccp_text)
        width = 1 if compressed else 2
        raw = word[fc : fc + (cp_end - cp_start) * width]
        text = raw.decode("cp1252" if compressed else "utf-16-le", errors="replace")
        for i, char in enumerate(text):
            if char not in ("\r", CELL_MARK):
                paragraph.append(char)
                continue
            mark_fc = fc + i * width
            run = bisect.bisect_right(run_starts, mark_fc) - 1
            number = numbers.label(*runs[run]) if run >= 0 else None
            line = "".join(paragraph)
            if number and _drop_field_codes(line).strip():
                line = number + line
            out.append(line + char)
            paragraph = []
    out.append("".join(paragraph))
    text = _drop_field_codes("".join(out)).replace(CELL_MARK + CELL_MARK, "\r").replace(CELL_MARK, "\t")
    return normalize_word_text(text)


def read_doc(data: bytes, budget: Budget) -> str:
    limits = budget.limits
    options = legacy_doc.ExtractionOptions(max_file_bytes=limits.max_bytes, max_text_bytes=2 * limits.max_bytes)
    try:
        plain = legacy_doc.extract_text(data, options=options).text
    except legacy_doc.LegacyDocError as err:
        if "encrypt" in str(err).lower():
            raise ReportError(
                "Word 文档已加密：需要密码才能打开。请在 Word 或 WPS 中取消密码后另存为 .docx 再导入。"
            ) from err
        if "not found" in str(err).lower():
            raise ReportError(
                "文件不是 Word 文档：它是旧版 Office 格式，但里面没有 Word 正文（可能是 Excel 或 PowerPoint 文件）。"
                + UPLOAD_HINT
            ) from err
        raise ReportError("文件已损坏：无法读取这个 Word 97-2003（.doc）文档。" + RESAVE_WORD_HINT) from err
    budget.spend_lines(plain)
    try:
        return numbered_doc_text(data, options)
    except Exception:  # the numbers are a bonus: a .doc this reading does not follow keeps legacy_doc's text
        logger.debug("list numbers of the .doc could not be read; its text is kept without them", exc_info=True)
        return plain
