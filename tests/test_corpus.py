"""Reports and corpora: stable ids, the bundled seeds with their metadata file, metadata round trips."""

from __future__ import annotations

import pytest
from conftest import SEEDS

from reportlens.corpus import (
    Report,
    content_id,
    load_folder,
    load_seeds,
    make_report,
    read_metadata,
    write_metadata,
)
from reportlens.errors import ReportError


def test_seeds_load_with_their_metadata() -> None:
    corpus = load_seeds()
    assert len(corpus) == 5
    meta = read_metadata(SEEDS / "metadata.csv")
    for report in corpus:
        row = meta[report.file]
        assert report.title == row["title"]
        assert report.year == int(row["year"])
        assert report.year_inferred and "二十大" in report.year_evidence
        assert report.id == content_id(report.text)
    frame = corpus.frame()
    assert list(frame["year"]) == [2023, 2023, 2023, 2023, 2022]
    assert frame["chars"].min() > 2000


def test_report_is_frozen_and_id_is_stable() -> None:
    report = load_seeds().reports[0]
    with pytest.raises(AttributeError):
        report.title = "x"  # type: ignore[misc]
    again = make_report(report.text, file="copy.txt")
    assert again.id == report.id
    edited = report.with_metadata(year=2021, year_source="metadata")
    assert (edited.year, edited.year_inferred, report.year) == (2021, False, 2023)


def test_metadata_edits_round_trip(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("关于2019年安全生产工作的报告\n一、工作开展情况\n做了很多工作。", encoding="utf-8")
    corpus = load_folder(tmp_path)
    (report,) = corpus.reports
    assert (report.year, report.year_source) == (2019, "title")
    write_metadata(tmp_path / "metadata.csv", [report.with_metadata(year=2020, unit="某县应急管理局")])
    (edited,) = load_folder(tmp_path).reports
    assert (edited.year, edited.unit) == (2020, "某县应急管理局")


@pytest.mark.parametrize("year", ["去年", "inf", "-inf", "nan", "1e400", "①", "²⁰²³", "20233", "9" * 5000])
def test_bad_metadata_year_is_a_chinese_message(year: str) -> None:
    with pytest.raises(ReportError, match=r"元数据中的年份「.{1,13}」无效"):
        make_report("一、工作开展情况\n内容。", file="a.txt", metadata={"year": year})


@pytest.mark.parametrize(("year", "expected"), [("2023", 2023), ("2023.0", 2023), (" 2021 ", 2021), ("２０２２", 2022)])
def test_metadata_years_as_spreadsheets_write_them(year: str, expected: int) -> None:
    report = make_report("一、工作开展情况\n内容。", file="a.txt", metadata={"year": year})
    assert (report.year, report.year_source) == (expected, "metadata")


def test_duplicate_content_is_loaded_once(tmp_path) -> None:
    text = "一、工作开展情况\n做了很多工作。\n二、存在的问题\n问题不少。"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="gb18030")
    assert len(load_folder(tmp_path)) == 1


def test_missing_folder_is_a_chinese_message(tmp_path) -> None:
    with pytest.raises(ReportError, match="找不到文件夹"):
        load_folder(tmp_path / "nope")


def test_report_fields() -> None:
    assert list(Report.__dataclass_fields__) == [
        "id", "title", "year", "year_source", "year_evidence", "unit", "kind", "text", "file", "short_name",
    ]
