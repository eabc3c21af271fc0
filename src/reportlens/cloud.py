"""Word clouds: one function, a CJK font path it requires, a fixed seed, a PIL image out.

Speed: the layout (where each word goes) is the slow part and grows with the canvas area, so it is computed on
a canvas at most ``LAYOUT_WIDTH`` wide and drawn ``scale`` times larger. With the same seed and the same
layout canvas, a 1000-pixel screen image and a 4000-pixel download show the same picture.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from wordcloud import WordCloud

from reportlens.palettes import palette as get_palette

MaskShape = Literal["circle", "rounded"]
MASK_SHAPES: tuple[str, ...] = ("circle", "rounded")
LAYOUT_WIDTH = 512  # the widest canvas a layout is computed on; larger images are drawn scaled up
BACKGROUND = "white"
HEADING_COLOR = "#2B2B2B"
SUBHEADING_COLOR = "#5F6368"


def shape_mask(shape: str, width: int, height: int) -> np.ndarray:
    """A word-cloud mask of ``width`` by ``height``: 0 where words may go, 255 outside the shape.

    "circle": the largest circle centred in the canvas; "rounded": the canvas with rounded corners
    (radius a fifth of the shorter side).
    """
    if shape not in MASK_SHAPES:
        raise ValueError(f"unknown mask shape {shape!r}; choose one of {MASK_SHAPES}")
    ys, xs = np.ogrid[:height, :width]
    cy, cx = (height - 1) / 2, (width - 1) / 2
    if shape == "circle":
        radius = min(width, height) / 2
        inside = (xs - cx) ** 2 + (ys - cy) ** 2 <= radius**2
    else:
        radius = min(width, height) / 5
        # distance from the inner rectangle whose corners are the centres of the rounding circles
        dx = np.maximum(np.abs(xs - cx) - (width / 2 - radius), 0)
        dy = np.maximum(np.abs(ys - cy) - (height / 2 - radius), 0)
        inside = dx**2 + dy**2 <= radius**2
    return np.where(inside, 0, 255).astype(np.uint8)


def _color_func(colors: tuple[str, ...]):
    """Colour a word by a stable hash of it, so it keeps its colour between the screen and the download."""

    def color(word: str, *_args: object, **_kwargs: object) -> str:
        return colors[zlib.crc32(word.encode("utf-8")) % len(colors)]

    return color


def word_cloud(
    frequencies: Mapping[str, int],
    *,
    font_path: str | Path,
    width: int = 1000,
    height: int = 560,
    palette: str = "calm",
    max_words: int = 100,
    mask: MaskShape | None = None,
    seed: int = 42,
) -> Image.Image:
    """Draw a word cloud of ``frequencies`` (term → count) as a ``width`` by ``height`` RGB image.

    ``font_path`` must be a font with CJK glyphs (``fonts.cjk_font_path()``), or Chinese words draw as boxes.
    ``palette`` names a ``palettes.PALETTES`` entry; ``mask`` an optional shape ("circle", "rounded").
    The same arguments always give the same image. Raises ValueError when there is no word to draw.
    """
    words = {str(term): float(count) for term, count in frequencies.items() if count and count > 0}
    if not words:
        raise ValueError("word_cloud needs at least one term with a positive count")
    if width < 16 or height < 16:
        raise ValueError(f"width and height must be at least 16 pixels, got {width}x{height}")
    font = Path(font_path)
    if not font.is_file():
        raise ValueError(f"font_path {font} is not a file")
    colors = get_palette(palette).cloud

    layout_width = min(width, LAYOUT_WIDTH)
    scale = width / layout_width
    layout_height = max(1, round(height / scale))
    cloud = WordCloud(
        font_path=str(font),
        width=layout_width,
        height=layout_height,
        scale=scale,
        mask=shape_mask(mask, layout_width, layout_height) if mask else None,
        max_words=max_words,
        background_color=BACKGROUND,
        prefer_horizontal=1.0,  # rotated Chinese is hard to read on a slide
        relative_scaling=0.5,
        margin=2,
        min_font_size=6,
        random_state=seed,
        color_func=_color_func(colors),
        collocations=False,
        include_numbers=True,
    )
    cloud.generate_from_frequencies(words)
    image = cloud.to_image()
    if image.size != (width, height):  # rounding of the scaled canvas
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    return image


def with_heading(image: Image.Image, *, title: str, subtitle: str, font_path: str | Path) -> Image.Image:
    """``image`` with a white band on top holding ``title`` and, under it, ``subtitle`` (what the picture
    shows: reports, years, part), so a downloaded word cloud says what it is. Sizes follow the image width;
    a subtitle too long for one line is cut with 「…」. Returns a new RGB image."""
    width = image.width
    title_px, subtitle_px = max(12, width // 42), max(10, width // 64)
    pad = max(8, width // 48)
    title_font = ImageFont.truetype(str(font_path), title_px)
    subtitle_font = ImageFont.truetype(str(font_path), subtitle_px)
    room = width - 2 * pad
    line = subtitle
    while line and subtitle_font.getlength(line) > room:
        line = line[:-2] + "…"
    band = pad + round(title_px * 1.35) + (round(subtitle_px * 1.5) if subtitle else 0) + pad // 2
    out = Image.new("RGB", (width, image.height + band), BACKGROUND)
    draw = ImageDraw.Draw(out)
    draw.text((pad, pad), title, font=title_font, fill=HEADING_COLOR)
    if subtitle:
        draw.text((pad, pad + round(title_px * 1.35)), line, font=subtitle_font, fill=SUBHEADING_COLOR)
    out.paste(image.convert("RGB"), (0, band))
    return out
