"""The word lists a library keeps — user dictionary, stopwords, 公文 boilerplate and theme lexicon (``Settings``) —
and their checks.

Every problem in a text, as Chinese messages with line numbers (all of them at once, not only the first):
``setting_problems`` is what the library checks before it stores a text, and again when it loads one (a text
that fails is replaced by the bundled one, with a warning, so no saved setting can make the library unusable);
the 词典与停用词 page shows the same messages while the user types. And a segmentation preview of a sentence
with any tokenizer — the page builds a new one from the edited texts; nothing here changes a tokenizer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import pandas as pd

from reportlens.text import (
    MAX_WORD_FREQ,
    RE_DICT_LINE,
    RE_DICT_WORD,
    Tokenizer,
    freq_fits,
    join_stopwords,
    parse_userdict,
)
from reportlens.tokenizers import TokenizerSpec, bundled_text

if TYPE_CHECKING:  # the library reads this module; only its types are named here
    from reportlens.store import Activity

IMPORTING, RESEGMENTING = "importing", "resegmenting"  # kinds of work a library marks (store.mark_activity)
WORD_SEPARATOR = "｜"
PREVIEW_MAX_CHARS = 500
# Whitespace inside a stopword line: 「不断 加强」 is two words on one line, which never matches a token.
RE_INNER_SPACE = re.compile(r"\S\s+\S")
# The longest word list a library keeps, in characters (the bundled ones hold about 10,000; a big imported
# dictionary of 200,000 words about 1.5 million). Longer is a paste gone wrong and would slow every page.
MAX_SETTING_CHARS = 2_000_000
# Characters a word list may not hold: controls other than tab and line breaks, lone surrogates (no UTF-8).
BAD_CATEGORIES = frozenset({"Cc", "Cs"})
ALLOWED_CONTROLS = frozenset("\t\n\r")
PROBLEMS_SHOWN = 3  # problems quoted in a warning about a stored list


@dataclass(frozen=True)
class Settings:
    """The texts a user may edit, kept in the library: user dictionary, stopwords (function words), theme
    lexicon, and 公文 boilerplate (more stopwords: words that carry a report's form, not its matters).

    Each defaults to the bundled file in ``reportlens/data``; ``tokenizer_spec`` is the tokenizer they make
    (both stopword lists apply).
    """

    userdict: str
    stopwords: str
    themes: str
    boilerplate: str

    @classmethod
    def defaults(cls) -> Settings:
        return cls(
            userdict=bundled_text("userdict.txt"),
            stopwords=bundled_text("stopwords.txt"),
            themes=bundled_text("themes.txt"),
            boilerplate=bundled_text("stopwords_boilerplate.txt"),
        )

    @property
    def tokenizer_spec(self) -> TokenizerSpec:
        return TokenizerSpec.from_texts(self.userdict, join_stopwords(self.stopwords, self.boilerplate))


SETTING_KEYS = tuple(f.name for f in fields(Settings))
SETTING_LABELS = {"userdict": "用户词典", "stopwords": "停用词", "themes": "主题词表", "boilerplate": "公文套话"}


# 「理论学习: 理论学习 学习 中心组」 or with a full-width colon 「理论学习：学习 理论」
RE_THEME_LINE = re.compile(r"^(?P<theme>[^:：#]+?)\s*[:：]\s*(?P<words>.*)$")
# between keywords of a lexicon line: 「学习 理论」「学习　理论」「学习、理论」「学习，理论」
RE_KEYWORD_SEPARATOR = re.compile(r"[\s　、，,]+")


def parse_themes(text: str) -> dict[str, tuple[str, ...]]:
    """Parse a theme lexicon: one theme per line, ``主题: 词1 词2 …``; blank lines and ``#`` lines are skipped.

    Keywords are separated by spaces (ASCII or full-width) or 「、」「，」; duplicates are dropped, order kept.
    A theme listed twice gets the keywords of both lines. Raises ValueError naming the line that has no
    colon or no keyword.
    """
    themes: dict[str, tuple[str, ...]] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        match = RE_THEME_LINE.match(line)
        words = RE_KEYWORD_SEPARATOR.split(match["words"].strip()) if match else []
        words = [w for w in words if w]
        if match is None or not words:
            raise ValueError(f"主题词表第 {number} 行格式不对（应为「主题: 词1 词2 …」）：{line}")
        theme = match["theme"].strip()
        themes[theme] = tuple(dict.fromkeys((*themes.get(theme, ()), *words)))
    return themes


def _lines(text: str) -> list[tuple[int, str]]:
    """(line number, stripped line) of the lines that are not blank or 「#」 comments."""
    out = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if line and not line.startswith("#"):
            out.append((number, line))
    return out


def userdict_problems(text: str) -> list[str]:
    """What is wrong with a user dictionary text (jieba's 「词语 [词频] [词性]」 lines), one message per line."""
    problems = []
    for number, line in _lines(text):
        try:
            parse_userdict([line])
        except ValueError:
            match = RE_DICT_LINE.fullmatch(line)
            if match is None:
                problems.append(
                    f"用户词典第 {number} 行「{line}」格式不对：应为「词语 词频 词性」，词频和词性可省略；"
                    "词语中不能有空格，词频是整数，词性是小写英文字母（如 nz）。"
                )
            elif not freq_fits(match["freq"]):
                shown = match["freq"] if len(match["freq"]) <= 20 else match["freq"][:20] + "…"
                problems.append(
                    f"用户词典第 {number} 行的词频「{shown}」太大：词频应是 0 到 {MAX_WORD_FREQ:,} 之间的整数"
                    "（内置词典中最常见的「的」约为 32 万）。"
                )
            elif not RE_DICT_WORD.fullmatch(match["word"]):
                problems.append(
                    f"用户词典第 {number} 行的「{match['word']}」不会生效：分词器只在由汉字、英文字母、数字和"
                    " + # & . _ % - 组成的连续文字中查词，词语中不能有中文标点（如「、」「，」）或其他符号。"
                )
            else:  # a rule text.parse_userdict may add later
                problems.append(f"用户词典第 {number} 行「{line}」无法使用，请检查这一行。")
    return problems


def stopword_problems(text: str, *, name: str = "停用词") -> list[str]:
    """What is wrong with a stopword text (one word per line); ``name`` names the list in the messages."""
    return [
        f"{name}第 {number} 行「{line}」含有空格：每行只写一个词。"
        for number, line in _lines(text)
        if RE_INNER_SPACE.search(line)
    ]


def theme_problems(text: str) -> list[str]:
    """What is wrong with a theme lexicon (「主题: 词1 词2 …」 lines); it needs at least one theme."""
    problems = []
    for number, line in _lines(text):
        try:
            parse_themes(line)
        except ValueError:
            problems.append(f"主题词表第 {number} 行「{line}」格式不对：应为「主题: 词1 词2 …」，冒号后至少一个词。")
    if not problems and not parse_themes(text):
        problems.append("主题词表是空的：至少写一个主题，例如「作风建设: 作风 形式主义 官僚主义」。")
    return problems


def text_problems(key: str, text: object) -> list[str]:
    """What keeps ``text`` from being a word list at all, whatever the list (``key``, one of ``SETTING_KEYS``):
    not text, too long, or characters no text has (controls, lone surrogates) — with their line numbers."""
    name = SETTING_LABELS[key]
    if not isinstance(text, str):
        return [f"{name}不是文字（保存的内容是 {type(text).__name__}）。"]
    if len(text) > MAX_SETTING_CHARS:
        return [f"{name}太长：{len(text):,} 个字符，超过 {MAX_SETTING_CHARS:,} 的上限。请删去不需要的词后再保存。"]
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        bad = sorted({c for c in line if unicodedata.category(c) in BAD_CATEGORIES and c not in ALLOWED_CONTROLS})
        if bad:
            shown = "、".join(f"U+{ord(c):04X}" for c in bad[:PROBLEMS_SHOWN])
            problems.append(f"{name}第 {number} 行含有不可见的控制字符（{shown}）：请删去这些字符后再保存。")
    return problems


CHECKS: dict[str, Callable[[str], list[str]]] = {
    "userdict": userdict_problems,
    "stopwords": stopword_problems,
    "themes": theme_problems,
    "boilerplate": lambda text: stopword_problems(text, name=SETTING_LABELS["boilerplate"]),
}


def setting_problems(key: str, text: object) -> list[str]:
    """Every problem of one word list (``key``: userdict, stopwords or themes); [] when the library may keep
    it. The library checks each text with this before storing it and again when it loads it."""
    problems = text_problems(key, text)
    if problems or not isinstance(text, str):
        return problems
    return CHECKS[key](text)


def tokenizer_problems(*, userdict: str, stopwords: str, boilerplate: str = "") -> list[str]:
    """The problems that keep a tokenizer from being built from these texts; [] when it can be."""
    return (
        setting_problems("userdict", userdict)
        + setting_problems("stopwords", stopwords)
        + setting_problems("boilerplate", boilerplate)
    )


def fallback_warning(key: str, problems: list[str]) -> str:
    """The warning shown while a stored word list that fails its check is replaced by the bundled one."""
    name = SETTING_LABELS[key]
    quoted = "；".join(problems[:PROBLEMS_SHOWN]) + (f"；另有 {len(problems) - PROBLEMS_SHOWN} 处" if len(problems) > PROBLEMS_SHOWN else "")
    return (
        f"资料库中保存的{name}无法使用（{quoted}），现暂时改用内置的{name}。"
        f"请到「词典与停用词」页改正后保存。"
    )


# Work whose marker is older than this has stopped (it renews it at least every few seconds while it runs).
ACTIVE_SECONDS = 60.0


def stale_note(stale: int, activity: Mapping[str, Activity]) -> tuple[str, bool]:
    """Why ``stale`` reports are not yet segmented with the saved word lists, from what the library says is
    going on (``Library.activity``), and whether to offer to segment them now (not while it is being done)."""
    resegmenting = activity.get(RESEGMENTING)
    importing = activity.get(IMPORTING)
    if resegmenting is not None and resegmenting.seconds_ago < ACTIVE_SECONDS:
        done, total = resegmenting.state.get("done", 0), resegmenting.state.get("total", stale)
        return f"正在按当前词表重新分词（已完成 {done}/{total} 篇），稍后刷新本页即可看到结果。", False
    if importing is not None and importing.seconds_ago < ACTIVE_SECONDS:
        return (
            f"有 {stale} 篇报告是在词表修改期间导入的，还在按原来的词表分词；这次导入结束时会自动按当前词表"
            "重新分词。",
            False,
        )
    if resegmenting is not None:
        return f"上次重新分词没有完成（页面被关闭或离开了），还有 {stale} 篇报告按原来的词表分词。", True
    return (
        f"有 {stale} 篇报告还没有按当前词表分词（在词表修改期间导入而导入被中断，或由旧版本的报告透视保存）。",
        True,
    )


def segmentation_preview(sentence: str, tokenizers: dict[str, Tokenizer]) -> pd.DataFrame:
    """How each tokenizer (label → tokenizer) cuts ``sentence`` (its first ``PREVIEW_MAX_CHARS`` characters):
    ``dictionary`` (the label), ``tokens`` (every token, 「｜」 between them, spaces left out) and ``content``
    (the tokens counted in the analyses)."""
    text = sentence[:PREVIEW_MAX_CHARS]
    rows = []
    for name, tokenizer in tokenizers.items():
        tokens = [t for t in tokenizer.cut(text) if t.strip()]
        rows.append(
            (name, WORD_SEPARATOR.join(tokens), WORD_SEPARATOR.join(tokenizer.content_tokens(text)))
        )
    return pd.DataFrame(rows, columns=["dictionary", "tokens", "content"])


def tokenizer_from_texts(userdict: str, stopwords: str) -> Tokenizer:
    """A new tokenizer from edited dictionary and stopword texts (checked beforehand): what the 词典与停用词
    page previews a sentence with, before anything is saved."""
    return TokenizerSpec.from_texts(userdict, stopwords).build()
