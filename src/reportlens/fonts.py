"""Where the CJK font lives: Noto Sans CJK SC from the ``mpl-font`` package, found without importing it.

Importing ``mpl_font`` registers fonts with matplotlib (and imports matplotlib); we only need the file, so the
package is located with ``importlib.util.find_spec`` and its font folder is searched.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Literal

from reportlens.errors import ReportError

Weight = Literal["Light", "Regular", "Medium", "Bold"]
FONT_PACKAGE = "mpl_font"
FONT_GLOB = "NotoSansCJK*-{weight}.*"  # NotoSansCJKsc-Regular.otf


@cache
def cjk_font_path(weight: Weight = "Regular") -> Path:
    """Path of the Noto Sans CJK SC font file (OpenType) of this weight shipped by ``mpl-font``.

    Raises ``ReportError`` with what to install when the package or the font file is missing.
    """
    spec = importlib.util.find_spec(FONT_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise ReportError("找不到中文字体包 mpl-font。请在本环境中运行 `pip install mpl-font` 后重试。")
    root = Path(locations[0])
    found = sorted(
        (
            p
            for p in root.rglob(FONT_GLOB.format(weight=weight))
            if p.stem.lower().endswith(f"sc-{weight.lower()}")
        ),
        key=lambda p: (p.suffix != ".otf", str(p)),
    )
    if not found:
        raise ReportError(
            f"mpl-font 已安装（{root}），但其中没有 Noto Sans CJK SC {weight} 字体文件。"
            "请重新安装：`pip install --force-reinstall mpl-font`。"
        )
    return found[0]
