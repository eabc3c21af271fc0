"""Word .docx → text: every paragraph Word shows, in document order, with its automatic list number.

The package is read straight from its zip, the document body streamed (``lxml.etree.iterparse``) so that the
paragraphs and characters it holds are counted by the ``Budget`` as they are parsed, and each top-level block
is dropped once read: a document of 590,000 paragraphs is stopped at the limit, never held whole in memory.

- numbers: ``numbering.Numberer`` renders Word's automatic list numbers (一、（一）1.) in front of paragraphs;
- tables: a row whose cells hold one paragraph each is one line, cells separated by tabs; a row with a cell of
  several paragraphs (a report laid out inside a form's cell) gives each paragraph its own line;
- text boxes (``w:txbxContent``) are read where they are anchored, once: the ``mc:Fallback`` copy Word writes
  for older readers is skipped;
- ``w:altChunk`` parts (another .docx, HTML, MHT or plain text a tool imported into the document) are read
  where they stand;
- Strict Open XML (ISO 29500 Strict: other namespace names) is read like the usual transitional form;
- a document with pictures and no text is "only pictures" (a scan), not "empty".

Left out: tracked deletions, tables of contents (they repeat the headings), headers, footers, footnotes.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO

from docx.oxml.ns import qn
from lxml import etree

from reportlens.errors import ReportError
from reportlens.readers.common import RESAVE_WORD_HINT, ZIP_MAGIC
from reportlens.readers.limits import Budget, mb
from reportlens.readers.numbering import Definitions, Numberer

logger = logging.getLogger(__name__)

P, TBL, TR, TC, SDT, SDT_CONTENT = (qn(t) for t in ("w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent"))
T, TAB, PTAB, BR, CR = (qn(t) for t in ("w:t", "w:tab", "w:ptab", "w:br", "w:cr"))
BODY, PPR, ALT_CHUNK, TXBX_CONTENT = qn("w:body"), qn("w:pPr"), qn("w:altChunk"), qn("w:txbxContent")
NO_BREAK_HYPHEN, VAL, R_ID = qn("w:noBreakHyphen"), qn("w:val"), qn("r:id")
PICTURES = frozenset({qn("w:drawing"), qn("w:pict"), qn("w:object")})
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Subtrees whose text is not the paragraph's own: properties, deleted or moved-away text, the mc:Fallback copy
# of a text box (its mc:Choice is read).
SKIPPED = frozenset({PPR, qn("w:rPr"), qn("w:del"), qn("w:moveFrom"), MC_FALLBACK})
# Strict Open XML names → the transitional ones the rest of this module (and python-docx's ``qn``) uses.
STRICT_NAMESPACES = {
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/officeDocument/relationships":
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
CONTENT_TYPES = "[Content_Types].xml"
# Content types of a Word main document part: document, template, macro-enabled (transitional or Strict):
# "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
# "application/vnd.ms-word.document.macroEnabled.main+xml".
WORD_MAIN_TYPES = re.compile(r"wordprocessingml\.(?:document|template)\.main|ms-word\.(?:document|template)\.macroEnabled")
# A zip member that expands more than this many times (and is big enough to matter) is a zip bomb: real
# Word XML compresses about 10 times, pictures barely at all; a bomb of zeros reaches 1000 times.
ZIP_MAX_RATIO = 200
ZIP_RATIO_MIN_BYTES = 2 * 1024 * 1024
CHUNK = 1 << 16
ALT_CHUNK_MAX_DEPTH = 2  # an altChunk .docx may hold altChunks of its own, up to this depth

DAMAGED = "文件已损坏：Word 文档的内部结构有误，无法读取。" + RESAVE_WORD_HINT
NOT_WORD = (
    "文件不是 Word 文档：它是一个普通的 ZIP 压缩包（也可能是 Excel 或 PowerPoint 文件）。"
    "请解压后上传其中的报告，或" + RESAVE_WORD_HINT
)
ONLY_PICTURES = (
    "Word 文档里只有图片，没有文字：它可能是扫描件或截图拼成的。请先用 OCR 软件把图片识别成文字，"
    "或找到报告的文字版本后再导入。"
)


def check_zip(data: bytes, budget: Budget) -> list[zipfile.ZipInfo]:
    """Refuse a damaged zip or one that would expand too far, without extracting it; return its members."""
    limit = budget.limits.max_unzipped_bytes
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as err:
        raise ReportError(
            "文件已损坏：Word 文档的压缩结构不完整，可能下载或复制时中断了。请重新获取文件，或" + RESAVE_WORD_HINT
        ) from err
    total = sum(m.file_size for m in members)
    if total > limit:
        raise ReportError(
            f"文件解压后过大：解压后约 {mb(total)} MB，超过 {mb(limit)} MB 的上限，"
            "可能是恶意构造的“压缩炸弹”，已拒绝读取。请确认文件来源，或删去文档中的大图片后重试。"
        )
    for member in members:
        if member.file_size > ZIP_RATIO_MIN_BYTES and member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1):
            raise ReportError(
                f"文件压缩比异常：其中「{member.filename}」从 {mb(member.compress_size)} MB 解压后达 "
                f"{mb(member.file_size)} MB，像是恶意构造的“压缩炸弹”，已拒绝读取。请确认文件来源。"
            )
    return members


class _StrictToTransitional:
    """A zip member as a file to parse: read in chunks (each counted by the budget) with Strict Open XML
    namespace names replaced by the transitional ones. A name cut by a chunk's end is completed by the next."""

    HOLD = max(len(name) for name in STRICT_NAMESPACES) - 1

    def __init__(self, raw: IO[bytes], budget: Budget) -> None:
        self.raw, self.budget = raw, budget
        self.buffer, self.out, self.done = b"", b"", False

    def _fill(self) -> None:
        chunk = self.raw.read(CHUNK)
        self.budget.spend_expanded(len(chunk), "Word 文档")
        data = self.buffer + chunk
        for strict, transitional in STRICT_NAMESPACES.items():
            data = data.replace(strict, transitional)
        if chunk:
            self.out, self.buffer = self.out + data[: -self.HOLD], data[-self.HOLD :]
        else:
            self.out, self.buffer, self.done = self.out + data, b"", True

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.out) < size):
            self._fill()
        size = len(self.out) if size < 0 else size
        data, self.out = self.out[:size], self.out[size:]
        return data


class _Package:
    """The parts of one .docx, found through its relationships as Word finds them."""

    def __init__(self, archive: zipfile.ZipFile, budget: Budget) -> None:
        self.archive, self.budget = archive, budget
        self.names = set(archive.namelist())

    def open(self, name: str) -> _StrictToTransitional:
        return _StrictToTransitional(self.archive.open(name), self.budget)

    def xml(self, name: str | None) -> etree._Element | None:
        if name is None or name not in self.names:
            return None
        return etree.fromstring(self.open(name).read(), parser=_parser())

    def raw(self, name: str) -> bytes:
        with self.archive.open(name) as member:
            data = member.read()
        self.budget.spend_expanded(len(data), "Word 文档")
        return data

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, its last path segment: "officeDocument", "numbering"…; target part name)."""
        folder, base = posixpath.split(part)
        rels = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, tuple[str, str]] = {}
        for rel in rels.iter(f"{RELS_NS}Relationship") if rels is not None else ():
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], name)
        return out

    def related(self, part: str, kind: str) -> str | None:
        return next((name for k, name in self.relationships(part).values() if k == kind), None)

    def content_type(self, name: str) -> str:
        """A part's content type as [Content_Types].xml gives it (by part name, else by extension)."""
        types = self.xml(CONTENT_TYPES)
        if types is None:
            return ""
        for override in types.iter(f"{TYPES_NS}Override"):
            if override.get("PartName", "").lstrip("/") == name:
                return override.get("ContentType", "")
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        for default in types.iter(f"{TYPES_NS}Default"):
            if default.get("Extension", "").lower() == extension:
                return default.get("ContentType", "")
        return ""

    def main_document(self) -> str | None:
        """The main document part: the package's officeDocument if it is a Word document (not a workbook or a
        presentation: their main parts have other content types)."""
        main = self.related("", "officeDocument")
        if main is None and "word/document.xml" in self.names:
            main = "word/document.xml"
        if main is None or main not in self.names:
            return None
        kind = self.content_type(main)
        return main if WORD_MAIN_TYPES.search(kind) or (not kind and main.startswith("word/")) else None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _body_blocks(source: _StrictToTransitional, budget: Budget) -> Iterator[etree._Element]:
    """The body's children (paragraphs, tables, content controls, altChunks), each complete, in order; each
    is dropped from memory once the caller has read it. Paragraphs and characters are counted as parsed."""
    body = None
    events = etree.iterparse(source, events=("start", "end"), resolve_entities=False, no_network=True)
    for event, element in events:
        if event == "start":
            if element.tag == BODY:
                body = element
            continue
        if element.tag == T:
            budget.spend_text(len(element.text or ""), 0)
        elif element.tag == P:
            budget.spend_text(0, 1)
        if body is not None and element.getparent() is body:
            yield element
            element.clear()
            while element.getprevious() is not None:
                del body[0]


class _BodyReader:
    """Turns body blocks into lines, keeping the list counters as Word would."""

    def __init__(self, numberer: Numberer, alt_chunk: Callable[[str], list[str]]) -> None:
        self.numberer = numberer
        self.alt_chunk = alt_chunk
        self.pictures = 0

    def blocks(self, container: etree._Element) -> Iterator[str]:
        for child in container:
            yield from self.block(child)

    def block(self, element: etree._Element) -> Iterator[str]:
        tag = element.tag
        if tag == P:
            yield from self.paragraph(element)
        elif tag == TBL:
            yield from self.table(element)
        elif tag == SDT and not self._is_toc(element):
            content = element.find(SDT_CONTENT)
            if content is not None:
                yield from self.blocks(content)
        elif tag == ALT_CHUNK:
            yield from self.alt_chunk(element.get(R_ID, ""))

    @staticmethod
    def _is_toc(sdt: etree._Element) -> bool:
        """A table of contents repeats the headings with page numbers; it is left out."""
        gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
        return gallery is not None and "contents" in (gallery.get(VAL) or "").lower()

    def table(self, tbl: etree._Element) -> Iterator[str]:
        """One line per row, cells joined by tabs; a row with a cell of several lines gives each its own."""
        for row in tbl.iterchildren(TR):
            cells = [[line for line in self.blocks(tc) if line.strip()] for tc in row.iterchildren(TC)]
            if all(len(cell) <= 1 for cell in cells):
                yield "\t".join(cell[0] if cell else "" for cell in cells)
            else:
                for cell in cells:
                    yield from cell

    def paragraph(self, p: etree._Element) -> list[str]:
        """The paragraph's line, with text boxes anchored in it as lines of their own: before it when they
        come before its first text, else after it."""
        own: list[str] = []
        before: list[str] = []
        after: list[str] = []

        def walk(element: etree._Element) -> None:
            for child in element:
                tag = child.tag
                if tag == T:
                    own.append(child.text or "")
                elif tag in (TAB, PTAB):
                    own.append("\t")
                elif tag in (BR, CR):
                    own.append("\n")
                elif tag == NO_BREAK_HYPHEN:
                    own.append("-")
                elif tag == TXBX_CONTENT:
                    (after if "".join(own).strip() else before).extend(self.blocks(child))
                elif tag not in SKIPPED and isinstance(tag, str):
                    if tag in PICTURES:
                        self.pictures += 1
                    walk(child)

        walk(p)
        text = "".join(own)
        number = self.numberer.paragraph_label(p.find(PPR))
        line = number + text if number and text.strip() else text
        return [*before, line, *after] if before or after else [line]


def _alt_chunk_text(data: bytes, budget: Budget, depth: int) -> list[str]:
    """The lines of an altChunk part: another .docx, an HTML or MHT page, or plain text."""
    from reportlens.readers.web import read_web_page, web_kind

    if data.startswith(ZIP_MAGIC):
        return _docx_lines(data, budget, depth + 1) if depth < ALT_CHUNK_MAX_DEPTH else []
    if web_kind(data) is not None:
        return read_web_page(data, budget).split("\n")
    if data.lstrip().startswith(b"{\\rtf"):
        budget.notes.append("文档中有一段以 RTF 格式嵌入的内容，暂时无法读取，已略过。")
        return []
    from reportlens.readers.text import decode_text

    return decode_text(data, budget.notes).split("\n")


def _docx_lines(data: bytes, budget: Budget, depth: int = 0) -> list[str]:
    check_zip(data, budget)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        package = _Package(archive, budget)
        if CONTENT_TYPES not in package.names:
            raise ReportError(NOT_WORD)
        main = package.main_document()
        if main is None:
            raise ReportError(NOT_WORD)
        definitions = Definitions(
            package.xml(package.related(main, "numbering")), package.xml(package.related(main, "styles"))
        )
        rels = package.relationships(main)

        def alt_chunk(rel_id: str) -> list[str]:
            kind, name = rels.get(rel_id, ("", ""))
            if kind != "aFChunk" or name not in package.names:
                return []
            return _alt_chunk_text(package.raw(name), budget, depth)

        reader = _BodyReader(Numberer(definitions), alt_chunk)
        lines = [line for block in _body_blocks(package.open(main), budget) for line in reader.block(block)]
    if reader.pictures and not any(line.strip() for line in lines):
        raise ReportError(ONLY_PICTURES)
    return lines


def read_docx(data: bytes, budget: Budget) -> str:
    """The text of a .docx file, one paragraph or table row per line, list numbers restored."""
    try:
        return "\n".join(_docx_lines(data, budget))
    except ReportError:
        raise
    except (etree.LxmlError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError, OSError) as err:
        logger.debug("the .docx could not be read", exc_info=True)
        raise ReportError(DAMAGED) from err


def docx_text(data: bytes, budget: Budget | None = None) -> str:
    """``read_docx`` with the default limits (for callers and tests that have no budget of their own)."""
    from reportlens.readers.limits import ReadLimits

    return read_docx(data, budget or Budget(ReadLimits()))
