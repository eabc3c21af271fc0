"""Find a report's structure: its parts and their levels, the role of each part, and the items of each role.

A chain of pure stages, each in its own module with its own types (none changes another's records):

1. ``paragraphs``  lines → paragraphs with offsets; header, body, closing and appendix zones;
2. ``candidates``  scored heading candidates, numbered (「一、」「（一）」「第一，」「1.」…) and unnumbered
   (「过去一年工作回顾」「结束语」);
3. ``hierarchy``   the document's own layers: numbered runs that continue 1…n, nested by containment;
4. ``classify``    the role of each top-level part, from its heading, the plan announced before it, its body's
   wording and the usual order of a report, with a score and the evidence;
5. ``passages``    un-headed zones: a paragraph of problems, a paragraph that opens the plan; ``drafts``
   cuts them out of the parts they lie in;
6. ``items``       the items of each role, chosen by score among candidate sets;
7. here: a reader's ``corrections`` applied, the confidence of the whole and the ``Outline``.

Every pattern is matched against the canonical view of the text (``canon``: full-width punctuation, simplified
characters, the same length), and every string in the outline is cut from the text itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reportlens.outline import Item, Outline, Section
from reportlens.roles import ITEM_ROLES, ROLE_LABELS
from reportlens.structure.candidates import find_candidates, split_run_on_parts
from reportlens.structure.canon import canonical_view
from reportlens.structure.classify import Decision, heading_scores, is_combined, named_role
from reportlens.structure.corrections import (
    DROP,
    LEVEL,
    ROLE,
    TITLE,
    Correction,
    item_key,
    last_per_target,
    section_key,
)
from reportlens.structure.drafts import (
    HEADED,
    OPENER,
    PASSAGE,
    Draft,
    body_draft,
    draft_key,
    headed_drafts,
    insert_passages,
)
from reportlens.structure.hierarchy import Node, build_hierarchy
from reportlens.structure.items import (
    KIND_LABELS,
    NO_ITEMS,
    ItemSet,
    announced_count,
    best_set,
    etc_items,
    inline_items,
    node_item,
    paragraph_items,
    passage_items,
    prose_items,
    semicolon_items,
    short_title,
)
from reportlens.structure.paragraphs import Zones, find_zones, split_paragraphs

__all__ = ["Correction", "parse_outline", "short_title"]

TAIL_TITLES = {"closing": "落款", "appendix": "附件"}
CORRECTED = "人工校对"
# Kinds of item set that enumerate (beside them, a framing part's paragraphs are not items).
ENUMERATING = ("children", "inline", "semicolon")
# Roles whose items may sit under topic parts, in headings naming them, when no top-level part has the role.
TOPICAL_ROLES = ("problems", "measures")
TOPIC = "topic"  # the kind of such a heading's part: one sentence under it is one item


def _draft_items(draft: Draft, text: str, view: str, level: str) -> ItemSet:
    """The best item set of one part (``level`` "2": the headings two levels below it, by a reader's choice)."""
    if draft.kind == PASSAGE:
        return passage_items(text, view, draft.items_start, draft.end)
    if level == "2":
        grandchildren = tuple(node_item(g, text, view) for c in draft.children for g in c.children)
        return ItemSet("children", grandchildren, 3.0) if grandchildren else NO_ITEMS
    own_end = draft.children[0].start if draft.children else draft.end
    inline = inline_items(text, view, draft.body_start, own_end)
    candidates = [
        ItemSet("children", tuple(node_item(c, text, view) for c in draft.children)) if draft.children else NO_ITEMS,
        inline,
        semicolon_items(text, view, draft.body_start, own_end),
    ]
    if not draft.children and not inline.items:  # paragraphs and sentences never outscore an enumeration
        candidates.append(paragraph_items(text, view, draft.body_start, own_end))
        if draft.role == "problems" or draft.kind == TOPIC:
            candidates.append(prose_items(text, view, draft.body_start, own_end))
            candidates.append(etc_items(text, view, draft.body_start, own_end))
    announced = announced_count(view[draft.body_start : own_end])
    return best_set(candidates, start=draft.body_start, end=draft.end, announced=announced)


def _is_task(draft: Draft) -> bool:
    """A part headed by a task (「二、稳定经济增长」) rather than by the name of its role (「三、下一步工作打算」),
    with fewer than two headings under it: it is an item itself."""
    return draft.head is not None and named_role(draft.head.title_view) is None and len(draft.children) < 2


def _topical(drafts: Sequence[Draft]) -> frozenset[str]:
    """The roles of ``TOPICAL_ROLES`` no top-level part has: a self-inspection report by topic (「一、落实意识形态
    工作责任制情况」 over 「（一）主要做法」「（二）存在问题」「（三）整改措施」) keeps them in headings under each topic."""
    top = {d.role for d in drafts}
    return frozenset(role for role in TOPICAL_ROLES if role not in top)


def _is_topic(draft: Draft, topical: frozenset[str]) -> bool:
    """Whether a part may hold the ``topical`` roles under it: not one whose heading names such a role itself, nor
    one a reader gave its role (「二、存在的问题与不足」 set to 其他 holds no problems under it either)."""
    if not topical or draft.head is None:
        return False
    named = named_role(draft.head.title_view)
    corrected = draft.decision is not None and any(e.startswith(CORRECTED) for e in draft.decision.evidence)
    return not corrected and (named is None or named[0] not in TOPICAL_ROLES)


def _named_children(draft: Draft, topical: frozenset[str] = frozenset()) -> list[Draft]:
    """The headings under a part that name a role, as parts of their own roles: under a part headed for two roles
    (「二、存在的问题及整改措施」 over 「（一）存在的问题」「（二）整改措施」) each role they name; under any other part,
    only the ``topical`` roles; [] when there are none."""
    if draft.head is None or len(draft.children) < 2:
        return []
    causes = _causes_beside(draft)
    if causes:
        return causes
    combined = is_combined(draft.head.title_view)
    if not combined and not _is_topic(draft, topical):
        return []
    out = []
    for child in draft.children:
        named = named_role(child.head.title_view)
        if named is not None and named[0] in (ITEM_ROLES if combined else topical):
            key = section_key(child.head.heading, "")
            kind = HEADED if combined else TOPIC
            out.append(Draft(kind, child.start, child.end, child.head.body_start, named[0], draft.decision, child.head, child.children, key=key))
    if combined:
        return out if len({d.role for d in out}) >= 2 else []
    return out


def _causes_beside(draft: Draft) -> list[Draft]:
    """Under a part headed for its role and the causes (「二、存在的问题及原因分析」 over 「（一）存在的问题」
    「（二）原因分析」): the headings naming its role, as its parts; the causes are no items of it. [] for any
    other part."""
    scores = heading_scores(draft.head.title_view) if draft.head is not None else {}
    if draft.role not in TOPICAL_ROLES or draft.role not in scores or "other" not in scores:
        return []
    named = [(child, named_role(child.head.title_view)) for child in draft.children]
    own = [child for child, n in named if n is not None and n[0] == draft.role]
    if not own or not any(n is not None and n[0] == "other" for _, n in named):
        return []
    return [
        Draft(HEADED, c.start, c.end, c.head.body_start, draft.role, draft.decision, c.head, c.children,
              key=section_key(c.head.heading, ""))
        for c in own
    ]  # fmt: skip


def _role_parts(drafts: list[Draft], role: str, topical: frozenset[str]) -> list[Draft]:
    """The parts whose items are the role's: the parts of that role, or the headings naming it under a part headed
    for two roles or, for a role no top-level part has, under any part."""
    out = []
    for draft in drafts:
        named = _named_children(draft, topical)
        out.extend([d for d in named if d.role == role] if named else [draft] if draft.role == role else [])
    return out


def _role_items(
    drafts: list[Draft], role: str, text: str, view: str, levels: dict[str, str], topical: frozenset[str]
) -> tuple[tuple[Item, ...], str, float]:
    """The items of one role across its parts (``topical``: see ``_topical``), how they were found, and the mean
    score of their sets."""
    parts = _role_parts(drafts, role, topical)
    if not parts:
        return (), "", 0.0
    def is_item(draft: Draft) -> bool:
        return draft.key not in levels and _is_task(draft) and (len(parts) > 1 or role != "problems")

    sets = [NO_ITEMS if is_item(d) else _draft_items(d, text, view, levels.get(d.key, "")) for d in parts]
    enumerating = any(s.kind in ENUMERATING for s in sets)
    found: list[tuple[tuple[Item, ...], str, float]] = []
    for draft, item_set in zip(parts, sets, strict=True):
        if is_item(draft):
            node = Node(draft.head, draft.end, draft.children)  # type: ignore[arg-type]  # _is_task: a head
            found.append(((node_item(node, text, view),), "parts", 2.5))
        elif len(parts) > 1 and enumerating and item_set.kind not in ENUMERATING and draft.kind != TOPIC:
            continue  # a framing part beside parts that enumerate: its paragraphs are not items
        elif item_set.items:
            found.append((item_set.items, item_set.kind, item_set.score))
    items = tuple(i for f in found for i in f[0])
    label = "、".join(dict.fromkeys(KIND_LABELS[f[1]] for f in found)) or KIND_LABELS["none"]
    return items, label, (sum(f[2] for f in found) / len(found) if found else 0.0)


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


def _with_role(section: Section, role: str) -> Section:
    return replace(section, role=role, children=tuple(_with_role(c, role) for c in section.children))


def _draft_section(draft: Draft, topical: frozenset[str] = frozenset()) -> Section:
    decision = draft.decision
    score, evidence = (decision.score, decision.evidence) if decision else (0.5, ())
    if draft.head is not None:
        base = _section(Node(draft.head, draft.end, draft.children), 1, draft.role)
        named = {d.start: d.role for d in _named_children(draft, topical)}
        if named:  # each heading naming a role under a part headed for two (or under a topic) keeps that role
            base = replace(base, children=tuple(_with_role(c, named.get(c.start, c.role)) for c in base.children))
        return replace(base, score=score, evidence=evidence, key=draft.key)
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
        key=draft.key,
    )


def _tail_sections(zones: Zones, body_end: int, text_length: int) -> list[Section]:
    """The closing and the appendix as un-headed parts of role "other", so the parts still cover the text."""
    paragraphs = zones.paragraphs
    appendix = paragraphs[zones.appendix_start].start if zones.appendix_start < len(paragraphs) else text_length
    spans = []
    if zones.body_end < zones.appendix_start:
        spans.append(("closing", paragraphs[zones.body_end].start, appendix))
    if zones.appendix_start < len(paragraphs):
        spans.append(("appendix", appendix, text_length))
    return [
        Section(heading="", title=TAIL_TITLES[zone], level=1, role="other", start=start, end=end, body_start=start,
                marker=zone, implicit=True, score=0.9, evidence=(TAIL_TITLES[zone],), key=f"〔{TAIL_TITLES[zone]}〕")
        for zone, start, end in spans
        if start < end and start >= body_end
    ]


def _confidence(
    drafts: list[Draft], item_sets: dict[str, tuple[tuple[Item, ...], str, float]], headed: bool
) -> tuple[float, tuple[str, ...]]:
    """How sure the parse is (0–1): its headings (0.4), its roles (0.3), its problems and measures (0.3)."""
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
    weak = sum(1 for d in drafts if d.decision is not None and d.decision.score < 0.5)
    if weak:
        evidence.append(f"{weak} 个部分的角色依据较弱")
    found = []
    for role in ("problems", "measures"):
        items, label, score = item_sets.get(role, ((), "", 0.0))
        if items:
            found.append(min(1.0, 0.55 + score / 8))
            evidence.append(f"{ROLE_LABELS[role]}：{len(items)} 条（{label}）")
        elif any(d.role == role for d in drafts):
            found.append(0.3)
            evidence.append(f"{ROLE_LABELS[role]}部分未找到条目")
        else:
            evidence.append(f"未找到{ROLE_LABELS[role]}部分")
    items_score = sum(found) / len(found) if found else (0.35 if headed else 0.2)
    return 0.4 * structure + 0.3 * roles + 0.3 * items_score, tuple(evidence)


def _corrected_roles(drafts: list[Draft], wanted: dict[tuple[str, str], tuple[int, Correction]], used: set[int]) -> list[Draft]:
    out = []
    for draft in drafts:
        found = wanted.get((ROLE, draft.key))
        if found is not None:
            index, correction = found
            used.add(index)
            earlier = draft.decision.evidence if draft.decision else ()
            decision = Decision(correction.value, 1.0, (f"{CORRECTED}（原为{ROLE_LABELS.get(draft.role, draft.role)}）", *earlier[:1]))
            draft = replace(draft, role=correction.value, decision=decision)
        out.append(draft)
    return out


def _corrected_items(role: str, items: tuple[Item, ...], wanted: dict[tuple[str, str], tuple[int, Correction]], used: set[int]) -> tuple[Item, ...]:
    if not any(kind in (DROP, TITLE) for kind, _ in wanted):
        return items
    out = []
    for item in items:
        key = item_key(role, item.text)
        dropped = wanted.get((DROP, key))
        if dropped is not None:
            used.add(dropped[0])
            continue
        titled = wanted.get((TITLE, key))
        if titled is not None:
            used.add(titled[0])
            item = replace(item, title=titled[1].value.strip())
        out.append(item)
    return tuple(out)


def parse_outline(text: str, corrections: Sequence[Correction] = ()) -> Outline:
    """The outline of a normalised report text, with a reader's ``corrections`` applied (``Outline.unmatched``:
    the indices of those that found nothing to apply to). Never raises on text; an empty text gives an empty
    outline."""
    view = canonical_view(text)
    paragraphs = split_run_on_parts(split_paragraphs(text, view))
    if not paragraphs:
        return Outline(text_length=len(text), preamble=(0, len(text)), sections=(), confidence=0.0,
                       evidence=("文本为空",), unmatched=tuple(range(len(corrections))))
    zones = find_zones(paragraphs)
    body_end = zones.offset_of_body_end(len(text))
    body_start = paragraphs[zones.body_start].start if zones.body_start < len(paragraphs) else body_end
    nodes = build_hierarchy(find_candidates(zones), body_end)
    headed = bool(nodes)
    if headed:
        drafts, preamble_end = headed_drafts(nodes, view, zones), nodes[0].start
    elif body_start < body_end:
        drafts, preamble_end = [body_draft(view, body_start, body_end)], body_start
    else:
        drafts, preamble_end = [], body_end
    drafts, preamble_end = insert_passages(drafts, zones, preamble_end, text, view)
    drafts = [replace(d, key=draft_key(d, text)) for d in drafts]

    wanted = last_per_target(tuple(corrections))
    used = {index for index, _ in wanted.values()} ^ set(range(len(corrections)))  # overridden ones count as used
    drafts = _corrected_roles(drafts, wanted, used)
    levels = {target: c.value for (kind, target), (i, c) in wanted.items() if kind == LEVEL}
    topical = _topical(drafts)
    item_sets = {role: _role_items(drafts, role, text, view, levels, topical) for role in ITEM_ROLES}
    keys = {d.key for d in drafts}
    used |= {i for (kind, target), (i, _) in wanted.items() if kind == LEVEL and target in keys}
    confidence, evidence = _confidence(drafts, item_sets, headed)
    items = {role: _corrected_items(role, item_sets[role][0], wanted, used) for role in ITEM_ROLES}
    if corrections:
        evidence = (*evidence, f"已应用人工校对 {len(used & set(range(len(corrections))))} 处")
    sections = tuple(_draft_section(d, topical) for d in drafts) + tuple(_tail_sections(zones, body_end, len(text)))
    return Outline(
        text_length=len(text),
        preamble=(0, sections[0].start if sections else len(text)),
        sections=sections,
        achievements=items["achievements"],
        problems=items["problems"],
        measures=items["measures"],
        notes=tuple(f"未标题的{ROLE_LABELS[d.role]}部分" for d in drafts if d.kind in (PASSAGE, OPENER)),
        confidence=confidence,
        evidence=evidence,
        item_sets=tuple((role, item_sets[role][1], round(item_sets[role][2], 2)) for role in ITEM_ROLES if item_sets[role][1]),
        unmatched=tuple(i for i in range(len(corrections)) if i not in used),
    )
