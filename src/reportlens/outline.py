"""The outline data model: what ``structure.parse_outline`` returns.

Offsets are character offsets into the report's normalised text (``Report.text``), half-open ``[start, end)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

CONFIDENCE_HIGH, CONFIDENCE_MEDIUM = 0.75, 0.5
# Between the pieces of evidence for a role or a confidence when they are kept as one string (a table cell).
EVIDENCE_SEPARATOR = "；"


def confidence_label(value: float) -> str:
    """The word for a structure confidence: 高 (≥ 0.75), 中 (≥ 0.5) or 低."""
    return "高" if value >= CONFIDENCE_HIGH else "中" if value >= CONFIDENCE_MEDIUM else "低"


@dataclass(frozen=True)
class Item:
    """One enumerated problem, measure or achievement, with its sub-items."""

    title: str
    text: str
    start: int
    end: int
    children: tuple[Item, ...] = ()

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(frozen=True)
class Section:
    """A heading (or an implicit, un-headed part) and everything under it.

    ``heading`` is the heading as written, marker included (「一、工作开展情况」); for an implicit part it is "".
    ``title`` is the heading without its marker. ``start``/``end`` span the whole section, heading included;
    ``body_start`` is where the text after the heading begins.
    """

    heading: str
    title: str
    level: int
    role: str
    start: int
    end: int
    body_start: int
    marker: str = ""
    implicit: bool = False
    children: tuple[Section, ...] = ()
    score: float = 1.0  # how sure the parser is of ``role``, 0–1
    evidence: tuple[str, ...] = ()  # why it gave that role, in Chinese
    key: str = ""  # what a reader's correction names a top-level part by (``structure.corrections``)

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict:
        return {
            "heading": self.heading,
            "level": self.level,
            "role": self.role,
            "start": self.start,
            "end": self.end,
            "implicit": self.implicit,
            "role_score": round(self.score, 2),
            "role_evidence": list(self.evidence),
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(frozen=True)
class Outline:
    """A report's structure: preamble span, level-1 sections (nested), and the items of each role."""

    text_length: int
    preamble: tuple[int, int]
    sections: tuple[Section, ...]
    achievements: tuple[Item, ...] = ()
    problems: tuple[Item, ...] = ()
    measures: tuple[Item, ...] = ()
    notes: tuple[str, ...] = field(default=())
    confidence: float = 0.0  # how sure the parser is of the whole outline, 0–1
    evidence: tuple[str, ...] = ()  # what the confidence rests on, in Chinese
    item_sets: tuple[tuple[str, str, float], ...] = ()  # (role, how its items were found, score)
    unmatched: tuple[int, ...] = ()  # the corrections given to the parser that found nothing to apply to

    @property
    def confidence_label(self) -> str:
        """高 / 中 / 低."""
        return confidence_label(self.confidence)

    def walk(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def parts(self) -> list[tuple[str, str, int, int]]:
        """Disjoint ``(path, role, start, end)`` spans covering the text: preamble, then every section's own text.

        A section's own text is its span minus its children's spans; ``path`` is like "2" or "2/1" (1-based
        positions in the tree), "0" for the preamble. Used for per-section token tables and text shares.
        """
        out: list[tuple[str, str, int, int]] = []
        if self.preamble[1] > self.preamble[0]:
            out.append(("0", "preamble", self.preamble[0], self.preamble[1]))

        def visit(section: Section, path: str) -> None:
            cursor = section.start
            for i, child in enumerate(section.children, 1):
                if child.start > cursor:
                    out.append((path, section.role, cursor, child.start))
                visit(child, f"{path}/{i}")
                cursor = child.end
            if section.end > cursor:
                out.append((path, section.role, cursor, section.end))

        for i, section in enumerate(self.sections, 1):
            visit(section, str(i))
        return out

    def items(self, role: str) -> tuple[Item, ...]:
        return {"achievements": self.achievements, "problems": self.problems, "measures": self.measures}.get(
            role, ()
        )

    def to_dict(self) -> dict:
        return {
            "sections": [s.to_dict() for s in self.sections],
            "achievements": [i.to_dict() for i in self.achievements],
            "problems": [i.to_dict() for i in self.problems],
            "measures": [i.to_dict() for i in self.measures],
            "confidence": round(self.confidence, 2),
            "confidence_label": self.confidence_label,
            "confidence_evidence": list(self.evidence),
        }
