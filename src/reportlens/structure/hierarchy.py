"""Stage 3: the document's own hierarchy, found from its candidates rather than a fixed marker order.

Within a span, each marker style's *run* is its members numbered 1, 2, 3… in order (a member out of sequence
belongs to a list nested deeper, or is body text: a line-start 「第四，」 with no 「第三，」 before it heads nothing).
The layer of the span is the run that starts first (GB/T 9704's order 一、 > （一） > 第一 > 1. > （1） breaks a tie,
and a run wholly inside the last member of an earlier, lower-ranked run takes precedence over it: a numbered
list in an introduction does not swallow the report). Its members divide the span; each member's span is
divided the same way with the candidates inside it. At the top, unnumbered part titles are the layer when there
are two or more and they come first (「关于国内建设」「关于外交工作」 over two runs of 一、); bookends
(「首先回顾……」「结束语」) stand beside the top layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlens.structure import cues
from reportlens.structure.candidates import Candidate

MAX_DEPTH = 6
# A gap of one in a run is tolerated (a heading lost in conversion): 「一、」「二、」「四、」
MAX_GAP = 1


@dataclass(frozen=True)
class Node:
    """A heading that is one (``head``), its span ``[head.start, end)`` and the headings under it."""

    head: Candidate
    end: int
    children: tuple[Node, ...] = ()

    @property
    def start(self) -> int:
        return self.head.start


def run_of(members: Sequence[Candidate]) -> list[Candidate]:
    """The members numbered 1, 2, 3… in order (one missing number tolerated), from the first 1. A member numbered
    1 after the run has started opens a list nested in the current member: it and the members continuing it
    (2, 3…) are not the run's, until one takes up the run's own next number and not the nested list's."""
    run: list[Candidate] = []
    nested = 0  # the last number of a nested list in progress, 0 if none
    for member in members:
        if not run:
            if member.number == 1 and not member.inline:
                run.append(member)
            continue
        expected = run[-1].number + 1
        if member.number == 1:
            nested = 1
        elif nested and member.number == nested + 1:
            nested += 1
        elif member.number == expected or (not member.inline and expected < member.number <= expected + MAX_GAP):
            run.append(member)
            nested = 0
    return run


def _runs(candidates: Sequence[Candidate], *, allow_lists: bool) -> dict[str, list[Candidate]]:
    by_style: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.style == "bare" or (c.style in cues.LIST_STYLES and not allow_lists):
            continue
        by_style.setdefault(c.style, []).append(c)
    runs = {style: run_of(members) for style, members in by_style.items()}
    return {style: run for style, run in runs.items() if len(run) >= 2}


def choose_layer(candidates: Sequence[Candidate], end: int, *, allow_lists: bool = True) -> list[Candidate]:
    """The members of the layer that divides a span ending at ``end``; [] when no run of two or more exists."""
    runs = _runs(candidates, allow_lists=allow_lists)
    if not runs:
        return []
    order = sorted(runs, key=lambda style: (runs[style][0].start, cues.PRIOR[style]))
    chosen = order[0]
    changed = True
    while changed:
        changed = False
        last = runs[chosen][-1]
        for style in order:
            run = runs[style]
            if cues.PRIOR[style] < cues.PRIOR[chosen] and run[0].start > last.start and run[-1].start < end:
                chosen, changed = style, True  # a better-ranked run inside the last member: it is the layer
                break
    return runs[chosen]


def _nodes(members: Sequence[Candidate], candidates: Sequence[Candidate], end: int, depth: int) -> tuple[Node, ...]:
    out: list[Node] = []
    for i, member in enumerate(members):
        member_end = members[i + 1].start if i + 1 < len(members) else end
        inside = [c for c in candidates if member.start < c.start < member_end]
        out.append(Node(member, member_end, _divide(inside, member_end, depth + 1)))
    return tuple(out)


def _divide(candidates: Sequence[Candidate], end: int, depth: int) -> tuple[Node, ...]:
    if depth > MAX_DEPTH or not candidates:
        return ()
    members = choose_layer(candidates, end)
    return _nodes(members, candidates, end, depth) if members else ()


def build_hierarchy(candidates: Sequence[Candidate], body_end: int) -> tuple[Node, ...]:
    """The top-level headings of the body (ending at offset ``body_end``) with everything nested under them."""
    numbered = [c for c in candidates if c.style != "bare"]
    bare = [c for c in candidates if c.style == "bare" and not c.bookend]
    bookends = [c for c in candidates if c.bookend]
    layer = choose_layer(numbered, body_end, allow_lists=False)
    if len(bare) >= 2 and (not layer or bare[0].start < layer[0].start):
        top = sorted(bare + bookends, key=lambda c: c.start)
    elif layer:
        outside = [b for b in bookends if b.start < layer[0].start or b.start > layer[-1].start]
        top = sorted(layer + outside, key=lambda c: c.start)
    else:
        top = bookends if len(bookends) >= 2 else []
    nested = [c for c in numbered if c not in top]
    return _nodes(top, nested, body_end, 1)
