"""The role registry: every role has its stored position, labels and colours, and the modules that name roles
take them from it."""

from __future__ import annotations

from reportlens import roles
from reportlens.palettes import PALETTES
from reportlens.ui import strings


def test_every_role_has_a_stored_position_and_stored_positions_never_move() -> None:
    assert set(roles.STORAGE_ORDER) == set(roles.ROLE_CODES)
    assert len(roles.STORAGE_ORDER) == len(set(roles.STORAGE_ORDER))
    # positions stored by earlier versions keep their meaning
    assert roles.STORAGE_ORDER[:5] == ("preamble", "achievements", "problems", "measures", "other")


def test_item_roles_are_the_roles_with_an_item_name() -> None:
    assert roles.ITEM_ROLES == ("achievements", "problems", "measures")
    assert all(roles.BY_CODE[code].item_label for code in roles.ITEM_ROLES)
    assert "preamble" not in roles.SECTION_ROLES


def test_every_palette_colours_every_role_distinctly() -> None:
    for palette in PALETTES.values():
        assert set(palette.roles) == set(roles.ROLE_CODES)
        assert len(set(palette.roles.values())) == len(roles.ROLE_CODES)


def test_dashboard_labels_come_from_the_registry() -> None:
    assert dict(roles.ROLE_LABELS) == strings.ROLE_LABELS
    assert list(strings.ROLE_FILTER_LABELS) == ["all", *roles.ITEM_ROLES]
    assert roles.role_label("goals") == "目标任务"
    assert roles.role_label("unknown") == "unknown"
