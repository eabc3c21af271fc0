"""Shared test fixtures: where the seeds, the gold annotations and the real corpora live.

The gold annotations and the 83 real reports are not part of the repository: they live in ``../shared`` beside
it. A test that needs them asks through ``require_shared`` (or ``corpus_files``, ``corpus_rows``, the
``gold_reports`` fixture), which skips it, saying why, when ``../shared`` is absent — so the README's test
command passes on a fresh clone of the project alone. CI sets ``REPORTLENS_SHARED=required``: there a missing
``../shared`` fails the run instead of skipping a third of the tests.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold" / "seeds.json"
CORPORA = SHARED / "corpora"
SHARED_ENV = "REPORTLENS_SHARED"  # "required": a missing ../shared is an error, not a reason to skip


def require_shared(path: Path) -> Path:
    """``path`` (under ../shared) when it exists; otherwise skip the calling test with the reason (or fail it
    when ``REPORTLENS_SHARED=required``)."""
    if path.exists():
        return path
    reason = (
        f"needs {path.relative_to(ROOT.parent)} (../shared: gold annotations and the real corpora, kept beside "
        "the repository, not in it)"
    )
    if os.environ.get(SHARED_ENV) == "required":
        pytest.fail(f"{SHARED_ENV}=required but {reason}")
    pytest.skip(reason)


def pytest_report_header(config: pytest.Config) -> str:
    if SHARED.is_dir():
        return f"reportlens: ../shared found at {SHARED}"
    return "reportlens: no ../shared beside the repository: the tests that need it skip (see tests/conftest.py)"


@pytest.fixture(scope="session")
def gold_reports() -> list[dict]:
    return json.loads(require_shared(GOLD).read_text(encoding="utf-8"))["reports"]


def corpus_files(pattern: str = "*/*.txt") -> list[Path]:
    """The real reports of ../shared/corpora matching ``pattern`` (sorted); skips without ../shared."""
    files = sorted(require_shared(CORPORA).glob(pattern))
    if not files:
        pytest.fail(f"no file matches {pattern} under {CORPORA}")
    return files


def corpus_rows() -> list[tuple[Path, dict[str, str]]]:
    """(file path, metadata row) for every report of ../shared/corpora."""
    rows = []
    for meta in sorted(require_shared(CORPORA).glob("*/metadata.csv")):
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
