"""Stage 5: un-headed zones — a passage of problems with no heading of its own, and a plan with none.

A problems passage is a paragraph that opens with (or turns to) a statement of shortfall — 「我们也清醒看到……」
「……问题也不容忽视」「检查中发现的问题有：」 — or closes a list with 「……等问题依然存在」, found in the preamble or in
a review part (never in a plan: 「但还存在不少问题。要……」 inside a task is not a list of problems), and only
when no heading names a problems part. Its items follow its lead-in and stop at its resolve (「对此，我们将……」);
the lead-in ends at the cue's colon or 「主要是」, at the end of a sentence that only announces shortfalls
(「……还存在不少困难和问题。」), or else at the cue's clause (「我们也清醒地看到，外部环境……」).

A plan opener is a paragraph that starts 「下一步，……」「针对上述问题，……」 directly in a part's text, when no
heading names a plan part; the plan runs from it to the end of that part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlens.structure import cues
from reportlens.structure.paragraphs import Paragraph, sentence_spans

# Cues a careful writer uses to open the passage of problems, weighted (「清醒看到」 is the government reports'
# formula; a bare 「还存在问题」 is weaker).
# Paragraphs whose cue is remembered: the role stage and the passage stage both ask for the same ones.
CUE_CACHE = 4096
# A list closed by 「等问题」 names its problems plainly; the verb before it is at most this long (「依然存在着」).
ETC_WEIGHT = 1.5
ETC_VERB_MAX = 5
STRONG_CUE_WORDS = ("清醒", "不容忽视", "不少", "发现的", "查摆", "查找", "查出", "梳理", "看到", "认识到", "以下", "如下")


@dataclass(frozen=True)
class Passage:
    """An un-headed zone: ``role`` ("problems" or "measures"), its offsets, where its items may start
    (after the lead-in), and what found it."""

    role: str
    start: int
    end: int
    items_start: int
    evidence: str
    weight: float = 1.0


def lead_end(view: str, start: int, end: int, cue_start: int, cue_end: int) -> tuple[int, bool]:
    """Where the items of a passage may start, given its cue at ``[cue_start, cue_end)``, and whether the lead-in
    announces a list (it ends at a colon, at 「主要是」 or with a sentence that only states that there are
    shortfalls) rather than running on into the first problem (「我们也清醒地看到，外部环境……」)."""
    sentences = sentence_spans(view, start, end)
    s_start, s_end = next(((a, b) for a, b in sentences if a <= cue_start < b), (start, end))
    if cues.RE_ETC_LIST.match(view, cue_end, s_end) and cue_end - cue_start <= ETC_VERB_MAX:
        return cue_end, True  # 「仍存在」 + 「A、B、C等问题」: the list starts right after the verb
    colon = view.find("：", cue_end, s_end)
    if colon >= 0:
        return colon + 1, True
    mainly = cues.RE_MAINLY.search(view, cue_end, s_end)
    if mainly is not None:
        return mainly.end(), True
    sentence = view[s_start:s_end].rstrip("。！？ ")
    if cues.RE_GENERIC_SHORTFALL.search(sentence):
        return s_end, True
    comma = view.find("，", cue_end, s_end)
    return (comma + 1 if comma >= 0 else s_end), False


@lru_cache(maxsize=CUE_CACHE)
def cue_of(view: str) -> tuple[int, int, float] | None:
    """The first shortfall cue of a paragraph that is not a finding of no problem: (start, end, weight). A verb
    opening a list closed by 「等问题」 is one too (「仍存在……、……等问题」)."""
    found: tuple[int, int, float] | None = None
    for match in cues.RE_SHORTFALL_CUE.finditer(view):
        before = view[max(0, match.start() - 4) : match.end()]
        if cues.RE_NO_PROBLEM.search(before) or "不存在" in before:
            continue
        weight = 2.0 if any(word in match.group() for word in STRONG_CUE_WORDS) else 1.0
        found = (match.start(), match.end(), weight)
        break
    if any(sign in view for sign in cues.ETC_SIGNS):
        etc = cues.RE_SHORTFALL_ETC.search(view, 0, found[0] if found else len(view))
        if etc is not None and "不存在" not in view[max(0, etc.start() - 1) : etc.end()]:
            return etc.start(), etc.end(), ETC_WEIGHT
    return found


# How far a paragraph may hold a passage of problems: not at all; in a review part or the preamble; in the
# introduction of a plan part, only as a list announced by its lead-in (「但是，……仍然存在一些突出矛盾和问题。
# ……；……」), never a mention inside a task (「……但还存在不少问题。要……」).
NOT_ELIGIBLE, STRICT, ELIGIBLE = 0, 1, 2
ANNOUNCED_BONUS = 0.5


def find_problem_passage(
    paragraphs: Sequence[Paragraph], eligible: Sequence[int], count_items: Callable[[int, int], int]
) -> Passage | None:
    """The best problems passage among the paragraphs by their ``eligible`` level, or None. Best: strongest cue
    (an announcing lead-in counts), then most content after the lead-in, then the later. ``count_items(start,
    end)`` says how many items the text between two offsets lists."""
    best: tuple[tuple[float, int, int], Passage] | None = None
    for p, level in zip(paragraphs, eligible, strict=True):
        if level == NOT_ELIGIBLE or cues.RE_MEASURES_OPENER.match(p.view):
            continue  # 「针对检查发现的问题，……」「下一步，……」 answers the problems: it does not list them
        found = cue_of(p.view)
        closer = cues.RE_SHORTFALL_CLOSER.search(p.view)
        if found is not None:
            cue_start, cue_end, weight = found
            lead, announced = lead_end(p.view, 0, len(p.view), cue_start, cue_end)
            items_start = p.start + lead
            evidence = f"「{p.view[cue_start:cue_end]}」"
        elif closer is not None:
            items_start, weight, announced, evidence = p.start, 1.5, True, f"「{closer.group()}」"
        else:
            continue
        if p.end - items_start < 6:
            continue  # the cue closes its paragraph: nothing is listed after it
        if level == STRICT and not (announced and count_items(items_start, p.end) >= 2):
            continue
        weight += ANNOUNCED_BONUS if announced else 0.0
        key = (weight, min(p.end - items_start, 200), p.index)
        if best is None or key > best[0]:
            best = (key, Passage("problems", p.start, p.end, items_start, evidence, weight))
    return None if best is None else best[1]


def find_plan_opener(
    paragraphs: Sequence[Paragraph], eligible: Sequence[bool], within: Sequence[bool] | None = None
) -> Passage | None:
    """The first paragraph that opens an un-headed plan (「下一步，……」) among the eligible ones; where ``within``
    is set, also a sentence inside the paragraph that turns to the plan (a part headed 「存在的不足及今后努力方向」:
    「……二是调查研究不够深入。今后，我将着力做好以下几点：一是……」)."""
    for index, (p, ok) in enumerate(zip(paragraphs, eligible, strict=True)):
        if not ok:
            continue
        if cues.RE_MEASURES_OPENER.match(p.view):
            return Passage("measures", p.start, p.end, p.start, f"「{p.view[:6]}……」开头的段落")
        if within is not None and within[index]:
            for s_start, _ in sentence_spans(p.view, 0, len(p.view))[1:]:
                if cues.RE_MEASURES_OPENER.match(p.view[s_start:]):
                    start = p.start + s_start
                    return Passage("measures", start, p.end, start, f"「{p.view[s_start : s_start + 6]}……」开头的句子")
    return None
