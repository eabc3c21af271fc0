"""The architecture as a test: imports point down the layers, and the README's module map is the package.

The layers, bottom to top (a module may import its own layer and the ones below it, never one above):

    base         errors, roles, labels, paths, access, blobs, workers, worker_loop: no domain knowledge
    readers      bytes → text, normalised (``readers`` hand out canonical text, so they call ``normalize``)
    structure    corpus (Report), infer, names, outline, the parser ``structure``, the tokenizer ``text``, evaluate
    library      the SQLite library (``store``, ``schema``, ``integrity``) and the word lists it keeps (``lexicon``)
    ingest       derived rows, ingest, manage, repair: they parse and segment reports and hand them to the library
    analysis     tables, selection, analysis, insights: what the dashboard computes from the library's rows
    output       charts, cloud, export, views, chart_images, palettes, fonts, safe_cells, links
    app          ui (the only Streamlit code), the CLI; app.py and pages/ sit above them all

The issue's chain ``… → ingest → library → …`` is the way data flows; in imports, ingest calls the library to
store what it derived, so it sits above it, and the library knows nothing of parsing, views or analysis.
A module whose name starts with ``_`` is private to its package.

The ast reads every ``import`` (at the top or inside a function, where the CLI imports lazily); imports under
``if TYPE_CHECKING:`` never run and are left out.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = "reportlens"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("reportlens", "errors", "roles", "labels", "paths", "access", "blobs", "workers", "worker_loop",
              "thresholds")),
    ("readers", ("readers", "normalize")),
    ("structure", ("corpus", "infer", "names", "outline", "rows", "structure", "text", "tokenizers", "evaluate")),
    ("library", ("store", "schema", "integrity", "lexicon")),
    ("ingest", ("derived", "prepare", "ingest", "maintenance", "manage", "repair")),
    ("analysis", ("tables", "report_index", "selection", "analysis", "insights")),
    ("output", ("charts", "cloud", "export", "views", "chart_images", "palettes", "fonts", "safe_cells", "links")),
    ("app", ("ui", "cli", "insight_cli", "library_cli")),
)

# Imports that run back up today, each in a file another branch is rewriting. After that branch is merged,
# delete its lines here: the test then holds the new code to the layers.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}
KNOWN_PRIVATE: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((SRC / PACKAGE).rglob("*.py"))}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    return hidden


def imports_of(source: str, name: str, *, is_package: bool = False) -> set[str]:
    """The ``reportlens`` modules that the code ``source`` of module ``name`` imports when it runs (relative
    imports resolved; ``from package import module`` names the module)."""
    tree = ast.parse(source)
    hidden = _type_checking_nodes(tree)
    package = name if is_package else name.rpartition(".")[0]
    known = modules()
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else base)
    return {m for m in found if m == PACKAGE or m.startswith(PACKAGE + ".")}


def layer_of(module: str) -> int:
    """The layer of a module: that of the longest name in ``LAYERS`` it is or lies under."""
    relative = module.removeprefix(PACKAGE).lstrip(".") or PACKAGE
    best, depth = -1, -1
    for index, (_, names) in enumerate(LAYERS):
        for name in names:
            if (relative == name or relative.startswith(name + ".")) and name.count(".") > depth:
                best, depth = index, name.count(".")
    return best


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((m, i) for m, targets in graph.items() for i in targets if layer_of(i) > layer_of(m))


def private_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports of a ``_module`` from outside the package that holds it."""
    bad = []
    for module, targets in graph.items():
        for target in targets:
            owner, _, last = target.rpartition(".")
            if last.startswith("_") and not last.startswith("__") and not module.startswith(owner + "."):
                bad.append((module, target))
    return sorted(bad)


@cache
def package_graph() -> dict[str, set[str]]:
    return {
        name: imports_of(path.read_text(encoding="utf-8"), name, is_package=path.name == "__init__.py") - {name}
        for name, path in modules().items()
    }


def test_every_module_has_a_layer() -> None:
    assert [m for m in modules() if layer_of(m) < 0] == []


def test_imports_point_down() -> None:
    upward = [
        f"{m} ({LAYERS[layer_of(m)][0]}) imports {i} ({LAYERS[layer_of(i)][0]})"
        for m, i in upward_imports(package_graph())
        if (m, i) not in KNOWN_UPWARD
    ]
    assert upward == []


def test_private_modules_stay_in_their_package() -> None:
    assert [f"{m} imports {i}" for m, i in private_imports(package_graph()) if (m, i) not in KNOWN_PRIVATE] == []


@pytest.mark.slow
def test_known_exceptions_still_exist() -> None:
    """An allowance whose import is gone is deleted, so it cannot let a new one through later."""
    graph = package_graph()
    stale = [pair for pair in [*KNOWN_UPWARD, *KNOWN_PRIVATE] if pair[1] not in graph.get(pair[0], set())]
    assert stale == []


@pytest.mark.parametrize(
    ("source", "name", "upward"),
    [
        ("from reportlens.ui import cache\n", "reportlens.charts", [("reportlens.charts", "reportlens.ui.cache")]),
        ("def f():\n    from reportlens import store\n", "reportlens.readers.pdf",
         [("reportlens.readers.pdf", "reportlens.store")]),
        ("from ..selection import kwic\n", "reportlens.structure.items",
         [("reportlens.structure.items", "reportlens.selection")]),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from reportlens.store import Library\n",
         "reportlens.ingest", []),
        ("from reportlens.corpus import Report\n", "reportlens.tables", []),
    ],
)
def test_a_wrong_arrow_is_found(source: str, name: str, upward: list[tuple[str, str]]) -> None:
    """The checker itself: an import running up (at the top, inside a function, relative) is found; one that
    only type checkers read, or one pointing down, is not."""
    assert upward_imports({name: imports_of(source, name) - {name}}) == upward


def test_only_ui_imports_streamlit() -> None:
    users = [
        name for name, path in modules().items()
        if not name.startswith(f"{PACKAGE}.ui") and re.search(r"^\s*(import|from) streamlit\b",
                                                              path.read_text(encoding="utf-8"), re.M)
    ]
    assert users == []


# The README's map: the block under 「## What is in here」 up to the app's line.
RE_MAP_BLOCK = re.compile(r"^## What is in here\n+```\n(?P<map>.*?)^app\.py", re.M | re.S)
# An entry of the map: 「  names.py        short names …」 or 「  readers/        bytes → text …」
RE_MAP_ENTRY = re.compile(r"^  (?P<name>[a-z_]+(?:\.py|/))\s")
# A module named on an entry's lines: 「…;  links.py: reports in URLs by id」
RE_MAP_MODULE = re.compile(r"\b(?P<name>[a-z_]+\.py)\b")


def readme_modules(readme: str) -> set[str]:
    """The modules the README's map names, as paths under ``src/reportlens`` (``names.py``, ``readers/pdf.py``):
    a name on a package's lines (``readers/`` and the lines indented under it) is a module of that package."""
    block = RE_MAP_BLOCK.search(readme)
    assert block, "README.md has no 「## What is in here」 map"
    named: set[str] = set()
    package = ""
    for line in block["map"].splitlines()[1:]:  # the first line is 「src/reportlens/」
        entry = RE_MAP_ENTRY.match(line)
        if entry:
            package = entry["name"] if entry["name"].endswith("/") else ""
        named.update(package + m["name"] for m in RE_MAP_MODULE.finditer(line))
    return named


def package_modules() -> set[str]:
    """Every module under ``src/reportlens`` but packages' ``__init__.py`` and private ``_modules``."""
    package = SRC / PACKAGE
    return {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if path.name != "__init__.py" and not path.name.startswith("_")
    }


def test_readme_map_names_every_module_and_only_real_ones() -> None:
    named, real = readme_modules((ROOT / "README.md").read_text(encoding="utf-8")), package_modules()
    assert sorted(named - real) == [], "the README's map names modules that do not exist"
    assert sorted(real - named) == [], "modules the README's map does not name"


def test_readme_map_reader_sees_packages() -> None:
    readme = "## What is in here\n\n```\nsrc/reportlens/\n  store.py   the library (schema.py: tables)\n" \
        "  readers/   bytes: pdf.py, word.py;\n             limits.py: budget\n  cli.py     the command\napp.py\n```\n"
    assert readme_modules(readme) == {"store.py", "schema.py", "readers/pdf.py", "readers/word.py",
                                      "readers/limits.py", "cli.py"}
