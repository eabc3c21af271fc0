"""The parts of Word 97-2003's binary format ([MS-DOC]) that ``readers.doc`` reads to put list numbers back: the
File Information Block (``Fib``), the piece table, the paragraph properties' runs (FKP pages of PAPX), the
style sheet and the list tables (LST, LFO). Each reader takes the table stream's bytes and returns plain
values; anything malformed raises, and ``readers.doc`` then keeps the text without numbers.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from reportlens.readers.numbering import Level

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
CELL_MARK = "\x07"
FKP_SIZE = 512


def u16(data: bytes, at: int) -> int:
    return struct.unpack_from("<H", data, at)[0]


def i16(data: bytes, at: int) -> int:
    return struct.unpack_from("<h", data, at)[0]


def u32(data: bytes, at: int) -> int:
    return struct.unpack_from("<I", data, at)[0]


def i32(data: bytes, at: int) -> int:
    return struct.unpack_from("<i", data, at)[0]


@dataclass
class ListProps:
    """What numbering properties say: list format override (1-based; 0 none) and level, each if set."""

    ilfo: int | None = None
    ilvl: int | None = None


def read_sprms(grpprl: bytes) -> ListProps:
    """The list properties among a run of sprms (property modifiers)."""
    props = ListProps()
    at = 0
    while at + 2 <= len(grpprl):
        sprm = u16(grpprl, at)
        at += 2
        spra = sprm >> 13
        if spra == 6:
            if sprm == SPRM_T_DEF_TABLE:
                size = u16(grpprl, at) + 1 if at + 2 <= len(grpprl) else 0
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
            props.ilfo = i16(grpprl, at)
        at += size
    return props


@dataclass(frozen=True)
class Style:
    base: int
    props: ListProps
    name: str
    sti: int


def read_styles(table: bytes, fc: int, lcb: int) -> list[Style | None]:
    """The paragraph styles of the style sheet (STSH), by istd; None where a slot is empty or not a paragraph
    style."""
    if lcb < 6:
        return []
    stsh = table[fc : fc + lcb]
    cb_stshi = u16(stsh, 0)
    cstd, cb_base = u16(stsh, 2), u16(stsh, 4)
    at = 2 + cb_stshi
    styles: list[Style | None] = []
    for _ in range(cstd):
        if at + 2 > len(stsh):
            break
        cb_std = u16(stsh, at)
        std = stsh[at + 2 : at + 2 + cb_std]
        at += 2 + cb_std
        if cb_std < cb_base or len(std) < 10:
            styles.append(None)
            continue
        sti = u16(std, 0) & 0x0FFF
        sgc, base = u16(std, 2) & 0xF, u16(std, 2) >> 4
        cch = u16(std, cb_base)
        name = std[cb_base + 2 : cb_base + 2 + 2 * cch].decode("utf-16-le", errors="replace")
        upx = cb_base + 2 + 2 * cch + 2
        upx += upx % 2
        props = ListProps()
        if sgc == 1 and upx + 4 <= len(std):  # a paragraph style: its first UPX holds paragraph properties
            cb_upx = u16(std, upx)
            props = read_sprms(std[upx + 4 : upx + 2 + cb_upx])
        styles.append(Style(base, props, name, sti) if sgc == 1 else None)
    return styles


def read_level(data: bytes, at: int) -> tuple[Level, int]:
    """An LVL at ``at``: the level and where the next LVL begins."""
    start, nfc, flags = i32(data, at), data[at + 4], data[at + 5]
    follow = data[at + 15]
    cb_chpx, cb_papx = data[at + 24], data[at + 25]
    at += 28 + cb_papx + cb_chpx
    cch = u16(data, at)
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


def read_lists(table: bytes, fib: Fib) -> tuple[dict[int, dict[int, Level]], list[ListOverride]]:
    """The list definitions (lsid → levels) and the list format overrides, in order."""
    fc, lcb = fib.pair(FC_PLF_LST)
    lists: dict[int, dict[int, Level]] = {}
    if lcb >= 2:
        count = i16(table, fc)
        headers = [(i32(table, fc + 2 + 28 * i), table[fc + 2 + 28 * i + 26] & 1) for i in range(count)]
        at = fc + 2 + 28 * count
        for lsid, simple in headers:
            levels = {}
            for ilvl in range(1 if simple else 9):
                levels[ilvl], at = read_level(table, at)
            lists[lsid] = levels
    fc, lcb = fib.pair(FC_PLF_LFO)
    overrides: list[ListOverride] = []
    if lcb >= 4:
        count = u32(table, fc)
        headers = [(i32(table, fc + 4 + 16 * i), table[fc + 4 + 16 * i + 12]) for i in range(count)]
        at = fc + 4 + 16 * count
        for lsid, clfolvl in headers:
            override = ListOverride(lsid)
            at += 4  # LFOData.cp
            for _ in range(clfolvl):
                start, flags = i32(table, at), u32(table, at + 4)
                at += 8
                ilvl = flags & 0xF
                if flags & 0x10:
                    override.starts[ilvl] = start
                if flags & 0x20:
                    override.levels[ilvl], at = read_level(table, at)
            overrides.append(override)
    return lists, overrides


class Fib:
    """The File Information Block's variable parts: where FibRgLw97 and FibRgFcLcb begin."""

    def __init__(self, word: bytes) -> None:
        csw = u16(word, 0x20)
        rg_lw = 0x22 + 2 * csw + 2
        cslw = u16(word, rg_lw - 2)
        self.word = word
        self.rg_lw = rg_lw
        self.count = u16(word, rg_lw + 4 * cslw)
        self.rg_fc_lcb = rg_lw + 4 * cslw + 2

    def long(self, index: int) -> int:
        return i32(self.word, self.rg_lw + 4 * index)

    def pair(self, index: int) -> tuple[int, int]:
        if index >= self.count:
            return 0, 0
        at = self.rg_fc_lcb + 8 * index
        return u32(self.word, at), u32(self.word, at + 4)


def read_pieces(table: bytes, fib: Fib) -> list[tuple[int, int, int, bool]]:
    """The piece table: (first CP, end CP, FC of the first character, compressed 8-bit text) per piece."""
    fc, lcb = fib.pair(FC_CLX)
    clx = table[fc : fc + lcb]
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: property modifiers for pieces, skipped
        at += 3 + u16(clx, at + 1)
    if at >= len(clx) or clx[at] != 0x02:
        raise ValueError("no piece table")
    plc = clx[at + 5 : at + 5 + u32(clx, at + 1)]
    count = (len(plc) - 4) // 12
    cps = [u32(plc, 4 * i) for i in range(count + 1)]
    out = []
    for i in range(count):
        fc_value = u32(plc, 4 * (count + 1) + 8 * i + 2)
        compressed = bool(fc_value & 0x40000000)
        out.append((cps[i], cps[i + 1], (fc_value & 0x3FFFFFFF) // 2 if compressed else fc_value, compressed))
    return out


def papx_runs(word: bytes, table: bytes, fib: Fib) -> tuple[list[int], list[tuple[int, ListProps]]]:
    """Paragraph property runs: their start FCs (sorted) and (istd, list properties) of each."""
    fc, lcb = fib.pair(FC_PLCF_BTE_PAPX)
    plc = table[fc : fc + lcb]
    count = (len(plc) - 4) // 8
    starts: list[int] = []
    runs: list[tuple[int, ListProps]] = []
    for i in range(count):
        pn = u32(plc, 4 * (count + 1) + 4 * i) & 0x3FFFFF
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
                    istd, props = u16(body, 0), read_sprms(body[2:])
            starts.append(u32(page, 4 * k))
            runs.append((istd, props))
    order = sorted(range(len(starts)), key=starts.__getitem__)
    return [starts[i] for i in order], [runs[i] for i in order]
