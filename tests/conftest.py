"""Shared test fixtures: where the seeds, the gold annotations and the real corpora live."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold" / "seeds.json"
CORPORA = SHARED / "corpora"


def _require(path: Path) -> Path:
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: the tests need ../shared (gold annotations and corpora) beside the repository."
        )
    return path


@pytest.fixture(scope="session")
def gold_reports() -> list[dict]:
    return json.loads(_require(GOLD).read_text(encoding="utf-8"))["reports"]


def corpus_rows() -> list[tuple[Path, dict[str, str]]]:
    """(file path, metadata row) for every report of ../shared/corpora."""
    rows = []
    for meta in sorted(_require(CORPORA).glob("*/metadata.csv")):
        with meta.open(encoding="utf-8-sig") as fh:
            rows.extend((meta.parent / row["file"], row) for row in csv.DictReader(fh))
    return rows


@pytest.fixture(scope="session", autouse=True)
def streamlit_errors_surface() -> None:
    """AppTest runs the app in this process with the repository's .streamlit/config.toml, which hides errors
    from users (``client.showErrorDetails = "none"``, the app shows a Chinese line instead). The tests want
    a failing page to be an exception they can see, as a developer's set-up shows it."""
    from streamlit import config

    config.set_option("client.showErrorDetails", "full")
