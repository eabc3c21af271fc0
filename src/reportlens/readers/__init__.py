"""Readers: the bytes of an uploaded or stored file → the report's normalised text.

One entry point per source (``read_bytes`` for uploads, ``read_path`` for files on disk; ``read_document`` and
``read_file`` also return what the user should know about a file read all the same). They dispatch on the
file's suffix (.txt, .docx, .pdf, .doc; its case and trailing spaces or dots do not matter) and pass what
they extract through ``normalize_text``. Whatever goes wrong — a wrong encoding, an image renamed .txt, a
scanned PDF, a zip bomb, a bug in a parsing library — the caller sees a ``ReportError`` whose message tells
the user, in Chinese, what is wrong and what to do. What reading may cost is ``limits.ReadLimits``, counted
while reading by a ``limits.Budget``.

Modules: ``text`` (encodings), ``word`` (.docx) with ``numbering`` (Word's list numbers), ``doc`` (Word 97-2003),
``web`` (Word's web page, MHT and 2003 XML saves), ``pdf``, ``limits``, ``common``.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

from reportlens.errors import ReportError
from reportlens.normalize import normalize_text
from reportlens.readers.common import (
    CJK_FIRST,
    CJK_LAST,
    OLE_MAGIC,
    RESAVE_WORD_HINT,
    ZIP_MAGIC,
    looks_like,
)
from reportlens.readers.limits import MB, Budget, ReadLimits, mb
from reportlens.readers.text import (
    JUNK_CATEGORIES,
    JUNK_MAX_SHARE,
    PRIVATE_USE_ALLOWED,
    READABLE_SAMPLE,
    TOLERATED_CONTROLS,
    decode_text,
    read_txt,
)

__all__ = [
    "CJK_FIRST", "CJK_LAST", "JUNK_CATEGORIES", "JUNK_MAX_SHARE", "MB", "PRIVATE_USE_ALLOWED", "READABLE_SAMPLE",
    "SUPPORTED_SUFFIXES", "TOLERATED_CONTROLS", "Document", "ReadLimits", "decode_text",
    "file_suffix", "read_bytes", "read_document", "read_file", "read_path",
]

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".docx", ".pdf", ".doc")
READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class Document:
    """A file's normalised text, and what the user should know about how it was read (Chinese sentences)."""

    text: str
    notes: tuple[str, ...] = ()


def _read_word(data: bytes, budget: Budget) -> str:
    """A .docx or .doc file. People rename freely between the two (and WPS saves either under both
    suffixes), so the content decides: a zip is read as .docx, an OLE compound file as .doc, Word's web page,
    MHT and XML saves as what they are."""
    # the Word and PDF readers (python-docx, lxml, pypdf, PDFium) are imported when a file needs them: a
    # command that reads .txt files starts without them
    if data.startswith(ZIP_MAGIC):
        from reportlens.readers.word import read_docx

        return read_docx(data, budget)
    if data.startswith(OLE_MAGIC):
        from reportlens.readers.doc import read_doc

        return read_doc(data, budget)
    from reportlens.readers.web import read_web_page, web_kind
    if web_kind(data) is not None:
        return read_web_page(data, budget)
    raise ReportError("文件不是有效的 Word 文档（.docx 或 .doc），也可能已损坏。" + (looks_like(data) or RESAVE_WORD_HINT))


def _read_pdf(data: bytes, budget: Budget) -> str:
    from reportlens.readers.pdf import read_pdf

    return read_pdf(data, budget)


READERS: dict[str, Callable[[bytes, Budget], str]] = {
    ".txt": read_txt,
    ".docx": _read_word,
    ".doc": _read_word,
    ".pdf": _read_pdf,
}


def file_suffix(name: str) -> str:
    """The suffix that picks a file's reader: lower case, trailing spaces and dots ignored, as Windows does
    («report.TXT », «报告.docx.» → ".txt", ".docx")."""
    return PurePath(name.strip().rstrip(". ") or name).suffix.lower()


def _size_error(size: int, limits: ReadLimits) -> ReportError:
    return ReportError(
        f"文件太大：{mb(size)} MB，超过了 {mb(limits.max_bytes)} MB 的上限。请删去其中的图片或拆分文件后重试。"
    )


def read_document(data: bytes, name: str, *, limits: ReadLimits | None = None) -> Document:
    """The normalised text of a file's bytes and notes on its reading; ``name`` (its file name) picks the
    reader by suffix.

    Raises ``ReportError`` (and nothing else) with a Chinese message and ``file=name``.
    """
    limits = limits or ReadLimits()
    suffix = file_suffix(name)
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
        budget = Budget(limits)
        text = normalize_text(READERS[suffix](data, budget))
        if not text:
            raise ReportError("文件为空：只有空白，没有可读的文字。请检查文件内容后重新上传。")
        return Document(text, tuple(budget.notes))
    except ReportError as err:
        err.file = err.file or name
        raise
    except MemoryError as err:
        raise ReportError(
            "文件太复杂，读取时内存不足，已停止读取。请拆分文件或另存为 .txt 后再导入。", file=name
        ) from err
    except Exception as err:
        logger.debug("unexpected error reading %s", name, exc_info=True)
        raise ReportError(
            "无法读取文件：文件可能已损坏，或者格式与扩展名不符。请用原来的软件打开后重新保存，再导入。",
            file=name,
        ) from err


def read_bytes(data: bytes, name: str, *, limits: ReadLimits | None = None) -> str:
    """The normalised text of a file's bytes (see ``read_document``)."""
    return read_document(data, name, limits=limits).text


def _read_regular_file(file: Path, limits: ReadLimits) -> bytes:
    """A regular file's bytes, read in chunks and stopped past the size limit (a file may grow while read,
    or report a size it does not have). Named pipes, devices and sockets, or links to them, are refused
    without being opened for reading: opening a pipe waits for a writer, a device may never end."""
    mode = file.stat().st_mode  # follows links: a link to /dev/zero is a device
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(str(file))
    if not stat.S_ISREG(mode):
        kind = "命名管道" if stat.S_ISFIFO(mode) else "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "特殊文件"
        raise ReportError(f"「{file}」不是普通文件，而是{kind}，已跳过：只能导入普通的报告文件。")
    if file.stat().st_size > limits.max_bytes:
        raise _size_error(file.stat().st_size, limits)
    # O_NONBLOCK: should the path have been swapped for a pipe since the check, opening it does not wait
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ReportError(f"「{file}」不是普通文件，已跳过：只能导入普通的报告文件。")
        chunks, size = [], 0
        while chunk := handle.read(READ_CHUNK):
            size += len(chunk)
            if size > limits.max_bytes:
                raise _size_error(size, limits)
            chunks.append(chunk)
    return b"".join(chunks)


def read_file(path: str | os.PathLike[str], *, limits: ReadLimits | None = None) -> Document:
    """Read a file on disk (see ``read_document``); a missing, unreadable or irregular file (a pipe, a
    device) is a ``ReportError`` too."""
    limits = limits or ReadLimits()
    file = Path(path)
    name = file.name
    try:
        data = _read_regular_file(file, limits)
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
    return read_document(data, name, limits=limits)


def read_path(path: str | os.PathLike[str], *, limits: ReadLimits | None = None) -> str:
    """The normalised text of a file on disk (see ``read_file``)."""
    return read_file(path, limits=limits).text

