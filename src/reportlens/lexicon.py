"""Editing the word lists a library keeps: user dictionary, stopwords, 公文 boilerplate and theme lexicon.

For the 词典与停用词 page: every problem in an edited text, as Chinese messages with line numbers (all of
them at once, not only the first), and a segmentation preview of a sentence with any tokenizer — the page
builds a new one from the edited texts; nothing here changes a tokenizer.
"""

from __future__ import annotations

import re

import pandas as pd

from reportlens.analysis.problems import parse_themes
from reportlens.text import RE_DICT_LINE, RE_DICT_WORD, Tokenizer, parse_userdict

WORD_SEPARATOR = "｜"
PREVIEW_MAX_CHARS = 500
# Whitespace inside a stopword line: 「不断 加强」 is two words on one line, which never matches a token.
RE_INNER_SPACE = re.compile(r"\S\s+\S")


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


def tokenizer_problems(*, userdict: str, stopwords: str, boilerplate: str = "") -> list[str]:
    """The problems that keep a tokenizer from being built from these texts; [] when it can be."""
    return (
        userdict_problems(userdict)
        + stopword_problems(stopwords)
        + stopword_problems(boilerplate, name="公文套话")
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
