"""Words: a jieba tokenizer with the domain dictionary, and per-section token tables.

``build_tokenizer()`` builds a ``Tokenizer`` once from the bundled ``data/userdict.txt`` and the bundled
stopwords — the function words of ``data/stopwords.txt`` and the 公文 boilerplate of
``data/stopwords_boilerplate.txt`` (``STOPWORD_FILES``) — or files and extra words you give it; it is never
changed afterwards, so a changed dictionary means a new tokenizer with a new ``version``.

Two engines give the same tokens:

- ``"rjieba"`` (default): jieba-rs through the rjieba binding — jieba's algorithm and jieba 0.42.1's
  ``dict.txt`` in Rust, about 15 times faster than jieba on the corpora (see ``bench/bench_segment.py``);
- ``"jieba"``: jieba 0.42.1 itself (its own ``jieba.Tokenizer`` instance, never the module-level one), the
  reference. ``engine_mismatch`` finds where two tokenizers disagree; if rjieba ever differs, jieba is right.

Both run with jieba's HMM new-word discovery off (``HMM``). With it on, the engines differ (jieba-rs's HMM
keeps runs like 「2026-02-09」「PM_2.5」 whole, jieba does not) and it invents about 5,900 word types over the
corpora, many of them junk (和量, 于物, 地为, 主義的); the domain dictionary supplies the real new words instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from importlib import metadata, resources
from itertools import accumulate, compress
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from reportlens.roles import ROLE_CODES

Engine = Literal["rjieba", "jieba"]
ENGINES: tuple[Engine, ...] = ("rjieba", "jieba")

# New-word discovery by jieba's HMM: off in both engines (see the module docstring).
HMM = False
# Frequency for a dictionary word written without one that jieba's own dictionary does not know. jieba would
# suggest a frequency that only just beats the word's own pieces (1 for 文旅融合), so 「和文旅融合」 still comes
# out 和文/旅/融合; 1000 wins in context without pulling neighbouring words apart (checked on the corpora).
DEFAULT_WORD_FREQ = 1000
# Single characters that are terms in these reports; every other single character is not a content token.
SINGLE_CHAR_TERMS = frozenset("党廉粮钢煤棉油电税")
SINGLE_CHAR_POINTS = np.array(sorted(ord(c) for c in SINGLE_CHAR_TERMS), dtype=np.uint32)
# Bump when the content-token rules change, so cached token tables keyed by ``Tokenizer.version`` expire.
RULES_REVISION = "1"
# Never matched by either engine (private-use characters are not in jieba's word-lookup runs); see _load_rjieba.
TOTAL_BALANCE_WORD = "\ue000\ue000"

DATA_DIR = resources.files("reportlens") / "data"
# The bundled stopword lists, applied together: function words, then 公文 boilerplate (words that carry the
# form of a report, not its matters: 存在, 不足, 取得, 落实 …).
STOPWORD_FILES = ("stopwords.txt", "stopwords_boilerplate.txt")
TOKEN_COLUMNS = ("report_id", "section_path", "role", "sentence", "token", "offset")

# The largest frequency a user-dictionary word may have. jieba's own dictionary tops out at 318,825 (「的」); a
# frequency beyond 64 bits stopped the tokenizer from being built at all (an OverflowError in the engine).
MAX_WORD_FREQ = 1_000_000_000
# A user-dictionary line, jieba's format: 「能力作风建设年 5000 nz」, 「文旅融合」, 「和文 0」.
RE_DICT_LINE = re.compile(r"(?P<word>\S+)(?:\s+(?P<freq>\d+))?(?:\s+(?P<tag>[a-z]+))?")
# Characters jieba 0.42.1 looks words up in (its re_han_default); a word with others can never match:
# 「A级景区」 and 「人工智能+」 can, 「双随机、一公开」 cannot.
RE_DICT_WORD = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")
# The characters that end sentences: a run of sentence marks (with any closing quotes or brackets after it), or a
# run of line breaks. ``RE_SENTENCE_END`` and ``derived.sentence_index`` both read them from here.
SENTENCE_MARKS, CLOSING_MARKS, LINE_BREAKS = "。！？；!?;", "”’」』）)", "\r\n"
# A sentence end: 「……报告如下。」 「……关键少数”；」 「一、工作开展情况\n」. The lookahead changes no match; it lets
# the regex engine skip straight to the characters a match can start with (twice as fast over a report).
RE_SENTENCE_END = re.compile(
    f"(?=[{SENTENCE_MARKS}{LINE_BREAKS}])(?:[{SENTENCE_MARKS}]+[{CLOSING_MARKS}]*|[{LINE_BREAKS}]+)"
)
# A Chinese character anywhere in a token: 「党风廉政建设」 「5A级」 「人工智能+」.
RE_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# The code point ranges of RE_HAN, first and last included, for judging many tokens at once with numpy.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
# A Latin term worth counting, 2–12 characters with a letter: GDP, AI, 5G, PM2.5, RCEP, C919 — not 2025, 3.5,
# a single letter or a 32-digit hex id from a web page.
RE_LATIN_TERM = re.compile(r"(?=[0-9.+\-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9.+\-]{1,11}")


@dataclass(frozen=True)
class DictEntry:
    """One user-dictionary word; ``freq``/``tag`` None when the line did not give them."""

    word: str
    freq: int | None = None
    tag: str | None = None


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
        keep = _content_set(self, tokens)
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


def freq_fits(digits: str | None) -> bool:
    """Whether a user-dictionary frequency (as written, or None when left out) is at most ``MAX_WORD_FREQ``."""
    return digits is None or (len(digits) <= len(str(MAX_WORD_FREQ)) and int(digits) <= MAX_WORD_FREQ)


def parse_userdict(lines: Iterable[str], *, source: str = "userdict") -> tuple[DictEntry, ...]:
    """Dictionary entries from ``word [freq] [tag]`` lines; ``#`` comment lines and blank lines skipped."""
    entries: list[DictEntry] = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        match = RE_DICT_LINE.fullmatch(line)
        if match is None:
            raise ValueError(
                f"{source} line {lineno}: {line!r} is not 'word [freq] [tag]' "
                "(one word without spaces, an optional whole-number frequency, an optional lower-case tag)"
            )
        word = match["word"]
        if not RE_DICT_WORD.fullmatch(word):
            raise ValueError(
                f"{source} line {lineno}: {word!r} can never be matched: jieba only looks up runs of Chinese "
                "characters, ASCII letters, digits and + # & . _ % -"
            )
        if not freq_fits(match["freq"]):
            raise ValueError(f"{source} line {lineno}: frequency {match['freq'][:20]} is above {MAX_WORD_FREQ:,}")
        freq = int(match["freq"]) if match["freq"] is not None else None
        entries.append(DictEntry(word, freq, match["tag"]))
    return tuple(entries)


def parse_stopwords(lines: Iterable[str]) -> frozenset[str]:
    """Stopwords, one per line; ``#`` comment lines and blank lines skipped."""
    words = (line.strip().lstrip("\ufeff") for line in lines)
    return frozenset(w for w in words if w and not w.startswith("#"))


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
    dict_text = _read_text(userdict, "userdict.txt")
    stop_text = bundled_stopwords() if stopwords is None else _read_text(stopwords, "stopwords.txt")
    entries = parse_userdict(dict_text.splitlines(), source=str(userdict or "userdict.txt"))
    entries += parse_userdict(_lines(extra_words), source="extra_words")
    stops = parse_stopwords(stop_text.splitlines()) | parse_stopwords(_lines(extra_stopwords))
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
        keep = _content_set(tokenizer, part)
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
    frames = list(tables)
    if not frames:
        return _empty_token_table()
    out = pd.concat(frames, ignore_index=True)
    for column in ("report_id", "section_path", "role", "token"):
        parts = [_text_categories(f[column].astype("category").array) for f in frames]
        out[column] = pd.api.types.union_categoricals(parts, ignore_order=True)
    return out[list(TOKEN_COLUMNS)]


def _empty_token_table() -> pd.DataFrame:
    none = np.zeros(0, dtype=np.int64)
    columns = {"sentence": none.astype(np.int32), "offset": none.astype(np.int32)}
    for name, categories in (("report_id", []), ("section_path", []), ("role", list(ROLE_CODES)), ("token", [])):
        columns[name] = _categorical(none, categories)
    return pd.DataFrame(columns, columns=list(TOKEN_COLUMNS))


def _categorical(codes: np.ndarray, names: Sequence[str] | np.ndarray) -> pd.Categorical:
    """A categorical from codes, its categories typed as text (also when empty, so tables concatenate)."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype="str"))


def _text_categories(values: pd.Categorical) -> pd.Categorical:
    # Categories typed as text even when empty: union_categoricals refuses to mix str and object categories.
    return values.set_categories(values.categories.astype("str"))


def _content_set(tokenizer: Tokenizer, tokens: Iterable[str]) -> set[str]:
    """The distinct content tokens among ``tokens`` (tokens repeat: each is judged once)."""
    return {t for t in set(tokens) if tokenizer.is_content(t)}


def _lines(words: Iterable[str]) -> Iterable[str]:
    # a bare string is lines of text, not an iterable of one-character words
    return words.splitlines() if isinstance(words, str) else words


def join_stopwords(*texts: str) -> str:
    """Stopword texts as one (each list's lines after the other's)."""
    return "".join(t if t.endswith("\n") or not t else t + "\n" for t in texts)


def bundled_stopwords() -> str:
    """The bundled stopword lists (``STOPWORD_FILES``) as one text."""
    return join_stopwords(*((DATA_DIR / name).read_text(encoding="utf-8") for name in STOPWORD_FILES))


def _read_text(path: str | Path | None, bundled: str) -> str:
    if path is None:
        return (DATA_DIR / bundled).read_text(encoding="utf-8")
    return Path(path).read_text(encoding="utf-8-sig")


def _add_sentence(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def _resolve(entries: Sequence[DictEntry], known: Callable[[str], bool]) -> list[tuple[str, int, str | None]]:
    """Entries with their frequencies decided, the same way for both engines (see ``build_tokenizer``).

    A bare word jieba already knows, or that an earlier entry gave, is left alone: its frequency stays.
    """
    out: list[tuple[str, int, str | None]] = []
    given: set[str] = set()
    for entry in entries:
        freq = entry.freq
        if freq is None:
            if entry.word in given or known(entry.word):
                continue
            freq = DEFAULT_WORD_FREQ
        given.add(entry.word)
        out.append((entry.word, freq, entry.tag))
    return out


def _replaced_freq(resolved: Sequence[tuple[str, int, str | None]], known: Callable[[str], bool]) -> int:
    """The sum of the frequencies that ``resolved`` overwrites (jieba's own, or an earlier line's)."""
    earlier: dict[str, int] = {}
    from_jieba: list[str] = []
    total = 0
    for word, freq, _tag in resolved:
        if word in earlier:
            total += earlier[word]
        elif known(word):
            from_jieba.append(word)
        earlier[word] = freq
    return total + sum(_jieba_dict_freqs(from_jieba).values())


def _jieba_dict_freqs(words: Sequence[str]) -> dict[str, int]:
    """Frequencies from jieba 0.42.1's ``dict.txt`` (``word freq tag`` lines), the dictionary both engines use."""
    if not words:
        return {}
    text = "\n" + (resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
    found: dict[str, int] = {}
    for word in words:
        at = text.find(f"\n{word} ")
        if at >= 0:
            start = at + len(word) + 2
            found[word] = int(text[start : text.index(" ", start)])
    return found


def _engine_id(engine: Engine) -> str:
    return f"{engine}=={metadata.version(engine)}"


def _fingerprint(engine: Engine, entries: Sequence[DictEntry], stopwords: frozenset[str]) -> str:
    digest = hashlib.sha256()
    header = (RULES_REVISION, _engine_id(engine), f"hmm={HMM}", f"freq={DEFAULT_WORD_FREQ}")
    digest.update("\x1f".join((*header, "".join(sorted(SINGLE_CHAR_TERMS)))).encode())
    for e in entries:  # order matters: a later line for the same word wins
        digest.update(f"\x1e{e.word}\x1f{e.freq}\x1f{e.tag}".encode())
    digest.update(b"\x1d")
    digest.update("\x1e".join(sorted(stopwords)).encode())
    return digest.hexdigest()[:12]


def _load_rjieba(entries: Sequence[DictEntry]) -> Callable[[str], list[str]]:
    import rjieba

    engine = rjieba.Jieba()
    resolved = _resolve(entries, engine.has_word)
    replaced = _replaced_freq(resolved, engine.has_word)
    for word, freq, tag in resolved:
        engine.add_word(word, freq, tag)
    if replaced:
        # jieba's add_word adds a word's new frequency to its total and never takes the old one off; jieba-rs
        # does. A word that no text can contain (private-use characters are never looked up) carries the
        # difference, so both engines divide by the same total and cut alike.
        engine.add_word(TOTAL_BALANCE_WORD, replaced, None)
    return partial(engine.cut, hmm=HMM)


def _load_jieba(entries: Sequence[DictEntry]) -> Callable[[str], list[str]]:
    import jieba

    # Our own instance, never jieba.dt; its default dictionary loads from jieba's cache file in the temp folder.
    # (A frequency-0 word also lands in jieba.finalseg's module-level force-split set, which only the HMM reads.)
    engine = jieba.Tokenizer()
    engine.initialize()
    for word, freq, tag in _resolve(entries, lambda w: engine.FREQ.get(w, 0) > 0):
        engine.add_word(word, freq, tag)
    return partial(engine.lcut, HMM=HMM)


def _assemble(entries: tuple[DictEntry, ...], stopwords: frozenset[str], engine: Engine) -> Tokenizer:
    segment = _load_rjieba(entries) if engine == "rjieba" else _load_jieba(entries)
    return Tokenizer(engine, _fingerprint(engine, entries, stopwords), entries, stopwords, segment)
