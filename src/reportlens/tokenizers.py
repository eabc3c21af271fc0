"""The recipe of a tokenizer and the tokenizer it makes, once per process: ``TokenizerSpec`` (the dictionary
and stopword texts, small and picklable, so a worker process can be told which tokenizer to build), its
``version`` known without building it, and ``build_segmenter``."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from reportlens.text import (
    DATA_DIR,
    Engine,
    Tokenizer,
    build_tokenizer,
    bundled_stopwords,
    tokenizer_version,
)

T = TypeVar("T")


def bundled_text(name: str) -> str:
    """A bundled data file (``userdict.txt``, ``stopwords.txt``, ``stopwords_boilerplate.txt``,
    ``themes.txt``); "" if it is not there."""
    resource = DATA_DIR / name
    return resource.read_text(encoding="utf-8") if resource.is_file() else ""


@dataclass(frozen=True)
class TokenizerSpec:
    """The recipe of a tokenizer: dictionary and stopword texts (None: the bundled files) and the engine.

    Small and picklable, so worker processes can be told which tokenizer to build. ``build_segmenter(spec)``
    builds it once per process.
    """

    userdict: str | None = None
    stopwords: str | None = None
    engine: Engine = "rjieba"

    @classmethod
    def from_texts(cls, userdict: str, stopwords: str, *, engine: Engine = "rjieba") -> TokenizerSpec:
        """A spec from edited texts; a text equal to the bundled one becomes None (the default). ``stopwords``
        is every stopword list as one text (``text.join_stopwords``)."""
        return cls(
            userdict=None if userdict == bundled_text("userdict.txt") else userdict,
            stopwords=None if stopwords == bundled_stopwords() else stopwords,
            engine=engine,
        )

    def build(self) -> Tokenizer:
        """A new tokenizer from this recipe (``text.build_tokenizer`` reads dictionaries from files)."""
        return self._from_files(build_tokenizer)

    @property
    def version(self) -> str:
        """The ``version`` of the tokenizer ``build`` makes, without building it (``text.tokenizer_version``).
        Raises as ``build`` would on dictionary texts that cannot be read."""
        return _spec_version(self)

    def _from_files(self, make: Callable[..., T]) -> T:
        """``make(userdict=..., stopwords=..., engine=...)`` with the texts of this recipe written to files."""
        if self.userdict is None and self.stopwords is None:
            return make(engine=self.engine)
        with tempfile.TemporaryDirectory(prefix="reportlens-dict-") as folder:
            paths: dict[str, Path | None] = {}
            for key, value in (("userdict", self.userdict), ("stopwords", self.stopwords)):
                paths[key] = None
                if value is not None:
                    paths[key] = Path(folder) / f"{key}.txt"
                    paths[key].write_text(value, encoding="utf-8")  # type: ignore[union-attr]
            return make(userdict=paths["userdict"], stopwords=paths["stopwords"], engine=self.engine)


@cache
def _spec_version(spec: TokenizerSpec) -> str:
    return spec._from_files(tokenizer_version)


class Segmenter:
    """A tokenizer ready for ``segment``, and its ``version``. Build one with ``build_segmenter``."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.version = tokenizer.version


@cache
def build_segmenter(spec: TokenizerSpec) -> Segmenter:
    """The segmenter of ``spec``, built once per process (a tokenizer takes about half a second to load)."""
    return Segmenter(spec.build())
