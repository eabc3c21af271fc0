"""Stage 5: the top-level parts of a report on their way to sections (``Draft``): the parts under headings with
their roles, and the un-headed zones (a passage of problems, a paragraph that opens the plan) cut out of the part
or the preamble they lie in, the rest of that part continuing after them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from reportlens.roles import ROLE_LABELS
from reportlens.structure import cues
from reportlens.structure.candidates import Candidate
from reportlens.structure.classify import (
    Decision,
    Part,
    assign_roles,
    continuation_role,
    is_combined,
    is_plan_title,
    named_role,
)
from reportlens.structure.corrections import section_key
from reportlens.structure.hierarchy import Node
from reportlens.structure.items import passage_items
from reportlens.structure.paragraphs import Paragraph, Zones
from reportlens.structure.passages import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    STRICT,
    Passage,
    cue_of,
    find_plan_opener,
    find_problem_passage,
)

# Kinds of a top-level part: under a heading, or un-headed.
HEADED, BODY, PASSAGE, OPENER, CONTINUATION, TAIL = "heading", "body", "passage", "opener", "continuation", "tail"
STRONG_CUE = 2.0
# What may follow an announcement at the end of its paragraph: 「……做好以下三个方面工作。」
ANNOUNCE_TAIL = 4


@dataclass(frozen=True)
class Draft:
    """A top-level part on its way to a ``Section``."""

    kind: str
    start: int
    end: int
    body_start: int
    role: str = ""
    decision: Decision | None = None
    head: Candidate | None = None
    children: tuple[Node, ...] = ()
    items_start: int = 0
    title: str = ""
    key: str = ""  # what a reader's correction names it by (``corrections.section_key``)

    @property
    def implicit(self) -> bool:
        return self.head is None


def _clip(node: Node, end: int) -> Node:
    """``node`` ending no later than ``end``, its children likewise (those starting after it dropped)."""
    kept = tuple(_clip(c, end) for c in node.children if c.start < end)
    return Node(node.head, min(node.end, end), kept)


def _announces(zones: Zones, start: int) -> bool:
    """Whether the paragraph just before offset ``start`` announces the tasks that follow."""
    index = bisect.bisect_left(zones.starts, start) - 1  # the paragraph starting at ``start`` is not before it
    if index < 0:
        return False
    view = zones.paragraphs[index].view
    found = cues.RE_ANNOUNCE_PLAN.search(view) or cues.RE_ANNOUNCED.search(view)
    # it announces what follows only when it ends with the announcement, not when it lists the work itself
    return found is not None and len(view.rstrip("。：:！ ")) - found.end() <= ANNOUNCE_TAIL


def _own_view(node: Node, view: str, zones: Zones) -> str:
    """A part's text up to the first paragraph that opens an un-headed zone in it (「但是，当前仍有……等问题依然
    存在。」「下一步，……」): what its role is judged on."""
    if named_role(node.head.title_view) is not None:
        return view[node.start : node.end]  # a named part: its body speaks only to a doubt, read it whole
    first = bisect.bisect_left(zones.starts, node.head.body_start)
    for index, p in enumerate(zones.paragraphs[first:]):
        if p.start >= node.end:
            break
        if cues.RE_MEASURES_OPENER.match(p.view):
            # a part that opens with 「今后……」 is the plan itself; one that turns to it later ends there
            return view[node.start : node.end if index == 0 else p.start]
        if cues.RE_SHORTFALL_CLOSER.search(p.view) or _strong_cue(p.view):
            return view[node.start : p.start]
    return view[node.start : node.end]


def _strong_cue(view: str) -> bool:
    found = cue_of(view)
    return found is not None and found[2] >= STRONG_CUE


def headed_drafts(nodes: tuple[Node, ...], view: str, zones: Zones) -> list[Draft]:
    """The parts under the top-level headings, with their roles."""
    parts = [
        Part(
            title=n.head.title_view,
            view=_own_view(n, view, zones),
            children=len(n.children),
            announced=_announces(zones, n.start),
            child_titles=tuple(c.head.title_view for c in n.children),
        )
        for n in nodes
    ]
    plan = any(is_plan_title(p.view) for p in zones.paragraphs[: zones.body_start])
    return [
        Draft(HEADED, n.start, n.end, n.head.body_start, d.role, d, n.head, n.children)
        for n, d in zip(nodes, assign_roles(parts, plan=plan), strict=True)
    ]


def body_draft(view: str, start: int, end: int) -> Draft:
    """The whole body as one un-headed part (a report without headings)."""
    decision = assign_roles([Part("", view[start:end], 0, False)])[0]
    decision = Decision(decision.role, min(decision.score, 0.3), ("未找到标题：正文作为一个整体", *decision.evidence))
    return Draft(BODY, start, end, start, decision.role, decision)


def _containing(drafts: list[Draft], offset: int) -> int | None:
    """The index of the draft holding ``offset`` (drafts are in order and do not overlap), or None."""
    index = bisect.bisect_right([d.start for d in drafts], offset) - 1
    return index if index >= 0 and offset < drafts[index].end else None


def _inside_child(draft: Draft, offset: int) -> bool:
    return any(c.start <= offset < c.end for c in draft.children)


def _split(drafts: list[Draft], passage: Passage, preamble_end: int, view: str, zones: Zones) -> tuple[list[Draft], int]:
    """Insert ``passage`` as a part of its own, cutting the part it lies in (or the preamble) around it."""
    role_label = ROLE_LABELS[passage.role]
    decision = Decision(passage.role, 0.6 + 0.1 * passage.weight, (f"未标题的{role_label}段落：{passage.evidence}",))
    kind = PASSAGE if passage.role == "problems" else OPENER
    index = _containing(drafts, passage.start)
    if index is None:  # in the preamble
        end = min(passage.end + 1, preamble_end) if kind == PASSAGE else preamble_end
        new = [Draft(kind, passage.start, end, passage.start, passage.role, decision, items_start=passage.items_start)]
        if end < preamble_end:
            rest = Decision("other", 0.4, ("导语中问题段落之后的文字",))
            new.append(Draft(CONTINUATION, end, preamble_end, end, "other", rest))
        return new + drafts, passage.start
    host = drafts[index]
    end = min(passage.end + 1, host.end) if kind == PASSAGE else host.end
    before = replace(host, end=passage.start, children=tuple(_clip(c, passage.start) for c in host.children if c.start < passage.start))
    middle = Draft(kind, passage.start, end, passage.start, passage.role, decision, items_start=passage.items_start,
                   children=tuple(c for c in host.children if passage.start <= c.start < end))
    out = [before, middle] if before.start < before.end else [middle]
    if end < host.end:
        rest_children = tuple(c for c in host.children if c.start >= end)
        host_decision = host.decision or Decision(host.role, 0.5, ())
        rest = continuation_role(Part("", view[end : host.end], len(rest_children), _announces(zones, end)), host_decision)
        title = f"{host.head.heading if host.head else host.title}（续）"
        out.append(Draft(CONTINUATION, end, host.end, end, rest.role, rest, children=rest_children, title=title))
    return drafts[:index] + out + drafts[index + 1 :], preamble_end


def _problem_eligibility(offset: int, host: Draft | None, preamble_end: int) -> int:
    """Whether a paragraph at ``offset`` may hold the passage of problems (see ``passages``)."""
    if offset < preamble_end:
        return ELIGIBLE
    if host is None:
        return NOT_ELIGIBLE
    if host.role in ("achievements", "other"):
        return ELIGIBLE
    if host.role in ("measures", "goals") and (not host.children or offset < host.children[0].start):
        return STRICT  # a plan part's introduction, before its tasks
    return NOT_ELIGIBLE


def insert_passages(
    drafts: list[Draft], zones: Zones, preamble_end: int, text: str, view: str
) -> tuple[list[Draft], int]:
    """The parts with the un-headed zones cut out as parts of their own, and where the preamble now ends."""
    body = zones.body
    roles = {d.role for d in drafts}

    def host(p: Paragraph) -> Draft | None:
        i = _containing(drafts, p.start)
        return None if i is None else drafts[i]

    if "problems" not in roles:
        levels = [_problem_eligibility(p.start, host(p), preamble_end) for p in body]

        def count_items(start: int, end: int) -> int:
            return len(passage_items(text, view, start, end).items)

        found = find_problem_passage(body, levels, count_items)
        if found is not None:
            drafts, preamble_end = _split(drafts, found, preamble_end, view, zones)
    if "measures" not in roles:
        in_own_text = []  # a part's own text, not a child heading's: 「今后，……」 inside a review item opens no plan
        turning = []  # a part headed for problems and the plan both: the plan may start mid-paragraph
        for p in body:
            h = host(p)
            in_own_text.append(h is not None and h.kind != PASSAGE and not _inside_child(h, p.start))
            turning.append(h is not None and h.head is not None and is_combined(h.head.title_view))
        opener = find_plan_opener(body, in_own_text, turning)
        if opener is not None:
            drafts, preamble_end = _split(drafts, opener, preamble_end, view, zones)
    return drafts, preamble_end


def draft_key(draft: Draft, text: str) -> str:
    """The key a correction names a part by: its heading, else the opening of its text."""
    return section_key(draft.head.heading if draft.head is not None else "", text[draft.start : draft.end])
