"""PDF → text with PDFium (pypdfium2), chosen by measurement (bench/bench_pdf.py): of pypdf, pdfminer.six and
pypdfium2, only PDFium reads right the Chinese PDFs of every generator tried (fpdf2's Type0/Identity-H fonts:
pypdf 0.66 character similarity, pdfminer.six 0; PDFium 1.00).

Before PDFium sees the file, pypdf walks its page content streams and inflates each in bounded steps, counting
the bytes against the ``Budget``: a "deflate bomb" (a small file whose streams expand to gigabytes) is refused
without being expanded. PDFium's text is then rebuilt line by line from character positions: characters a
generator drew out of order (LibreOffice draws punctuation of another font after the line) are put back in
reading order, and lines that a paragraph wrapped at the right margin are joined.

A text layer that is not right is refused rather than stored: control characters in place of letters (a
font without a ToUnicode map gives glyph numbers), private-use code points or replacement characters, or
Chinese characters that are mostly rare ones (glyphs mapped to the wrong characters). A few glyphs without
any character (a font lacking them) are left out, and the user is told how many. If PDFium's text is
such, pypdf's is tried; if neither is right the user is told the text layer cannot be read.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import threading
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

import pypdf
import pypdfium2
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from reportlens.errors import ReportError
from reportlens.normalize import RE_ANY_MARKER, TERMINAL
from reportlens.readers.common import UPLOAD_HINT, is_usual_chinese, looks_like
from reportlens.readers.limits import Budget

logger = logging.getLogger(__name__)
# pypdf reports every oddity of a file as an English warning on its logger (``warnings.warn`` it keeps for
# deprecations in the calling code); without a handler, Python would print them on the terminal. They go to
# whatever log the program sets up, and nowhere else.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

# PDFium is not thread-safe: one document is worked on at a time in a process (the app reads uploads in its
# sessions' threads).
PDFIUM_LOCK = threading.Lock()
# A PDF page of real text holds hundreds of characters; fewer letters than this per page means the text
# layer is at most page numbers or a stamp on top of scanned images.
PDF_MIN_CHARS_PER_PAGE = 10
# A text layer with more than one junk character (control, private use, replacement) in this many is wrong.
JUNK_ONE_IN = 100
# PDFium gives U+0000 for a glyph that has no character (a font that lacks it: the page shows a blank or a
# box). A few are dropped, and the user told how many; more than one in this many, and the layer is wrong.
UNMAPPED_ONE_IN = 20
INFLATE_STEP = 1 << 16
FORM_DEPTH = 4  # Form XObjects inside Form XObjects followed this deep
# Of two characters of a line, the next is out of reading order when it starts this many character widths
# left of where the one before it ended.
OUT_OF_ORDER_WIDTHS = 0.5
# A line starting more than a character width right of the left margin is indented: a new paragraph (an
# opening quotation mark's ink starts a little right of where its box does).
# A line reaches the right margin when it ends within this many character widths of the page's widest line;
# a line that stops mid-sentence this close to it also wrapped (a generator may wrap before a word or a
# quotation that did not fit: 「……紧密结合上级关于进一步做好元旦」 + 「“四风”问题的突出表现……」).
FULL_LINE_WIDTHS = 1.5
NEAR_FULL_LINE_WIDTHS = 10

# A page number printed at the top or bottom of a page: 「— 3 —」「- 12 -」「3」「第 3 页」「3/12」「第3页 共12页」.
RE_PAGE_NUMBER = re.compile(r"^[-—－–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*(?:/|共)\s*\d{1,4}\s*页?)?[-—－–\s]*$")

DAMAGED = "PDF 文件已损坏，无法读取。请用 PDF 阅读器打开后重新另存，再导入。"
ENCRYPTED = "PDF 已加密：需要密码才能打开。请用 PDF 阅读器输入密码后另存为不加密的 PDF，或导出为文字后再导入。"
NO_PAGES = "PDF 文件中没有任何页面：文件可能在导出或下载时出错。请用原来的软件重新导出 PDF 后再导入。"
SCANNED = "扫描版PDF，无文字层：这个 PDF 的页面是图片，没有可以复制的文字。请先用 OCR 软件转换为文字后再导入。"
GARBLED = (
    "PDF 的文字层无法正确读取：文件中的字体没有提供正确的文字编码（如缺少 ToUnicode 对照表），提取出来的是乱码，"
    "为免存入错误的文字已拒绝导入。请用原来的软件（Word、WPS 等）重新导出 PDF，或直接导入 .docx；"
    "如果是扫描件，请先用 OCR 软件识别成文字。"
)


# ---------------------------------------------------------------------------------------- content budget


def _resolve(obj: object) -> object:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _content_streams(obj: DictionaryObject, depth: int = 0) -> Iterator[StreamObject]:
    """A page's (or form's) content streams and those of the Form XObjects it uses."""
    contents = _resolve(obj.get("/Contents")) if "/Contents" in obj else obj if isinstance(obj, StreamObject) else None
    for stream in contents if isinstance(contents, ArrayObject) else [contents]:
        stream = _resolve(stream)
        if isinstance(stream, StreamObject):
            yield stream
    resources = _resolve(obj.get("/Resources"))
    xobjects = _resolve(resources.get("/XObject")) if isinstance(resources, DictionaryObject) else None
    if depth < FORM_DEPTH and isinstance(xobjects, DictionaryObject):
        for value in xobjects.values():
            form = _resolve(value)
            if isinstance(form, StreamObject) and form.get("/Subtype") == "/Form":
                yield from _content_streams(form, depth + 1)


def _inflated_size(stream: StreamObject, cap: int) -> int:
    """How many bytes a Flate-compressed stream expands to, found in steps and stopped past ``cap``."""
    filters = _resolve(stream.get("/Filter"))
    first = _resolve(filters[0]) if isinstance(filters, ArrayObject) and filters else filters
    raw = getattr(stream, "_data", b"") or b""  # the stream as stored (pypdf decodes only on request)
    if first not in ("/FlateDecode", "/Fl"):
        return len(raw)
    inflater = zlib.decompressobj()
    total, pending = 0, raw
    try:
        while pending and total <= cap:
            total += len(inflater.decompress(pending, INFLATE_STEP))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # a damaged stream: PDFium reads what it can of it
    return total


def _check_content_size(reader: pypdf.PdfReader, budget: Budget) -> None:
    for page in reader.pages:
        for stream in _content_streams(page):
            remaining = budget.limits.max_unzipped_bytes - budget.expanded
            budget.spend_expanded(_inflated_size(stream, remaining), "PDF 页面")


# ------------------------------------------------------------------------------------------- text layout


@dataclass
class _Line:
    text: str
    left: float
    right: float
    width: float  # a typical character's width on the line


def _line(chars: list[tuple[str, float, float, bool]]) -> _Line | None:
    """A line from its characters (char, left, right, generated), put in reading order when a generator
    drew some out of it."""
    drawn = [c for c in chars if not c[3] and not c[0].isspace()]
    if not drawn:
        return None
    widths = [right - left for _, left, right, _ in drawn if right > left]
    width = statistics.median(widths) if widths else 1.0
    out_of_order = any(b[1] < a[2] - OUT_OF_ORDER_WIDTHS * width for a, b in pairwise(drawn))
    if out_of_order:
        ordered = sorted((c for c in chars if not c[3]), key=lambda c: c[1])
        text = "".join(c[0] for c in ordered)
    else:
        text = "".join(c[0] for c in chars)
    return _Line(text, min(c[1] for c in drawn), max(c[2] for c in drawn), width)


def _page_lines(page: pypdfium2.PdfPage) -> list[_Line]:
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        lines: list[_Line] = []
        chars: list[tuple[str, float, float, bool]] = []
        for index in range(count):
            code = pypdfium2.raw.FPDFText_GetUnicode(textpage, index)
            char = chr(code) if 0 <= code < 0x110000 else "\ufffd"
            if char in "\r\n":
                line = _line(chars)
                if line is not None:
                    lines.append(line)
                chars = []
                continue
            left, _, right, _ = textpage.get_charbox(index)
            chars.append((char, left, right, pypdfium2.raw.FPDFText_IsGenerated(textpage, index) == 1))
        line = _line(chars)
        if line is not None:
            lines.append(line)
        return lines
    finally:
        textpage.close()


def _wrapped(line: _Line, following: _Line, margin_left: float, margin_right: float, *, inside: bool) -> bool:
    """Whether ``following`` continues ``line``'s paragraph: it starts at the left margin with no heading or
    list marker, and ``line`` reaches the right margin, or stops mid-sentence near it, or stops mid-sentence
    ``inside`` a paragraph (not on its first line: a heading is a paragraph's first line; a generator that
    wraps Latin-style breaks a Chinese line early at a space: 「……认真落实党风廉政建设工作」 + 「“第一责任人”……」)."""
    width = max(line.width, following.width)
    if following.left > margin_left + width or RE_ANY_MARKER.match(following.text.lstrip()):
        return False
    gap = margin_right - line.right
    if gap <= FULL_LINE_WIDTHS * width:
        return True
    return not line.text.rstrip().endswith(TERMINAL) and (inside or gap <= NEAR_FULL_LINE_WIDTHS * width)


def _without_page_numbers(lines: list[_Line]) -> list[_Line]:
    """A page's lines less a page number at its top or bottom (it would cut a paragraph running on)."""
    while lines and RE_PAGE_NUMBER.match(lines[-1].text):
        lines = lines[:-1]
    if lines and RE_PAGE_NUMBER.match(lines[0].text):
        lines = lines[1:]
    return lines


def _join_wrapped(pages: list[tuple[list[_Line], float]]) -> str:
    """The text of the pages (their lines and widths), page numbers left out, a line per paragraph where the
    layout shows that lines wrapped. The margins are the document's: its leftmost line start, and its
    rightmost line end or, if that is further right, the page width less the left margin (a short page or
    document may have no line that reaches the right margin; pages have their margins alike on both sides)."""
    pages = [(_without_page_numbers(lines), width) for lines, width in pages]
    drawn = [line for lines, _ in pages for line in lines]
    if not drawn:
        return ""
    margin_left, rightmost = min(x.left for x in drawn), max(x.right for x in drawn)
    out: list[str] = []
    previous: _Line | None = None
    inside = False  # whether the line before continued a paragraph
    for lines, width in pages:
        margin_right = max(rightmost, width - margin_left)
        for line in lines:
            inside = previous is not None and _wrapped(previous, line, margin_left, margin_right, inside=inside)
            if inside:
                out[-1] += line.text.lstrip()
            else:
                out.append(line.text)
            previous = line
    return "\n".join(out)


# --------------------------------------------------------------------------------------------- judging


def _junk(text: str) -> int:
    """Characters no right text layer gives: controls (but line breaks and tabs), private use, U+FFFD."""
    return sum(
        1 for char in text
        if char == "\ufffd" or (unicodedata.category(char) in ("Cc", "Co") and char not in "\n\r\t")
    )


def _is_right(text: str) -> bool:
    letters = sum(not char.isspace() for char in text)
    return _junk(text) * JUNK_ONE_IN <= letters and is_usual_chinese(text)


def _letters(text: str) -> int:
    return sum(unicodedata.category(c)[0] in "LN" for c in text)


# ----------------------------------------------------------------------------------------------- reading


def _open_pypdf(data: bytes) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as err:
        raise ReportError(DAMAGED) from err
    if reader.is_encrypted:
        try:
            unlocked = reader.decrypt("")
        except (DependencyError, NotImplementedError, PyPdfError) as err:
            raise ReportError(ENCRYPTED) from err  # DependencyError: AES needs the `cryptography` package
        if unlocked == pypdf.PasswordType.NOT_DECRYPTED:
            raise ReportError(ENCRYPTED)
    return reader


def _pdfium_text(data: bytes, budget: Budget) -> str:
    with PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as err:
            raise ReportError(ENCRYPTED if "password" in str(err).lower() else DAMAGED) from err
        try:
            pages = []
            for index in range(len(document)):  # PdfiumError on a page: see read_pdf
                page = document[index]
                try:
                    lines, width = _page_lines(page), page.get_width()
                finally:
                    page.close()
                budget.spend_text(sum(len(line.text) for line in lines), len(lines))
                pages.append((lines, width))
        finally:
            document.close()
    return _join_wrapped(pages)


def _pypdf_text(reader: pypdf.PdfReader) -> str:
    try:
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception:  # pypdf raises a dozen kinds of error on damaged streams and fonts
        logger.debug("pypdf could not extract the text", exc_info=True)
        return ""


def read_pdf(data: bytes, budget: Budget) -> str:
    if b"%PDF-" not in data[:1024]:
        raise ReportError("文件不是有效的 PDF 文档。" + (looks_like(data) or UPLOAD_HINT))
    reader = _open_pypdf(data)
    try:
        pages = len(reader.pages)
        if pages == 0:
            raise ReportError(NO_PAGES)
        if pages > budget.limits.max_pdf_pages:
            raise ReportError(
                f"PDF 页数过多：共 {pages} 页，超过 {budget.limits.max_pdf_pages} 页的上限。请拆分成较小的文件后再导入。"
            )
        _check_content_size(reader, budget)
    except ReportError:
        raise
    except Exception as err:  # damaged page tree, streams or objects
        logger.debug("pypdf could not walk the pages", exc_info=True)
        raise ReportError(DAMAGED) from err
    try:
        text = _pdfium_text(data, budget)
    except pypdfium2.PdfiumError as err:  # a page PDFium cannot load
        logger.debug("PDFium could not read a page", exc_info=True)
        raise ReportError(DAMAGED) from err
    unmapped = text.count("\x00")
    if unmapped and unmapped * UNMAPPED_ONE_IN <= sum(not c.isspace() for c in text):
        text = text.replace("\x00", "")
        budget.notes.append(
            f"PDF 中有 {unmapped} 个字符的字形没有对应的文字编码（多是字体缺字，页面上显示为空白或方框），"
            "无法读出，已略去。"
        )
    if _letters(text) >= PDF_MIN_CHARS_PER_PAGE * pages and not _is_right(text):
        second = _pypdf_text(reader)
        logger.debug("PDFium's text layer looks wrong; pypdf's is %s", "right" if _is_right(second) else "too")
        if not _is_right(second):
            raise ReportError(GARBLED)
        text = second
    if _letters(text) < PDF_MIN_CHARS_PER_PAGE * pages:
        raise ReportError(SCANNED)
    return text
