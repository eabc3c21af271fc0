"""Charts drawn on the server (``reportlens.chart_images``): a 16:9 slide PNG and an SVG that carry the chart's
heading. kaleido needs a Chromium or Chrome on the server; without one the downloads are unavailable with a
Chinese reason (the app never needs a browser to show charts)."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from reportlens import chart_images, charts, selection
from reportlens.corpus import load_seeds
from reportlens.errors import ReportError
from reportlens.tables import build_tables
from reportlens.text import build_tokenizer

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset


@pytest.fixture(scope="module")
def figure():
    tables = build_tables(load_seeds(), build_tokenizer())
    terms = selection.top_terms(tables, tables.reports["report_id"].tolist(), "problems", top=20)
    fig = charts.top_terms_bar(terms)
    return charts.set_heading(fig, title="高频词", subtitle="全部 5 篇报告｜2022–2023 年｜存在问题部分")


def require_browser() -> None:
    reason = chart_images.image_unavailable()
    if reason:
        if os.environ.get("REPORTLENS_E2E") == "required":
            pytest.fail(f"CI has Chromium, but: {reason}")
        pytest.skip(f"no browser for kaleido on this machine: {reason}")


def test_a_tall_chart_gets_a_larger_page_of_the_same_shape(figure):
    slide, scale = chart_images.slide_layout(figure)
    size = chart_images.SLIDE
    assert slide.layout.width / slide.layout.height == pytest.approx(16 / 9, rel=0.01)
    assert slide.layout.width * scale == pytest.approx(size.width, abs=1)
    assert slide.layout.height * scale == pytest.approx(size.height, abs=1)
    assert slide.layout.height >= figure.layout.height  # every bar keeps its room
    assert figure.layout.width is None  # the dashboard's figure is left alone


def test_slide_png_is_16_by_9_and_carries_the_heading(figure):
    require_browser()
    png = chart_images.figure_image(figure, "png")
    image = Image.open(io.BytesIO(png))
    assert image.size == (chart_images.SLIDE.width, chart_images.SLIDE.height)
    svg = chart_images.figure_image(figure, "svg").decode("utf-8")
    assert svg.startswith("<svg") and "高频词" in svg and "存在问题部分" in svg


def test_without_a_browser_the_reason_is_chinese(monkeypatch, figure):
    monkeypatch.setattr(chart_images, "browser_path", lambda: None)
    assert chart_images.image_unavailable() == chart_images.NO_BROWSER
    with pytest.raises(ReportError, match="相机按钮"):
        chart_images.figure_image(figure, "png")


def test_a_failed_drawing_is_tried_once_more(monkeypatch, figure):
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the browser was not ready")
        return b"png"

    monkeypatch.setattr(chart_images, "image_unavailable", lambda: None)
    monkeypatch.setattr(chart_images.pio, "to_image", flaky)
    assert chart_images.figure_image(figure, "png") == b"png" and len(calls) == 2
    monkeypatch.setattr(chart_images.pio, "to_image", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("gone")))
    with pytest.raises(ReportError, match="生成图片失败：RuntimeError"):
        chart_images.figure_image(figure, "png")
