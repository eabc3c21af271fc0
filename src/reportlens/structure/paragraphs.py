"""Stage 1: paragraphs and zones.

The normalised text holds one paragraph per line. A report has a header (title, delivery line, source and date
lines, page chrome, salutation), a body, and may end with a closing (「特此报告」, signature, date, page chrome)
and an appendix (「附件」, 「名词解释」, 「注释」…). Only the body holds headings and items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

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


# A part heading whose line break was lost (text pasted from a web page, a PDF without paragraph marks), run on
# after the sentence before it: 「……城市书房3个。二、存在的问题。馆舍面积小……」. Its title is short and ends at
# the first full stop or colon, with no comma before it: 「。一、加强领导，成立专班。」 stays a sentence.
RE_RUN_ON_PART = re.compile(r"(?:^|[。！？])\s*([一二三四五六七八九十])、(?=[^。！？；，：:\n]{2,30}[。：:])")
RE_PART_AT_START = re.compile(r"^\s*([一二三四五六七八九十])、")
PART_NUMERALS = "一二三四五六七八九十"
PART_VALUE = {numeral: value for value, numeral in enumerate(PART_NUMERALS, 1)}


def split_run_on_parts(paragraphs: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
    """The paragraphs with each run-on 「一、」 part heading (``RE_RUN_ON_PART``) made the start of a paragraph
    of its own, where the report's own line starts leave its 「一、」 run incomplete:

    - no line starts with 「一、」…「十、」: the run 一、二、… found inside lines, in order, if it has two or more;
    - line starts 一、 and 四、 with no 二、 and 三、 at a line start between them: those two, if they are found
      run on, in order, between the two;
    - after the last line start (三、), the run on from it (四、…) in the lines that follow.

    A line holding a 「一、」 of its own past its start holds a list (「主要做法：一、……。二、……」), not run-on
    headings: it is left as it is, as is any other report."""
    starts = [(p.index, PART_VALUE[m.group(1)]) for p in paragraphs if (m := RE_PART_AT_START.match(p.view))]
    cuts: dict[int, list[int]] = {}
    if not starts:
        _take_run(paragraphs, 1, None, cuts, minimum=2)
    ends: list[tuple[int, int | None]] = [*starts[1:], (len(paragraphs), None)] if starts else []
    for (first, value), (last, following) in zip(starts, ends, strict=True):
        if following is None or following > value + 1:
            wanted = 1 if following is None else following - value - 1
            _take_run(paragraphs[first:last], value + 1, following, cuts, minimum=wanted)
    if not cuts:
        return paragraphs
    out: list[Paragraph] = []
    for p in paragraphs:
        bounds = [p.start, *cuts.get(p.index, []), p.end]
        for start, end in pairwise(bounds):
            local = slice(start - p.start, end - p.start)
            if p.view[local].strip():
                out.append(Paragraph(len(out), start, end, p.text[local], p.view[local]))
    return tuple(out)


def _take_run(
    paragraphs: tuple[Paragraph, ...], value: int, stop: int | None, cuts: dict[int, list[int]], *, minimum: int
) -> None:
    """Add to ``cuts`` (paragraph index → offsets) the run-on headings numbered ``value``, ``value + 1``… (up to
    before ``stop``) found in order inside ``paragraphs`` (not at a line start), if there are ``minimum`` or more."""
    found: list[tuple[int, int]] = []
    for p in paragraphs:
        if value > 10 or f"{PART_NUMERALS[value - 1]}、" not in p.view:
            continue  # the next number is not in this line (a quick test before the pattern)
        if value > 1 and "一、" in p.view.lstrip()[1:]:
            continue  # a list of its own
        for match in RE_RUN_ON_PART.finditer(p.view):
            if stop is not None and value >= stop:
                break
            if PART_VALUE[match.group(1)] == value and match.start(1) > len(p.view) - len(p.view.lstrip()):
                found.append((p.index, p.start + match.start(1)))
                value += 1
    if len(found) >= minimum:
        for index, offset in found:
            cuts.setdefault(index, []).append(offset)


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
