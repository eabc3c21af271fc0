"""Charts as image files made on the server: a 16:9 slide-sized PNG and an SVG for Word, beside the toolbar's
screen-sized PNG that the browser makes.

Plotly draws images with a browser: ``kaleido`` drives a Chromium or Chrome installed on the server. The
dashboard never needs one to *show* charts (the user's browser does that); without one, only these two
downloads are unavailable, and ``image_unavailable`` says so in Chinese. Nothing is ever downloaded.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from functools import cache
from typing import Literal

import plotly.graph_objects as go
import plotly.io as pio

from reportlens.errors import ReportError

ImageFormat = Literal["png", "svg"]


@dataclass(frozen=True)
class SlideSize:
    """A 16:9 image of ``width`` × ``height`` pixels, drawn on a ``layout_width`` × ``layout_height`` page
    (the size the chart's fonts are measured against) and scaled up."""

    layout_width: int = 1280
    layout_height: int = 720
    scale: float = 2.0

    @property
    def width(self) -> int:
        return round(self.layout_width * self.scale)

    @property
    def height(self) -> int:
        return round(self.layout_height * self.scale)


# kaleido now and then fails to draw with a JavascriptError while its browser starts: a second try draws it.
IMAGE_ATTEMPTS = 2
logger = logging.getLogger(__name__)
SLIDE = SlideSize()  # 2560 × 1440 pixels: sharp on a projector, 16:9 like the slides it goes on
NO_BROWSER = (
    "服务器上没有可用的 Chromium 或 Chrome 浏览器，无法在服务器上生成幻灯片图片和 SVG。"
    "请用图表右上角的相机按钮下载 PNG 图片。"
)


@cache
def browser_path() -> str | None:
    """The Chromium or Chrome that ``kaleido`` would use (``$BROWSER_PATH`` or one on the ``PATH``), or None.
    A browser downloaded by ``kaleido`` itself is not looked for: this app never downloads one."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    return Chromium.find_browser(skip_local=True)


def image_unavailable() -> str | None:
    """Why images cannot be made on this server (Chinese), or None when they can."""
    try:
        import kaleido  # noqa: F401 — only whether it is installed
    except ImportError:
        return "服务器上没有安装 kaleido，无法在服务器上生成幻灯片图片和 SVG。请用图表右上角的相机按钮下载 PNG 图片。"
    return None if browser_path() else NO_BROWSER


def slide_layout(fig: go.Figure, size: SlideSize = SLIDE) -> tuple[go.Figure, float]:
    """A copy of ``fig`` laid out on a 16:9 page, and the scale to draw it at for ``size`` pixels.

    A chart taller than the page (many bars, many reports) gets a larger page of the same shape, drawn at a
    smaller scale: the image keeps its pixel size and every row keeps the room it needs.
    """
    slide = go.Figure(copy.deepcopy(fig.to_dict()))
    needed = slide.layout.height or size.layout_height
    factor = max(1.0, needed / size.layout_height)
    width, height = round(size.layout_width * factor), round(size.layout_height * factor)
    slide.update_layout(width=width, height=height, autosize=False)
    return slide, size.scale / factor


def figure_image(fig: go.Figure, fmt: ImageFormat = "png", size: SlideSize = SLIDE) -> bytes:
    """``fig`` as a slide-sized PNG or an SVG (same 16:9 page). Raises ``ReportError`` (Chinese) when no
    browser can draw it."""
    reason = image_unavailable()
    if reason:
        raise ReportError(reason)
    slide, scale = slide_layout(fig, size)
    for attempt in range(IMAGE_ATTEMPTS):
        try:
            return pio.to_image(slide, format=fmt, scale=scale if fmt == "png" else 1)
        except Exception as err:  # kaleido reports a missing or crashed browser with its own error types
            if attempt + 1 < IMAGE_ATTEMPTS:
                logger.warning("drawing a chart image failed (%s: %s); trying once more", type(err).__name__, err)
                continue
            raise ReportError(f"生成图片失败：{type(err).__name__}。请用图表右上角的相机按钮下载 PNG 图片。") from err
    raise AssertionError("unreachable")  # the loop returns or raises
