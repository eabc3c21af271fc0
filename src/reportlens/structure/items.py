"""Stage 6: the items of each part — problems, measures, achievements — chosen by score among candidate sets.

For one part the candidates are: its child headings; an inline enumeration in its own text (「一是……二是……」
「（一）……（二）……」「1、……2、……」「第一，……第二，……」); a 「；」-separated list after a lead-in; the sentences
of a prose passage of problems, or the clauses of its one sentence (「……，……，等等。」); its paragraphs. Each set is
scored by its kind, by whether its count is the count the text announces (「做好以下三个方面工作」), by how much of
the part it covers and by the shape of its titles. A part whose heading names no role (「二、稳定经济增长」) is
itself one item when its role has several such parts; the items of several parts of one role are concatenated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlens.outline import Item
from reportlens.structure import cues
from reportlens.structure.candidates import first_sentence_end, numeral
from reportlens.structure.hierarchy import Node
from reportlens.structure.paragraphs import sentence_spans

TITLE_MAX = 40
TRAILING = "。！？；，：、 ,.;:!?"
KIND_BASE = {
    "children": 3.0,
    "inline": 2.6,
    "semicolon": 2.0,
    "sentences": 1.3,
    "clauses": 1.2,
    "paragraphs": 1.0,
    "parts": 2.5,
    "etc": 2.0,
}
KIND_LABELS = {
    "children": "下级标题",
    "inline": "段内编号（一是……二是……）",
    "semicolon": "分号分隔的列举",
    "sentences": "逐句列举",
    "clauses": "一句中的逐项列举",
    "paragraphs": "逐段",
    "parts": "各部分本身",
    "etc": "「等问题」前的列举",
    "none": "未找到条目",
}


@dataclass(frozen=True)
class ItemSet:
    """A candidate set of items for one part: its kind, the items and its score."""

    kind: str
    items: tuple[Item, ...]
    score: float = 0.0

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


NO_ITEMS = ItemSet("none", (), 0.0)


def short_title(text: str, view: str) -> str:
    """An item's title: its first sentence, and when that is longer than ``TITLE_MAX``, its first clause that is
    more than an adverbial lead (「近年来，受……影响」, never just 「近年来」). ``view`` is the canonical view."""
    end = first_sentence_end(view)
    stop = end - 1 if view[end - 1 : end] in {"。", "！", "？", "；"} else end
    sentence, sview = text[:stop], view[:stop]
    if len(sentence.strip()) > TITLE_MAX:
        for match in re.finditer("，", sview):
            prefix = sview[: match.start()].strip()
            if len(prefix) >= 4 and not cues.RE_ADVERBIAL_LEAD.match(prefix):
                sentence = sentence[: match.start()]
                break
    return sentence.strip().rstrip(TRAILING).strip()


def _item(text: str, view: str, start: int, end: int, children: tuple[Item, ...] = ()) -> Item | None:
    """An item of ``text[start:end]`` with its spaces trimmed; None when nothing is left."""
    while start < end and text[start] in " \n":
        start += 1
    while end > start and text[end - 1] in " \n":
        end -= 1
    if start >= end:
        return None
    title = short_title(text[start:end], view[start:end])
    return Item(title, text[start:end], start, end, children) if title else None


def node_item(node: Node, text: str, view: str) -> Item:
    """A heading as an item: its title, its whole text, its children (or inline list) as sub-items."""
    children = tuple(node_item(c, text, view) for c in node.children)
    if not children:
        children = inline_items(text, view, node.head.body_start, node.end, sub_items=True).items
    head = node.head
    if not head.title:  # a numeral alone: the part's first sentence says what it is about
        start = head.body_start + 1
        title = short_title(text[start : node.end].lstrip(), view[start : node.end].lstrip())
    else:
        title = head.title if head.style == "cha" else short_title(head.title, head.title_view)
    return Item(title or head.heading, text[node.start : node.end].strip(), node.start, node.end, children)


def _paragraph_end(view: str, pos: int, end: int) -> int:
    stop = view.find("\n", pos, end)
    return end if stop < 0 else stop


def inline_items(text: str, view: str, start: int, end: int, *, sub_items: bool = False) -> ItemSet:
    """The first inline enumeration of ``view[start:end]`` with two members or more, numbered 1, 2, 3…, inside
    one paragraph (a list in running text never spans paragraphs: a line-start 「第四，」 after an inline
    「第一，……第三，」 is body text). ``sub_items``: the list inside an item, where 「一要……二要……」 are the
    item's requirements, not sub-items."""
    if not _may_list(view, start, end):
        return NO_ITEMS  # one look at the whole span turns away most parts
    pos = start
    while pos < end:
        stop = _paragraph_end(view, pos, end)
        found = _paragraph_run(view, pos, stop, sub_items=sub_items) if _may_list(view, pos, stop) else []
        if found:
            items = []
            for i, match in enumerate(found):
                item_end = found[i + 1].start() if i + 1 < len(found) else stop
                item = _item(text, view, match.end(), item_end)
                if item is not None:
                    items.append(Item(item.title, item.text, match.start(), item.end))
            if len(items) >= 2:
                return ItemSet("inline", tuple(items))
        pos = stop + 1
    return NO_ITEMS


def _may_list(view: str, start: int, stop: int) -> bool:
    """Whether ``view[start:stop]`` holds a first and a second member of an inline list at all (most paragraphs
    do not)."""
    first = cues.RE_INLINE_FIRST_MEMBER.search(view, start, stop)
    return first is not None and cues.RE_INLINE_SECOND_MEMBER.search(view, first.end(), stop) is not None


def _member_number(style: str, marker: str, members: int) -> int:
    """The number a member's marker gives it: its numeral, or for an order told in words (「首先」「其次」
    「最后」) the place the word names, 「最后」 and 「然后」 taking the next one."""
    if style == "sequence":
        return cues.SEQUENCE_NUMBERS.get(marker, members + 1 if members else 0)
    return numeral(marker)


def _paragraph_run(view: str, start: int, stop: int, *, sub_items: bool) -> list[re.Match[str]]:
    """The earliest run of two or more inline markers numbered 1, 2, 3… in ``view[start:stop]``."""
    best: list[re.Match[str]] = []
    for style, pattern in cues.INLINE_STYLES:
        if sub_items and style == "yao":
            continue
        run: list[re.Match[str]] = []
        for match in pattern.finditer(view, start, stop):
            number = _member_number(style, match.group(1), len(run))
            if not run:
                if number == 1:
                    run.append(match)
            elif number == len(run) + 1:
                run.append(match)
            elif number == 1:
                break  # the same marker restarting: a second list, not ours
        if len(run) >= 2 and (not best or run[0].start() < best[0].start()):
            best = run
    return best


def _lead_offset(view: str, start: int, end: int) -> int:
    """Where the first element of a list starts: after the last colon of the first element, or after a lead
    clause (「……的同时，当前仍有……」 → after 「当前仍有」); else at ``start``."""
    colon = view.rfind("：", start, end)
    if colon >= 0:
        return colon + 1
    mainly = cues.RE_MAINLY.match(view, start, end)
    if mainly is not None:
        return mainly.end()
    clauses = [m.end() for m in re.finditer("，", view[start:end])]
    starts = [start] + [start + c for c in clauses]
    for i in range(len(starts) - 1, -1, -1):
        clause_start = starts[i]
        lead = cues.RE_LIST_LEAD.match(view, clause_start, end)
        if lead is not None and lead.end() > clause_start:
            return lead.end()
        if i > 0:
            before = view[starts[i - 1] : clause_start].rstrip("，")
            if before.endswith("的同时") or cues.RE_SHORTFALL_CUE.search(before):
                return clause_start
    return start


def _strip_tail(view: str, start: int, end: int) -> int:
    """The end of a list's last element without 「等问题依然存在」 or 「，等等」."""
    closer = cues.RE_SHORTFALL_CLOSER.search(view, start, end)
    if closer is not None:
        end = closer.start()
    while end > start and view[end - 1] in "。！？；， ":
        end -= 1
    etc = cues.RE_ETC.search(view, start, end)
    return etc.start() if etc is not None else end


def semicolon_items(text: str, view: str, start: int, end: int, *, first_paragraph_only: bool = True) -> ItemSet:
    """The 「；」-separated elements of the sentences that hold a 「；」 (a list never spans paragraphs)."""
    if view.find("；", start, end) < 0:
        return NO_ITEMS
    items: list[Item] = []
    pos = start
    while pos < end:
        stop = _paragraph_end(view, pos, end)
        if "；" in view[pos:stop]:
            for s_start, s_end in sentence_spans(view, pos, stop):
                if "；" not in view[s_start:s_end]:
                    continue
                bounds = [s_start] + [m.end() for m in re.finditer("；", view[s_start:s_end])]
                bounds = [s_start] + [s_start + b for b in bounds[1:]]
                for i, b_start in enumerate(bounds):
                    b_end = bounds[i + 1] - 1 if i + 1 < len(bounds) else s_end
                    if i == 0:
                        b_start = _lead_offset(view, b_start, b_end)
                    if i == len(bounds) - 1:
                        b_end = _strip_tail(view, b_start, b_end)
                    item = _item(text, view, b_start, b_end)
                    if item is not None:
                        items.append(item)
            if first_paragraph_only and items:
                break
        pos = stop + 1
    return ItemSet("semicolon", tuple(items)) if len(items) >= 2 else NO_ITEMS


def prose_items(text: str, view: str, start: int, end: int) -> ItemSet:
    """Problems stated in prose after a lead-in: one item per sentence up to the resolve; the clauses of the one
    sentence when there is only one and it lists (three clauses or more, or ends 「等等」)."""
    spans = []
    for s_start, s_end in sentence_spans(view, start, resolve_start(view, start, end)):
        mainly = cues.RE_MAINLY.match(view, s_start, s_end)
        if mainly is not None:
            s_start = mainly.end()
        colon = view.find("：", s_start, min(s_end, s_start + cues.LEAD_IN_MAX))
        if colon >= 0 and cues.RE_LEAD_IN.search(view, s_start, colon):
            s_start = colon + 1  # the list starts after its lead-in
        spans.append((s_start, s_end))
    if len(spans) == 1:
        s_start, s_end = spans[0]
        body_end = _strip_tail(view, s_start, s_end)
        clauses = [m.start() for m in re.finditer("，", view[s_start:body_end])]
        ends_etc = view[s_start:s_end].rstrip("。！？ ").endswith("等等")
        if len(clauses) >= 2 or ends_etc:
            bounds = [s_start] + [s_start + c + 1 for c in clauses]
            items = []
            for i, b_start in enumerate(bounds):
                b_end = bounds[i + 1] - 1 if i + 1 < len(bounds) else body_end
                item = _item(text, view, b_start, b_end)
                if item is not None:
                    items.append(item)
            return ItemSet("clauses", tuple(items))
    items = []
    for s_start, s_end in spans:
        item = _item(text, view, s_start, _strip_tail(view, s_start, s_end))
        if item is not None:
            items.append(item)
    return ItemSet("sentences", tuple(items)) if items else NO_ITEMS


def resolve_start(view: str, start: int, end: int) -> int:
    """Where the resolve after a list of problems begins (「对此，我们将……」, or the clauses 「……，必须直面问题、
    应对挑战，切实加以解决」 closing the last sentence), else ``end``."""
    for s_start, s_end in sentence_spans(view, start, end):
        sentence = view[s_start:s_end]
        stripped = sentence.lstrip()
        match = cues.RE_RESOLVE.search(stripped)
        if match is None:
            continue
        offset = s_start + len(sentence) - len(stripped)
        clause = view.rfind("，", s_start, offset + match.start())
        return clause + 1 if clause >= 0 else s_start
    return end


def enumeration_items(text: str, view: str, start: int, end: int) -> ItemSet:
    """The elements of a list written with 「、」 or 「，」 (「上班迟到早退、工作日午间饮酒、公车管理不规范」), two
    or more; the clauses of one sentence."""
    bounds = [start] + [m.end() for m in re.finditer("[、，]", view[start:end])]
    bounds = [start] + [start + b for b in bounds[1:]]
    items = []
    for i, b_start in enumerate(bounds):
        item = _item(text, view, b_start, bounds[i + 1] - 1 if i + 1 < len(bounds) else end)
        if item is not None:
            items.append(item)
    return ItemSet("clauses", tuple(items)) if len(items) >= 2 else NO_ITEMS


def etc_items(text: str, view: str, start: int, end: int) -> ItemSet:
    """A problems part written as one paragraph whose first sentence lists them before 「等问题」 after its verb
    (「……虽然取得一定成效，但仍存在A、B、C等问题。」): the elements of that list."""
    if _paragraph_end(view, start, end) < end - 1:
        return NO_ITEMS  # several paragraphs: each may be a problem of its own
    first = next(iter(sentence_spans(view, start, end)), None)
    if first is None:
        return NO_ITEMS
    verb = cues.RE_SHORTFALL_ETC.search(view, *first)
    listed = cues.RE_ETC_LIST.match(view, verb.end(), first[1]) if verb is not None else None
    if listed is None:
        return NO_ITEMS
    found = enumeration_items(text, view, *listed.span(1))
    return ItemSet("etc", found.items) if found.items else NO_ITEMS


def passage_items(text: str, view: str, start: int, end: int) -> ItemSet:
    """The items of a problems passage, after its lead-in: an inline enumeration, a 「；」-list, or prose."""
    resolve_at = resolve_start(view, start, end)
    etc = cues.RE_ETC_LIST.match(view, start, resolve_at)
    if etc is not None:
        listed = enumeration_items(text, view, *etc.span(1))
        if listed.items:
            return listed
    inline = inline_items(text, view, start, resolve_at)
    if inline.items:
        return inline
    listed = semicolon_items(text, view, start, resolve_at, first_paragraph_only=False)
    # a 「；」 inside one sentence of a prose passage lists nothing for the passage: its sentences do
    sentences = [view[a:b] for a, b in sentence_spans(view, start, resolve_at)]
    with_semicolons = sum("；" in sentence for sentence in sentences)
    if listed.items and with_semicolons >= len(sentences) - with_semicolons:
        return listed
    return prose_items(text, view, start, resolve_at)


def paragraph_items(text: str, view: str, start: int, end: int) -> ItemSet:
    """Each paragraph of ``text[start:end]`` one item, when there are two or more."""
    items, pos = [], start
    while pos < end:
        stop = _paragraph_end(view, pos, end)
        item = _item(text, view, pos, stop)
        if item is not None:
            items.append(item)
        pos = stop + 1
    return ItemSet("paragraphs", tuple(items)) if len(items) >= 2 else NO_ITEMS


def announced_count(view: str) -> int:
    """The count a text announces for what follows (「做好以下三个方面工作」 → 3), or 0."""
    match = cues.RE_ANNOUNCED.search(view)
    return numeral(match.group(1)) if match else 0


def score(found: ItemSet, *, covered: int, length: int, announced: int) -> ItemSet:
    """``found`` with its score: kind, announced count, coverage of the part, title shape."""
    if not found.items:
        return NO_ITEMS
    value = KIND_BASE[found.kind]
    if announced and len(found.items) == announced:
        value += 1.0
    value += 0.5 * min(1.0, covered / max(length, 1))
    if sum(len(i.title) for i in found.items) / len(found.items) > TITLE_MAX:
        value -= 0.5
    if len(found.items) < 2:
        value -= 1.0
    return ItemSet(found.kind, found.items, value)


def best_set(candidates: Sequence[ItemSet], *, start: int, end: int, announced: int) -> ItemSet:
    """The highest-scoring candidate set for a part spanning ``[start, end)``."""
    scored = [
        score(c, covered=sum(i.end - i.start for i in c.items), length=end - start, announced=announced)
        for c in candidates
        if c.items
    ]
    return max(scored, key=lambda s: s.score, default=NO_ITEMS)
