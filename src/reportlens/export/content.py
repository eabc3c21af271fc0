"""What a meeting pack is made of: ``Section``s (a title, the caption naming the filters, the data and how to
draw it: ``Bars``, ``Lines``, ``Heat``, ``Picture`` or ``Table``), the ``Pack`` that holds them, the ``Scope`` it
covers and the insight ``Indexes`` it reads; and how much of each fits on a slide."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from reportlens import insights
from reportlens.labels import ROLE_FILTER_LABELS

CHART_ROWS_MAX = 20  # categories on a slide's chart (reports, terms, groups): the first ones
TABLE_ROWS = 8  # rows of a table slide; a longer table continues on further slides
TABLE_SLIDES_MAX = 3  # a table shows on at most this many slides (the workbook has all its rows)
HEAT_ROWS_MAX = 15  # rows of a coloured table that fit a slide
TERMS = 15
TREND_TERMS = 5
PROMISE_PAIRS_MAX = 3
PASSAGES_MAX = 30
ROLE_NAMES = ROLE_FILTER_LABELS  # the part a pack shows, as the sidebar names it


@dataclass(frozen=True)
class Bars:
    """Bar chart: one bar per category in each series. ``stacked`` stacks the series; ``percent`` shows the
    values as parts of 100 %; ``horizontal`` lays the bars out sideways (categories top to bottom)."""

    categories: list[str]
    series: dict[str, list[float]]
    horizontal: bool = True
    stacked: bool = False
    percent: bool = False
    number_format: str = "0"
    colors: tuple[str, ...] = ()  # one per series (e.g. the role colours); empty: the palette's


@dataclass(frozen=True)
class Lines:
    """Line chart: categories along the bottom (years), one line per series."""

    categories: list[str]
    series: dict[str, list[float]]
    number_format: str = "0.0"


@dataclass(frozen=True)
class Heat:
    """A coloured grid: ``values[i][j]`` for row ``rows[i]`` and column ``columns[j]``, written in each cell."""

    rows: list[str]
    columns: list[str]
    values: list[list[float]]
    number_format: str = "{:g}"


@dataclass(frozen=True)
class Picture:
    """An image (PNG bytes) and its size in pixels."""

    png: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Table:
    """A readable table: Chinese headers and the rows to show (text already cut to fit a slide)."""

    frame: pd.DataFrame
    widths: list[float] = field(default_factory=list)  # relative column widths; empty: equal


Visual = Bars | Lines | Heat | Picture | Table


@dataclass(frozen=True)
class Section:
    """One chart or table: ``page`` (which dashboard page it comes from), ``title``, ``caption`` (the filters
    and any note), ``visual`` and ``data`` (the numbers behind it, Chinese headers, for the workbook)."""

    page: str
    title: str
    caption: str
    visual: Visual
    data: pd.DataFrame


@dataclass(frozen=True)
class Pack:
    """A meeting pack: the title slide's lines and the sections in page order."""

    title: str
    facts: list[tuple[str, str]]
    sections: list[Section]


@dataclass(frozen=True)
class Scope:
    """What the pack covers: the selected reports (in corpus order), the part of the reports, the palette and the
    caption naming the filters (the dashboard's ``Filters.caption()``, or ``scope_caption`` on the command line)."""

    report_ids: tuple[str, ...]
    role: str
    palette: str
    caption: str


@dataclass(frozen=True)
class Indexes:
    """The per-library insight indexes a pack reads (``insights``): the items' vectors and words, similar
    problem pairs, problem-measure scores and the near-duplicate clauses."""

    items: insights.ItemIndex
    problem_pairs: pd.DataFrame
    coverage: pd.DataFrame
    passages: insights.PassageIndex


def years_label(reports: pd.DataFrame) -> str:
    """The span of the known years of ``reports``: 「2022–2023」, 「2023」 or 「年份不详」."""
    known = sorted({int(y) for y in reports["year"].dropna()})
    if not known:
        return "年份不详"
    return str(known[0]) if known[0] == known[-1] else f"{known[0]}–{known[-1]}"
