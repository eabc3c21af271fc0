"""The structure parser: heading lines, roles, items, the gold seeds and a sweep of the real corpora."""

from __future__ import annotations

import itertools
import random
import re

import pytest
from conftest import SEEDS, corpus_rows

from reportlens.normalize import normalize_text
from reportlens.structure import (
    INLINE_PATTERNS,
    MARKERS,
    RE_ANY_HEADING,
    RE_INLINE_NUM,
    RE_INLINE_SHI,
    RE_PROBLEM_OPENER,
    _heading_lines,
    _numeral,
    classify_line,
    first_sentence,
    parse_outline,
    role_of,
    short_title,
)


def seed_text(name: str) -> str:
    path = next(SEEDS.glob(f"{name}*.txt"))
    return normalize_text(path.read_text(encoding="utf-8"))


# Real heading lines (seeds and corpora) → kind, number, heading (marker kept, first sentence only).
HEADING_LINES = [
    ("一、工作开展情况", "level1", 1, "一、工作开展情况"),
    ("三、下一步工作打算", "level1", 3, "三、下一步工作打算"),
    # seed 001: the heading runs on into body text; the heading is its first sentence
    (
        "一、提高思想认识，压实工作责任，把贯彻执行中央八项规定精神落到实处。为进一步严明政治纪律和政治规矩，",
        "level1", 1, "一、提高思想认识，压实工作责任，把贯彻执行中央八项规定精神落到实处",
    ),
    ("十二、关于外交工作", "level1", 12, "十二、关于外交工作"),
    ("（一）“六查”", "level2", 1, "（一）“六查”"),
    ("（二）干事创业作风方面。", "level2", 2, "（二）干事创业作风方面"),
    ("（四）加强党风廉政建设,促进工作作风转变", "level2", 4, "（四）加强党风廉政建设,促进工作作风转变"),
    (
        "1、提高政治站位，强化组织领导，营造党风廉政建设浓厚氛围。为了将党风廉政建设工作落到实处，",
        "level3", 1, "1、提高政治站位，强化组织领导，营造党风廉政建设浓厚氛围",
    ),
    ("3．深化市场监管提升底线工作效能。作为文化监管职能部门", "level3", 3, "3．深化市场监管提升底线工作效能"),
    ("（2）完善考核机制。", "level4", 2, "（2）完善考核机制"),
    ("②加强督导检查", "level5", 2, "②加强督导检查"),
    ("第一，全国动员，大办农业", "ordinal", 1, "第一，全国动员，大办农业"),
    # seed 002: 一查 keeps its numeral (it means "the first check"), 一是 drops it
    ("一查立场是否坚定方面。1、为了对习近平新时代中国特色社会主义思想学懂弄通，", "cha", 1, "一查立场是否坚定方面"),
    ("一是正“学风”方面。1、为巩固深化主题教育成果，", "shi", 1, "一是正“学风”方面"),
    ("四是提质增效，同频共振。以党风廉政建设工作活动开展为抓手，", "shi", 4, "四是提质增效，同频共振"),
]


@pytest.mark.parametrize(("line", "kind", "number", "heading"), HEADING_LINES)
def test_heading_lines(line: str, kind: str, number: int, heading: str) -> None:
    found = classify_line(line)
    assert found is not None
    assert found[:3] == (kind, number, heading)


@pytest.mark.parametrize(
    "line",
    [
        "2.5",  # a decimal split off a line in the Guangdong report, not an item
        "我们通过建立健全规范“三会一课”各类学习管理制度，",
        "下一步，针对问题我局将结合自身工作实际和行业特点，做好以下几点工作。",
        "各位代表：",
    ],
)
def test_body_lines_are_not_headings(line: str) -> None:
    assert classify_line(line) is None


def test_full_width_digits_become_headings_after_normalisation() -> None:
    assert classify_line(normalize_text("１、全市文旅行业安全生产")) == ("level3", 1, "1、全市文旅行业安全生产", "全市文旅行业安全生产")


ROLE_TITLES = [
    ("工作开展情况", "achievements"),
    ("前期工作主要成绩", "achievements"),
    ("2024年工作回顾", "achievements"),
    ("存在的主要问题", "problems"),
    ("存在的问题与不足", "problems"),
    ("问题与不足", "problems"),
    ("短板弱项", "problems"),
    ("下一步工作打算", "measures"),
    ("整改措施", "measures"),
    ("下一步努力方向", "measures"),
    ("2025年政府工作任务", "measures"),
    ("2026年重点工作", "measures"),
    ("提高思想认识，压实工作责任，把贯彻执行中央八项规定精神落到实处", ""),
]


@pytest.mark.parametrize(("title", "role"), ROLE_TITLES)
def test_role_of_heading(title: str, role: str) -> None:
    assert role_of(title) == role


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("加强学习，提高认识。进一步加强全局领导班子成员", "加强学习，提高认识"),
        # a first sentence over 40 characters is cut at its first comma (seed 003's 三是……)
        (
            "对党风廉政认识不深，部分党员领导干部缺少将党风廉政建设时刻贯穿于各项文旅业务工作的融合提升意识，"
            "对党风廉政建设在助推业务工作上的重要性和必要性在认识上还不是很到位。",
            "对党风廉政认识不深",
        ),
    ],
)
def test_short_title(text: str, title: str) -> None:
    assert short_title(text) == title


def test_gold_seeds(gold_reports: list[dict]) -> None:
    assert len(gold_reports) == 5
    for gold in gold_reports:
        outline = parse_outline(normalize_text((SEEDS / gold["file"]).read_text(encoding="utf-8")))
        name = gold["file"]
        assert [s.heading for s in outline.sections if not s.implicit] == gold["level1"], name
        assert [i.title for i in outline.achievements] == gold["achievements"], name
        assert [i.title for i in outline.problems] == gold["problems"], name
        assert [i.title for i in outline.measures] == gold["measures"], name
        if "sub_problems" in gold:
            assert {i.title: [c.title for c in i.children] for i in outline.problems} == gold["sub_problems"]
        if "achievement_sub_items" in gold:
            subs = [c.title for i in outline.achievements for c in i.children]
            assert subs == gold["achievement_sub_items"]


def test_inline_measures_in_one_line_seed_000() -> None:
    text = seed_text("000")
    outline = parse_outline(text)
    assert len(outline.measures) == 4
    for item in outline.measures:
        assert item.title in text[item.start : item.end]
        assert text[item.start : item.start + 2] in {"一是", "二是", "三是", "四是"}


def test_unheaded_problem_paragraph_and_next_step_seed_001() -> None:
    text = seed_text("001")
    outline = parse_outline(text)
    roles = [(s.role, s.implicit) for s in outline.sections]
    assert roles[-2:] == [("problems", True), ("measures", True)]
    problems = outline.sections[-2]
    assert text[problems.start :].startswith("今年以来，我局通过认真落实党风廉政建设责任制")
    assert text[outline.sections[-1].start :].startswith("下一步，")
    # the 「；」 items point back into the paragraph they came from
    for item in outline.problems:
        assert text[item.start : item.end] == item.text


def test_nested_list_in_a_pseudo_heading_does_not_continue_it_seed_002() -> None:
    outline = parse_outline(seed_text("002"))
    six_corrections = outline.achievements[1]
    assert [c.title for c in six_corrections.children][2:4] == ["正“行风”方面", "正“会风”方面"]
    xingfeng = six_corrections.children[2]
    assert [c.title for c in xingfeng.children][:2] == ["争做政治合格的模范", "争做组织有力的模范"]


def test_restarted_numbering_is_a_list_not_new_parts() -> None:
    text = "\n".join(
        [
            "现将有关情况报告如下：",
            "一、工作开展情况",
            "我们主要做了以下几件事：",
            "一、抓学习。组织集中学习十二次。",
            "二、抓制度。修订制度八项。",
            "二、存在的问题",
            "学习不够深入。",
            "三、下一步打算",
            "继续加强学习。",
        ]
    )
    outline = parse_outline(text)
    assert [s.heading for s in outline.sections] == ["一、工作开展情况", "二、存在的问题", "三、下一步打算"]
    assert [i.title for i in outline.achievements] == ["抓学习", "抓制度"]


def test_parts_cover_the_text_once() -> None:
    for name in ("000", "001", "002", "003", "004"):
        text = seed_text(name)
        outline = parse_outline(text)
        parts = outline.parts()
        assert parts[0][0] == "0" and parts[0][2] == 0
        for (_, _, _, end), (_, _, start, _) in itertools.pairwise(parts):
            assert end == start
        assert parts[-1][3] == len(text)


def test_text_without_headings_is_one_part() -> None:
    outline = parse_outline("各位代表：\n过去一年，我们做了大量工作。\n今后要继续努力。")
    assert len(outline.sections) == 1
    assert outline.sections[0].implicit


def test_empty_text() -> None:
    outline = parse_outline("")
    assert outline.problems == () and outline.measures == ()


@pytest.mark.slow
def test_every_corpus_report_parses() -> None:
    rows = corpus_rows()
    assert len(rows) == 83
    headed = 0
    for path, _row in rows:
        text = normalize_text(path.read_text(encoding="utf-8"))
        outline = parse_outline(text)
        assert outline.sections, path.name
        assert outline.parts()[-1][3] == len(text), path.name
        headed += any(not s.implicit for s in outline.sections)
        for section in outline.walk():
            assert 0 <= section.start <= section.body_start <= section.end <= len(text), path.name
    # all but the reports that have no numbered headings at all (1954, 1960, 1975)
    assert headed >= 80


@pytest.mark.parametrize(
    ("file", "first", "last"),
    [
        ("provinces-2026/2026_上海市_政府工作报告.txt", "外部环境变化影响加深，不确定难预料因素增多", "政府服务管理效能仍需进一步提升，政府作风建设还要进一步加强"),
        ("state-council/2024_国务院政府工作报告.txt", "世界经济增长动能不足，地区热点问题频发，外部环境的复杂性、严峻性、不确定性上升", "一些领域腐败问题仍然多发"),
    ],
)
def test_shortcomings_paragraph_of_a_government_report(file: str, first: str, last: str) -> None:
    """「我们也清醒看到……。主要是：……。……。我们要直面这些问题……」: sentences between lead-in and resolve."""
    from conftest import CORPORA, require_shared

    text = normalize_text(require_shared(CORPORA / file).read_text(encoding="utf-8"))
    outline = parse_outline(text)
    problems = [s for s in outline.sections if s.role == "problems"]
    assert len(problems) == 1 and problems[0].implicit
    assert text[problems[0].start :].startswith(("我们也清醒认识到", "在肯定成绩的同时，我们也清醒看到"))
    titles = [i.title for i in outline.problems]
    assert (titles[0], titles[-1]) == (first, last)
    assert not any("直面" in t for t in titles)


@pytest.mark.parametrize(
    ("pattern", "lookahead"),
    [(RE_INLINE_SHI, "(?=[一二三四五六七八九十])"), (RE_INLINE_NUM, r"(?=\d)")],
    ids=["shi", "num"],
)
def test_inline_patterns_match_as_without_their_lookahead(pattern: re.Pattern[str], lookahead: str) -> None:
    # the lookahead is there for speed only
    plain = re.compile(pattern.pattern.removeprefix(lookahead))
    assert plain.pattern != pattern.pattern
    rng = random.Random(11)
    texts = [normalize_text(path.read_text(encoding="utf-8")) for path, _ in corpus_rows()[::4]]
    texts += ["".join(rng.choices([*"一二三十是1２3、．.。；，： a\n", "一是", "12、"], k=80)) for _ in range(500)]
    for text in texts:
        assert [m.span(1) for m in pattern.finditer(text)] == [m.span(1) for m in plain.finditer(text)]


def test_any_heading_turns_away_only_lines_no_marker_matches() -> None:
    texts = [normalize_text(path.read_text(encoding="utf-8")) for path, _ in corpus_rows()[::3]]
    lines = [line for text in texts for line in text.split("\n")]
    lines += ["一、", "（二）", "第三，", "12、", "（4）", "⑤", "一查", "二是", "加强学习", "", "2.5亿"]
    for line in lines:
        assert (RE_ANY_HEADING.match(line) is None) == all(p.match(line) is None for _, p in MARKERS), line


def _texts_and_random_lines() -> list[str]:
    rng = random.Random(13)
    texts = [normalize_text(path.read_text(encoding="utf-8")) for path, _ in corpus_rows()[::3]]
    pieces = [*"一二三十是查第（）(123、．.，。；：①⑤ \n", "一、", "（二）", "第三，", "12、", "2.5", "（4）", "二是"]
    texts += ["".join(rng.choices(pieces, k=60)) for _ in range(500)]
    return texts


def test_heading_lines_are_the_lines_any_heading_matches() -> None:
    for text in [*_texts_and_random_lines(), "", "\n", "一、甲", "甲\n一、乙"]:
        expected, start = [], 0
        for index, line in enumerate(text.split("\n")):
            if RE_ANY_HEADING.match(line):
                expected.append((index, start, line))
            start += len(line) + 1
        assert list(_heading_lines(text)) == expected, repr(text[:40])


def _classify_by_markers(line: str) -> tuple[str, int, str, str] | None:
    """``classify_line`` as first written, trying the markers one by one: the reference for the faster one."""
    for kind, pattern in MARKERS:
        match = pattern.match(line)
        if match is None:
            continue
        keep_marker = kind == "cha"
        rest = line[match.start() if keep_marker else match.end() :]
        title, _ = first_sentence(rest.lstrip())
        if not title:
            return None
        heading = title if keep_marker else line[: match.end()] + title
        return kind, _numeral(match.group(1)), heading, title
    return None


def test_classify_line_takes_the_first_marker_that_matches() -> None:
    lines = [line for text in _texts_and_random_lines() for line in text.split("\n")]
    for line in lines:
        assert classify_line(line) == _classify_by_markers(line), line


def test_problem_opener_matches_as_written_with_groups() -> None:
    # spelt out alternative by alternative for speed only
    grouped = re.compile(
        r"清醒(地)?(看到|认识到)|(还|仍|仍然|也)(存在|有)(一些|不少|许多)?(不足|问题|差距|短板)|不足之处|存在的(问题|不足)"
    )
    rng = random.Random(5)
    texts = [normalize_text(path.read_text(encoding="utf-8")) for path, _ in corpus_rows()[::4]]
    pieces = [*"清醒地看到认识还仍然也存在有一些不少许多不足问题差距短板之处的，。", "仍然存在", "也有不少"]
    texts += ["".join(rng.choices(pieces, k=40)) for _ in range(2000)]
    for text in texts:
        assert [m.span() for m in RE_PROBLEM_OPENER.finditer(text)] == [m.span() for m in grouped.finditer(text)]


def test_inline_patterns_never_match_without_their_signs() -> None:
    rng = random.Random(23)
    texts = [normalize_text(path.read_text(encoding="utf-8")) for path, _ in corpus_rows()[::4]]
    texts += ["".join(rng.choices([*"一二三十是1２3、．.。；，： a\n", "一是", "12、"], k=30)) for _ in range(3000)]
    for text in texts:
        for pattern, signs in INLINE_PATTERNS:
            assert pattern.search(text) is None or any(sign.search(text) for sign in signs), text
