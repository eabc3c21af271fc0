"""The roles a part of a report plays: the one registry every other module takes roles from.

A role has a code (English, stored and used in code), a Chinese label, the name of one of its items, whether the
parser enumerates its items, and a colour per palette. ``ROLE_CODES`` is the reading order of a report (导语,
review, problems, targets, tasks, the rest); ``STORAGE_ORDER`` is the order whose positions the library stores
as small integers, so a role added later is appended there and stored data keeps its meaning.

No Streamlit here: the CLI, the charts and the dashboard all read these labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Role:
    """``code``: "problems"; ``label``: 存在问题; ``item_label``: what one item is called (问题), "" for a role
    without items; ``has_items``: whether the outline lists its items; ``colors``: palette name → colour."""

    code: str
    label: str
    item_label: str
    has_items: bool
    colors: Mapping[str, str]


def _role(code: str, label: str, item_label: str, *, calm: str, red: str) -> Role:
    return Role(code, label, item_label, bool(item_label), MappingProxyType({"calm": calm, "red": red}))


REGISTRY: tuple[Role, ...] = (
    _role("preamble", "导语", "", calm="#A9B4C2", red="#BCAAA4"),
    _role("achievements", "工作成绩", "成绩", calm="#3B6EA5", red="#B71C1C"),
    _role("problems", "存在问题", "问题", calm="#C26D5C", red="#5D4037"),
    _role("goals", "目标任务", "", calm="#8E7DBE", red="#2E7D6B"),
    _role("measures", "措施打算", "措施", calm="#5B9A8B", red="#D4A017"),
    _role("other", "其他", "", calm="#EDEFF2", red="#ECEFF1"),
)
BY_CODE: Mapping[str, Role] = MappingProxyType({role.code: role for role in REGISTRY})

# Reading order of a report.
ROLE_CODES: tuple[str, ...] = tuple(role.code for role in REGISTRY)
# The roles whose items the outline lists, in reading order.
ITEM_ROLES: tuple[str, ...] = tuple(role.code for role in REGISTRY if role.has_items)
# The order whose positions are stored (term counts per role): never reordered, new roles appended.
STORAGE_ORDER: tuple[str, ...] = ("preamble", "achievements", "problems", "measures", "other", "goals")
# The roles a section may be given (the preamble is the text before the first section, never a section's role).
SECTION_ROLES: tuple[str, ...] = tuple(code for code in ROLE_CODES if code != "preamble")

ROLE_LABELS: Mapping[str, str] = MappingProxyType({role.code: role.label for role in REGISTRY})
ITEM_LABELS: Mapping[str, str] = MappingProxyType({role.code: role.item_label for role in REGISTRY if role.has_items})


def role_label(code: str) -> str:
    """The Chinese label of a role code, or the code itself when it is not a role."""
    role = BY_CODE.get(code)
    return code if role is None else role.label


def role_colors(palette: str) -> Mapping[str, str]:
    """Role code → colour in the named palette ("calm" or "red")."""
    return MappingProxyType({role.code: role.colors[palette] for role in REGISTRY})
