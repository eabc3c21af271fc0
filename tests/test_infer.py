"""Metadata inference: titles, years with evidence, units and kinds, on the seeds and the real corpora."""

from __future__ import annotations

import random

import pytest
from conftest import SEEDS, corpus_rows

from reportlens import infer
from reportlens.normalize import normalize_text


def seed(name: str) -> str:
    return normalize_text(next(SEEDS.glob(f"{name}*.txt")).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("000", "党风廉政建设工作情况报告"),  # generic 「现将……」: topic from 「关于党风廉政建设工作的决策部署」
        ("001", "关于贯彻执行中央八项规定精神工作汇报"),  # 「现将我局关于……工作汇报如下」
        ("002", "机关作风突出问题专项整治自查评估报告"),  # 「对……情况进行了认真自查评估」
        ("003", "领导班子和干部队伍建设情况报告"),
        ("004", "“能力作风建设年”活动及“为群众办实事办好事”主题活动开展情况汇报"),
    ],
)
def test_seed_titles(name: str, title: str) -> None:
    assert infer.infer_title(seed(name)) == title


@pytest.mark.parametrize(
    ("name", "year", "clue"),
    [
        ("000", 2023, "二十大精神"),
        ("001", 2023, "二十大精神"),
        ("002", 2023, "主题教育"),
        ("003", 2023, "二十大精神"),
        ("004", 2022, "二十大召开"),  # still looking forward to the 20th Congress, with 复工复产
    ],
)
def test_seed_years_are_inferred_with_evidence(name: str, year: int, clue: str) -> None:
    guess = infer.infer_year(seed(name))
    assert (guess.year, guess.source) == (year, "inferred")
    assert clue in guess.evidence


@pytest.mark.parametrize(
    ("text", "file_name", "year", "source"),
    [
        ("2026年上海市政府工作报告\n各位代表：", "", 2026, "title"),
        ("各位代表：\n现在，我代表国务院作报告。", "2019_国务院政府工作报告.txt", 2019, "filename"),
        ("各位代表：\n现在，我代表国务院作报告。", "000_7a487edf2023cc5f.txt", None, "unknown"),  # hex, not a year
        ("政府工作报告\n——2017年3月5日在第十二届全国人民代表大会第五次会议上\n各位代表：", "", 2017, "dateline"),
        ("各位代表：\n一、2024年工作回顾\n过去一年……", "", 2025, "text"),
        ("各位代表：\n二、“十五”期间的奋斗目标和指导方针", "", 2001, "inferred"),
    ],
)
def test_year_sources(text: str, file_name: str, year: int | None, source: str) -> None:
    guess = infer.infer_year(text, file_name=file_name)
    assert (guess.year, guess.source) == (year, source)
    assert guess.evidence


def test_year_accuracy_on_real_corpora() -> None:
    rows = corpus_rows()
    hits = text_only = 0
    for path, row in rows:
        text = normalize_text(path.read_text(encoding="utf-8"))
        hits += infer.infer_year(text, file_name=path.name).year == int(row["year"])
        text_only += infer.infer_year(text).year == int(row["year"])
    assert hits / len(rows) >= 0.95
    # from the text alone (no file name) the old speeches often carry no usable year; most modern ones do
    assert text_only / len(rows) >= 0.6


@pytest.mark.parametrize(
    ("name", "unit", "kind"),
    [
        ("000", "***市文化和旅游局", "情况报告"),
        ("001", "*市文化和旅游局", "情况汇报"),
        ("002", "*市文化和旅游局", "自查报告"),
        ("004", "***市文化和旅游局", "情况汇报"),
    ],
)
def test_seed_unit_and_kind(name: str, unit: str, kind: str) -> None:
    text = seed(name)
    assert infer.infer_unit(text) == unit
    assert infer.infer_kind(text) == kind


def test_government_report_kind_and_title_line() -> None:
    text = "下载\n打印\n2026年北京市政府工作报告\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n各位代表："
    assert infer.infer_title(text) == "2026年北京市政府工作报告"
    assert infer.infer_kind(text) == "政府工作报告"


def _opening_of_every_line(text: str, limit: int = 1500) -> str:
    """``infer.opening`` as first written, over every line of the text: the reference for the faster one."""
    out: list[str] = []
    for line in text.split("\n"):
        if infer.RE_ANY_MARKER.match(line) and out:
            break
        out.append(line)
    return "\n".join(out)[:limit]


def _random_texts(alphabet: list[str], count: int, length: int) -> list[str]:
    rng = random.Random(17)
    return ["".join(rng.choices(alphabet, k=rng.randint(0, length))) for _ in range(count)]


def test_opening_splits_only_the_lines_it_needs() -> None:
    texts = [normalize_text(path.read_text(encoding="utf-8")) for path, _ in corpus_rows()[::5]]
    texts += _random_texts([*"一二、1.2３．第，是（）\n 工作", "\n\n", "一、", "12.5", "\n1.", "\n第一，", "第一部"], 2000, 200)
    for text in texts:
        for limit in (0, 1, 7, 40, 1500):
            assert infer.opening(text, limit) == _opening_of_every_line(text, limit), repr(text[:40])


@pytest.mark.slow
def test_unit_names_match_as_the_pattern_over_the_whole_text() -> None:
    texts = [normalize_text(path.read_text(encoding="utf-8"))[:3000] for path, _ in corpus_rows()]
    alphabet = [*"省市县区州盟旗局委员会办公室人民政府厅*＊文化和旅游上海，。\n a", "人民政府", "委员会", "办公室"]
    texts += _random_texts(alphabet, 5000, 120)
    for text in texts:
        assert infer._unit_names(text) == infer.RE_UNIT.findall(text), repr(text[:40])


def test_a_news_headline_above_the_text_is_its_title_not_the_file_name() -> None:
    text = "县纪委监委开展节前作风建设专项督查\n近日，县纪委监委组成3个督查组开展专项督查。\n督查中发现一些问题。"
    assert infer.infer_title(text, file_name="h.txt") == "县纪委监委开展节前作风建设专项督查"
    assert infer.infer_title("一、工作开展情况\n完成了任务。", file_name="年度总结.txt") == "年度总结"
