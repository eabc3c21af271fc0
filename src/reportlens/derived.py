"""What the library stores beside a report's text, computed from it: outline rows and integer-coded tokens.

``derive(report, segmenter)`` is pure: a report and a segmenter in, a picklable ``Derived`` out, so a worker
process can compute it and the parent write it; ``derive_batch`` does the same for several reports, which then
share one vocabulary. Tokens are kept as numpy arrays, not a DataFrame:

- ``vocab``: the distinct content tokens of the report (or of its batch); ``codes[i]`` indexes it (the store
  maps these local codes to global term ids when it writes them);
- ``offsets``: each token's start in ``Report.text``; ``sentences``: the 0-based index of its sentence
  (``text.sentence_spans``); ``parts``: the index of its part in ``parts`` (``Outline.parts()`` order);
- ``count_roles``/``count_codes``/``counts``: how often each token occurs in each role's text.

The tokens are exactly those of ``text.token_table`` (same cut per part, same content filter, same sentence
numbers); the tests hold the two to that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from itertools import chain
from typing import TypeVar

import numpy as np

from reportlens.corpus import Report
from reportlens.outline import EVIDENCE_SEPARATOR, Item, Outline, Section
from reportlens.roles import ITEM_ROLES, ROLE_CODES, STORAGE_ORDER
from reportlens.rows import PARSER_VERSION as PARSER_VERSION
from reportlens.rows import item_text_span
from reportlens.structure import parse_outline
from reportlens.structure.corrections import Correction
from reportlens.text import (
    CLOSING_MARKS,
    LINE_BREAKS,
    SENTENCE_MARKS,
    token_lengths,
)
from reportlens.tokenizers import Segmenter as Segmenter
from reportlens.tokenizers import TokenizerSpec as TokenizerSpec
from reportlens.tokenizers import build_segmenter as build_segmenter
from reportlens.tokenizers import bundled_text as bundled_text

T = TypeVar("T")

ROLE_CODE = {role: code for code, role in enumerate(STORAGE_ORDER)}
VOCAB_SEPARATOR = "\x00"  # between the tokens of a pickled vocabulary (a control character no text keeps)




class Vocabulary(tuple[str, ...]):
    """Distinct content tokens, in order of first occurrence: those of one report, or those a batch of reports
    derived together share (``derive_batch``).

    Pickled (to come back from a worker process) as one string: a tuple of thousands of short strings was the
    slowest part of sending reports between processes. Reports sharing one vocabulary send it once (pickle
    keeps one copy of an object referred to twice) and get one back. A vocabulary with the separator inside a
    token is sent as it is.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[object, ...]:
        packed = VOCAB_SEPARATOR.join(self)
        if self and packed.count(VOCAB_SEPARATOR) == len(self) - 1:
            return (_unpack_vocabulary, (packed,))
        return (Vocabulary, (tuple(self),))


def _unpack_vocabulary(packed: str) -> Vocabulary:
    return Vocabulary(packed.split(VOCAB_SEPARATOR))


@dataclass(frozen=True, eq=False)
class TokenArrays:
    """A report's content tokens as integer arrays (see the module docstring)."""

    vocab: tuple[str, ...]  # a ``Vocabulary`` when made by ``segment_batch``
    codes: np.ndarray  # int32, index into vocab
    offsets: np.ndarray  # int32
    sentences: np.ndarray  # int32
    parts: np.ndarray  # uint16, index into Derived.parts
    count_roles: np.ndarray  # uint8, index into roles.STORAGE_ORDER
    count_codes: np.ndarray  # int32, index into vocab
    counts: np.ndarray  # int32

    def __len__(self) -> int:
        return len(self.codes)

    def __reduce__(self) -> tuple[object, ...]:
        vocab = self.vocab if isinstance(self.vocab, Vocabulary) else Vocabulary(self.vocab)
        return (TokenArrays, (vocab, *(getattr(self, f.name) for f in fields(self) if f.name != "vocab")))


@dataclass(frozen=True, eq=False)
class Derived:
    """Everything the library keeps about a report besides its text and metadata.

    Rows are tuples in the column order of the store's tables: ``sections`` (section_path, parent_path,
    heading, title, level, role, start, end, implicit, items, score, evidence, key), ``parts`` (section_path, role, heading, start,
    end), ``items`` (role, item_path, number, title, text, start, end, children, text_start, text_end: see
    ``_item_rows``).
    """

    parser_version: str
    dictionary_version: str
    sections: tuple[tuple, ...]
    parts: tuple[tuple[str, str, str, int, int], ...]
    items: tuple[tuple, ...]
    tokens: TokenArrays
    summary: dict[str, int] = field(default_factory=dict)  # sections, achievements, problems, measures
    confidence: float = 0.0
    confidence_evidence: str = ""
    unmatched: tuple[int, ...] = ()  # the corrections given that found nothing to apply to (``Outline.unmatched``)


def _walk(sections: tuple[Section, ...], prefix: str = ""):
    for i, section in enumerate(sections, 1):
        path = f"{prefix}/{i}" if prefix else str(i)
        yield path, prefix, section
        yield from _walk(section.children, path)


def _section_rows(outline: Outline) -> tuple[tuple, ...]:
    """The preamble (path "0", if any) and every section in reading order; ``items`` counts the items of the
    section's role that start inside a top-level section, None below the top (as ``tables.sections_table``)."""
    starts = {role: np.array([i.start for i in outline.items(role)], dtype=np.int64) for role in ITEM_ROLES}
    rows: list[tuple] = []
    if outline.preamble[1] > outline.preamble[0]:
        rows.append(("0", "", "", "", 1, "preamble", *outline.preamble, True, 0, 1.0, "", ""))
    for path, parent, s in _walk(outline.sections):
        item_starts = starts.get(s.role, np.empty(0, dtype=np.int64))
        n_items = None if parent else int(((item_starts >= s.start) & (item_starts < s.end)).sum())
        evidence = EVIDENCE_SEPARATOR.join(s.evidence)
        rows.append(
            (path, parent, s.heading, s.title, s.level, s.role, s.start, s.end, s.implicit, n_items, s.score, evidence, s.key)
        )
    return tuple(rows)


def _item_rows(outline: Outline, text: str) -> tuple[tuple, ...]:
    """One row per item, sub-items after their parent. An item's text is stored as its place in the report
    text (``text_start``, ``text_end``, the ``text`` column left "") whenever it is found there, which is
    always with today's parser: a report's items hold most of its text, which would be stored twice."""
    rows: list[tuple] = []

    def visit(role: str, item: Item, path: str, number: int) -> None:
        span = item_text_span(text, item.text, item.start, item.end)
        stored, (text_start, text_end) = ("", span) if span else (item.text, (None, None))
        rows.append(
            (role, path, number, item.title, stored, item.start, item.end, len(item.children), text_start, text_end)
        )
        for j, child in enumerate(item.children, 1):
            visit(role, child, f"{path}/{j}", j)

    for role in ITEM_ROLES:
        for n, item in enumerate(outline.items(role), 1):
            visit(role, item, str(n), n)
    return tuple(rows)


# What a character is to ``sentence_index``, as bits of a table over the Basic Multilingual Plane (every
# character named here lies in it): the sentence marks of ``text.RE_SENTENCE_END`` (a run of them, with any
# closing quotes or brackets after it, ends a sentence: 「……发展。”」 ends after 」), its line breaks (a run ends a
# sentence), and whitespace as ``str.isspace`` sees it (all of it lies below U+3001, the ideographic space).
SENTENCE_MARK, CLOSING_MARK, LINE_BREAK, SPACE = 1, 2, 4, 8


def _character_classes() -> np.ndarray:
    table = np.zeros(0x10000, dtype=np.uint8)
    for chars, bit in ((SENTENCE_MARKS, SENTENCE_MARK), (CLOSING_MARKS, CLOSING_MARK), (LINE_BREAKS, LINE_BREAK)):
        table[[ord(c) for c in chars]] |= bit
    table[[p for p in range(0x3001) if chr(p).isspace()]] |= SPACE
    return table


CHARACTER_CLASS = _character_classes()


def _run_ends(marked: np.ndarray) -> np.ndarray:
    """The position just after each run of True in ``marked``."""
    return np.flatnonzero(marked & ~np.append(marked[1:], False)) + 1


def sentence_index(text: str, offsets: np.ndarray) -> np.ndarray:
    """The 0-based sentence (``text.sentence_spans``) of each offset, for offsets of non-blank characters.

    Same numbers as searching ``sentence_spans`` starts, without building the spans: a sentence is a non-blank
    stretch between two ``text.RE_SENTENCE_END`` matches (the match included), so a character's sentence
    is the number of non-blank stretches that end at or before it. The matches are found with numpy over the
    text's code points rather than by the regex: a match is a run of sentence marks with the closing marks
    that follow it, or a run of line breaks.
    """
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    size = len(points)
    classes = CHARACTER_CLASS[np.minimum(points, 0xFFFF)]  # U+FFFF and beyond: none of the classes
    mark_ends = _run_ends((classes & SENTENCE_MARK) != 0)
    # a run of closing marks right after a run of sentence marks belongs to its match (closing marks are rare:
    # their runs are found, and each mark run's end looked up among their starts)
    closing = (classes & CLOSING_MARK) != 0
    closing_starts = np.flatnonzero(closing & ~np.concatenate(([False], closing[:-1])))
    if len(closing_starts):
        at = np.minimum(np.searchsorted(closing_starts, mark_ends), len(closing_starts) - 1)
        mark_ends = np.where(closing_starts[at] == mark_ends, _run_ends(closing)[at], mark_ends)
    is_end = np.zeros(size + 1, dtype=bool)
    is_end[mark_ends] = True
    is_end[_run_ends((classes & LINE_BREAK) != 0)] = True
    bounds = np.concatenate(([0], np.flatnonzero(is_end), [size]))
    non_blank = np.concatenate(([0], np.cumsum((classes & SPACE) == 0)))
    starts, ends = bounds[:-1], bounds[1:]
    ends = ends[non_blank[ends] > non_blank[starts]]  # stretches holding something but whitespace
    return np.searchsorted(ends, offsets, side="right")


def segment(text: str, parts: list[tuple[str, str, int, int]], segmenter: Segmenter) -> TokenArrays:
    """The content tokens of ``text``, each part (``Outline.parts()``, in text order) cut on its own."""
    return segment_batch([(text, parts)], segmenter)[0]


def segment_batch(
    documents: Sequence[tuple[str, list[tuple[str, str, int, int]]]], segmenter: Segmenter
) -> list[TokenArrays]:
    """``segment`` for several (text, parts) at once: their token arrays share one ``Vocabulary`` (the distinct
    content tokens of them all, in order of first occurrence), so each distinct token is judged once for the
    batch, and the store looks each up once (``Library.add`` inside ``Library.batch``)."""
    cut = segmenter.tokenizer.cut
    orders = [_text_order(parts) for _, parts in documents]
    pieces = [
        [cut(text[parts[k][2] : parts[k][3]]) for k in order]
        for (text, parts), order in zip(documents, orders, strict=True)
    ]
    sizes = [sum(map(len, report_pieces)) for report_pieces in pieces]
    # each token as a code into the batch's distinct tokens, numbered in order of first occurrence, in one pass
    # of a dict (as fast as pandas' factorize here, and a worker process then starts without pandas); a token's
    # length and whether it counts are then found once per distinct token
    first: dict[str, int] = {}
    codes = np.fromiter(
        (first.setdefault(token, len(first)) for token in chain.from_iterable(chain.from_iterable(pieces))),
        dtype=np.int64,
        count=sum(sizes),
    )
    distinct_tokens = list(first)
    distinct = np.array(distinct_tokens, dtype=object)
    distinct_lengths = token_lengths(distinct_tokens)
    distinct_content = segmenter.tokenizer.content_mask(distinct_tokens, lengths=distinct_lengths)
    # codes of the content tokens among themselves: the order of first occurrence is the same among all tokens
    # and among the content tokens
    content_code = np.cumsum(distinct_content) - 1
    vocab = Vocabulary(distinct[distinct_content].tolist())
    ends = np.cumsum(sizes)
    return [
        _token_arrays(text, parts, order, report_pieces, codes[end - size : end], vocab, distinct_lengths,
                      distinct_content, content_code)
        for (text, parts), order, report_pieces, size, end in zip(documents, orders, pieces, sizes, ends, strict=True)
    ]  # fmt: skip


def _text_order(parts: list[tuple[str, str, int, int]]) -> list[int]:
    """Indices of ``parts`` in text order."""
    return sorted(range(len(parts)), key=lambda k: (parts[k][2], parts[k][3]))


def _token_arrays(
    text: str,
    parts: list[tuple[str, str, int, int]],
    order: list[int],
    pieces: list[list[str]],
    codes: np.ndarray,
    vocab: Vocabulary,
    distinct_lengths: np.ndarray,
    distinct_content: np.ndarray,
    content_code: np.ndarray,
) -> TokenArrays:
    """One report's arrays from its tokens' batch codes (see ``segment_batch``)."""
    lengths = distinct_lengths[codes]
    keep = distinct_content[codes]
    per_part = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    part_of = np.repeat(np.arange(len(order), dtype=np.int64), per_part)  # position in text order
    # a part's tokens join up to its text, so a token starts at its part's start plus the lengths before it
    running = np.cumsum(lengths) - lengths
    part_start = np.array([parts[k][2] for k in order], dtype=np.int64)
    part_span = np.array([parts[k][3] - parts[k][2] for k in order], dtype=np.int64)
    before = np.cumsum(part_span) - part_span
    offsets = part_start[part_of] + running - before[part_of]

    kept_codes = content_code[codes[keep]]
    kept_offsets = offsets[keep]
    kept_parts = np.asarray(order, dtype=np.int64)[part_of[keep]]  # index into ``parts`` as given
    sentences = sentence_index(text, kept_offsets)

    # counts per (role, code): a key per pair, counted by bincount; its non-zero keys come out sorted
    part_roles = np.array([ROLE_CODE[p[1]] for p in parts], dtype=np.int64)
    vocab_size = max(len(vocab), 1)
    per_key = np.bincount(part_roles[kept_parts] * vocab_size + kept_codes)
    keys = np.flatnonzero(per_key)
    return TokenArrays(
        vocab=vocab,
        codes=kept_codes.astype(np.int32),
        offsets=kept_offsets.astype(np.int32),
        sentences=sentences.astype(np.int32),
        parts=kept_parts.astype(np.uint16),
        count_roles=(keys // vocab_size).astype(np.uint8),
        count_codes=(keys % vocab_size).astype(np.int32),
        counts=per_key[keys].astype(np.int32),
    )


def derive(report: Report, segmenter: Segmenter, corrections: Sequence[Correction] = ()) -> Derived:
    """Outline rows and token arrays of ``report`` with a reader's ``corrections`` applied (pure: the same
    report, corrections and segmenter give the same)."""
    return derive_batch([report], segmenter, {report.id: tuple(corrections)})[0]


def derive_batch(
    reports: Sequence[Report], segmenter: Segmenter, corrections: Mapping[str, Sequence[Correction]] | None = None
) -> list[Derived]:
    """``derive`` for several reports at once, their token arrays sharing one vocabulary (``segment_batch``);
    ``corrections`` by report id. Raises ``ValueError`` if any report's outline cannot be stored."""
    corrections = corrections or {}
    outlines = [parse_outline(report.text, corrections.get(report.id, ())) for report in reports]
    all_parts = [outline.parts() for outline in outlines]
    for report, parts in zip(reports, all_parts, strict=True):
        if len(parts) > np.iinfo(np.uint16).max:
            raise ValueError(f"report {report.id} has {len(parts)} parts; token part indices are 16-bit")
        unknown = {role for _, role, _, _ in parts} - set(ROLE_CODES)
        if unknown:
            raise ValueError(f"parse_outline gave roles outside roles.ROLE_CODES: {sorted(unknown)}")
    tokens = segment_batch([(report.text, parts) for report, parts in zip(reports, all_parts, strict=True)], segmenter)
    return [
        _derived(report, outline, parts, report_tokens, segmenter)
        for report, outline, parts, report_tokens in zip(reports, outlines, all_parts, tokens, strict=True)
    ]


def _derived(
    report: Report, outline: Outline, parts: list[tuple[str, str, int, int]], tokens: TokenArrays, segmenter: Segmenter
) -> Derived:
    headings = {path: s.heading for path, _, s in _walk(outline.sections)}
    part_rows = tuple((path, role, headings.get(path, ""), start, end) for path, role, start, end in parts)
    return Derived(
        parser_version=PARSER_VERSION,
        dictionary_version=segmenter.version,
        sections=_section_rows(outline),
        parts=part_rows,
        items=_item_rows(outline, report.text),
        tokens=tokens,
        summary={
            "sections": sum(1 for _ in outline.walk()),
            **{role: len(outline.items(role)) for role in ITEM_ROLES},
        },
        confidence=outline.confidence,
        confidence_evidence=EVIDENCE_SEPARATOR.join(outline.evidence),
        unmatched=outline.unmatched,
    )
