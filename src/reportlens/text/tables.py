"""Sentences and token tables: ``sentence_spans`` of a text, and ``token_table``, one row per content token of
a report with its section, role, sentence and offset (categorical columns; ``concat_token_tables`` stacks them)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import compress
from typing import TYPE_CHECKING

import numpy as np

from reportlens.roles import ROLE_CODES
from reportlens.text.tokenizer import Tokenizer, content_set

if TYPE_CHECKING:  # imported where used: a worker process preparing files reads this module, never a table
    import pandas as pd

TOKEN_COLUMNS = ("report_id", "section_path", "role", "sentence", "token", "offset")


# The characters that end sentences: a run of sentence marks (with any closing quotes or brackets after it), or a
# run of line breaks. ``RE_SENTENCE_END`` and ``derived.sentence_index`` both read them from here.
SENTENCE_MARKS, CLOSING_MARKS, LINE_BREAKS = "。！？；!?;", "”’」』）)", "\r\n"


# A sentence end: 「……报告如下。」 「……关键少数”；」 「一、工作开展情况\n」. The lookahead changes no match; it lets
# the regex engine skip straight to the characters a match can start with (twice as fast over a report).
RE_SENTENCE_END = re.compile(
    f"(?=[{SENTENCE_MARKS}{LINE_BREAKS}])(?:[{SENTENCE_MARKS}]+[{CLOSING_MARKS}]*|[{LINE_BREAKS}]+)"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, end punctuation included, surrounding whitespace left out.

    Sentences end at 。！？；!?; and at line breaks; spans with nothing but whitespace are skipped.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in RE_SENTENCE_END.finditer(text):
        _add_sentence(spans, text, start, match.end())
        start = match.end()
    _add_sentence(spans, text, start, len(text))
    return spans


def token_table(
    report_id: str,
    text: str,
    parts: Sequence[tuple[str, str, int, int]],
    tokenizer: Tokenizer,
) -> pd.DataFrame:
    """One row per content token of a report: ``report_id, section_path, role, sentence, token, offset``.

    ``parts`` are disjoint ``(section_path, role, start, end)`` spans of ``text`` (``Outline.parts()``); each
    is cut once, so a token never crosses a part. ``offset`` is the token's start in ``text`` and
    ``sentence`` the 0-based index of its sentence in the report (``sentence_spans``). Rows are in text order.
    """
    import pandas as pd

    ordered = sorted(parts, key=lambda p: (p[2], p[3]))
    cursor = 0
    for path, _role, start, end in ordered:
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"part {path!r} [{start}, {end}) lies outside the text (length {len(text)})")
        if start < cursor:
            raise ValueError(f"part {path!r} starting at {start} overlaps the part before it")
        cursor = end

    tokens: list[str] = []
    offsets: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    counts: list[int] = []
    for _path, _role, start, end in ordered:
        part = tokenizer.cut(text[start:end])
        keep = content_set(tokenizer, part)
        lengths = np.fromiter(map(len, part), dtype=np.int64, count=len(part))
        mask = np.fromiter(map(keep.__contains__, part), dtype=bool, count=len(part))
        tokens.extend(compress(part, mask))
        offsets.append((start + np.cumsum(lengths) - lengths)[mask])
        counts.append(int(mask.sum()))

    offset_array = np.concatenate(offsets)
    starts = np.asarray([s for s, _ in sentence_spans(text)], dtype=np.int64)
    path_codes, path_names = pd.factorize(np.asarray([p[0] for p in ordered], dtype=object))
    role_names = list(ROLE_CODES) + sorted({p[1] for p in ordered} - set(ROLE_CODES))
    role_codes = np.asarray([role_names.index(p[1]) for p in ordered], dtype=np.int64)
    token_codes, token_names = pd.factorize(np.asarray(tokens, dtype=object))
    return pd.DataFrame(
        {
            "report_id": _categorical(np.zeros(len(tokens), dtype=np.int64), [report_id] if tokens else []),
            "section_path": _categorical(np.repeat(path_codes, counts), path_names),
            "role": _categorical(np.repeat(role_codes, counts), role_names),
            "sentence": (np.searchsorted(starts, offset_array, side="right") - 1).astype(np.int32),
            "token": _categorical(token_codes, token_names),
            "offset": offset_array.astype(np.int32),
        },
        columns=list(TOKEN_COLUMNS),
    )


def concat_token_tables(tables: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Stack token tables of several reports, keeping the categorical columns categorical.

    ``pd.concat`` turns categoricals with different categories into plain objects; this unions them.
    """
    import pandas as pd

    frames = list(tables)
    if not frames:
        return _empty_token_table()
    out = pd.concat(frames, ignore_index=True)
    for column in ("report_id", "section_path", "role", "token"):
        parts = [_text_categories(f[column].astype("category").array) for f in frames]
        out[column] = pd.api.types.union_categoricals(parts, ignore_order=True)
    return out[list(TOKEN_COLUMNS)]


def _empty_token_table() -> pd.DataFrame:
    import pandas as pd

    none = np.zeros(0, dtype=np.int64)
    columns = {"sentence": none.astype(np.int32), "offset": none.astype(np.int32)}
    for name, categories in (("report_id", []), ("section_path", []), ("role", list(ROLE_CODES)), ("token", [])):
        columns[name] = _categorical(none, categories)
    return pd.DataFrame(columns, columns=list(TOKEN_COLUMNS))


def _categorical(codes: np.ndarray, names: Sequence[str] | np.ndarray) -> pd.Categorical:
    """A categorical from codes, its categories typed as text (also when empty, so tables concatenate)."""
    import pandas as pd

    return pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype="str"))


def _text_categories(values: pd.Categorical) -> pd.Categorical:
    # Categories typed as text even when empty: union_categoricals refuses to mix str and object categories.
    return values.set_categories(values.categories.astype("str"))


def _add_sentence(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
