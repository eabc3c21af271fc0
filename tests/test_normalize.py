"""Text normalisation: canonical whitespace and forms, lines rejoined where a source broke them, words kept."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
from conftest import SEEDS, corpus_files

from reportlens.corpus import make_report
from reportlens.normalize import (
    BIDI_CONTROLS,
    RE_COMPAT_CHARS,
    RE_INVISIBLE,
    RE_ODD_SPACE,
    RE_SPACE_RUN,
    join_broken_lines,
    normalize_line,
    normalize_text,
)
from reportlens.readers import read_bytes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一、工作开展情况\r\n1、提高站位。\r\n", "一、工作开展情况\n1、提高站位。"),
        ("\u3000\u3000现在，我代表国务院作报告。", "现在，我代表国务院作报告。"),
        ("\xa0作为全市文化和旅游行业领域主管部门，", "作为全市文化和旅游行业领域主管部门，"),
        ("一、前期工作主要成绩\xa0\xa0", "一、前期工作主要成绩"),
        ("国内生产总值达到74.4\u200b万亿元。", "国内生产总值达到74.4万亿元。"),
        ("⼯作总结", "工作总结"),  # Kangxi radical U+2F2F from a PDF text layer
        ("１、全角数字", "1、全角数字"),
        ("提高政治站位，强化组织领导。", "提高政治站位，强化组织领导。"),  # full-width punctuation is kept
        ("第一段。\n\n\n第二段。", "第一段。\n第二段。"),
        # bidi controls: an override shows 「告报作工」 for 「工作报告」; marks and isolates are invisible
        ("\u202e工作报告\u202c（终稿）", "工作报告（终稿）"),
        ("存在\u200f的\u200e问题\u2066二\u2069\u202a三\u202b四\u202d五\u061c", "存在的问题二三四五"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a law title broken out around a link (State Council 2004)
        (["一位，及时研究和部署防治非典工作。贯彻《", "中华人民共和国传染病防治法", "》，制定《", "条例", "》。"],
         ["一位，及时研究和部署防治非典工作。贯彻《中华人民共和国传染病防治法》，制定《条例》。"]),
        # a bare list marker alone on its line (State Council 1955)
        (["一、", "我国人民已经推翻了帝国主义者在中国的统治。"], ["一、我国人民已经推翻了帝国主义者在中国的统治。"]),
        # a link fragment in the middle of a sentence (State Council 1954)
        (["我國同偉大的和平堡壘蘇聯已經締結了", "友好同盟互助條約", "。蘇聯根據友好互助的精神，"],
         ["我國同偉大的和平堡壘蘇聯已經締結了友好同盟互助條約。蘇聯根據友好互助的精神，"]),
        # headings and finished sentences stay on their own lines
        (["（一）全力促进经济平稳健康发展", "稳增长政策措施加快落地见效。"],
         ["（一）全力促进经济平稳健康发展", "稳增长政策措施加快落地见效。"]),
        (["各位代表：", "现在，我代表国务院向大会作政府工作报告。"], ["各位代表：", "现在，我代表国务院向大会作政府工作报告。"]),
        # page-toolbar lines are short and are left alone
        (["下载", "打印", "全屏"], ["下载", "打印", "全屏"]),
    ],
)
def test_join_broken_lines(lines: list[str], expected: list[str]) -> None:
    assert join_broken_lines(lines) == expected


def test_normalize_keeps_every_word_and_is_idempotent() -> None:
    paths = sorted(SEEDS.glob("*.txt")) + corpus_files()[::9]
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        text = normalize_text(raw)
        assert normalize_text(text) == text, path.name
        # the same characters in the same order, up to whitespace and compatibility forms (ｆ → f)
        squeeze = str.maketrans("", "", " \n\t\u3000\xa0\u200b\r\u2003\ufeff")
        same = unicodedata.normalize("NFKC", text).translate(squeeze)
        assert same == unicodedata.normalize("NFKC", raw).translate(squeeze), path.name


def _normalize_line_by_line(text: str) -> str:
    """``normalize_text`` as first written, cleaning one line at a time: the reference for the faster one."""

    def clean(line: str) -> str:
        line = RE_INVISIBLE.sub("", line)
        line = RE_ODD_SPACE.sub(" ", line)
        line = RE_COMPAT_CHARS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), line)
        return RE_SPACE_RUN.sub(" ", line).strip()

    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    raw = [line for line in text.split("\n") if clean(line)]
    rows = frozenset(i for i, line in enumerate(raw) if "\t" in line.strip())
    return "\n".join(join_broken_lines([clean(line) for line in raw], rows=rows))


AWKWARD_TEXTS = [
    "",
    "\n\n",
    "  一、工作开展情况  \r\n\r\n（一）\u3000加强学习\u00a0\u00a0 提高认识。\r第二段\u2028第三段\u2029",
    "表头\t第二列\t第三列\n\t\n\t前导制表符\n末尾制表符\t\n单元格\t\t空\n",
    "\x1c\x1d\x1e\x1f\x85\x0b\x0c分隔符\x0b之间\n\u200b\ufeff\u00ad\n\u2003\u2003全角空格",
    "⼯作总结\uf900\uff11\uff10\uff41\uff3a  多个   空格\n\u3000\u3000\n一、\n我国人民……",
]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_whole_text_cleaning_equals_line_by_line(text: str) -> None:
    assert normalize_text(text) == _normalize_line_by_line(text)


@pytest.mark.slow
def test_whole_text_cleaning_equals_line_by_line_on_every_real_report() -> None:
    paths = sorted(SEEDS.glob("*.txt")) + corpus_files()
    assert len(paths) > 80
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        assert normalize_text(raw) == _normalize_line_by_line(raw), path.name


@pytest.mark.slow
def test_whole_text_cleaning_equals_line_by_line_on_random_texts() -> None:
    # every kind of character the cleaning touches, with line breaks, markers and ordinary text around them
    alphabet = [*" \t\r\n\u2028\u3000\u00a0\u200b\ufeff\x07\x1c\x85\u2f2f\uf900\uff11\uff41，。：《》一、（）是第", "工作", "\r\n"]
    rng = random.Random(20250101)
    for _ in range(2000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 60)))
        assert normalize_text(text) == _normalize_line_by_line(text), repr(text)


@pytest.mark.slow
def test_bidi_controls_leave_no_trace_in_stored_text_or_titles() -> None:
    """Every bidirectional control is dropped from a report's text and from the title, unit and kind given by
    metadata (a title 「\u202e告报作工」 would show reversed, or hide what it says)."""
    kinds = ("LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI")  # embeddings, overrides, isolates
    controls = [chr(c) for c in range(0x110000) if unicodedata.bidirectional(chr(c)) in kinds]
    controls += ["\u200e", "\u200f", "\u061c"]  # LRM, RLM, ALM: marks, bidi class L/R/AL but invisible
    assert len(controls) == 12
    assert all(re.fullmatch(f"[{BIDI_CONTROLS}]", c) for c in controls)
    dirty = "".join(f"{c}字" for c in controls)
    assert normalize_text(dirty) == normalize_line(dirty) == "字" * len(controls)
    text = read_bytes(f"二、存在的问题\n{dirty}".encode("utf-16"), "a.txt")
    report = make_report(text, metadata={"title": f"\u202e告报作工{dirty}", "unit": "\u202b某局"})
    assert report.title == "告报作工" + "字" * len(controls) and report.unit == "某局"
    assert not any(c in report.text for c in controls)
