"""Readers: the bytes of an uploaded or stored file → the report's normalised text.

One entry point per source (``read_bytes`` for uploads, ``read_path`` for files on disk); both dispatch on the
file's suffix (.txt, .docx, .pdf, .doc) and pass what they extract through ``normalize_text``. Whatever goes
wrong — a wrong encoding, an image renamed .txt, a scanned PDF, a zip bomb, a bug in a parsing library — the
caller sees a ``ReportError`` whose message tells the user, in Chinese, what is wrong and what to do.
"""

from __future__ import annotations

import io
import logging
import os
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath

import legacy_doc
import numpy as np
import pypdf
from pypdf.errors import DependencyError, PyPdfError

from reportlens._docx import docx_text
from reportlens.errors import ReportError
from reportlens.normalize import normalize_text

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".docx", ".pdf", ".doc")
MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """How much a single file may cost to read; pass smaller ones to read untrusted uploads tighter."""

    max_bytes: int = 20 * MB
    max_unzipped_bytes: int = 100 * MB
    max_pdf_pages: int = 500


# A zip member that expands more than this many times (and is big enough to matter) is a zip bomb: real
# Word XML compresses about 10 times, pictures barely at all; a bomb of zeros reaches 1000 times.
ZIP_MAX_RATIO = 200
ZIP_RATIO_MIN_BYTES = 2 * MB
# A PDF page of real text holds hundreds of characters; fewer letters than this per page means the text
# layer is at most page numbers or a stamp on top of scanned images.
PDF_MIN_CHARS_PER_PAGE = 10
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# Byte signatures of files that are not text, what to call them, and the suffix they should have had.
FILE_SIGNATURES: tuple[tuple[bytes, str, str | None], ...] = (
    (b"%PDF-", "PDF 文档", ".pdf"),
    (ZIP_MAGIC, "ZIP 压缩包（Word .docx 文档也是这种格式）", ".docx"),
    (OLE_MAGIC, "旧版 Office 文档（.doc/.xls/.ppt）", ".doc"),
    (b"{\\rtf", "RTF 格式文档", None),
    (b"\x89PNG\r\n\x1a\n", "PNG 图片", None),
    (b"\xff\xd8\xff", "JPEG 图片", None),
    (b"GIF87a", "GIF 图片", None),
    (b"GIF89a", "GIF 图片", None),
    (b"II*\x00", "TIFF 图片", None),
    (b"MM\x00*", "TIFF 图片", None),
    (b"Rar!\x1a\x07", "RAR 压缩包", None),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", None),
    (b"\x1f\x8b", "gzip 压缩包", None),
)
# Byte-order marks, longest first (a UTF-32 LE mark starts like a UTF-16 LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Character categories that never occur in real text: controls, unassigned code points, lone surrogates.
JUNK_CATEGORIES = frozenset({"Cc", "Cn", "Cs"})
# Controls that real text files do carry: Word's cell mark, the DOS end-of-file mark.
TOLERATED_CONTROLS = frozenset("\x07\x1a")
# Private-use characters: a text may hold one home-made glyph (造字, a rare name), decoded garbage holds many.
PRIVATE_USE_ALLOWED = 1
# Decoded text with more junk than 1 in JUNK_MAX_SHARE characters, or fewer letters and digits than half of
# them, is not a report. Measured on random 64-byte strings that decode as GB18030: over 99% are refused.
JUNK_MAX_SHARE = 100
READABLE_SAMPLE = 4000  # characters checked for junk: enough to tell text from decoded noise

UPLOAD_HINT = "请上传报告的文字版本（.txt、.docx、.pdf 或 .doc）。"
RESAVE_WORD_HINT = "请用 Word 或 WPS 打开后另存为 .docx 再导入。"


def _mb(size: int) -> str:
    """Bytes as megabytes for a message: 20, 1.5, 0.19, 3,100."""
    value = size / MB
    if value < 1:
        return f"{value:.2g}"
    return f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:,.0f}"


def _sniff(data: bytes) -> tuple[str, str | None] | None:
    """What a non-text file looks like, from its first bytes: (name, suffix it should have) or None."""
    for magic, what, suffix in FILE_SIGNATURES:
        if data.startswith(magic):
            return what, suffix
    return None


def _looks_like(data: bytes) -> str:
    """A sentence naming what ``data`` looks like and how to fix it; "" when it looks like nothing known."""
    sniffed = _sniff(data)
    if sniffed is None:
        return ""
    what, suffix = sniffed
    if suffix is None:
        return f"它看起来是{what}。{UPLOAD_HINT}"
    return f"它看起来是{what}，请把扩展名改为 {suffix} 后重新上传。"


# ---------------------------------------------------------------------------------------------------- text


# The CJK Unified Ideographs block, every code point of it an assigned letter (Lo) since Unicode 14.0 (Python
# 3.11's): 「党」「风」「廉」「政」.
CJK_FIRST, CJK_LAST = 0x4E00, 0x9FFF


@lru_cache(maxsize=1 << 16)
def _char_weights(point: int) -> tuple[int, int, int] | None:
    """How a character counts in ``_is_readable``: (junk, private use, word-like), or None for whitespace and
    format characters (Cf: zero-width spaces, BOMs), which are left out."""
    char = chr(point)
    category = unicodedata.category(char)
    if char.isspace() or category == "Cf":
        return None
    junk = (category in JUNK_CATEGORIES) - (char in TOLERATED_CONTROLS) + (char == "\ufffd")
    return junk, int(category == "Co"), int(category[0] in "LN")


def _is_readable(text: str) -> bool:
    """True unless the text is mostly symbols or holds characters no real text has (decoded random bytes)."""
    # Judged on the opening characters. Common Chinese characters, most of a report, are counted at once (they
    # weigh as ``_char_weights`` says: word-like, not junk); each distinct other one is weighed once, times how
    # often it occurs.
    sample = np.frombuffer(text[:READABLE_SAMPLE].encode("utf-32-le", "surrogatepass"), dtype="<u4")
    common = (sample >= CJK_FIRST) & (sample <= CJK_LAST)
    chars = wordlike = int(np.count_nonzero(common))
    junk = private = 0
    points, counts = np.unique(sample[~common], return_counts=True)
    for point, count in zip(points.tolist(), counts.tolist(), strict=True):
        weights = _char_weights(point)
        if weights is not None:
            chars += count
            junk += count * weights[0]
            private += count * weights[1]
            wordlike += count * weights[2]
    if not chars:
        return True  # blank: read_bytes reports it as an empty file
    junk += max(0, private - PRIVATE_USE_ALLOWED)
    return junk * JUNK_MAX_SHARE <= chars and wordlike * 2 >= chars


def decode_text(data: bytes) -> str:
    """Decode a plain-text file: UTF-8 (with or without BOM), UTF-16/32 with BOM, else GB18030 (GBK, GB2312).

    No statistical charset guessing: a short GBK text such as 「存在的问题」 is exactly what guessers get
    wrong, and strict UTF-8 almost never accepts GBK bytes. Binary files and text that decodes only to
    garbage are refused with a ``ReportError``.
    """
    unreadable = "文件内容不是可读的文字："
    looks_like = _looks_like(data)
    if looks_like:
        raise ReportError(unreadable + looks_like)
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                raise ReportError(
                    f"无法识别的编码：文件开头标明是 {encoding.upper()} 编码，内容却不是。"
                    "请将文件另存为 UTF-8 编码的文本后重试。"
                ) from err
            break
    else:
        if b"\x00" in data:
            raise ReportError(
                unreadable + "其中含有二进制数据，可能是图片、压缩包或其他程序的文件被改成了文本扩展名"
                "（如果是不带 BOM 的 UTF-16 文本，请另存为 UTF-8）。" + UPLOAD_HINT
            )
        body = data.rstrip(b"\x1a")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = body.decode("gb18030")
            except UnicodeDecodeError as err:
                raise ReportError(
                    "无法识别的编码：文件既不是 UTF-8，也不是 GBK/GB18030 或带 BOM 的 UTF-16 编码。"
                    "请将文件另存为 UTF-8 编码的文本后重试。"
                ) from err
    if not _is_readable(text):
        raise ReportError(
            unreadable + "解码后几乎没有汉字或字母，多是控制符或乱码，可能是二进制文件或已损坏。" + UPLOAD_HINT
        )
    return text


def _read_txt(data: bytes, limits: ReadLimits) -> str:
    return decode_text(data)


# ---------------------------------------------------------------------------------------------------- Word


def _check_zip(data: bytes, limits: ReadLimits) -> list[str]:
    """Refuse a damaged zip or one that would expand too far, without extracting it; return member names."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as err:
        raise ReportError(
            "文件已损坏：Word 文档的压缩结构不完整，可能下载或复制时中断了。请重新获取文件，"
            "或" + RESAVE_WORD_HINT
        ) from err
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped_bytes:
        raise ReportError(
            f"文件解压后过大：解压后约 {_mb(total)} MB，超过 {_mb(limits.max_unzipped_bytes)} MB 的上限，"
            "可能是恶意构造的“压缩炸弹”，已拒绝读取。请确认文件来源，或删去文档中的大图片后重试。"
        )
    for member in members:
        if member.file_size > ZIP_RATIO_MIN_BYTES and member.file_size > ZIP_MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ReportError(
                f"文件压缩比异常：其中「{member.filename}」从 {_mb(member.compress_size)} MB 解压后达 "
                f"{_mb(member.file_size)} MB，像是恶意构造的“压缩炸弹”，已拒绝读取。请确认文件来源。"
            )
    return [m.filename for m in members]


def _read_docx_zip(data: bytes, limits: ReadLimits) -> str:
    names = _check_zip(data, limits)
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        raise ReportError(
            "文件不是 Word 文档：它是一个普通的 ZIP 压缩包（也可能是 Excel 或 PowerPoint 文件）。"
            "请解压后上传其中的报告，或" + RESAVE_WORD_HINT
        )
    try:
        return docx_text(data)
    except Exception as err:
        logger.debug("python-docx could not read the document", exc_info=True)
        raise ReportError("文件已损坏：Word 文档的内部结构有误，无法读取。" + RESAVE_WORD_HINT) from err


def _read_ole_doc(data: bytes, limits: ReadLimits) -> str:
    options = legacy_doc.ExtractionOptions(max_file_bytes=limits.max_bytes, max_text_bytes=2 * limits.max_bytes)
    try:
        return legacy_doc.extract_text(data, options=options).text
    except legacy_doc.LegacyDocError as err:
        if "encrypt" in str(err).lower():
            raise ReportError(
                "Word 文档已加密：需要密码才能打开。请在 Word 或 WPS 中取消密码后另存为 .docx 再导入。"
            ) from err
        if "not found" in str(err).lower():
            raise ReportError(
                "文件不是 Word 文档：它是旧版 Office 格式，但里面没有 Word 正文（可能是 Excel 或 PowerPoint 文件）。"
                + UPLOAD_HINT
            ) from err
        raise ReportError("文件已损坏：无法读取这个 Word 97-2003（.doc）文档。" + RESAVE_WORD_HINT) from err


def _read_word(data: bytes, limits: ReadLimits) -> str:
    """A .docx or .doc file. People rename freely between the two (and WPS saves either under both
    suffixes), so the container decides: a zip is read as .docx, an OLE compound file as .doc."""
    if data.startswith(ZIP_MAGIC):
        return _read_docx_zip(data, limits)
    if data.startswith(OLE_MAGIC):
        return _read_ole_doc(data, limits)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<?xml")) or b"<html" in head or b"mime-version:" in head:
        raise ReportError(
            "文件不是真正的 Word 文档：它其实是网页（HTML/MHT）文件，只是扩展名为 Word。" + RESAVE_WORD_HINT
        )
    looks_like = _looks_like(data) or RESAVE_WORD_HINT
    raise ReportError("文件不是有效的 Word 文档（.docx 或 .doc），也可能已损坏。" + looks_like)


# ---------------------------------------------------------------------------------------------------- PDF


PDF_DAMAGED = "PDF 文件已损坏，无法读取。请用 PDF 阅读器打开后重新另存，再导入。"
PDF_ENCRYPTED = "PDF 已加密：需要密码才能打开。请用 PDF 阅读器输入密码后另存为不加密的 PDF，或导出为文字后再导入。"


def _open_pdf(data: bytes) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as err:
        raise ReportError(PDF_DAMAGED) from err
    if reader.is_encrypted:
        try:
            unlocked = reader.decrypt("")
        except (DependencyError, NotImplementedError, PyPdfError) as err:
            # DependencyError: AES needs the `cryptography` package
            raise ReportError(PDF_ENCRYPTED) from err
        if unlocked == pypdf.PasswordType.NOT_DECRYPTED:
            raise ReportError(PDF_ENCRYPTED)
    return reader


def _read_pdf(data: bytes, limits: ReadLimits) -> str:
    if b"%PDF-" not in data[:1024]:
        raise ReportError("文件不是有效的 PDF 文档。" + (_looks_like(data) or UPLOAD_HINT))
    reader = _open_pdf(data)
    try:
        pages = len(reader.pages)
        if pages > limits.max_pdf_pages:
            raise ReportError(
                f"PDF 页数过多：共 {pages} 页，超过 {limits.max_pdf_pages} 页的上限。请拆分成较小的文件后再导入。"
            )
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except ReportError:
        raise
    except Exception as err:  # pypdf raises a dozen kinds of error on damaged streams, fonts and filters
        logger.debug("pypdf could not extract the text", exc_info=True)
        raise ReportError(PDF_DAMAGED) from err
    letters = sum(unicodedata.category(c)[0] in "LN" for c in text)
    if letters < PDF_MIN_CHARS_PER_PAGE * max(pages, 1):
        raise ReportError(
            "扫描版PDF，无文字层：这个 PDF 的页面是图片，没有可以复制的文字。"
            "请先用 OCR 软件转换为文字后再导入。"
        )
    return text


# ---------------------------------------------------------------------------------------------------- entry


READERS: dict[str, Callable[[bytes, ReadLimits], str]] = {
    ".txt": _read_txt,
    ".docx": _read_word,
    ".doc": _read_word,
    ".pdf": _read_pdf,
}


def _size_error(size: int, limits: ReadLimits) -> ReportError:
    return ReportError(
        f"文件太大：{_mb(size)} MB，超过了 {_mb(limits.max_bytes)} MB 的上限。请删去其中的图片或拆分文件后重试。"
    )


def read_bytes(data: bytes, name: str, *, limits: ReadLimits | None = None) -> str:
    """The normalised text of a file's bytes; ``name`` (its file name) picks the reader by suffix.

    Raises ``ReportError`` (and nothing else) with a Chinese message and ``file=name``.
    """
    limits = limits or ReadLimits()
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix not in READERS:
            shown = f"「{suffix}」" if suffix else "（没有扩展名）"
            raise ReportError(
                f"不支持的文件类型{shown}：目前只能读取 {'、'.join(SUPPORTED_SUFFIXES)} 文件。"
                "请另存为其中一种格式后重试。"
            )
        if len(data) > limits.max_bytes:
            raise _size_error(len(data), limits)
        if not data.strip():
            raise ReportError("文件为空：没有任何内容。请检查是否选错了文件。")
        text = normalize_text(READERS[suffix](data, limits))
        if not text:
            raise ReportError("文件为空：只有空白，没有可读的文字。请检查文件内容后重新上传。")
        return text
    except ReportError as err:
        err.file = err.file or name
        raise
    except Exception as err:
        logger.debug("unexpected error reading %s", name, exc_info=True)
        raise ReportError(
            "无法读取文件：文件可能已损坏，或者格式与扩展名不符。请用原来的软件打开后重新保存，再导入。",
            file=name,
        ) from err


def read_path(path: str | os.PathLike[str], *, limits: ReadLimits | None = None) -> str:
    """Read a file on disk (see ``read_bytes``); a missing or unreadable file is a ``ReportError`` too."""
    limits = limits or ReadLimits()
    file = Path(path)
    name = file.name
    try:
        size = file.stat().st_size
        if size > limits.max_bytes:
            raise _size_error(size, limits)
        data = file.read_bytes()
    except FileNotFoundError as err:
        raise ReportError(f"找不到文件「{file}」：请检查路径是否正确。", file=name) from err
    except IsADirectoryError as err:
        raise ReportError(f"「{file}」是一个文件夹，不是文件：请选择其中的报告文件。", file=name) from err
    except PermissionError as err:
        raise ReportError(f"没有权限读取文件「{file}」：请检查文件权限后重试。", file=name) from err
    except ReportError as err:
        err.file = name
        raise
    except (OSError, ValueError) as err:
        raise ReportError(
            f"无法读取文件「{file}」：读取时出错。请确认文件没有被其他程序占用、磁盘可以访问后重试。", file=name
        ) from err
    return read_bytes(data, name, limits=limits)
