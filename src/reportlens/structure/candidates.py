"""Stage 2: heading candidates, numbered and not, each with what speaks for it.

A numbered candidate opens a body line with a marker (「一、」「（一）」「第一，」「1.」「（1）」「①」「一查」「一是」);
a line that opens an inline enumeration (「一是……。二是……」) yields one candidate per member. An unnumbered
candidate is a short line on its own, worded like a part title (「过去一年工作回顾」「结束语」), between complete
paragraphs. Whether a candidate becomes a heading, and at which level, is the hierarchy stage's decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from reportlens.structure import cues
from reportlens.structure.paragraphs import Paragraph, Zones, is_header_line, is_prose

BARE_MAX = 30
# Characters a heading never ends with: a line cut off in mid-phrase (「……经济社会发展的」).
OPEN_ENDINGS = tuple("的地得和与及或之在对为把被将从向以并而且等")
# Words ending in one of those that end a title well: 「今后的努力方向」「工作导向」.
CLOSED_ENDINGS = ("方向", "导向")


@dataclass(frozen=True)
class Candidate:
    """A line (or an inline run member) that could be a heading.

    ``heading`` is as written, marker included (「一、工作开展情况」; for an unnumbered one the line itself);
    ``title`` without the marker (a 「一查」 title keeps it: the numeral is part of the words). ``start`` is where
    the marker begins, ``body_start`` where the text after the heading's first sentence begins.
    """

    paragraph: int
    start: int
    body_start: int
    style: str
    number: int
    heading: str
    title: str
    title_view: str
    standalone: bool = True
    inline: bool = False
    bookend: bool = False

    @property
    def prior(self) -> int:
        return cues.PRIOR[self.style]


def numeral(value: str) -> int:
    """「三」→3, 「十二」→12, 「二十一」→21, 「12」→12, 「③」→3; 0 for anything else."""
    if value.isascii() and value.isdigit():
        return int(value)
    if len(value) == 1 and "①" <= value <= "⑳":
        return ord(value) - ord("①") + 1
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    total, current = 0, 0
    for char in value:
        if char in digits:
            current = digits[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return 0
    return total + current


def first_sentence_end(view: str, start: int = 0) -> int:
    """The offset just after the first sentence of ``view[start:]`` (its end mark included), else ``len``."""
    match = cues.RE_SENTENCE_END.search(view, start)
    return len(view) if match is None else match.end()


def _numbered(p: Paragraph, at: int, inline: bool) -> Candidate | None:
    """The candidate whose marker opens ``p.view`` at ``at``."""
    view = p.view[at:] if at else p.view
    match = cues.RE_ANY_MARK.match(view)
    if match is None or match.lastindex is None:
        return None  # most lines: nothing copied for them
    text = p.text[at:] if at else p.text
    style = cues.STYLES[match.lastindex - 1][0]
    number = numeral(match.group(match.lastindex))
    if number <= 0:
        return None
    title_from = 0 if style == "cha" else match.end()
    while title_from < len(view) and view[title_from] == " ":
        title_from += 1
    end = first_sentence_end(view, title_from)
    stop = end - 1 if view[end - 1 : end] in {"。", "！", "？", "；"} else end
    title = text[title_from:stop].strip()
    title_view = view[title_from:stop].strip()
    if style == "cn_alone":  # the number is the whole heading; what the part is about, its text says
        return Candidate(p.index, p.start + at, p.end, style, number, text.strip(), "", "")
    if not title:
        # a bare marker alone on its line (「一是」 followed by its text on the next line) names nothing
        return None
    heading = title if style == "cha" else text[:stop].strip()  # verbatim: 「第一部分 工作回顾」 keeps its space
    return Candidate(
        paragraph=p.index,
        start=p.start + at,
        body_start=p.start + at + end,
        style=style,
        number=number,
        heading=heading,
        title=title,
        title_view=title_view,
        standalone=end >= len(view.rstrip()),
        inline=inline,
    )


def _inline_run(p: Paragraph, first: Candidate) -> list[Candidate]:
    """The members after ``first`` of an enumeration that continues on its line (「一是……。二是……。三是……」)."""
    pattern = {"shi": cues.RE_INLINE_SHI, "arabic": cues.RE_INLINE_ARABIC}.get(first.style)
    if pattern is None:
        return []
    out: list[Candidate] = []
    expected = first.number + 1
    for match in pattern.finditer(p.view, first.body_start - p.start):
        number = numeral(match.group(1))
        if number == 1:
            break  # a nested list starts: its 二是、三是 are not ours
        if number != expected:
            continue
        found = _numbered(p, match.start(), inline=True)
        if found is not None and found.style == first.style:
            out.append(found)
            expected += 1
    return out


def _bare(zones: Zones, p: Paragraph) -> Candidate | None:
    """An unnumbered part title: 「过去一年工作回顾」「2026年重点工作」「结束语」."""
    view = p.view.strip()
    if not 2 <= len(view) <= BARE_MAX or any(mark in view for mark in "，。；！？：…"):
        return None
    cut_off = view.endswith(OPEN_ENDINGS) and not view.endswith(CLOSED_ENDINGS)
    if cut_off or cues.RE_ANY_MARK.match(view) or is_header_line(view):
        return None
    bookend = bool(cues.RE_BOOKEND.match(view))
    if not bookend and not cues.RE_PART_TITLE_WORD.search(view):
        return None
    paragraphs = zones.paragraphs
    if p.index > zones.body_start and not paragraphs[p.index - 1].ends_sentence:
        return None  # a piece of a broken sentence
    following = paragraphs[p.index + 1] if p.index + 1 < zones.body_end else None
    if following is None and not bookend:
        return None
    if following is not None and not bookend and not (is_prose(following.view) or cues.RE_ANY_MARK.match(following.view)):
        return None
    return Candidate(
        paragraph=p.index,
        start=p.start,
        body_start=p.end,
        style="bare",
        number=0,
        heading=p.text.strip(),
        title=p.text.strip(),
        title_view=view,
        bookend=bookend,
    )


def split_run_on_parts(paragraphs: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
    """The paragraphs with each run-on part heading (``cues.RE_INLINE_PART``: 「……。二、存在的问题。……」) made
    the start of a paragraph of its own, where the lines starting with 「一、」 (``cues.RE_MARK_CN``) leave that
    run incomplete:

    - no line starts with one: the run 一、二、… found inside lines, in order, if it has two or more;
    - line starts 一、 and 四、 with no 二、 and 三、 at a line start between them: those two, if they are found
      run on, in order, between the two;
    - after the last line start (三、), the run on from it (四、…) in the lines that follow.

    A line holding a 「一、」 of its own past its start holds a list (「主要做法：一、……。二、……」), not run-on
    headings: it is left as it is, as is any other report."""
    starts = [(p.index, numeral(m.group(1))) for p in paragraphs if (m := cues.RE_MARK_CN.match(p.view.lstrip()))]
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


RUN_ON_MAX = 10  # run-on part headings are looked for up to 十、


def _take_run(
    paragraphs: tuple[Paragraph, ...], value: int, stop: int | None, cuts: dict[int, list[int]], *, minimum: int
) -> None:
    """Add to ``cuts`` (paragraph index → offsets) the run-on headings numbered ``value``, ``value + 1``… (up to
    before ``stop``) found in order inside ``paragraphs`` (not at a line start), if there are ``minimum`` or
    more."""
    found: list[tuple[int, int]] = []
    for p in paragraphs:
        if value > RUN_ON_MAX or f"{cues.NUMERALS[value - 1]}、" not in p.view:
            continue  # the next number is not in this line (a quick test before the pattern)
        if value > 1 and "一、" in p.view.lstrip()[1:]:
            continue  # a list of its own
        for match in cues.RE_INLINE_PART.finditer(p.view):
            if stop is not None and value >= stop:
                break
            if numeral(match.group(1)) == value and match.start(1) > len(p.view) - len(p.view.lstrip()):
                found.append((p.index, p.start + match.start(1)))
                value += 1
    if len(found) >= minimum:
        for index, offset in found:
            cuts.setdefault(index, []).append(offset)


def find_candidates(zones: Zones) -> list[Candidate]:
    """Every heading candidate of the body, in reading order."""
    out: list[Candidate] = []
    for p in zones.body:
        found = _numbered(p, 0, inline=False)
        if found is not None:
            out.append(found)
            out.extend(_inline_run(p, found))
            continue
        bare = _bare(zones, p)
        if bare is not None:
            out.append(bare)
    return out
