"""How much reading one file may cost, in one place: ``ReadLimits`` (the numbers) and ``Budget`` (the count
kept while a file is read, so a hostile file is stopped as it grows, not after it has filled the memory).

Every reader reports what it produces to the ``Budget`` it is given: each paragraph (line) and its characters,
and each block of decompressed bytes (a zip member of a .docx, a compressed PDF stream). The first count past
its limit raises a ``ReportError`` naming that limit in Chinese. The app, the command line and the ingest take
their limits from here (``ReadLimits()`` is the default for all of them; the command line lets a user raise
them).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlens.errors import ReportError
from reportlens.labels import FILE_MAX_MB, FILE_MAX_PDF_PAGES, FILE_MAX_UNZIPPED_MB

MB = 1024 * 1024


def mb(size: int) -> str:
    """Bytes as megabytes for a message: 20, 1.5, 0.19, 3,100."""
    value = size / MB
    if value < 1:
        return f"{value:.2g}"
    return f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:,.0f}"


def wan(count: int) -> str:
    """A limit as a Chinese message shows it, before its unit: 8,000 → 「8000 」, 2,000,000 → 「200 万」."""
    return f"{count / 10_000:g} 万" if count >= 10_000 else f"{count} "


@dataclass(frozen=True)
class ReadLimits:
    """How much a single file may cost to read; pass smaller ones to read untrusted uploads tighter.

    The longest real reports (a 政府工作报告 with its annexes) hold some 40,000 characters in under 2,000
    paragraphs; the defaults leave 50 times that, and keep one file's reading within a few hundred MB of memory.
    """

    max_bytes: int = FILE_MAX_MB * MB  # the file as uploaded or on disk
    max_unzipped_bytes: int = FILE_MAX_UNZIPPED_MB * MB  # what a .docx's zip members or a PDF's compressed streams expand to
    max_pdf_pages: int = FILE_MAX_PDF_PAGES
    max_chars: int = 2_000_000  # characters of text read from one file
    max_paragraphs: int = 100_000  # paragraphs (lines) read from one file


class Budget:
    """What reading one file has produced so far; each ``spend_*`` raises ``ReportError`` past its limit.

    ``notes`` collects what the user should know about a file that was read all the same (an encoding
    guessed, characters replaced), as Chinese sentences.
    """

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.chars = 0
        self.paragraphs = 0
        self.expanded = 0
        self.notes: list[str] = []

    def spend_text(self, chars: int, paragraphs: int = 1) -> None:
        """Count text read: ``chars`` characters in ``paragraphs`` paragraphs."""
        self.chars += chars
        self.paragraphs += paragraphs
        if self.chars > self.limits.max_chars:
            raise ReportError(
                f"文件文字过多：读到第 {self.chars:,} 字时已超过每个文件 {wan(self.limits.max_chars)}字的上限，"
                "已停止读取。一份报告通常只有几万字，请确认选对了文件，或拆分后再导入。"
            )
        if self.paragraphs > self.limits.max_paragraphs:
            raise ReportError(
                f"文件段落过多：读到第 {self.paragraphs:,} 段时已超过每个文件 {wan(self.limits.max_paragraphs)}段的上限，"
                "已停止读取。一份报告通常只有几百段，请确认选对了文件，或拆分后再导入。"
            )

    def spend_lines(self, text: str) -> str:
        """Count a block of text by its lines; returns it."""
        self.spend_text(len(text), text.count("\n") + 1)
        return text

    def spend_expanded(self, size: int, what: str) -> None:
        """Count ``size`` more decompressed bytes of ``what`` (「Word 文档」「PDF」)."""
        self.expanded += size
        if self.expanded > self.limits.max_unzipped_bytes:
            raise ReportError(
                f"文件解压后过大：{what}的压缩内容解压后超过 {mb(self.limits.max_unzipped_bytes)} MB 的上限，"
                "可能是恶意构造的“压缩炸弹”，已拒绝读取。请确认文件来源。"
            )
