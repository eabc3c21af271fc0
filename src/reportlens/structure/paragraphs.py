"""Stage 1: paragraphs and zones.

The normalised text holds one paragraph per line. A report has a header (title, delivery line, source and date
lines, page chrome, salutation), a body, and may end with a closing (「特此报告」, signature, date, page chrome)
and an appendix (「附件」, 「名词解释」, 「注释」…). Only the body holds headings and items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from reportlens.structure import cues

# Running text: long, or holding clause punctuation: 「现在，我代表市人民政府向大会报告工作。」
PROSE_MIN = 12
TITLE_MAX = 40


@dataclass(frozen=True)
class Paragraph:
    """One line of the text: ``text`` as written, ``view`` its canonical view, ``[start, end)`` its place."""

    index: int
    start: int
    end: int
    text: str
    view: str

    @property
    def ends_sentence(self) -> bool:
        return self.view.endswith(("。", "！", "？", "；", "：", "…", "”", "」", "）"))


@dataclass(frozen=True)
class Zones:
    """Paragraph indices: the body is ``[body_start, body_end)``; the closing and the appendix follow it."""

    paragraphs: tuple[Paragraph, ...]
    body_start: int
    body_end: int
    appendix_start: int

    @cached_property
    def starts(self) -> list[int]:
        """Each paragraph's start offset, for bisecting."""
        return [p.start for p in self.paragraphs]

    @property
    def body(self) -> tuple[Paragraph, ...]:
        return self.paragraphs[self.body_start : self.body_end]

    def offset_of_body_end(self, text_length: int) -> int:
        """Where the body's text ends (the closing or the appendix starts), as an offset."""
        if self.body_end < len(self.paragraphs):
            return self.paragraphs[self.body_end].start
        return text_length


def split_paragraphs(text: str, view: str) -> tuple[Paragraph, ...]:
    """Every non-empty line of ``text`` with its offsets (the text is normalised: no blank lines)."""
    out: list[Paragraph] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            out.append(Paragraph(len(out), start, end, line, view[start:end]))
        start = end + 1
    return tuple(out)


def is_header_line(view: str) -> bool:
    """A line that belongs to a header or to page chrome: metadata, delivery line, salutation, a bare title."""
    return bool(
        cues.RE_METADATA_LINE.search(view)
        or cues.RE_DELIVERY_LINE.match(view)
        or cues.RE_SALUTATION.match(view)
        or cues.RE_DATELINE.match(view)
    )


def is_prose(view: str) -> bool:
    """Running text: a sentence or a clause list, not a title."""
    if len(view) > TITLE_MAX:
        return True
    return len(view) >= PROSE_MIN and any(mark in view for mark in "，。；！？：")


def _is_closing_line(view: str) -> bool:
    if cues.RE_ANY_MARK.match(view):
        return False
    return bool(
        cues.RE_CLOSING_FORMULA.match(view)
        or cues.RE_DATELINE.match(view)
        or cues.RE_SIGNATURE.match(view)
        or cues.RE_METADATA_LINE.search(view)
    )


def find_zones(paragraphs: tuple[Paragraph, ...]) -> Zones:
    """Where the body starts and ends."""
    n = len(paragraphs)
    body_start = n
    saluted = False
    for p in paragraphs:
        if cues.RE_ANY_MARK.match(p.view) and not is_header_line(p.view):
            body_start = p.index
            break
        if saluted and not is_header_line(p.view):
            body_start = p.index  # what follows 「各位代表：」 is the body, a part title included
            break
        saluted = saluted or bool(cues.RE_SALUTATION.match(p.view))
        if is_prose(p.view) and not is_header_line(p.view) and not _is_speaker_caption(p.view):
            body_start = p.index
            break
    if body_start == n and n:
        body_start = 0  # nothing looks like a body: all of it is
    appendix_start = n
    for p in paragraphs[body_start + 1 :]:
        if cues.RE_APPENDIX.match(p.view) and len(p.view) <= 64:
            appendix_start = p.index
            break
    body_end = appendix_start
    while body_end - 1 > body_start and _is_closing_line(paragraphs[body_end - 1].view):
        body_end -= 1
    return Zones(paragraphs, body_start, body_end, appendix_start)


# A photo caption or a speaker line: 「殷勇同志作政府工作报告。本报记者 戴冰摄」「北京市市长 殷勇」
RE_CAPTION = re.compile(r"(?:记者|摄影?|供图|图为)[\s\u4e00-\u9fff]{0,8}$|^[\u4e00-\u9fff]{2,12}(?:市长|省长|主席|总理|书记|局长|主任)\s")


def _is_speaker_caption(view: str) -> bool:
    return bool(RE_CAPTION.search(view)) and len(view) <= 60


def sentence_spans(view: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``view[start:end]`` (end mark included; a line ends one too), blank
    ones skipped."""
    spans, pos = [], start
    for match in cues.RE_FULL_STOP_OR_LINE.finditer(view, start, end):
        if view[pos : match.end()].strip():
            spans.append((pos, match.end()))
        pos = match.end()
    if view[pos:end].strip():
        spans.append((pos, end))
    return spans
