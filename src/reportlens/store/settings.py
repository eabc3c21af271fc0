"""The library's settings: the user dictionary, stopwords and theme lexicon texts, checked before they are
saved, and the tokenizer they make (built once per process and settings)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from reportlens.errors import ReportError
from reportlens.lexicon import (
    SETTING_KEYS,
    SETTING_LABELS,
    Settings,
    fallback_warning,
    setting_problems,
)
from reportlens.store.base import PROBLEMS_SHOWN, UNBUILDABLE_WARNING
from reportlens.store.terms import TermIds
from reportlens.text import Tokenizer
from reportlens.tokenizers import Segmenter, TokenizerSpec, build_segmenter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredSettings:
    """The word lists of a library (``Library.load_settings``): ``texts`` as stored (for the user to edit),
    ``usable`` what the library works with (a stored text that fails its check replaced by the bundled one),
    ``warnings`` one Chinese sentence per text replaced."""

    texts: Settings
    usable: Settings
    warnings: tuple[str, ...]


def _stored_text(key: str, raw: bytes | None) -> tuple[str | None, list[str]]:
    """A stored setting's text (None when its bytes are no UTF-8 text at all) and its problems."""
    try:
        text = (raw or b"").decode("utf-8")
    except UnicodeDecodeError:
        return None, [f"{SETTING_LABELS[key]}保存的文字已损坏（不是有效的 UTF-8 编码）"]
    return text, setting_problems(key, text)


class SettingsStore(TermIds):
    """Settings and the tokenizer they make (the third layer of ``Library``)."""

    def load_settings(self) -> StoredSettings:
        """The word lists as stored, checked as ``save_settings`` checks them: a stored text that fails (written
        by an older version, or straight into the file) is replaced by the bundled one in ``usable``, with a
        Chinese warning; the stored text stays in ``texts`` for the user to mend."""
        with self._read() as conn:
            rows = conn.execute("SELECT key, CAST(value AS BLOB) FROM settings").fetchall()  # no decoding error
        stored = {key: raw for key, raw in rows if key in SETTING_KEYS}
        defaults = Settings.defaults()
        texts: dict[str, str] = {}
        usable: dict[str, str] = {}
        warnings: list[str] = []
        for key in SETTING_KEYS:
            bundled = getattr(defaults, key)
            if key not in stored:
                texts[key] = usable[key] = bundled
                continue
            text, problems = _stored_text(key, stored[key])
            texts[key] = bundled if text is None else text
            if problems:
                usable[key] = bundled
                warnings.append(fallback_warning(key, problems))
            else:
                usable[key] = texts[key]
        return StoredSettings(Settings(**texts), Settings(**usable), tuple(warnings))

    @property
    def settings(self) -> Settings:
        """The user dictionary, stopwords, boilerplate and theme lexicon the library works with: as edited by the user,
        else (or where a stored text fails its check, see ``load_settings``) the bundled files."""
        return self.load_settings().usable

    def settings_warnings(self) -> list[str]:
        """Chinese warnings about stored word lists the library cannot use and replaces by the bundled ones."""
        warnings = list(self.load_settings().warnings)
        if self.tokenizer_spec() in self._unbuildable:
            warnings.append(UNBUILDABLE_WARNING)
        return warnings

    def save_settings(self, **changes: str | None) -> Settings:
        """Save edited settings (``userdict=…``, ``stopwords=…``, ``boilerplate=…``, ``themes=…``; None
        restores the bundled file).

        Every text is checked first (``lexicon.setting_problems``): one that fails is refused with a
        ``ReportError`` naming its problems, and nothing is saved. After a dictionary or stopword change the
        token data is stale: call ``maintenance.refresh_derived``.
        """
        unknown = set(changes) - set(SETTING_KEYS)
        if unknown:
            raise TypeError(f"save_settings() got unknown settings {sorted(unknown)}; known: {SETTING_KEYS}")
        for key, value in changes.items():
            problems = [] if value is None else setting_problems(key, value)
            if problems:
                more = f"；另有 {len(problems) - PROBLEMS_SHOWN} 处" if len(problems) > PROBLEMS_SHOWN else ""
                raise ReportError(f"{SETTING_LABELS[key]}有误，未保存：" + "；".join(problems[:PROBLEMS_SHOWN]) + more)
        with self._write() as conn:
            for key, value in changes.items():
                if value is None:
                    conn.execute("DELETE FROM settings WHERE key = ?", (key,))
                else:
                    conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, str(value)))
        return self.settings

    def tokenizer_spec(self) -> TokenizerSpec:
        return self.settings.tokenizer_spec

    def segmenter(self) -> Segmenter:
        """The segmenter of the library's dictionary settings (built once per process and settings). Should a
        checked dictionary still fail to load, the bundled one is used (``settings_warnings`` says so)."""
        spec = self.tokenizer_spec()
        if spec not in self._unbuildable:
            try:
                return build_segmenter(spec)
            except Exception:
                logger.exception("the stored dictionary settings do not build a tokenizer; using the bundled ones")
                self._unbuildable.add(spec)
        return build_segmenter(TokenizerSpec())

    def tokenizer(self) -> Tokenizer:
        return self.segmenter().tokenizer

    @property
    def dictionary_version(self) -> str:
        """The version (``Tokenizer.version``) of the tokenizer the library's settings make, found without
        building it (``TokenizerSpec.version``); the bundled one's when the settings do not build."""
        spec = self.tokenizer_spec()
        if spec not in self._unbuildable:
            try:
                return spec.version
            except Exception:
                logger.exception("the stored dictionary settings do not build a tokenizer; using the bundled ones")
                self._unbuildable.add(spec)
        return TokenizerSpec().version
