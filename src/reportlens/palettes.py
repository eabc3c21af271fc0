"""Colour palettes shared by the charts and the word clouds: a calm one and a red official-report one."""

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
        colors=("#3B6EA5", "#E0A458", "#5B9A8B", "#C26D5C", "#8E7DBE", "#6C7A89", "#D4B483", "#4F6D7A"),
        roles=role_colors("calm"),
        scale=("#F3F6FA", "#9DB8D6", "#3B6EA5", "#1F3B5C"),
        cloud=("#1F3B5C", "#3B6EA5", "#5B9A8B", "#4F6D7A", "#C26D5C", "#E0A458"),
    ),
    "red": Palette(
        colors=("#B71C1C", "#D4A017", "#7F0000", "#E57373", "#8D6E63", "#F2C14E", "#5D4037", "#EF9A9A"),
        roles=role_colors("red"),
        scale=("#FFF8F0", "#F4B183", "#D32F2F", "#7F0000"),
        cloud=("#B71C1C", "#C62828", "#7F0000", "#D4A017", "#A1887F", "#E53935"),
    ),
}


def palette(name: str) -> Palette:
    """The palette called ``name`` ("calm" or "red"); ValueError naming the choices otherwise."""
    try:
        return PALETTES[name]
    except KeyError:
        raise ValueError(f"unknown palette {name!r}; choose one of {sorted(PALETTES)}") from None
