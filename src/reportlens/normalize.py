"""Text normalisation: one canonical form for every reader's output, words untouched.

- line endings → "\n"; zero-width and control characters dropped; NBSP, ideographic and other odd spaces
  → ordinary spaces; each line stripped; blank lines dropped (each remaining line is one paragraph);
- CJK radical look-alikes (⼯ U+2F2F for 工), CJK compatibility ideographs and full-width ASCII letters
  and digits mapped to their ordinary forms by NFKC — full-width punctuation (，。：) is kept as it is;
- lines that a source broke in the middle of a sentence (around links, book titles, bare list markers)
  joined back together.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that NFKC maps to ordinary ideographs or ASCII: Kangxi radicals (⼯), CJK radicals supplement,
# CJK compatibility ideographs, full-width digits and Latin letters (２０２３).
RE_COMPAT_CHARS = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
# Zero-width and control characters (not \n, \t): "\u200b" in a State Council text, "\x07" from Word.
RE_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Odd spaces: NBSP in seed 004 (" 作为全市…"), ideographic space indentation "　　现在，我代表国务院…".
RE_ODD_SPACE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
RE_SPACE_RUN = re.compile(r" {2,}")

# A line that ends a sentence or a clause list: 「……报告如下：」「……落到实处。」
TERMINAL = tuple("。！？；：…!?;:")
# A line that opens a quotation or title the next line closes: 「认真贯彻《」
RE_OPENS = re.compile(r"[《「“‘（(〔【<]$")
# A line that continues the previous one: 「》，将提交本次大会审议。」「，接着，又通过了…」
RE_CONTINUES = re.compile(r"^[》」”’）)〕】>，。、；：,.;:!?！？]")
# A bare list marker alone on its line: 「一、」「第一，」「一是」「（」
RE_BARE_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+[、．.]|第[一二三四五六七八九十]+[，,、]|[一二三四五六七八九十]+是|[（(]|——|首先，)$")
# Any numbered or pseudo heading start; such lines are never joined to the line before them.
RE_ANY_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、．.](?!\d)|[①-⑳]|"
    r"第[一二三四五六七八九十]+[，,、部章]|[一二三四五六七八九十]+是)"
)
FRAGMENT_MAX = 40
PROSE_MIN = 20


def _map_compat(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group(0))


def _is_prose(line: str) -> bool:
    """A line of running text: long, or holding clause punctuation; not a heading, a dateline or page chrome."""
    if RE_ANY_MARKER.match(line) or line.startswith("——"):
        return False
    return len(line) > FRAGMENT_MAX or (len(line) >= PROSE_MIN and ("，" in line or "、" in line))


def _should_join(prev: str, nxt: str) -> bool:
    if prev.endswith(TERMINAL) or (RE_ANY_MARKER.match(nxt) and not RE_BARE_MARKER.match(prev)):
        return False
    if RE_CONTINUES.match(nxt) or RE_OPENS.search(prev) or RE_BARE_MARKER.match(prev):
        return True
    if _is_prose(prev):
        return True
    # a short link fragment inside a sentence: 「我國同偉大的和平堡壘蘇聯已經締結了」+「友好同盟互助條約」
    return (
        len(prev) > 15
        and not prev.startswith("——")
        and len(nxt) <= FRAGMENT_MAX
        and not nxt.endswith(TERMINAL)
        and not _is_prose(nxt)
    )


def join_broken_lines(lines: list[str], *, rows: frozenset[int] = frozenset()) -> list[str]:
    """Join lines a source split in mid-sentence; keep headings and finished sentences on their own lines.

    ``rows`` are indices of table rows (cells separated by tabs in the reader's output): never joined.
    """
    out: list[str] = []
    last_row = False
    for i, line in enumerate(lines):
        is_row = i in rows
        if out and not is_row and not last_row and _should_join(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
        last_row = is_row
    return out


def _clean_lines(text: str) -> list[str]:
    """Each line of ``text`` cleaned: invisible characters dropped, odd spaces made spaces, compatibility
    characters mapped, runs of spaces made one, the line stripped.

    Each pattern runs once over the whole text, which is the same as cleaning line by line: no pattern
    matches a line break or puts one in (NFKC maps the compatibility characters to ideographs and ASCII
    letters and digits), and a run of spaces never spans two lines.
    """
    text = RE_INVISIBLE.sub("", text)
    text = RE_ODD_SPACE.sub(" ", text)
    text = RE_COMPAT_CHARS.sub(_map_compat, text)
    if "  " in text:
        text = RE_SPACE_RUN.sub(" ", text)
    return [line.strip() for line in text.split("\n")]


def normalize_text(text: str) -> str:
    """The canonical form of a report's text (see module docstring). Idempotent."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    kept = [(raw, line) for raw, line in zip(text.split("\n"), _clean_lines(text), strict=True) if line]
    rows = frozenset(i for i, (raw, _) in enumerate(kept) if "\t" in raw.strip())
    return "\n".join(join_broken_lines([line for _, line in kept], rows=rows))
