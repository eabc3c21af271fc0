"""Text normalisation: one canonical form for every reader's output, words untouched.

- line endings → "\n"; zero-width, bidirectional (U+202E…) and control characters dropped; NBSP,
  ideographic and other odd spaces → ordinary spaces; each line stripped; blank lines dropped (each
  remaining line is one paragraph);
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
# Bidirectional controls: marks, embeddings, overrides and isolates. Chinese text never needs them, and an
# override (U+202E, RIGHT-TO-LEFT OVERRIDE) shows 「告报作工」 for 「工作报告」 or hides what a title says.
BIDI_CONTROLS = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Zero-width, bidi and control characters (not \n, \t): "\u200b" in a State Council text, "\x07" from Word.
RE_INVISIBLE = re.compile(rf"[\u200b-\u200d\u2060\ufeff\u00ad{BIDI_CONTROLS}\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Odd spaces: NBSP in seed 004 (" 作为全市…"), ideographic space indentation "　　现在，我代表国务院…".
RE_ODD_SPACE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Any character one of the three patterns above changes, found in one pass: 「　　现在，我代表国务院…」「２０２３年」
RE_UNCLEAN_CHAR = re.compile(f"{RE_INVISIBLE.pattern}|{RE_ODD_SPACE.pattern}|{RE_COMPAT_CHARS.pattern}")
# Two spaces or more, as ideographic indentation leaves them: 「  现在，我代表国务院…」. (Written "  +", not
# " {2,}": a pattern that opens with a literal lets the regex engine jump to the next space, not try every position.)
RE_SPACE_RUN = re.compile(r"  +")

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
    r"第[一二三四五六七八九十]+[，,、部章]|[一二三四五六七八九十]+是|"
    r"[一二三四五六七八九十]{1,3} (?=[\u4e00-\u9fff])|\d{1,3}[）)])"  # 「二 存在的问题」「1）阵地设施老化」
)
# Page metadata under a title: 「时间:2021-05-06 来源:某某局」「索引号: | XX123/2021-045 |」; never joined to a title.
RE_METADATA = re.compile(r"^(?:时间|来源|发布时间|发布日期|日期|作者|索引号|文号|发文字号|发布机构|信息来源)\s*[:：]|[|｜]")
# A line a hard wrap cut from the word before it: one character, then a comma (「问」 / 「题,镇党委……」).
RE_WORD_TAIL = re.compile(r"^[\u4e00-\u9fff][，,]")
RE_ENDS_CJK = re.compile(r"[\u4e00-\u9fff]$")
FRAGMENT_MAX = 40
PROSE_MIN = 20


def _cleaned_char(char: str) -> str:
    """What cleaning makes of a character ``RE_UNCLEAN_CHAR`` matches: nothing, a space or its NFKC form."""
    if RE_INVISIBLE.match(char):
        return ""
    if RE_ODD_SPACE.match(char):
        return " "
    return unicodedata.normalize("NFKC", char)


def _is_prose(line: str) -> bool:
    """A line of running text: long, or holding clause punctuation; not a heading, a dateline or page chrome."""
    if RE_ANY_MARKER.match(line) or line.startswith("——"):
        return False
    return len(line) > FRAGMENT_MAX or (len(line) >= PROSE_MIN and any(mark in line for mark in "，、,"))


def _should_join(prev: str, nxt: str) -> bool:
    if prev.endswith(TERMINAL) or (RE_ANY_MARKER.match(nxt) and not RE_BARE_MARKER.match(prev)):
        return False
    if RE_METADATA.search(prev) or RE_METADATA.search(nxt):
        return False
    if RE_CONTINUES.match(nxt) or RE_OPENS.search(prev) or RE_BARE_MARKER.match(prev):
        return True
    if RE_WORD_TAIL.match(nxt) and RE_ENDS_CJK.search(prev):
        return True  # a wrap inside a word: 「……发现的问」 + 「题,镇党委……」
    if RE_ANY_MARKER.match(prev) and not _is_prose(prev):
        return False  # a heading never takes the next paragraph (「二、关于《……》的说明」 + 「市委全会审议通过的《」)
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
    # Whether nothing can join the last line out: it is a table row or ends a sentence (the first test of
    # ``_should_join``, made here without a call for the many lines that end with 。).
    closed = True
    for i, line in enumerate(lines):
        is_row = i in rows
        if not closed and not is_row and _should_join(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
        closed = is_row or line.endswith(TERMINAL)
    return out


def _clean_lines(text: str) -> list[str]:
    """Each line of ``text`` cleaned: invisible characters dropped, odd spaces made spaces, compatibility
    characters mapped, runs of spaces made one, the line stripped.

    One regex pass finds the characters to change — a report holds a dozen distinct ones at most — and each
    is replaced all through the text at once. That is the same as cleaning line by line with the three
    patterns in turn: no replacement puts in a line break or a character another one changes (NFKC maps the
    compatibility characters to ideographs and ASCII letters and digits), so their order does not matter,
    and a run of spaces never spans two lines.
    """
    for char in sorted(set(RE_UNCLEAN_CHAR.findall(text))):
        text = text.replace(char, _cleaned_char(char))
    text = RE_SPACE_RUN.sub(" ", text)
    return [line.strip() for line in text.split("\n")]


def _table_rows(raw_lines: list[str], lines: list[str]) -> frozenset[int]:
    """Indices, among the lines left once blank ones are dropped, of table rows: lines whose raw form holds a
    tab between cells (the readers' output for a table)."""
    kept = [raw for raw, line in zip(raw_lines, lines, strict=True) if line]
    return frozenset(i for i, raw in enumerate(kept) if "\t" in raw.strip())


def normalize_text(text: str) -> str:
    """The canonical form of a report's text (see module docstring). Idempotent."""
    if "\r" in text:  # a quick test for one character; most texts have none
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    lines = _clean_lines(text)
    rows = _table_rows(text.split("\n"), lines) if "\t" in text else frozenset()
    return "\n".join(join_broken_lines([line for line in lines if line], rows=rows))


def normalize_line(text: str) -> str:
    """A one-line field (a title, a unit) in the same canonical form: cleaned as report lines are, any line
    breaks in it made spaces."""
    return " ".join(line for line in _clean_lines(text.replace("\r", "\n")) if line)
