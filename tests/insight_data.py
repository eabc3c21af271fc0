"""Corpora the insight tests share, each built once per test session: the seeds and the State Council reports
of ../shared/corpora (1954–2025, the unit filled in as 国务院 so consecutive years pair up)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pandas as pd
from conftest import CORPORA, require_shared

from reportlens import insights, selection
from reportlens.analysis.similarity import ItemVectors
from reportlens.corpus import Corpus, load_folder, load_seeds
from reportlens.tables import CorpusTables, build_tables
from reportlens.text import build_tokenizer

STATE_COUNCIL = CORPORA / "state-council"


@cache
def seed_tables() -> CorpusTables:
    return build_tables(load_seeds(), build_tokenizer())


@cache
def state_council_tables() -> CorpusTables:
    corpus = load_folder(require_shared(STATE_COUNCIL))  # the test skips, saying why, without ../shared
    reports = tuple(replace(r, unit="国务院") for r in corpus.reports)
    return build_tables(Corpus(reports), build_tokenizer())


def all_items(tables: CorpusTables) -> pd.DataFrame:
    """Every problem and measure of the tables, as ``selection.items_of`` gives them."""
    return selection.items_of(tables, tables.reports["report_id"].tolist())


@cache
def _index(which: str) -> insights.ItemIndex:
    return insights.item_index(seed_tables() if which == "seeds" else state_council_tables())


def seed_index() -> insights.ItemIndex:
    """Vectors and words of every problem and measure of the seeds (``insights.item_index``)."""
    return _index("seeds")


def state_council_index() -> insights.ItemIndex:
    return _index("state-council")


def seed_vectors() -> ItemVectors:
    return seed_index().vectors


def state_council_vectors() -> ItemVectors:
    return state_council_index().vectors


def by_year(tables: CorpusTables, year: int) -> str:
    """The id of the one report of ``year``."""
    ids = tables.reports.loc[tables.reports["year"] == year, "report_id"].tolist()
    assert len(ids) == 1, ids
    return str(ids[0])


def seed_id(tables: CorpusTables, number: str) -> str:
    """The id of the seed whose file name starts with ``number`` (「000」…「004」)."""
    rows = tables.reports[tables.reports["file"].str.startswith(f"{number}_")]
    return str(rows["report_id"].iloc[0])
