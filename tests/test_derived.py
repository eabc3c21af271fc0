"""Derived data: the integer-coded tokens ``derive`` stores are exactly the in-memory token table, on every real
report; the batch content-token judgement is ``is_content``; the arrays survive the trip between processes."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SEEDS, corpus_files

from reportlens.corpus import make_report
from reportlens.derived import (
    VOCAB_SEPARATOR,
    TokenArrays,
    TokenizerSpec,
    build_segmenter,
    derive,
    sentence_index,
)
from reportlens.normalize import normalize_text
from reportlens.roles import STORAGE_ORDER as ROLES
from reportlens.structure import parse_outline
from reportlens.text import HAN_RANGES, RE_HAN, Tokenizer, sentence_spans, token_lengths, token_table

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def real_reports() -> list[Path]:
    """The seeds and the 83 reports of ../shared/corpora (the test skips without ../shared)."""
    return SEED_FILES + corpus_files()


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return build_segmenter(TokenizerSpec()).tokenizer


@pytest.fixture(scope="module")
def distinct_tokens(tokenizer: Tokenizer) -> list[str]:
    """Every distinct token the tokenizer cuts from the real reports."""
    seen: dict[str, None] = {}
    for path in real_reports():
        seen.update(dict.fromkeys(tokenizer.cut(normalize_text(path.read_text(encoding="utf-8")))))
    return list(seen)


def test_derived_tokens_are_the_token_table_of_every_real_report(tokenizer: Tokenizer) -> None:
    reports = real_reports()
    assert len(reports) > 80
    segmenter = build_segmenter(TokenizerSpec())
    for path in reports:
        report = make_report(normalize_text(path.read_text(encoding="utf-8")), file=path.name)
        derived = derive(report, segmenter)
        tokens = derived.tokens
        expected = token_table(report.id, report.text, parse_outline(report.text).parts(), tokenizer)
        vocab = np.asarray(tokens.vocab, dtype=object)
        paths = np.asarray([p[0] for p in derived.parts], dtype=object)
        roles = np.asarray([p[1] for p in derived.parts], dtype=object)
        assert list(vocab[tokens.codes]) == expected["token"].astype(str).tolist(), path.name
        assert tokens.offsets.tolist() == expected["offset"].tolist(), path.name
        assert tokens.sentences.tolist() == expected["sentence"].tolist(), path.name
        assert list(paths[tokens.parts]) == expected["section_path"].astype(str).tolist(), path.name
        assert list(roles[tokens.parts]) == expected["role"].astype(str).tolist(), path.name
        # the first occurrence of each code comes in code order: codes number the vocabulary as it is met
        first = pd.unique(tokens.codes)
        assert first.tolist() == list(range(len(tokens.vocab))), path.name
        counts = expected.groupby(["role", "token"], observed=True).size()
        stored = pd.Series(
            tokens.counts,
            index=pd.MultiIndex.from_arrays(
                [np.asarray(ROLES, dtype=object)[tokens.count_roles], vocab[tokens.count_codes]],
                names=["role", "token"],
            ),
        )
        assert stored.sort_index().to_dict() == {(str(r), str(t)): n for (r, t), n in counts.items()}, path.name


AWKWARD_SENTENCES = [
    "", "。", "  ", "abc", "一。二！三？四；五!六?七;", "他说：“好。”然后走了。", "完成。”）」』’)后续",
    "a。”。b", "\n\n  \n文字。）)；\r\n", "一。\u3000。二！？”’x", "x\u2028y。 z\u3000\u3000。",
    "\U00020000。\uffff\U0001F600！末尾", "标题\r\n\r\n正文。。。！？后", "）。（", "”开头", "\t\x0b\x0c\x1c。",
]


def assert_sentence_index_matches_sentence_spans(text: str) -> None:
    starts = np.array([start for start, _ in sentence_spans(text)], dtype=np.int64)
    offsets = np.array([i for i, char in enumerate(text) if not char.isspace()], dtype=np.int64)
    expected = np.searchsorted(starts, offsets, side="right") - 1
    assert sentence_index(text, offsets).tolist() == expected.tolist()


@pytest.mark.parametrize("text", AWKWARD_SENTENCES + [path.read_text(encoding="utf-8") for path in SEED_FILES])
def test_sentence_index_numbers_sentences_as_sentence_spans(text: str) -> None:
    assert_sentence_index_matches_sentence_spans(text)


def test_sentence_index_numbers_sentences_as_sentence_spans_in_real_reports() -> None:
    for path in corpus_files()[:3]:
        assert_sentence_index_matches_sentence_spans(path.read_text(encoding="utf-8"))


AWKWARD_TOKENS = [
    "", " ", "\n", "的", "党", "廉", "粮", "，", "。", "……", "我们", "加强", "党风廉政建设", "文旅融合",
    "GDP", "AI", "5G", "PM2.5", "C919", "2025", "3.5", "a", "x1", "e" * 13, "0123456789abcdef" * 2,
    "5A级", "人工智能+", "⼯作", "\ufa10", "\U00020000\U00020001", "\ud800", "\ud800字", "㐀㐁", "\u4dbf\u4dc0",
]


def test_content_mask_is_is_content_on_every_real_token(tokenizer: Tokenizer, distinct_tokens: list[str]) -> None:
    tokens = distinct_tokens + AWKWARD_TOKENS + [t + VOCAB_SEPARATOR for t in AWKWARD_TOKENS]
    mask = tokenizer.content_mask(tokens)
    assert mask.dtype == bool and len(mask) == len(tokens)
    assert mask.tolist() == [tokenizer.is_content(t) for t in tokens]
    assert tokenizer.content_mask([]).tolist() == []


def test_token_lengths_are_len(distinct_tokens: list[str]) -> None:
    for tokens in (distinct_tokens, AWKWARD_TOKENS, [t + VOCAB_SEPARATOR for t in AWKWARD_TOKENS], [""], []):
        lengths = token_lengths(tokens)
        assert lengths.dtype == np.int64 and lengths.tolist() == [len(t) for t in tokens]


def test_han_ranges_are_the_characters_re_han_finds() -> None:
    points = np.arange(0x10000)
    in_ranges = np.zeros(len(points), dtype=bool)
    for first, last in HAN_RANGES:
        in_ranges |= (points >= first) & (points <= last)
    matched = np.array([RE_HAN.match(chr(p)) is not None for p in points.tolist()])
    assert np.array_equal(in_ranges, matched)
    assert re.search(RE_HAN.pattern, "\U00020000") is None  # no range reaches past the first plane


def arrays_with(vocab: tuple[str, ...]) -> TokenArrays:
    codes = np.arange(len(vocab), dtype=np.int32)
    return TokenArrays(
        vocab, codes, codes * 2, codes, codes.astype(np.uint16), np.zeros(len(vocab), np.uint8), codes, codes + 1
    )


@pytest.mark.parametrize(
    "vocab",
    [(), ("",), ("党",), ("党风", "GDP", "5G"), ("党风", "", "廉政"), (f"a{VOCAB_SEPARATOR}b", "c"), ("x",) * 3],
)
def test_token_arrays_pickle_back_the_same(vocab: tuple[str, ...]) -> None:
    original = arrays_with(vocab)
    copy = pickle.loads(pickle.dumps(original))  # noqa: S301 — our own object, as a worker process sends it back
    assert isinstance(copy.vocab, tuple) and copy.vocab == vocab
    for name in ("codes", "offsets", "sentences", "parts", "count_roles", "count_codes", "counts"):
        a, b = getattr(original, name), getattr(copy, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
