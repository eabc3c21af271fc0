"""Score the parser against hand-annotated gold: level-1 headings, their roles, problems and measures.

A gold file is JSON with a ``reports`` list. Each report names its text (``path``, relative to the folder above
the gold file's folder, or ``file``, looked up below that folder) and gives what a careful reader finds:
level-1 headings (``sections`` as ``{"heading", "role"}``, or ``level1`` as bare headings), ``problems`` and
``measures`` (item titles, each the item's text up to its first 。, marker removed) and, where two readings are
equally right, ``problems_alt`` / ``measures_alt`` (the better of the two readings counts).

Matching (the conventions of ``../shared/gold``): strings are compared after NFKC, with whitespace and trailing
punctuation removed. A gold heading matches a predicted one when equal. A gold item matches a predicted item
when equal to the item's first sentence, or when it is a prefix of it that ends at a clause boundary (，；：).
Matching is one-to-one, in document order (a longest common subsequence), so a list read in the wrong order
or twice does not score twice.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlens.outline import Item, Outline

# Punctuation a clause ends with (NFKC turns the full-width forms into these).
CLAUSE_MARKS = ",;:"
TRAILING = "。.，,；;：:！!？? "
# An item's marker, removed before its text is compared: 「（一）」「一、」「1.」「第一，」「一是」「①」「——」
RE_ITEM_MARKER = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、．.]|\d{1,3}[、．.](?!\d)"
    r"|第[一二三四五六七八九十]{1,3}[，,、：:]?|[一二三四五六七八九十]{1,2}[是要]|[①-⑳]|——)\s*"
)
# The end of an item's first sentence (a heading line ends at its line break).
RE_SENTENCE_END = re.compile(r"[。！？!?\n]")


def canonical(text: str) -> str:
    """The form strings are compared in: NFKC, no whitespace, no trailing punctuation."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).rstrip(TRAILING)


def item_sentence(item: Item) -> str:
    """What a gold item is compared with: the item's text up to its first 。, marker removed."""
    text = RE_ITEM_MARKER.sub("", item.text.strip(), count=1)
    end = RE_SENTENCE_END.search(text)
    return text[: end.start()] if end else text


def item_matches(gold: str, predicted: str) -> bool:
    """A gold item title against a predicted item's first sentence (both canonical)."""
    if gold == predicted:
        return True
    return bool(gold) and predicted.startswith(gold) and predicted[len(gold)] in CLAUSE_MARKS


def _matched(gold: Sequence[str], predicted: Sequence[str], same: Callable[[str, str], bool]) -> list[tuple[int, int]]:
    """Index pairs of a longest one-to-one, order-keeping matching of ``gold`` against ``predicted``."""
    n, m = len(gold), len(predicted)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if same(gold[i], predicted[j]):
                best[i][j] = best[i + 1][j + 1] + 1
            else:
                best[i][j] = max(best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if same(gold[i], predicted[j]) and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


@dataclass(frozen=True)
class Counts:
    """Matched, predicted and gold counts; precision, recall and F1 from them (1.0 when both are empty)."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.matched + other.matched, self.predicted + other.predicted, self.gold + other.gold)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else float(not self.gold)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else float(not self.predicted)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"matched": self.matched, "predicted": self.predicted, "gold": self.gold,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(frozen=True)
class GoldReport:
    """One annotated report. ``roles`` is empty when the gold gives headings without roles."""

    file: str
    path: Path
    level1: tuple[str, ...]
    roles: tuple[str, ...]
    problems: tuple[tuple[str, ...], ...]  # readings: the first is the gold, the others equally right
    measures: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ReportScore:
    file: str
    level1: Counts
    roles: Counts  # (heading, role) pairs: a heading found with the wrong role counts as a miss
    problems: Counts
    measures: Counts
    misses: dict[str, list[str]] = field(default_factory=dict)  # what the gold has and the parse lacks, per field
    extras: dict[str, list[str]] = field(default_factory=dict)  # what the parse has and the gold lacks

    def to_dict(self) -> dict:
        return {"file": self.file, **{name: getattr(self, name).to_dict() for name in FIELDS},
                "misses": self.misses, "extras": self.extras}


FIELDS = ("level1", "roles", "problems", "measures")


def load_gold(path: str | Path) -> list[GoldReport]:
    """The reports of a gold file, with the paths of their texts resolved."""
    gold_file = Path(path)
    data = json.loads(gold_file.read_text(encoding="utf-8"))
    root = gold_file.resolve().parent.parent
    out = []
    for entry in data["reports"]:
        if entry.get("path"):
            text_path = root / entry["path"]
        else:
            found = sorted(root.rglob(entry["file"]))
            text_path = found[0] if found else root / entry["file"]
        sections = entry.get("sections")
        level1 = [s["heading"] for s in sections] if sections is not None else list(entry.get("level1", []))
        roles = [s["role"] for s in sections] if sections is not None else []
        out.append(GoldReport(
            file=entry["file"],
            path=text_path,
            level1=tuple(level1),
            roles=tuple(roles),
            problems=_readings(entry, "problems"),
            measures=_readings(entry, "measures"),
        ))
    return out


def _readings(entry: dict, name: str) -> tuple[tuple[str, ...], ...]:
    readings = [tuple(entry.get(name) or ())]
    alternatives = entry.get(f"{name}_alt") or []
    if alternatives and all(isinstance(a, str) for a in alternatives):
        alternatives = [alternatives]  # one alternative reading, given as a flat list
    readings.extend(tuple(a) for a in alternatives)
    return tuple(readings)


def _count(gold: Sequence[str], predicted: Sequence[str], same: Callable[[str, str], bool]) -> tuple[Counts, list[str], list[str]]:
    pairs = _matched(gold, predicted, same)
    hit_gold, hit_pred = {i for i, _ in pairs}, {j for _, j in pairs}
    misses = [g for i, g in enumerate(gold) if i not in hit_gold]
    extras = [p for j, p in enumerate(predicted) if j not in hit_pred]
    return Counts(len(pairs), len(predicted), len(gold)), misses, extras


def score_outline(gold: GoldReport, outline: Outline) -> ReportScore:
    """How the parse of one report compares with its gold."""
    sections = [s for s in outline.sections if not s.implicit]
    headings = [canonical(s.heading) for s in sections]
    level1, l1_miss, l1_extra = _count([canonical(h) for h in gold.level1], headings, str.__eq__)
    if gold.roles:
        pairs_gold = [f"{canonical(h)}|{r}" for h, r in zip(gold.level1, gold.roles, strict=True)]
        pairs_pred = [f"{h}|{s.role}" for h, s in zip(headings, sections, strict=True)]
        roles, role_miss, role_extra = _count(pairs_gold, pairs_pred, str.__eq__)
    else:
        roles, role_miss, role_extra = Counts(), [], []
    misses = {"level1": l1_miss, "roles": role_miss}
    extras = {"level1": l1_extra, "roles": role_extra}
    found: dict[str, Counts] = {}
    for name, readings in (("problems", gold.problems), ("measures", gold.measures)):
        predicted = [canonical(item_sentence(i)) for i in outline.items(name)]
        scored = [_count([canonical(g) for g in reading], predicted, item_matches) for reading in readings]
        counts, miss, extra = max(scored, key=lambda s: (s[0].f1, -len(s[1])))
        found[name], misses[name], extras[name] = counts, miss, extra
    return ReportScore(gold.file, level1, roles, found["problems"], found["measures"], misses, extras)


def pooled(scores: Iterable[ReportScore]) -> dict[str, Counts]:
    """Counts summed over reports, per field."""
    total = dict.fromkeys(FIELDS, Counts())
    for score in scores:
        for name in FIELDS:
            total[name] = total[name] + getattr(score, name)
    return total


def evaluate(gold_path: str | Path, parse: Callable[[Path], Outline]) -> list[ReportScore]:
    """Score ``parse`` (a file path → its outline) on every report of a gold file."""
    return [score_outline(gold, parse(gold.path)) for gold in load_gold(gold_path)]
