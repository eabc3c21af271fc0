"""Plain-text files: which encoding, and whether what it decodes to is text at all.

UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read as they say. Anything else is tried as GB18030
(GBK, GB2312: what Chinese Windows saves) and as Big5 (traditional characters, Taiwan and Hong Kong), and the
decoding whose Chinese characters are the common ones wins (``common.is_usual_chinese``): no statistical
charset guesser, since a short GBK text such as 「存在的问题」 is exactly what guessers get wrong. A file with a
few damaged bytes is read with those few characters replaced by 「�」, and the user is told how many.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np

from reportlens.errors import ReportError
from reportlens.readers.common import CJK_FIRST, CJK_LAST, UPLOAD_HINT, is_usual_chinese, looks_like
from reportlens.readers.limits import Budget

# Byte-order marks, longest first (a UTF-32 LE mark starts like a UTF-16 LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Encodings tried for a file without a BOM that is not UTF-8, and how a message names them.
LEGACY_ENCODINGS: tuple[tuple[str, str], ...] = (("gb18030", "GBK/GB18030"), ("big5", "繁体中文 Big5"))
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
# A file that decodes only with some bytes replaced is read when it has at least this many Chinese
# characters per replaced one: two bad bytes in a 20 KB GBK file pass, a Latin-1 or half-UTF-8 file does not.
HAN_PER_REPLACED = 200
UNREADABLE = "文件内容不是可读的文字："
UNKNOWN_ENCODING = (
    "无法识别的编码：文件既不是 UTF-8，也不是 GBK/GB18030、Big5 或带 BOM 的 UTF-16 编码，按这些编码解读都是乱码。"
    "请将文件另存为 UTF-8 编码的文本后重试。"
)


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


def _han_count(text: str) -> int:
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return int(np.count_nonzero((points >= CJK_FIRST) & (points <= CJK_LAST)))


def _decode_legacy(body: bytes, notes: list[str]) -> str:
    """A file without a BOM that is not UTF-8: GB18030 or Big5, strictly if either decodes to usual Chinese,
    else the decoding with fewest replaced bytes if they are few enough (said in ``notes``)."""
    for encoding, shown in LEGACY_ENCODINGS:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        if is_usual_chinese(text):
            if encoding != "gb18030":
                notes.append(f"文件是{shown} 编码，已自动转换后读取。")
            return text
    tolerant = []
    for encoding, shown in (("utf-8", "UTF-8"), *LEGACY_ENCODINGS):
        text = body.decode(encoding, errors="replace")
        replaced = text.count("\ufffd")
        if is_usual_chinese(text) and replaced * HAN_PER_REPLACED <= _han_count(text):
            tolerant.append((replaced, shown, text))
    if not tolerant:
        raise ReportError(UNKNOWN_ENCODING)
    replaced, shown, text = min(tolerant, key=lambda found: found[0])
    notes.append(
        f"文件按 {shown} 编码读取，其中 {replaced} 个字符的字节已损坏、无法识别，已替换为“\ufffd”，其余文字完整。"
    )
    return text


def decode_text(data: bytes, notes: list[str] | None = None) -> str:
    """Decode a plain-text file (see the module docstring); what the user should know goes to ``notes``.

    Binary files and text that decodes only to garbage are refused with a ``ReportError``.
    """
    notes = notes if notes is not None else []
    sniffed = looks_like(data)
    if sniffed:
        raise ReportError(UNREADABLE + sniffed)
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
                UNREADABLE + "其中含有二进制数据，可能是图片、压缩包或其他程序的文件被改成了文本扩展名"
                "（如果是不带 BOM 的 UTF-16 文本，请另存为 UTF-8）。" + UPLOAD_HINT
            )
        body = data.rstrip(b"\x1a")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(body, notes)
    if not _is_readable(text):
        raise ReportError(
            UNREADABLE + "解码后几乎没有汉字或字母，多是控制符或乱码，可能是二进制文件或已损坏。" + UPLOAD_HINT
        )
    return text


def read_txt(data: bytes, budget: Budget) -> str:
    return budget.spend_lines(decode_text(data, budget.notes))
