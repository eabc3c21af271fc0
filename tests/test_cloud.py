"""Tests for reportlens.cloud and reportlens.fonts: real word clouds of seed words in the CJK font."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from reportlens import fonts
from reportlens.cloud import shape_mask, word_cloud
from reportlens.corpus import load_seeds
from reportlens.errors import ReportError
from reportlens.fonts import cjk_font_path
from reportlens.tables import build_tables
from reportlens.text import build_tokenizer


@pytest.fixture(scope="module")
def seed_words() -> dict[str, int]:
    """The 120 most frequent content words of the seeds' problem parts."""
    tables = build_tables(load_seeds(), build_tokenizer())
    problems = tables.tokens[tables.tokens["role"] == "problems"]
    return problems["token"].astype(str).value_counts().head(120).to_dict()


def ink(image: Image.Image) -> float:
    """Share of pixels that are not the white background."""
    pixels = np.asarray(image.convert("L"))
    return float((pixels < 245).mean())


def glyph(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    canvas = Image.new("L", (64, 64), 255)
    ImageDraw.Draw(canvas).text((4, 4), char, font=font, fill=0)
    return canvas.tobytes()


def test_the_font_is_noto_sans_cjk_sc_and_draws_chinese_not_boxes():
    path = cjk_font_path()
    assert path.is_file()
    assert "NotoSansCJK" in path.name and path.name.lower().endswith("sc-regular.otf")
    font = ImageFont.truetype(str(path), 48)
    # a font without the glyphs draws every character as the same box (.notdef)
    assert len({glyph(font, c) for c in "党廉政建设问题措施"}) == 9


def test_the_font_is_found_without_importing_mpl_font():
    code = (
        "import sys\nfrom reportlens.fonts import cjk_font_path\ncjk_font_path()\n"
        "print('mpl_font' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_missing_font_package_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    fonts.cjk_font_path.cache_clear()
    try:
        with pytest.raises(ReportError, match="pip install mpl-font"):
            fonts.cjk_font_path()
    finally:
        monkeypatch.undo()
        fonts.cjk_font_path.cache_clear()


@pytest.mark.slow
def test_word_cloud_of_seed_words_is_drawn(seed_words):
    image = word_cloud(seed_words, font_path=cjk_font_path(), width=800, height=450, max_words=80)
    assert image.size == (800, 450)
    assert image.mode == "RGB"
    assert 0.03 < ink(image) < 0.9  # words were drawn, and not a filled box


@pytest.mark.slow
def test_word_cloud_is_the_same_every_time(seed_words):
    first = word_cloud(seed_words, font_path=cjk_font_path(), width=600, height=340, max_words=50)
    second = word_cloud(seed_words, font_path=cjk_font_path(), width=600, height=340, max_words=50)
    assert first.tobytes() == second.tobytes()


@pytest.mark.slow
def test_the_download_is_the_screen_picture_at_higher_resolution(seed_words):
    screen = word_cloud(seed_words, font_path=cjk_font_path(), width=1000, height=560, max_words=60)
    large = word_cloud(seed_words, font_path=cjk_font_path(), width=4000, height=2240, max_words=60)
    assert large.size == (4000, 2240)
    shrunk = np.asarray(large.convert("L").resize(screen.size, Image.Resampling.BOX), dtype=float)
    diff = np.abs(shrunk - np.asarray(screen.convert("L"), dtype=float))
    assert diff.mean() < 12  # same layout; only the anti-aliasing differs


@pytest.mark.slow
def test_palettes_colour_the_words(seed_words):
    red = np.asarray(word_cloud(seed_words, font_path=cjk_font_path(), palette="red", width=500, height=300))
    calm = np.asarray(
        word_cloud(seed_words, font_path=cjk_font_path(), palette="calm", width=500, height=300)
    )
    red_ink, calm_ink = red[red.min(axis=2) < 200], calm[calm.min(axis=2) < 200]
    assert red_ink[:, 0].mean() > red_ink[:, 2].mean()  # reds
    assert calm_ink[:, 2].mean() > calm_ink[:, 0].mean()  # blues


@pytest.mark.slow
def test_a_circle_mask_keeps_the_corners_empty(seed_words):
    image = word_cloud(seed_words, font_path=cjk_font_path(), width=600, height=600, mask="circle")
    pixels = np.asarray(image.convert("L"))
    corner = pixels[:80, :80]
    assert (corner > 245).all()
    assert ink(image) > 0.03


def test_shape_masks():
    circle = shape_mask("circle", 100, 60)
    assert circle.shape == (60, 100)
    assert circle[30, 50] == 0 and circle[0, 0] == 255 and circle[30, 5] == 255
    rounded = shape_mask("rounded", 100, 60)
    assert rounded[0, 0] == 255 and rounded[0, 50] == 0 and rounded[30, 0] == 0
    with pytest.raises(ValueError, match="mask shape"):
        shape_mask("star", 10, 10)


def test_word_cloud_refuses_nothing_to_draw():
    with pytest.raises(ValueError, match="at least one term"):
        word_cloud({"党建": 0}, font_path=cjk_font_path())
