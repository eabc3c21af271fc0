"""The command line and the dashboard take their labels, choices and limits from ``reportlens.labels``."""

from __future__ import annotations

import argparse

import pytest

from reportlens import labels, roles
from reportlens.cli import build_parser
from reportlens.readers import MB, ReadLimits
from reportlens.ui import strings


def _options(command: str) -> dict[str, argparse.Action]:
    """The options of one ``reportlens`` subcommand, by their long flag."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {flag: action for action in sub.choices[command]._actions for flag in action.option_strings}


@pytest.mark.parametrize(
    ("command", "flag", "choices"),
    [
        ("keywords", "--role", list(roles.ROLE_CODES)),
        ("recurring", "--role", list(labels.INSIGHT_ROLES)),
        ("export", "--role", list(labels.ROLE_FILTER_LABELS)),
        ("export", "--palette", list(labels.PALETTE_LABELS)),
        ("export", "--page", list(labels.EXPORT_PAGES)),
    ],
)
def test_cli_choices_are_the_dashboard_choices(command: str, flag: str, choices: list[str]) -> None:
    assert list(_options(command)[flag].choices or ()) == choices


def test_cli_defaults_are_the_read_limits() -> None:
    options, limits = _options("ingest"), ReadLimits()
    assert options["--max-mb"].default * MB == limits.max_bytes == labels.FILE_MAX_MB * MB
    assert options["--max-unzipped-mb"].default * MB == limits.max_unzipped_bytes
    assert options["--max-pdf-pages"].default == limits.max_pdf_pages == labels.FILE_MAX_PDF_PAGES
    assert _options("keywords")["--top"].default == labels.CLI_TOP_TERMS


def test_cli_help_names_the_choices_in_chinese() -> None:
    assert "措施" in str(_options("recurring")["--role"].help)
    assert all(name in str(_options("export")["--palette"].help) for name in labels.PALETTE_LABELS.values())


def test_role_labels_come_from_the_registry() -> None:
    assert dict(roles.ROLE_LABELS) == labels.ROLE_LABELS
    assert set(labels.ITEM_ROLE_LABELS) == set(roles.ITEM_ROLES)
    assert set(labels.INSIGHT_ROLES) <= set(roles.ITEM_ROLES)
    assert list(labels.ROLE_FILTER_LABELS) == ["all", *roles.ITEM_ROLES]


def test_ui_strings_are_the_same_objects() -> None:
    """The pages' ``ui.strings`` re-exports the shared labels rather than keeping a copy that could drift."""
    for name in ("ROLE_LABELS", "ROLE_FILTER_LABELS", "ITEM_ROLE_LABELS", "PALETTE_LABELS", "COLUMN_LABELS",
                 "LABELS", "PAGE_TITLES"):
        assert getattr(strings, name) is getattr(labels, name)


@pytest.mark.parametrize("bounds", [labels.TOP_TERMS, labels.CLOUD_WORDS])
def test_ranges_hold_their_default(bounds: labels.Range) -> None:
    assert bounds.low <= bounds.default <= bounds.high
    assert (bounds.default - bounds.low) % bounds.step == 0
