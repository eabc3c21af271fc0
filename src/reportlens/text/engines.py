"""The two segmenting engines behind a ``Tokenizer``: rjieba (jieba-rs, the default) and jieba 0.42.1 itself,
loaded with the same dictionary entries and frequencies so that they cut alike (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from importlib import metadata, resources
from typing import Literal

from reportlens.text.dictionary import DictEntry

Engine = Literal["rjieba", "jieba"]


ENGINES: tuple[Engine, ...] = ("rjieba", "jieba")


# New-word discovery by jieba's HMM: off in both engines (see the module docstring).
HMM = False


# Frequency for a dictionary word written without one that jieba's own dictionary does not know. jieba would
# suggest a frequency that only just beats the word's own pieces (1 for 文旅融合), so 「和文旅融合」 still comes
# out 和文/旅/融合; 1000 wins in context without pulling neighbouring words apart (checked on the corpora).
DEFAULT_WORD_FREQ = 1000


# Never matched by either engine (private-use characters are not in jieba's word-lookup runs); see load_rjieba.
TOTAL_BALANCE_WORD = "\ue000\ue000"


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


def engine_id(engine: Engine) -> str:
    return f"{engine}=={metadata.version(engine)}"


def load_rjieba(entries: Sequence[DictEntry]) -> Callable[[str], list[str]]:
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


def load_jieba(entries: Sequence[DictEntry]) -> Callable[[str], list[str]]:
    import jieba

    # Our own instance, never jieba.dt; its default dictionary loads from jieba's cache file in the temp folder.
    # (A frequency-0 word also lands in jieba.finalseg's module-level force-split set, which only the HMM reads.)
    engine = jieba.Tokenizer()
    engine.initialize()
    for word, freq, tag in _resolve(entries, lambda w: engine.FREQ.get(w, 0) > 0):
        engine.add_word(word, freq, tag)
    return partial(engine.lcut, HMM=HMM)
