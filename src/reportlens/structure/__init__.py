"""Find a report's structure: its parts and their levels, the role of each part, and the items of each role.

A chain of pure stages, each in its own module with its own types (none changes another's records):

1. ``paragraphs``  lines → paragraphs with offsets; header, body, closing and appendix zones;
2. ``candidates``  scored heading candidates, numbered (「一、」「（一）」「第一，」「1.」…) and unnumbered
   (「过去一年工作回顾」「结束语」);
3. ``hierarchy``   the document's own layers: numbered runs that continue 1…n, nested by containment;
4. ``classify``    the role of each top-level part, from its heading, the plan announced before it, its body's
   wording and the usual order of a report, with a score and the evidence;
5. ``passages``    un-headed zones: a paragraph of problems, a paragraph that opens the plan;
6. ``items``       the items of each role, chosen by score among candidate sets;
7. here: the confidence of the whole and the ``Outline``.

Every pattern is matched against the canonical view of the text (``canon``: full-width punctuation, simplified
characters, the same length), and every string in the outline is cut from the text itself.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from reportlens.outline import Item, Outline, Section
from reportlens.roles import ITEM_ROLES, ROLE_LABELS
from reportlens.structure import cues
from reportlens.structure.candidates import Candidate, find_candidates
from reportlens.structure.canon import canonical_view
from reportlens.structure.classify import Decision, Part, assign_roles, continuation_role, named_role
from reportlens.structure.hierarchy import Node, build_hierarchy
from reportlens.structure.items import (
    KIND_LABELS,
    NO_ITEMS,
    ItemSet,
    announced_count,
    best_set,
    inline_items,
    node_item,
    paragraph_items,
    passage_items,
    prose_items,
    semicolon_items,
    short_title,
)
from reportlens.structure.paragraphs import Paragraph, Zones, find_zones, split_paragraphs
from reportlens.structure.passages import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    STRICT,
    Passage,
    cue_of,
    find_plan_opener,
    find_problem_passage,
)

__all__ = ["parse_outline", "short_title"]

# Kinds of a top-level part: under a heading, or un-headed.
HEADED, BODY, PASSAGE, OPENER, CONTINUATION, TAIL = "heading", "body", "passage", "opener", "continuation", "tail"
TAIL_TITLES = {"closing": "落款", "appendix": "附件"}
STRONG_CUE = 2.0


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

    @property
    def implicit(self) -> bool:
        return self.head is None


def _clip(node: Node, end: int) -> Node:
    """``node`` ending no later than ``end``, its children likewise (those starting after it dropped)."""
    kept = tuple(_clip(c, end) for c in node.children if c.start < end)
    return Node(node.head, min(node.end, end), kept)


def _announces(paragraphs: tuple[Paragraph, ...], start: int) -> bool:
    """Whether the paragraph just before offset ``start`` announces the tasks that follow."""
    before = [p for p in paragraphs if p.end <= start]
    if not before:
        return False
    view = before[-1].view
    return bool(cues.RE_ANNOUNCE_PLAN.search(view) or cues.RE_ANNOUNCED.search(view))


def _own_view(node: Node, view: str, zones: Zones) -> str:
    """A part's text up to the first paragraph that opens an un-headed zone in it (「但是，当前仍有……等问题依然
    存在。」「下一步，……」): what its role is judged on."""
    if named_role(node.head.title_view) is not None:
        return view[node.start : node.end]  # a named part: its body speaks only to a doubt, read it whole
    first = bisect.bisect_left(zones.starts, node.head.body_start)
    for p in zones.paragraphs[first:]:
        if p.start >= node.end:
            break
        if (
            cues.RE_MEASURES_OPENER.match(p.view) or cues.RE_SHORTFALL_CLOSER.search(p.view) or _strong_cue(p.view)
        ):
            return view[node.start : p.start]
    return view[node.start : node.end]


def _strong_cue(view: str) -> bool:
    found = cue_of(view)
    return found is not None and found[2] >= STRONG_CUE


def _headed_drafts(nodes: tuple[Node, ...], view: str, zones: Zones) -> list[Draft]:
    paragraphs = zones.paragraphs
    parts = [
        Part(
            title=n.head.title_view,
            view=_own_view(n, view, zones),
            children=len(n.children),
            announced=_announces(paragraphs, n.start),
            child_titles=tuple(c.head.title_view for c in n.children),
        )
        for n in nodes
    ]
    return [
        Draft(HEADED, n.start, n.end, n.head.body_start, d.role, d, n.head, n.children)
        for n, d in zip(nodes, assign_roles(parts), strict=True)
    ]


def _body_draft(view: str, start: int, end: int) -> Draft:
    """The whole body as one un-headed part (a report without headings)."""
    decision = assign_roles([Part("", view[start:end], 0, False)])[0]
    decision = Decision(decision.role, min(decision.score, 0.3), ("未找到标题：正文作为一个整体", *decision.evidence))
    return Draft(BODY, start, end, start, decision.role, decision)


def _containing(drafts: list[Draft], offset: int) -> int | None:
    return next((i for i, d in enumerate(drafts) if d.start <= offset < d.end), None)


def _inside_child(draft: Draft, offset: int) -> bool:
    return any(c.start <= offset < c.end for c in draft.children)


def _split(drafts: list[Draft], passage: Passage, preamble_end: int, view: str, paragraphs: tuple[Paragraph, ...]) -> tuple[list[Draft], int]:
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
        rest = continuation_role(Part("", view[end : host.end], len(rest_children), _announces(paragraphs, end + 1)), host_decision)
        out.append(Draft(CONTINUATION, end, host.end, end, rest.role, rest, children=rest_children,
                         title=host.head.heading if host.head else host.title))
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


def _passages(drafts: list[Draft], zones: Zones, preamble_end: int, text: str, view: str) -> tuple[list[Draft], int]:
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
            drafts, preamble_end = _split(drafts, found, preamble_end, view, zones.paragraphs)
    if "measures" not in roles:
        in_own_text = []  # a part's own text, not a child heading's: 「今后，……」 inside a review item opens no plan
        for p in body:
            h = host(p)
            in_own_text.append(h is not None and h.role != "problems" and h.kind != PASSAGE and not _inside_child(h, p.start))
        opener = find_plan_opener(body, in_own_text)
        if opener is not None:
            drafts, preamble_end = _split(drafts, opener, preamble_end, view, zones.paragraphs)
    return drafts, preamble_end


def _draft_items(draft: Draft, text: str, view: str) -> ItemSet:
    """The best item set of one part."""
    if draft.kind == PASSAGE:
        return passage_items(text, view, draft.items_start, draft.end)
    own_end = draft.children[0].start if draft.children else draft.end
    candidates = [
        ItemSet("children", tuple(node_item(c, text, view) for c in draft.children)) if draft.children else NO_ITEMS,
        inline_items(text, view, draft.body_start, own_end),
        semicolon_items(text, view, draft.body_start, own_end),
        paragraph_items(text, view, draft.body_start, own_end) if not draft.children else NO_ITEMS,
    ]
    if draft.role == "problems" and not draft.children:
        candidates.append(prose_items(text, view, draft.body_start, own_end))
    return best_set(candidates, start=draft.body_start, end=draft.end, announced=announced_count(view[draft.body_start : own_end]))


def _is_framing(draft: Draft) -> bool:
    """A part whose heading names its role (「三、下一步工作打算」) frames its items; a part headed by a task
    (「二、稳定经济增长」) is an item itself."""
    return draft.head is None or named_role(draft.head.title_view) is not None


def _role_items(drafts: list[Draft], role: str, text: str, view: str) -> tuple[tuple[Item, ...], str, float]:
    parts = [d for d in drafts if d.role == role]
    if not parts:
        return (), "", 0.0
    sets = [_draft_items(d, text, view) for d in parts]
    structured = any(s.kind in ("children", "inline", "semicolon") for s in sets)
    items: list[Item] = []
    kinds: list[str] = []
    scores: list[float] = []
    for draft, found in zip(parts, sets, strict=True):
        if len(parts) > 1 and draft.head is not None and not _is_framing(draft) and len(draft.children) < 2:
            node = Node(draft.head, draft.end, draft.children)
            items.append(node_item(node, text, view))
            kinds.append("parts")
            scores.append(2.5)
            continue
        if len(parts) > 1 and structured and found.kind in ("paragraphs", "sentences", "clauses"):
            continue  # a framing part beside parts that enumerate: its paragraphs are not items
        if len(parts) == 1 and draft.head is not None and not _is_framing(draft) and len(draft.children) < 2 and role != "problems":
            node = Node(draft.head, draft.end, draft.children)
            items.append(node_item(node, text, view))
            kinds.append("parts")
            scores.append(2.0)
            continue
        items.extend(found.items)
        if found.items:
            kinds.append(found.kind)
            scores.append(found.score)
    label = "、".join(dict.fromkeys(KIND_LABELS[k] for k in kinds)) or KIND_LABELS["none"]
    return tuple(items), label, (sum(scores) / len(scores) if scores else 0.0)


def _section(node: Node, level: int, role: str) -> Section:
    head = node.head
    return Section(
        heading=head.heading,
        title=head.title,
        level=level,
        role=role,
        start=head.start,
        end=node.end,
        body_start=min(head.body_start, node.end),
        marker=head.style,
        children=tuple(_section(c, level + 1, role) for c in node.children),
    )


def _draft_section(draft: Draft) -> Section:
    decision = draft.decision
    score, evidence = (decision.score, decision.evidence) if decision else (0.5, ())
    if draft.head is not None:
        base = _section(Node(draft.head, draft.end, draft.children), 1, draft.role)
        return replace(base, score=score, evidence=evidence)
    return Section(
        heading="",
        title=draft.title,
        level=1,
        role=draft.role,
        start=draft.start,
        end=draft.end,
        body_start=draft.body_start,
        marker=draft.kind,
        implicit=True,
        children=tuple(_section(c, 2, draft.role) for c in draft.children),
        score=score,
        evidence=evidence,
    )


def _tail_sections(zones: Zones, body_end: int, text_length: int) -> list[Section]:
    """The closing and the appendix as un-headed parts of role "other", so the parts still cover the text."""
    out = []
    paragraphs = zones.paragraphs
    spans = []
    if zones.body_end < zones.appendix_start:
        spans.append(("closing", paragraphs[zones.body_end].start, paragraphs[zones.appendix_start].start if zones.appendix_start < len(paragraphs) else text_length))
    if zones.appendix_start < len(paragraphs):
        spans.append(("appendix", paragraphs[zones.appendix_start].start, text_length))
    for zone, start, end in spans:
        if start < end and start >= body_end:
            out.append(Section(heading="", title=TAIL_TITLES[zone], level=1, role="other", start=start, end=end,
                               body_start=start, marker=zone, implicit=True, score=0.9,
                               evidence=("落款" if zone == "closing" else "附件或注释",)))
    return out


def _confidence(drafts: list[Draft], item_sets: dict[str, tuple[tuple[Item, ...], str, float]], headed: bool) -> tuple[float, tuple[str, ...]]:
    evidence: list[str] = []
    tops = [d for d in drafts if d.head is not None]
    if headed and tops and tops[0].head is not None and tops[0].head.style == "bare":
        structure = 0.7
        evidence.append(f"一级标题为无编号的部分标题（{len(tops)} 个）")
    elif headed:
        structure = 0.9
        evidence.append(f"一级标题：{len(tops)} 个编号连续的标题")
    else:
        structure = 0.2
        evidence.append("未找到标题：正文作为一个整体部分")
    decided = [d.decision.score for d in drafts if d.decision is not None]
    roles = sum(decided) / len(decided) if decided else 0.3
    weak = [d for d in drafts if d.decision is not None and d.decision.score < 0.5]
    if weak:
        evidence.append(f"{len(weak)} 个部分的角色依据较弱")
    found = []
    for role in ("problems", "measures"):
        items, label, score = item_sets.get(role, ((), "", 0.0))
        has_part = any(d.role == role for d in drafts)
        if items:
            found.append(min(1.0, 0.55 + score / 8))
            evidence.append(f"{ROLE_LABELS[role]}：{len(items)} 条（{label}）")
        elif has_part:
            found.append(0.3)
            evidence.append(f"{ROLE_LABELS[role]}部分未找到条目")
        else:
            evidence.append(f"未找到{ROLE_LABELS[role]}部分")
    items_score = sum(found) / len(found) if found else 0.3
    if not found:
        items_score = 0.35 if headed else 0.2
    return 0.4 * structure + 0.3 * roles + 0.3 * items_score, tuple(evidence)


def parse_outline(text: str) -> Outline:
    """The outline of a normalised report text. Never raises on text; an empty text gives an empty outline."""
    view = canonical_view(text)
    paragraphs = split_paragraphs(text, view)
    if not paragraphs:
        return Outline(text_length=len(text), preamble=(0, len(text)), sections=(), confidence=0.0,
                       evidence=("文本为空",))
    zones = find_zones(paragraphs)
    body_end = zones.offset_of_body_end(len(text))
    body_start = paragraphs[zones.body_start].start if zones.body_start < len(paragraphs) else body_end
    nodes = build_hierarchy(find_candidates(zones), body_end)
    headed = bool(nodes)
    if headed:
        drafts = _headed_drafts(nodes, view, zones)
        preamble_end = nodes[0].start
    elif body_start < body_end:
        drafts = [_body_draft(view, body_start, body_end)]
        preamble_end = body_start
    else:
        drafts, preamble_end = [], body_end
    drafts, preamble_end = _passages(drafts, zones, preamble_end, text, view)
    item_sets = {role: _role_items(drafts, role, text, view) for role in ITEM_ROLES}
    confidence, evidence = _confidence(drafts, item_sets, headed)
    sections = tuple(_draft_section(d) for d in drafts) + tuple(_tail_sections(zones, body_end, len(text)))
    notes = tuple(f"未标题的{ROLE_LABELS[d.role]}部分" for d in drafts if d.kind in (PASSAGE, OPENER))
    return Outline(
        text_length=len(text),
        preamble=(0, sections[0].start if sections else len(text)),
        sections=sections,
        achievements=item_sets["achievements"][0],
        problems=item_sets["problems"][0],
        measures=item_sets["measures"][0],
        notes=notes,
        confidence=confidence,
        evidence=evidence,
        item_sets=tuple((role, item_sets[role][1], round(item_sets[role][2], 2)) for role in ITEM_ROLES if item_sets[role][1]),
    )
