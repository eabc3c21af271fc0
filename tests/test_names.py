"""Report names (``reportlens.names``): short names that keep the year, on the seeds, the real corpora and
generated hostile metadata; unique labels; a user's own short name wins over the inferred one."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from conftest import corpus_files

from reportlens.corpus import load_seeds, make_report
from reportlens.names import TOPIC_MAX, UNIT_MAX, display_names, infer_short_name, short_unit, unique_labels
from reportlens.normalize import normalize_text
from reportlens.tables import library_tables


def short(report) -> str:
    return infer_short_name(report.title, unit=report.unit, year=report.year, kind=report.kind)


def test_seed_short_names_name_unit_year_and_topic():
    names = {r.file[:3]: short(r) for r in load_seeds()}
    assert names["000"] == "市文旅局 2023 党风廉政报告"
    assert names["002"] == "市文旅局 2023 机关作风突出问题自查报告"
    assert names["003"] == "2023 领导班子报告"  # no unit in its metadata: none invented
    assert names["004"] == "市文旅局 2022 能力作风建设年汇报"  # the quoted campaign is the topic


@pytest.mark.parametrize(
    ("title", "unit", "year", "kind", "expected"),
    [
        ("2026年上海市政府工作报告", "我代表上海市人民政府", 2026, "政府工作报告", "上海市 2026 政府工作报告"),
        ("2026_西藏自治区_政府工作报告", "我代表自治区人民政府", 2026, "政府工作报告", "西藏自治区 2026 政府工作报告"),
        ("1987_国务院政府工作报告", "", 1987, "政府工作报告", "国务院 1987 政府工作报告"),
        ("关于一九五八年度国民经济计划（草案）的报告", "", 1958, "情况报告", "1958 国民经济计划报告"),
        # a "unit" cut out of a sentence is left out rather than shown
        ("政府工作报告", "经济结构和区域布局", 2022, "政府工作报告", "2022 政府工作报告"),
        ("工作总结", "某县人民政府办公室", None, "工作总结", "某县办公室 工作总结"),
    ],
)
def test_short_names_of_awkward_titles(title, unit, year, kind, expected):
    assert infer_short_name(title, unit=unit, year=year, kind=kind) == expected


def test_short_unit_uses_the_official_abbreviations():
    assert short_unit("***市文化和旅游局") == "市文旅局"
    assert short_unit("上海市发展和改革委员会") == "上海市发改委"
    assert short_unit("中共某市委员会") == "某市委"


def test_every_real_report_keeps_its_year_in_a_short_name():
    for path in corpus_files():
        report = make_report(normalize_text(path.read_text(encoding="utf-8")), file=path.name)
        name = short(report)
        assert str(report.year) in name, (path.name, name)
        assert len(name) <= 24, (path.name, name)


def test_generated_metadata_never_breaks_a_short_name():
    rng = random.Random(7)
    alphabet = "市县区省局委厅*＊“”（）()_ 　年和的报告汇报总结自查述职关于贯彻落实工作情况党风廉政2023一九五八" + "abc<>/"
    for _ in range(2000):
        title = "".join(rng.choices(alphabet, k=rng.randint(0, 40)))
        unit = "".join(rng.choices(alphabet, k=rng.randint(0, 20)))
        kind = rng.choice(["", "情况报告", "自查报告", "政府工作报告", "述职报告", "工作总结"])
        year = rng.choice([None, 1954, 2023, 2100])
        name = infer_short_name(title, unit=unit, year=year, kind=kind)
        assert name.strip() == name and name, (title, unit, kind)
        if year is not None:
            assert f" {year} " in f" {name} ", (title, unit, name)
        assert len(name) <= UNIT_MAX + len(" 2023 ") + TOPIC_MAX + max(len(kind), 4), name


def test_unique_labels_add_the_year_then_a_number():
    assert unique_labels(["甲", "甲", "乙", "甲"], [2022, 2023, 2023, 2023]) == ["甲（2022）", "甲（2023）", "乙", "甲（2023）（2）"]
    # a name that shows its year already gets a number, not the year twice
    assert unique_labels(["局 2023 报告", "局 2023 报告"], [2023, 2023]) == ["局 2023 报告", "局 2023 报告（2）"]


def test_display_names_prefer_the_users_short_name_and_stay_unique():
    frame = pd.DataFrame(
        {
            "title": ["党风廉政建设工作情况报告", "党风廉政建设工作情况报告", "领导班子建设情况报告"],
            "year": pd.array([2023, 2024, 2023], dtype="Int64"),
            "unit": ["***市文化和旅游局"] * 3,
            "kind": ["情况报告"] * 3,
            "short_name": ["", "", "班子报告 2023"],
        }
    )
    named = display_names(frame)
    assert named["short"].tolist() == ["市文旅局 2023 党风廉政报告", "市文旅局 2024 党风廉政报告", "班子报告 2023"]
    assert named["label"].tolist() == ["党风廉政建设工作情况报告（2023）", "党风廉政建设工作情况报告（2024）", "领导班子建设情况报告"]
    assert frame.columns.tolist() == ["title", "year", "unit", "kind", "short_name"]  # input left alone


def test_seed_library_tables_use_the_short_names(tmp_path: Path):
    from reportlens.ingest import open_library

    with open_library(tmp_path / "lib.sqlite3") as library:
        reports = library_tables(library).reports
        expected = {r.id: short(r) for r in load_seeds()}
        assert dict(zip(reports["report_id"], reports["short"], strict=True)) == expected
        first = reports["report_id"].iloc[0]
        library.update_metadata(first, short_name="  我的简称 2023 ")
        assert library_tables(library).reports.set_index("report_id").at[first, "short"] == "我的简称 2023"
        library.update_metadata(first, short_name="")  # back to the inferred one, following the metadata
        library.update_metadata(first, year=2021)
        assert library_tables(library).reports.set_index("report_id").at[first, "short"] == expected[first].replace(
            "2023", "2021"
        )
