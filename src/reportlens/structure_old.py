"""Find a report's structure: headings and their levels, section roles, and the enumerated items of each part.

The text is the normalised report text (one paragraph per line). The parse runs in four steps:
1. every line is matched against the heading patterns below (``RE_*``); a heading that runs on into body text
   keeps only its first sentence as the heading;
2. the top heading type is chosen and its numbering checked, so an inline list 「一、……二、……」 restarting in
   the middle of a part is not mistaken for new parts;
3. where no heading names the problems or the measures part, un-headed paragraphs that open them
   (「……等问题依然存在」, 「下一步，……」) start implicit parts;
4. the headings become a tree (a marker type already open is a sibling, a new one a child), roles come from
   the level-1 headings, and items come from the children, inline enumerations (「一是……二是……」) or
   「；」-separated lists of each role's part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from reportlens.outline import Item, Outline, Section

NUMERALS = "一二三四五六七八九十"
# 「一、工作开展情况」「三．下一步打算」
RE_LEVEL1 = re.compile(r"^([一二三四五六七八九十]{1,3})[、．.]")
# 「（一）加强干部选拔培养,提升干事创业水平」
RE_LEVEL2 = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")
# 「第一，全国动员，大办农业」 (State Council 1978)
RE_ORDINAL = re.compile(r"^第([一二三四五六七八九十]{1,3})[，,、]")
# 「1、提高政治站位，强化组织领导……」「2．……」 but not 「2.5」
RE_LEVEL3 = re.compile(r"^(\d{1,2})[、．.](?!\d)")
# 「（1）……」
RE_LEVEL4 = re.compile(r"^[（(](\d{1,2})[）)]")
# 「①……」
RE_LEVEL5 = re.compile(r"^([①-⑳])")
# 「一查立场是否坚定方面。1、为了……」 — the numeral is part of the title (一查 = "first check")
RE_CHA = re.compile(r"^([一二三四五六七八九十]{1,2})查")
# 「一是加强学习，提高认识。」 at the start of a line
RE_SHI = re.compile(r"^([一二三四五六七八九十]{1,2})是")

# Marker types in default rank order (smaller = higher level). "list" is a demoted 一、 list inside a part.
MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("level1", RE_LEVEL1),
    ("ordinal", RE_ORDINAL),
    ("level2", RE_LEVEL2),
    ("level3", RE_LEVEL3),
    ("level4", RE_LEVEL4),
    ("level5", RE_LEVEL5),
    ("cha", RE_CHA),
    ("shi", RE_SHI),
)
RANK = {name: i for i, (name, _) in enumerate(MARKERS)} | {"list": len(MARKERS)}
# Any of the markers above: one test that turns away the many lines that open with none (most are body text).
RE_ANY_HEADING = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in MARKERS))
# A line break and a heading marker opening the line after it: finds, in one pass over "\n" + text, the lines
# ``RE_ANY_HEADING`` matches (「\n（一）加强干部选拔培养」), sparing a regex call for each of the others.
RE_HEADING_LINE = re.compile(f"\n(?:{RE_ANY_HEADING.pattern})", re.MULTILINE)
TOP_CANDIDATES = ("level1", "ordinal", "level2", "level3")

# Inline enumerations inside a paragraph: 「……的问题，一是主动学习自觉性不高。……二是学习制度坚持的不好。」
# (Both open with a lookahead for the numeral, which changes no match but lets the regex engine pass over
# the other characters quickly: scanning a report takes a third less time.)
RE_INLINE_SHI = re.compile(r"(?=[一二三四五六七八九十])(?:^|(?<=[。；;，,：:！？!? ]))([一二三四五六七八九十]{1,2})是")
# 「……方面。1、为了……；2、在贯彻……」
RE_INLINE_NUM = re.compile(r"(?=\d)(?:^|(?<=[。；;：:！？!? ]))(\d{1,2})[、．](?!\d)")
# Signs without which the two patterns above cannot match, so most paragraphs are passed over after this test
# alone. Each opens with one literal character, which the regex engine jumps to: finding them takes a fraction
# of the time the patterns take to scan a paragraph.
# A numeral before 是: 「二是」
RE_SHI_SIGN = re.compile(r"是(?<=[一二三四五六七八九十]是)")
# A digit before 、 or ．: 「1、」「2．」
RE_NUM_SIGNS = (re.compile(r"、(?<=\d、)"), re.compile(r"．(?<=\d．)"))
INLINE_PATTERNS = ((RE_INLINE_SHI, (RE_SHI_SIGN,)), (RE_INLINE_NUM, RE_NUM_SIGNS))

# The first sentence of a heading or item: up to 。！？； (「提高思想认识，压实工作责任，……落到实处。为进一步……」)
RE_SENTENCE_END = re.compile(r"[。！？；!?;]")
TITLE_MAX = 40

# Role of a level-1 part from its heading: 「二、存在的主要问题」「二、存在的问题与不足」
RE_ROLE_PROBLEMS = re.compile(
    r"存在的?(主要)?(问题|不足)|问题(与|和|及)(不足|差距|短板)|不足之处|短板弱项|差距和?不足|困难和问题|薄弱环节|主要问题"
)
# 「三、下一步工作打算」「三、整改措施」「三、下一步努力方向」「三、2025年政府工作任务」
RE_ROLE_MEASURES = re.compile(
    r"下一?步|打算|整改(措施|方向|举措)|努力方向|工作安排|工作计划|工作思路|工作任务|重点工作|主要任务|工作重点|"
    r"意见建议|对策|措施|今后|目标任务|工作部署|重点任务"
)
# 「一、工作开展情况」「一、前期工作主要成绩」「一、2024年工作回顾」
RE_ROLE_ACHIEVEMENTS = re.compile(
    r"开展情况|主要成绩|工作成效|工作回顾|主要做法|成绩|成效|做法|完成情况|工作情况|回顾|成就|进展情况|基本情况|主要工作"
)

# An un-headed paragraph that lists problems: 「……当前仍有……认识不足；……等问题依然存在。」
RE_PROBLEM_CLOSER = re.compile(r"等(方面的?)?(问题|不足|现象)(依然|仍然|还|仍|也)?(不同程度地?)?存在")
# 「我们也清醒地看到，当前经济和社会生活中还存在不少亟待解决的问题。」 within a paragraph's opening
# (Every alternative opens with a literal character, 「还」「仍」「仍然」「也」 each written out in full, so the regex
# engine skips straight to the next 清, 还, 仍, 也, 不 or 存: the search takes under half the time.)
SHORTFALL = "(?:存在|有)(?:一些|不少|许多)?(?:不足|问题|差距|短板)"  # 「存在一些不足」
RE_PROBLEM_OPENER = re.compile(
    f"清醒地?(?:看到|认识到)|还{SHORTFALL}|仍{SHORTFALL}|仍然{SHORTFALL}|也{SHORTFALL}|不足之处|存在的(?:问题|不足)"
)
PROBLEM_OPENER_WINDOW = 80
# A paragraph that opens the measures: 「下一步，针对问题我局将结合自身工作实际……」
RE_MEASURES_OPENER = re.compile(r"^(下一步|下步|下一阶段|今后一个时期|今后|针对(上述|以上|存在的)问题)[，,：:我]")
# Lead-in and tail of a 「；」-list of problems: 「当前仍有」…「等问题依然存在」
RE_LIST_LEAD = re.compile(r"^(当前|目前|但|但是|同时|然而)?(仍然|仍|还|也)?(有|存在)?")
RE_LIST_TAIL = re.compile(r"等(方面的?)?(问题|不足|现象).*$")
# The closing resolve after a list of problems: 「我们要直面这些问题挑战，尽心竭力做好政府工作」
RE_RESOLVE = re.compile(r"直面|正视|高度重视|认真(加以)?解决|切实(加以)?解决|决不辜负|采取(有力|有效)?措施")
# 「主要是：」 before the first problem
RE_MAINLY = re.compile(r"^(主要(是|表现在)|具体(是|表现为))[：:，,]")


@dataclass
class _Head:
    """A heading (or implicit part opener) found on a line."""

    line: int
    kind: str
    number: int
    start: int
    body_start: int
    heading: str
    title: str
    implicit: bool = False
    role: str = ""


@dataclass
class _Node:
    head: _Head
    end: int = 0
    children: list[_Node] = field(default_factory=list)


def _numeral(value: str) -> int:
    """「三」→3, 「十二」→12, 「12」→12, 「③」→3."""
    if value.isascii() and value.isdigit():
        return int(value)
    if "①" <= value <= "⑳":
        return ord(value) - ord("①") + 1
    if value == "十":
        return 10
    if value.startswith("十"):
        return 10 + NUMERALS.index(value[1]) + 1
    if len(value) == 3 and value[1] == "十":
        return (NUMERALS.index(value[0]) + 1) * 10 + NUMERALS.index(value[2]) + 1
    if value.endswith("十"):
        return (NUMERALS.index(value[0]) + 1) * 10
    return NUMERALS.index(value[0]) + 1 if len(value) == 1 else 0


def first_sentence(text: str) -> tuple[str, int]:
    """The first sentence of ``text`` without its end mark, and the offset just after that mark."""
    match = RE_SENTENCE_END.search(text)
    if match is None:
        return text.strip(), len(text)
    return text[: match.start()].strip(), match.end()


def short_title(text: str) -> str:
    """An item's short title: its first sentence, cut at the first 「，」 when longer than ``TITLE_MAX``."""
    sentence, _ = first_sentence(text)
    if len(sentence) > TITLE_MAX and "，" in sentence:
        sentence = sentence.split("，", 1)[0]
    return sentence.rstrip("，,：: ")


def _heading_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """``(index, start, line)`` of each line of ``text`` that ``RE_ANY_HEADING`` matches, in order."""
    padded = "\n" + text  # a match at i in ``padded`` is a line starting at i in ``text``
    index, counted = -1, 0
    for match in RE_HEADING_LINE.finditer(padded):
        start = match.start()
        index += padded.count("\n", counted, start + 1)
        counted = start + 1
        end = text.find("\n", start)
        yield index, start, text[start:] if end < 0 else text[start:end]


def _match_heading(index: int, start: int, line: str) -> _Head | None:
    # The alternatives of RE_ANY_HEADING are the markers in order, each capturing its number in one group: the
    # group that took part names the first marker that matches, and holds what that marker's own match would.
    match = RE_ANY_HEADING.match(line)
    if match is None or match.lastindex is None:
        return None
    kind = MARKERS[match.lastindex - 1][0]
    keep_marker = kind == "cha"
    rest = line[0 if keep_marker else match.end() :]
    offset = (0 if keep_marker else match.end()) + (len(rest) - len(rest.lstrip()))
    title, used = first_sentence(rest.lstrip())
    if not title:
        return None
    marker = line[: match.end()]
    heading = title if keep_marker else marker + title
    number = _numeral(match.group(match.lastindex))
    return _Head(index, kind, number, start, start + offset + used, heading, title)


def _line_heads(index: int, start: int, line: str) -> list[_Head]:
    """The heading on a line, plus the same enumeration continuing inline (「一是……。二是……。三是……」)."""
    head = _match_heading(index, start, line)
    if head is None:
        return []
    heads = [head]
    inline = {"shi": RE_INLINE_SHI, "level3": RE_INLINE_NUM}.get(head.kind)
    if inline is not None:
        for match in inline.finditer(line, head.body_start - start):
            if _numeral(match.group(1)) == 1:
                break  # a nested list starts: its 二是、三是 are not ours
            if _numeral(match.group(1)) == heads[-1].number + 1:
                more = _match_heading(index, start + match.start(), line[match.start() :])
                if more is not None and more.kind == head.kind:
                    heads.append(more)
    return heads


def classify_line(line: str) -> tuple[str, int, str, str] | None:
    """``(kind, number, heading, title)`` when a line opens with a heading marker, else None.

    >>> classify_line("（二）干事创业作风方面。")
    ('level2', 2, '（二）干事创业作风方面', '干事创业作风方面')
    """
    head = _match_heading(0, 0, line)
    return None if head is None else (head.kind, head.number, head.heading, head.title)


def _top_kind(heads: list[_Head]) -> str | None:
    for kind in TOP_CANDIDATES:
        if sum(h.kind == kind for h in heads) >= 2:
            return kind
    return None


def _check_numbering(heads: list[_Head], top: str) -> None:
    """Demote top-type headings that restart a list inside a part (「一、」 again after 「三、」) to kind "list"."""
    expected, nested = 1, 0
    for head in heads:
        if head.kind != top:
            continue
        if nested and head.number == nested + 1:
            head.kind, nested = "list", nested + 1
        elif head.number == expected or (expected == 1 and head.number == 1):
            expected, nested = head.number + 1, 0
        elif head.number == 1:
            head.kind, nested = "list", 1
        elif head.number > expected:
            expected, nested = head.number + 1, 0
        else:
            head.kind = "list"


def role_of(title: str) -> str:
    """The role a level-1 heading names (problems, measures, achievements), or an empty string."""
    if RE_ROLE_PROBLEMS.search(title):
        return "problems"
    if RE_ROLE_MEASURES.search(title):
        return "measures"
    if RE_ROLE_ACHIEVEMENTS.search(title):
        return "achievements"
    return ""


def _implicit_parts(text: str, heads: list[_Head], top: str) -> list[_Head]:
    """Openers of un-headed problems / measures parts (only for roles no heading names), on the lines after
    the first head's."""
    roles = {role_of(h.title) for h in heads if h.kind == top}
    head_lines = {h.line for h in heads}
    found: list[_Head] = []
    want_problems, want_measures = "problems" not in roles, "measures" not in roles
    start = text.find("\n", heads[0].start) + 1  # where the line after the first head's starts
    if not start or not (want_problems or want_measures):
        return found
    for index, line in enumerate(text[start:].split("\n"), heads[0].line + 1):
        if line and index not in head_lines:
            if want_problems and (
                RE_PROBLEM_CLOSER.search(line) or RE_PROBLEM_OPENER.search(line[:PROBLEM_OPENER_WINDOW])
            ):
                found.append(_Head(index, top, 0, start, start, "", "", implicit=True, role="problems"))
                want_problems = False
            elif want_measures and RE_MEASURES_OPENER.match(line):
                found.append(_Head(index, top, 0, start, start, "", "", implicit=True, role="measures"))
                want_measures = want_problems = False
            if not (want_problems or want_measures):
                break
        start += len(line) + 1
    return found


def _build_tree(heads: list[_Head], end: int) -> list[_Node]:
    roots: list[_Node] = []
    stack: list[_Node] = []
    for head in heads:
        kinds = [n.head.kind for n in stack]
        if head.kind in kinds:
            while stack[-1].head.kind != head.kind:
                stack.pop().end = head.start
            stack.pop().end = head.start
        else:
            while stack and RANK[stack[-1].head.kind] > RANK[head.kind]:
                stack.pop().end = head.start
        node = _Node(head)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    for node in stack:
        node.end = end
    return roots


def _assign_roles(roots: list[_Node]) -> None:
    for node in roots:
        if not node.head.role:
            node.head.role = role_of(node.head.title)
    has_achievements = any(n.head.role == "achievements" for n in roots)
    seen_later_part = False
    for node in roots:
        if node.head.role in ("problems", "measures"):
            seen_later_part = True
        elif not node.head.role:
            node.head.role = "achievements" if not has_achievements and not seen_later_part else "other"


def _to_section(node: _Node, depth: int, role: str) -> Section:
    head = node.head
    return Section(
        heading=head.heading,
        title=head.title,
        level=depth,
        role=role,
        start=head.start,
        end=node.end,
        body_start=min(head.body_start, node.end),
        marker=head.kind,
        implicit=head.implicit,
        children=tuple(_to_section(c, depth + 1, role) for c in node.children),
    )


def _inline_items(text: str, base: int, start: int, end: int) -> tuple[Item, ...]:
    """Inline enumerations in ``text[start:end]`` (「一是……二是……」, else 「1、……2、……」), at least two in order."""
    segment = text[start:end]
    for pattern, signs in INLINE_PATTERNS:
        if not any(sign.search(segment) for sign in signs):
            continue  # the pattern cannot match
        run: list[re.Match[str]] = []
        for match in pattern.finditer(segment):
            if _numeral(match.group(1)) == len(run) + 1:
                run.append(match)
        if len(run) >= 2:
            items = []
            for i, match in enumerate(run):
                item_end = run[i + 1].start() if i + 1 < len(run) else len(segment.rstrip("\n"))
                body = segment[match.end() : item_end].rstrip("\n")
                items.append(
                    Item(short_title(body), body.strip(), base + start + match.start(), base + start + item_end)
                )
            return tuple(items)
    return ()


def _semicolon_items(text: str, start: int, end: int) -> tuple[Item, ...]:
    """A 「；」-separated list of problems in one paragraph, lead-in and 「等问题依然存在」 tail removed."""
    paragraph = text[start:end].rstrip("\n")
    parts = paragraph.split("；")
    if len(parts) < 2:
        return ()
    items, pos = [], start
    for i, part in enumerate(parts):
        piece, piece_start = part, pos
        if i == 0 and "，" in piece:
            cut = piece.rfind("，") + 1
            piece, piece_start = piece[cut:], pos + cut
        lead = RE_LIST_LEAD.match(piece)
        if lead and lead.end():
            piece, piece_start = piece[lead.end() :], piece_start + lead.end()
        if i == len(parts) - 1:
            piece = RE_LIST_TAIL.sub("", piece)
        piece = piece.strip("。 ")
        if piece:
            items.append(Item(short_title(piece), piece, piece_start, piece_start + len(piece)))
        pos += len(part) + 1
    return tuple(items)


def _sentence_items(text: str, start: int, end: int) -> tuple[Item, ...]:
    """Problems stated as sentences of one paragraph, between its lead-in and its closing resolve.

    「我们也清醒看到……困难和挑战。主要是：外部环境……增多。……。我们要直面这些问题挑战，……。」
    """
    paragraph = text[start:end].rstrip("\n")
    if "\n" in paragraph:
        return ()
    spans, pos = [], 0
    for match in RE_SENTENCE_END.finditer(paragraph):
        spans.append((pos, match.end()))
        pos = match.end()
    spans = spans[1:]  # the lead-in: 「我们也清醒看到，……」
    if spans and RE_RESOLVE.search(paragraph[spans[-1][0] : spans[-1][1]]):
        spans = spans[:-1]
    items = []
    for s_start, s_end in spans:
        sentence = paragraph[s_start:s_end]
        if lead := RE_MAINLY.match(sentence):
            s_start, sentence = s_start + lead.end(), sentence[lead.end() :]
        body = sentence.strip()
        if body:
            items.append(Item(short_title(body), body, start + s_start, start + s_end))
    return tuple(items) if len(items) >= 2 else ()


def _paragraph_items(text: str, section: Section) -> tuple[Item, ...]:
    items, pos = [], section.body_start
    for line in text[section.body_start : section.end].split("\n"):
        if line.strip():
            items.append(Item(short_title(line), line.strip(), pos, pos + len(line)))
        pos += len(line) + 1
    return tuple(items) if len(items) >= 2 else ()


def _item_of(text: str, section: Section) -> Item:
    children = tuple(_item_of(text, c) for c in section.children)
    if not children:
        children = _inline_items(text, 0, section.body_start, section.end)
    title = section.title if section.marker == "cha" else short_title(section.title)
    return Item(title, text[section.start : section.end].strip(), section.start, section.end, children)


def _part_items(text: str, sections: list[Section], *, role: str = "") -> tuple[Item, ...]:
    """The top-level items of one role: several parts → the parts; one part → its children or inline lists."""
    if len(sections) > 1:
        return tuple(_item_of(text, s) for s in sections)
    if not sections:
        return ()
    part = sections[0]
    if part.children:
        return tuple(_item_of(text, c) for c in part.children)
    return (
        _inline_items(text, 0, part.body_start, part.end)
        or _semicolon_items(text, part.body_start, part.end)
        or (_sentence_items(text, part.body_start, part.end) if role == "problems" else ())
        or _paragraph_items(text, part)
    )


def parse_outline(text: str) -> Outline:
    """The outline of a normalised report text. Never raises on text; an empty text gives an empty outline."""
    heads = [h for i, s, line in _heading_lines(text) for h in _line_heads(i, s, line)]
    top = _top_kind(heads)
    notes: list[str] = []
    if top is None:
        top = "level1"
        heads = [h for h in heads if RANK[h.kind] > RANK["level3"]]
        start = text.find("\n") + 1  # the second line's start; 0 (the first line) when there is one line only
        heads.insert(0, _Head(1 if start else 0, top, 0, start, start, "", "", implicit=True))
        notes.append("未找到编号标题：正文作为一个整体部分")
    else:
        _check_numbering(heads, top)
        first_top = next(i for i, h in enumerate(heads) if h.kind == top)
        heads = [h for i, h in enumerate(heads) if i >= first_top]
    implicit = _implicit_parts(text, heads, top)
    if implicit:
        notes.extend(f"未标题的{'问题' if h.role == 'problems' else '措施'}部分：第{h.line + 1}段" for h in implicit)
        implicit_lines = {h.line for h in implicit}
        heads = sorted([h for h in heads if h.line not in implicit_lines] + implicit, key=lambda h: h.start)
    roots = _build_tree(heads, len(text))
    _assign_roles(roots)
    sections = tuple(_to_section(n, 1, n.head.role) for n in roots)
    by_role: dict[str, list[Section]] = {"achievements": [], "problems": [], "measures": []}
    for section in sections:
        if section.role in by_role:
            by_role[section.role].append(section)
    preamble_end = sections[0].start if sections else len(text)
    return Outline(
        text_length=len(text),
        preamble=(0, preamble_end),
        sections=sections,
        achievements=_part_items(text, by_role["achievements"]),
        problems=_part_items(text, by_role["problems"], role="problems"),
        measures=_part_items(text, by_role["measures"]),
        notes=tuple(notes),
    )
