"""Colour palettes shared by the charts and the word clouds: a calm one and a red official-report one.

Within a palette every series colour, role colour and word colour is told apart at a glance from the others
of its kind (``colour_distance`` of at least ``DISTINCT``, CIE76 ΔE in CIELAB), so two reports' bars or two
parts never share a near-identical red.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from reportlens.roles import role_colors

PaletteName = Literal["calm", "red"]


@dataclass(frozen=True, eq=False)
class Palette:
    """``colors``: categorical series colours; ``roles``: one colour per outline role;
    ``scale``: a light-to-dark sequential scale for heatmaps; ``cloud``: word colours."""

    colors: tuple[str, ...]
    roles: Mapping[str, str]
    scale: tuple[str, ...]
    cloud: tuple[str, ...]


PALETTES: dict[str, Palette] = {
    "calm": Palette(
        colors=("#3B6EA5", "#E0A458", "#5B9A8B", "#C26D5C", "#8E7DBE", "#6C7A89", "#B8B26A", "#1F3B5C"),
        roles=role_colors("calm"),
        scale=("#F3F6FA", "#9DB8D6", "#3B6EA5", "#1F3B5C"),
        cloud=("#1F3B5C", "#3B6EA5", "#5B9A8B", "#6C7A89", "#8E7DBE", "#7FA7D0"),
    ),
    "red": Palette(
        colors=("#B71C1C", "#D4A017", "#37474F", "#2E7D6B", "#A1887F", "#F48FB1", "#5C6BC0", "#6D2E46"),
        roles=role_colors("red"),
        scale=("#FFF8F0", "#F4B183", "#D32F2F", "#7F0000"),
        cloud=("#B71C1C", "#7B1F3A", "#D4A017", "#5D4037", "#EF7F6A", "#A1887F"),
    ),
}


DISTINCT = 20.0  # the smallest ΔE between two colours of one kind in a palette


def _lab(color: str) -> tuple[float, float, float]:
    """A "#RRGGBB" sRGB colour in CIELAB (D65 white)."""
    linear = []
    for i in (1, 3, 5):
        c = int(color[i : i + 2], 16) / 255
        linear.append(((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92)
    r, g, b = linear
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    fx, fy, fz = (v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def colour_distance(a: str, b: str) -> float:
    """How different two "#RRGGBB" colours look: CIE76 ΔE (about 2 is just noticeable, 20 is plainly apart)."""
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


def palette(name: str) -> Palette:
    """The palette called ``name`` ("calm" or "red"); ValueError naming the choices otherwise."""
    try:
        return PALETTES[name]
    except KeyError:
        raise ValueError(f"unknown palette {name!r}; choose one of {sorted(PALETTES)}") from None
