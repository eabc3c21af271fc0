"""The ``Tokenizer``: a segmenter with its dictionary loaded, immutable, and which of its tokens are content
(worth counting); ``build_tokenizer`` makes one, ``engine_mismatch`` compares two."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import numpy as np

from reportlens.text.dictionary import (
    DictEntry,
    bundled_stopwords,
    lines_of,
    parse_stopwords,
    parse_userdict,
    read_list,
)
from reportlens.text.engines import (
    DEFAULT_WORD_FREQ,
    ENGINES,
    HMM,
    Engine,
    engine_id,
    load_jieba,
    load_rjieba,
)

# Single characters that are terms in these reports; every other single character is not a content token.
SINGLE_CHAR_TERMS = frozenset("党廉粮钢煤棉油电税")


SINGLE_CHAR_POINTS = np.array(sorted(ord(c) for c in SINGLE_CHAR_TERMS), dtype=np.uint32)


# Bump when the content-token rules change, so cached token tables keyed by ``Tokenizer.version`` expire.
RULES_REVISION = "1"


# A Chinese character anywhere in a token: 「党风廉政建设」 「5A级」 「人工智能+」.
RE_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# The code point ranges of RE_HAN, first and last included, for judging many tokens at once with numpy.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


# A Latin term worth counting, 2–12 characters with a letter: GDP, AI, 5G, PM2.5, RCEP, C919 — not 2025, 3.5,
# a single letter or a 32-digit hex id from a web page.
RE_LATIN_TERM = re.compile(r"(?=[0-9.+\-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9.+\-]{1,11}")


@dataclass(frozen=True)
class Mismatch:
    """Where two tokenizers first cut a text differently: the offset and each one's tokens from there."""

    offset: int
    left: tuple[str, ...]
    right: tuple[str, ...]


@dataclass(frozen=True, eq=False, repr=False)
class Tokenizer:
    """A segmenter with its dictionary loaded; immutable. Build it with ``build_tokenizer``.

    ``words`` are the dictionary entries as read (bundled file, then extra words), ``version`` a short hash of
    the engine, the entries, the stopwords and the content rules: equal versions cut and filter alike.
    """

    engine: Engine
    version: str
    words: tuple[DictEntry, ...]
    stopwords: frozenset[str]
    _segment: Callable[[str], list[str]]

    def cut(self, text: str) -> list[str]:
        """All tokens in order, whitespace and punctuation included; ``"".join(cut(text)) == text``."""
        return self._segment(text) if text else []

    def spans(self, text: str) -> list[tuple[str, int]]:
        """Every token with its start offset in ``text``."""
        tokens = self.cut(text)
        return list(zip(tokens, accumulate((len(t) for t in tokens), initial=0), strict=False))

    def is_content(self, token: str) -> bool:
        """A token worth counting: not a stopword, not whitespace, punctuation, a number or a stray letter;
        two characters or more unless it is one of ``SINGLE_CHAR_TERMS`` (党, 廉, 粮 …)."""
        if token in self.stopwords:
            return False
        if len(token) < 2:
            return token in SINGLE_CHAR_TERMS
        if RE_HAN.search(token):
            return True
        return RE_LATIN_TERM.fullmatch(token) is not None

    def content_mask(self, tokens: Sequence[str], *, lengths: np.ndarray | None = None) -> np.ndarray:
        """``is_content`` of each token, as a boolean array: the same rules, judged for all the tokens at once
        (``lengths``: theirs, if the caller has them already).

        Whether a token holds a Chinese character, and which character a one-character token is, are found
        with numpy over the code points of all the tokens strung together; only tokens of two characters or
        more without Chinese are looked at one by one.
        """
        count = len(tokens)
        lengths = token_lengths(tokens) if lengths is None else lengths
        judged = ~np.fromiter(map(self.stopwords.__contains__, tokens), dtype=bool, count=count)
        points = np.frombuffer("".join(tokens).encode("utf-32-le", "surrogatepass"), dtype="<u4")
        is_han = np.zeros(len(points), dtype=bool)
        for first, last in HAN_RANGES:
            is_han |= (points >= first) & (points <= last)
        han_before = np.concatenate(([0], np.cumsum(is_han)))  # Chinese characters before each position
        ends = np.cumsum(lengths)
        has_han = han_before[ends] > han_before[ends - lengths]
        short = lengths < 2
        mask = judged & ~short & has_han
        single = judged & (lengths == 1)  # its one character is the code point before its end
        mask[single] = np.isin(points[ends[single] - 1], SINGLE_CHAR_POINTS)
        for i in np.flatnonzero(judged & ~short & ~has_han).tolist():
            mask[i] = RE_LATIN_TERM.fullmatch(tokens[i]) is not None
        return mask

    def content_tokens(self, text: str) -> list[str]:
        """The content tokens of ``text``, in order."""
        tokens = self.cut(text)
        keep = content_set(self, tokens)
        return [t for t in tokens if t in keep]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tokenizer) and other.version == self.version

    def __hash__(self) -> int:
        return hash(self.version)

    def __repr__(self) -> str:
        return (
            f"Tokenizer(engine={self.engine!r}, version={self.version!r}, words={len(self.words)}, "
            f"stopwords={len(self.stopwords)})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        # Pickles as its recipe (worker processes rebuild it); the engine object itself cannot be pickled.
        return (_assemble, (self.words, self.stopwords, self.engine))


def token_lengths(tokens: Sequence[str]) -> np.ndarray:
    """The length of each token (int64). Counted with numpy over the tokens strung together with a separator
    between them, faster than ``len`` token by token; tokens that hold the separator are counted one by one."""
    joined = "\x00".join(tokens)
    if not tokens or joined.count("\x00") != len(tokens) - 1:
        return np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return np.diff(np.concatenate(([-1], np.flatnonzero(points == 0), [len(points)]))) - 1


def build_tokenizer(
    *,
    userdict: str | Path | None = None,
    stopwords: str | Path | None = None,
    extra_words: Iterable[str] = (),
    extra_stopwords: Iterable[str] = (),
    engine: Engine = "rjieba",
) -> Tokenizer:
    """Build a tokenizer from a user dictionary and a stopword file (None: the bundled ones; for stopwords,
    both ``STOPWORD_FILES``).

    ``extra_words`` are more dictionary lines (``"文旅融合"`` or ``"文旅 800"``), loaded after the file;
    ``extra_stopwords`` more stopwords; either may also be one string of lines (a text box). A word without a frequency keeps jieba's own frequency if jieba knows
    it, else gets ``DEFAULT_WORD_FREQ``. Each call builds a new tokenizer; none is ever changed.
    """
    entries, stops = _recipe(userdict, stopwords, extra_words, extra_stopwords, engine)
    return _assemble(entries, stops, engine)


def tokenizer_version(
    *, userdict: str | Path | None = None, stopwords: str | Path | None = None, engine: Engine = "rjieba"
) -> str:
    """The ``version`` the tokenizer ``build_tokenizer`` makes of these files would have, found without
    building it (no jieba dictionary is loaded): whether stored tokens are stale is known before segmenting."""
    entries, stops = _recipe(userdict, stopwords, (), (), engine)
    return _fingerprint(engine, entries, stops)


def _recipe(
    userdict: str | Path | None,
    stopwords: str | Path | None,
    extra_words: Iterable[str],
    extra_stopwords: Iterable[str],
    engine: Engine,
) -> tuple[tuple[DictEntry, ...], frozenset[str]]:
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    dict_text = read_list(userdict, "userdict.txt")
    stop_text = bundled_stopwords() if stopwords is None else read_list(stopwords, "stopwords.txt")
    entries = parse_userdict(dict_text.splitlines(), source=str(userdict or "userdict.txt"))
    entries += parse_userdict(lines_of(extra_words), source="extra_words")
    stops = parse_stopwords(stop_text.splitlines()) | parse_stopwords(lines_of(extra_stopwords))
    return entries, stops


def engine_mismatch(text: str, left: Tokenizer, right: Tokenizer, *, context: int = 5) -> Mismatch | None:
    """Where ``left`` and ``right`` first cut ``text`` differently (None if nowhere); ``context`` tokens each."""
    a, b = left.spans(text), right.spans(text)
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return Mismatch(
                x[1], tuple(t for t, _ in a[i : i + context]), tuple(t for t, _ in b[i : i + context])
            )
    return None


def content_set(tokenizer: Tokenizer, tokens: Iterable[str]) -> set[str]:
    """The distinct content tokens among ``tokens`` (tokens repeat: each is judged once)."""
    return {t for t in set(tokens) if tokenizer.is_content(t)}


def _fingerprint(engine: Engine, entries: Sequence[DictEntry], stopwords: frozenset[str]) -> str:
    digest = hashlib.sha256()
    header = (RULES_REVISION, engine_id(engine), f"hmm={HMM}", f"freq={DEFAULT_WORD_FREQ}")
    digest.update("\x1f".join((*header, "".join(sorted(SINGLE_CHAR_TERMS)))).encode())
    for e in entries:  # order matters: a later line for the same word wins
        digest.update(f"\x1e{e.word}\x1f{e.freq}\x1f{e.tag}".encode())
    digest.update(b"\x1d")
    digest.update("\x1e".join(sorted(stopwords)).encode())
    return digest.hexdigest()[:12]


def _assemble(entries: tuple[DictEntry, ...], stopwords: frozenset[str], engine: Engine) -> Tokenizer:
    segment = load_rjieba(entries) if engine == "rjieba" else load_jieba(entries)
    return Tokenizer(engine, _fingerprint(engine, entries, stopwords), entries, stopwords, segment)
