"""The word lists a tokenizer is built from: the user dictionary (``word [freq] [tag]`` lines, jieba's format)
and the stopword lists, bundled in ``reportlens/data`` or given; parsed and checked here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

DATA_DIR = resources.files("reportlens") / "data"


# The bundled stopword lists, applied together: function words, then 公文 boilerplate (words that carry the
# form of a report, not its matters: 存在, 不足, 取得, 落实 …).
STOPWORD_FILES = ("stopwords.txt", "stopwords_boilerplate.txt")


# The largest frequency a user-dictionary word may have. jieba's own dictionary tops out at 318,825 (「的」); a
# frequency beyond 64 bits stopped the tokenizer from being built at all (an OverflowError in the engine).
MAX_WORD_FREQ = 1_000_000_000


# A user-dictionary line, jieba's format: 「能力作风建设年 5000 nz」, 「文旅融合」, 「和文 0」.
RE_DICT_LINE = re.compile(r"(?P<word>\S+)(?:\s+(?P<freq>\d+))?(?:\s+(?P<tag>[a-z]+))?")


# Characters jieba 0.42.1 looks words up in (its re_han_default); a word with others can never match:
# 「A级景区」 and 「人工智能+」 can, 「双随机、一公开」 cannot.
RE_DICT_WORD = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")


@dataclass(frozen=True)
class DictEntry:
    """One user-dictionary word; ``freq``/``tag`` None when the line did not give them."""

    word: str
    freq: int | None = None
    tag: str | None = None


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


def lines_of(words: Iterable[str]) -> Iterable[str]:
    # a bare string is lines of text, not an iterable of one-character words
    return words.splitlines() if isinstance(words, str) else words


def join_stopwords(*texts: str) -> str:
    """Stopword texts as one (each list's lines after the other's)."""
    return "".join(t if t.endswith("\n") or not t else t + "\n" for t in texts)


def bundled_stopwords() -> str:
    """The bundled stopword lists (``STOPWORD_FILES``) as one text."""
    return join_stopwords(*((DATA_DIR / name).read_text(encoding="utf-8") for name in STOPWORD_FILES))


def read_list(path: str | Path | None, bundled: str) -> str:
    if path is None:
        return (DATA_DIR / bundled).read_text(encoding="utf-8")
    return Path(path).read_text(encoding="utf-8-sig")
