"""Reports named in a shareable link: by their stable id, with the short name beside it for a human reader.

A link names a report as ``<id>:<简称>`` (``?reports=3f2a9c0d1e4b5a67:市文旅局 2023 党风廉政报告``). The id is the
hash of the report's text (``corpus.content_id``), so editing a title or a short name never breaks a link;
the name after the colon is only read to say which report is missing when the id is no longer in the library.
Links made before ids were used named reports by title: a value without an id that matches a report's
title, label or short name still finds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

SEPARATOR = ":"
# A report id: the first 16 hex digits of a SHA-256 (``corpus.content_id``): 「3f2a9c0d1e4b5a67」
RE_REPORT_ID = re.compile(r"[0-9a-f]{16}")
NAME_MAX = 40  # characters of the readable name kept in a link


@dataclass(frozen=True)
class Resolved:
    """What a link's report values name: ``ids`` of reports in the library (in the link's order, once
    each) and ``missing``, a readable name (or the id) of each one that is not."""

    ids: tuple[str, ...]
    missing: tuple[str, ...]


def encode(report_id: str, name: str = "") -> str:
    """The link value of a report: its id, and its name after a colon when there is one."""
    readable = " ".join(name.split())[:NAME_MAX]
    return f"{report_id}{SEPARATOR}{readable}" if readable else report_id


def resolve(values: Iterable[str], reports: pd.DataFrame) -> Resolved:
    """Find the reports a link names (``encode`` values, or titles from older links) in ``reports``
    (``report_id`` and any of ``title``, ``label``, ``short``)."""
    known = set(reports["report_id"])
    by_name: dict[str, str] = {}
    for column in ("title", "label", "short"):
        if column in reports.columns:
            for report_id, name in zip(reports["report_id"], reports[column], strict=True):
                by_name.setdefault(str(name), report_id)
    ids: list[str] = []
    missing: list[str] = []
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        head, _, name = text.partition(SEPARATOR)
        if RE_REPORT_ID.fullmatch(head):
            if head in known:
                ids.append(head)
            else:
                missing.append(name.strip() or head)
        elif text in by_name:  # an older link naming the report by title
            ids.append(by_name[text])
        else:
            missing.append(text)
    return Resolved(ids=tuple(dict.fromkeys(ids)), missing=tuple(dict.fromkeys(missing)))


def missing_message(missing: Iterable[str]) -> str:
    """The Chinese warning for reports a link names that the library no longer holds ("" if none)."""
    names = list(missing)
    if not names:
        return ""
    listed = "、".join(f"《{n}》" for n in names)
    return f"链接中的 {len(names)} 篇报告已不在资料库中（可能已被删除）：{listed}。其余报告照常显示。"
