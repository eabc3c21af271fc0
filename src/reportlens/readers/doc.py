"""Word 97-2003 .doc → text, with Word's automatic list numbers put back in front of their paragraphs.

``legacy_doc`` reads the compound file and the text (and says what is wrong with a damaged or encrypted one),
but not the formatting, so a heading numbered by Word (「一、」 shown, 「工作开展情况」 stored) loses its number.
Here the binary format ([MS-DOC]) is read as far as numbering needs (``doc_binary``):

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
from dataclasses import replace

import legacy_doc
from legacy_doc.normalize import normalize_word_text
from legacy_doc.ole import OleReader

from reportlens.errors import ReportError
from reportlens.readers.common import RESAVE_WORD_HINT, UPLOAD_HINT
from reportlens.readers.doc_binary import (
    CCP_TEXT,
    CELL_MARK,
    FC_STSHF,
    ILFO_NO_LIST,
    NO_STYLE,
    Fib,
    ListOverride,
    ListProps,
    Style,
    papx_runs,
    read_lists,
    read_pieces,
    read_styles,
    u16,
)
from reportlens.readers.limits import Budget
from reportlens.readers.numbering import FALLBACK_LEVELS, Level, label

logger = logging.getLogger(__name__)
FIELD_BEGIN, FIELD_SEPARATE, FIELD_END = "\x13", "\x14", "\x15"

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
    table = ole.read_stream("1Table" if u16(word, 0x0A) & 0x0200 else "0Table")
    fib = Fib(word)
    ccp_text = fib.long(CCP_TEXT)
    run_starts, runs = papx_runs(word, table, fib)
    numbers = _DocNumbers(read_styles(table, *fib.pair(FC_STSHF)), *read_lists(table, fib))
    out: list[str] = []
    paragraph: list[str] = []
    for cp_start, cp_end, fc, compressed in read_pieces(table, fib):
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
