"""Stage 4: the role of each top-level part, from evidence, with a score and the evidence in words.

Evidence, strongest first: the heading's wording (「工作回顾」 review, 「存在的问题」 problems, 「主要目标」 goals,
「重点工作」「建议」 tasks, 「体会」「结束语」 other); a plan announced before the part (「今年要重点做好以下三个
方面工作」); the body's wording — done (了、已、完成、增长x%) against planned (要、将、必须、力争、今年) — and its
shortcoming words; and the usual order of a report (review → problems → targets → tasks → closing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlens.structure import cues

# The end of a sentence for the body's wording: 「……。」「……；」, a line.
RE_SENTENCE_END = re.compile(r"[。！？；\n]")
# How much of a part its wording is read from: its opening shows its tense (some 15 sentences), and a 1950s part
# runs to 40,000 characters.
PROFILE_WINDOW = 1500
STRONG = 2.0
# The share of a part's child headings that must state problems for the part to list problems.
PROBLEM_CHILD_SHARE = 0.6
# How far into a stretch of text a 「体会」 marks it as lessons drawn.
LESSONS_WINDOW = 120
HEADING_WEIGHT = 2.0
MULTI_YEAR_BONUS = 1.0
YEAR_PLAN_BONUS = 1.5
# Body wording: a part is a plan when at least this share of its done/planned words are planned.
PLANNED_SHARE = 0.62
DONE_SHARE = 0.45

# Plan words that name the measures taken as well when a review word stands beside them.
PAST_OR_PLANNED = ("措施", "举措")

HEADING_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("problems", cues.RE_ROLE_PROBLEMS),
    ("goals", cues.RE_ROLE_GOALS),
    ("measures", cues.RE_ROLE_MEASURES),
    ("achievements", cues.RE_ROLE_ACHIEVEMENTS),
    ("other", cues.RE_ROLE_OTHER),
)
LABEL = {"achievements": "工作成绩", "problems": "存在问题", "goals": "目标任务", "measures": "措施打算", "other": "其他"}


@dataclass(frozen=True)
class Profile:
    """What a stretch of text says about itself: its sentences that report work done and that plan, its length."""

    done: int
    planned: int
    chars: int

    @property
    def planned_share(self) -> float:
        total = self.done + self.planned
        return self.planned / total if total else 0.5


def profile(view: str) -> Profile:
    """Sentences that report work done (「了」「已」: 「为确保安全，开展了检查」) and sentences that plan (a planned
    word and no such mark: 「力争全年完成投资增长6%」), counted over the first ``PROFILE_WINDOW`` characters of
    ``view``. (Words like 「重要」 are taken out first, so that their 「要」 is not taken for a plan.)"""
    done = planned = 0
    for sentence in RE_SENTENCE_END.split(cues.RE_NOT_PLANNED.sub("", view[:PROFILE_WINDOW])):
        if cues.RE_DONE_MARK.search(sentence):
            done += 1
        elif cues.RE_PLANNED.search(sentence):
            planned += 1
        elif cues.RE_DONE.search(sentence):
            done += 1
    return Profile(done=done, planned=planned, chars=len(view))


@dataclass(frozen=True)
class Decision:
    """A part's role, how sure the parser is (0–1) and why, in Chinese."""

    role: str
    score: float
    evidence: tuple[str, ...]


def heading_scores(title: str) -> dict[str, tuple[float, int, str]]:
    """Role → (score, where in the title the word was found, the word) for the roles a heading names."""
    out: dict[str, tuple[float, int, str]] = {}
    for role, pattern in HEADING_PATTERNS:
        match = pattern.search(title)
        if match is None:
            continue
        score = HEADING_WEIGHT
        if role == "goals" and cues.RE_MULTI_YEAR.search(title):
            score += MULTI_YEAR_BONUS
        if role == "measures" and cues.RE_YEAR_PLAN.search(title):
            score += YEAR_PLAN_BONUS  # 「“十五五”时期目标任务和2026年工作安排」: the year's plan is what follows
        if role == "problems" and cues.RE_NO_PROBLEM.search(title):
            continue
        out[role] = (score, match.start(), match.group())
    if "achievements" in out and out.get("measures", (0.0, 0, ""))[2] in PAST_OR_PLANNED:
        del out["measures"]  # 「一、主要举措和成效」 reviews the measures taken
    return out


def is_combined(title: str) -> bool:
    """A heading that names the problems and the plan both: 「二、存在的问题及整改措施」「存在的不足及今后努力方向」."""
    return {"problems", "measures"} <= heading_scores(title).keys()


def named_role(title: str) -> tuple[str, float, str] | None:
    """The role a heading names, its score and the word that names it; None if it names none."""
    opening = cues.RE_OPENING_REVIEW.match(title)
    if opening is not None:
        return "achievements", HEADING_WEIGHT + 1, opening.group()
    scores = heading_scores(title)
    if not scores:
        return None
    role = min(scores, key=lambda r: (-scores[r][0], scores[r][1]))
    score, _, word = scores[role]
    return role, score, word


@dataclass(frozen=True)
class Part:
    """What the role stage knows of a top-level part: its title (canonical view, "" for an un-headed part),
    the canonical view of its text, whether it has numbered children, and whether a plan was announced
    right before it."""

    title: str
    view: str
    children: int
    announced: bool
    child_titles: tuple[str, ...] = ()


def is_plan_title(title: str) -> bool:
    """A document title naming a plan and no review (``cues.RE_PLAN_TITLE``, ``cues.RE_REVIEW_TITLE``)."""
    return bool(cues.RE_PLAN_TITLE.search(title)) and not cues.RE_REVIEW_TITLE.search(title)


def assign_roles(parts: Sequence[Part], *, plan: bool = False) -> list[Decision]:
    """A role for every top-level part, in order. ``plan``: the document's title names a plan (「2024年工作要点」):
    a part whose heading names no role is a task of it, unless it follows a review."""
    decisions: list[Decision | None] = []
    for part in parts:
        named = named_role(part.title) if part.title else None
        if named is None:
            decisions.append(None)
            continue
        role, score, word = named
        evidence = [f"标题含「{word}」"]
        if role == "other" and "自身建设" in part.title and part.children >= 2:
            role, evidence = "measures", [*evidence, f"下设 {part.children} 项任务"]
        confidence = 0.9 if score >= STRONG else 0.7
        if role == "achievements" and cues.RE_WEAK_REVIEW.fullmatch(word):
            body = profile(part.view)  # 「三、2026年主要工作」: a word that names work, not work done
            if body.planned_share >= PLANNED_SHARE and body.planned >= 6:
                role, evidence = "measures", [*evidence, "但正文多为计划性表述（该词不专指回顾）"]
        decisions.append(Decision(role, confidence, tuple(evidence)))

    if not any(d is not None and d.role == "problems" for d in decisions):
        decisions = [_problem_list(part, d) for part, d in zip(parts, decisions, strict=True)]
    out: list[Decision] = []
    plan_started = False
    review_seen = False
    for part, decided in zip(parts, decisions, strict=True):
        if decided is None:
            decided = _unnamed(part, plan_started=plan_started, review_seen=review_seen, plan=plan)
        elif plan_started and decided.role == "achievements" and _weak_review(part.title):
            # 「三、2026年主要工作」 after the targets: a word for work in general, in the plan's place
            decided = Decision("measures", 0.7, (*decided.evidence, "位于目标或措施部分之后"))
        out.append(decided)
        plan_started = plan_started or decided.role in ("measures", "goals")
        review_seen = review_seen or decided.role in ("achievements", "problems")
    return out


def _weak_review(title: str) -> bool:
    named = named_role(title)
    return named is not None and bool(cues.RE_WEAK_REVIEW.fullmatch(named[2]))


def _problem_list(part: Part, decided: Decision | None) -> Decision | None:
    """A review-like part whose headings below it state problems (「（一）关于……落实不到位的问题」: the feedback a
    rectification report answers) lists the problems, when no part is named for them."""
    if decided is not None and decided.role not in ("achievements", "other"):
        return decided
    stated = sum(bool(cues.RE_PROBLEM_STATEMENT.search(t)) for t in part.child_titles)
    if len(part.child_titles) >= 2 and stated >= PROBLEM_CHILD_SHARE * len(part.child_titles):
        return Decision("problems", 0.6, (f"下级标题中 {stated} 个陈述问题", *(decided.evidence if decided else ())))
    return decided


def continuation_role(part: Part, host: Decision) -> Decision:
    """The role of the text after a passage of problems inside a part: the plan when it plans (「这里着重讲以下
    几个问题」 and the tasks under it), else the role of the part it continues."""
    body = profile(part.view)
    words = f"计划性表述 {body.planned} 处，已完成表述 {body.done} 处"
    lessons = cues.RE_LESSONS.search(part.view[:LESSONS_WINDOW])
    if host.role in ("achievements", "other") and not lessons and (
        part.announced or (part.children >= 2 and body.planned_share >= PLANNED_SHARE)
    ):
        return Decision("measures", 0.6, ("问题段落之后的文字多为计划", words))
    return Decision(host.role, min(host.score, 0.6), ("接续所在部分", *host.evidence[:1]))


def _unnamed(part: Part, *, plan_started: bool, review_seen: bool, plan: bool = False) -> Decision:
    """The role of a part whose heading names none: from an announcement, the body, the report's order and
    whether the document is a plan."""
    body = profile(part.view)
    share = body.planned_share
    words = f"计划性表述 {body.planned} 处，已完成表述 {body.done} 处"
    if part.announced:
        return Decision("measures", 0.8, ("前文宣布了要做的几方面工作", words))
    if plan and not review_seen and share > DONE_SHARE:
        return Decision("measures", 0.7, ("文件标题表明这是一份计划", words))
    if plan_started:
        if share >= 0.5:
            return Decision("measures", 0.7, ("位于目标或措施部分之后", words))
        return Decision("other", 0.5, ("位于措施部分之后，正文不是计划", words))
    if review_seen and share >= PLANNED_SHARE:
        return Decision("measures", 0.65, ("位于回顾之后，正文多为计划", words))
    if share <= DONE_SHARE or body.done + body.planned == 0:
        return Decision("achievements", 0.6, ("正文多为已完成的工作", words))
    return Decision("achievements", 0.4, ("位于报告前部（默认为工作成绩）", words))
