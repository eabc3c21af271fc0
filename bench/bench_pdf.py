"""Which PDF text extractor reads Chinese PDFs right: measured, not guessed (run by hand: python bench/bench_pdf.py).

Each seed report is made into a PDF by several generators (tests/make_documents.py): fpdf2 with Noto Sans CJK
SC (CFF, Type0/Identity-H) and with a TrueType CJK font, reportlab with its CID font STSong-Light and with a
TrueType font, LibreOffice's PDF export of the numbered .docx, and a scan-like page image under an invisible
text layer. Each PDF is read by each candidate (pypdf, pypdfium2, pdfminer.six; poppler's pdftotext as a
reference when installed) and the text is compared with the seed's, whitespace left out, by difflib's ratio.

"reportlens.readers" is the path chosen (PDFium, lines rebuilt from character positions, garbled text
refused). Prints the table (mean and minimum similarity over the seeds, seconds per PDF, how many of the
texts the garbled-text detector of ``readers.pdf`` refuses) and one JSON line.
The TrueType font is Debian's fonts-droid-fallback (``apt-get install fonts-droid-fallback``), skipped without it.
"""

from __future__ import annotations

import difflib
import io
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import make_documents as make  # noqa: E402

from reportlens.errors import ReportError  # noqa: E402
from reportlens.normalize import normalize_text  # noqa: E402
from reportlens.readers import read_bytes  # noqa: E402
from reportlens.readers.pdf import _is_right  # noqa: E402

TRUETYPE_CJK = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
RE_SPACE = re.compile(r"\s+")
logging.getLogger("pypdf").setLevel(logging.ERROR)


def similarity(a: str, b: str) -> float:
    a, b = RE_SPACE.sub("", a), RE_SPACE.sub("", b)
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def pypdf_text(data: bytes) -> str:
    import pypdf

    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def pdfium_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def pdfminer_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def pdftotext_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        return subprocess.run(["pdftotext", "-enc", "UTF-8", tmp.name, "-"], capture_output=True, check=True,
                              text=True).stdout


def reportlens_text(data: bytes) -> str:
    """The chosen path: PDFium, lines rebuilt from character positions, garbled text refused."""
    try:
        return read_bytes(data, "a.pdf")
    except ReportError:
        return ""


EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "pypdf": pypdf_text,
    "pypdfium2": pdfium_text,
    "pdfminer.six": pdfminer_text,
    "reportlens.readers": reportlens_text,
}
if shutil.which("pdftotext"):
    EXTRACTORS["pdftotext (reference, GPL)"] = pdftotext_text


def generators(texts: dict[str, str]) -> dict[str, dict[str, bytes]]:
    """generator → seed name → PDF bytes."""
    out: dict[str, dict[str, bytes]] = {
        "fpdf2 + Noto Sans CJK (CFF)": {n: make.fpdf2_pdf(t) for n, t in texts.items()},
        "reportlab + STSong-Light (CID)": {n: make.reportlab_cid_pdf(t) for n, t in texts.items()},
        "text layer over image": {n: make.text_over_image_pdf(t) for n, t in texts.items()},
    }
    if TRUETYPE_CJK.exists():
        out["fpdf2 + Droid Sans Fallback (TTF)"] = {n: make.fpdf2_pdf(t, TRUETYPE_CJK) for n, t in texts.items()}
        out["reportlab + Droid Sans Fallback (TTF)"] = {n: make.reportlab_ttf_pdf(t, TRUETYPE_CJK) for n, t in texts.items()}
    try:
        docs = {f"{n}.docx": make.numbered_docx(t) for n, t in texts.items()}
        out["LibreOffice (docx → pdf)"] = {
            Path(name).stem: pdf for name, pdf in make.soffice_convert(docs, "pdf").items()
        }
    except make.LibreOfficeMissing:
        print("LibreOffice not installed: its PDFs are left out", file=sys.stderr)
    return out


def main() -> None:
    texts = {p.stem: normalize_text(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))}
    made = generators(texts)
    rows = []
    for generator, pdfs in made.items():
        for extractor, extract in EXTRACTORS.items():
            scores, seconds, flagged = [], 0.0, 0
            for name, data in pdfs.items():
                start = time.perf_counter()
                try:
                    text = extract(data)
                except Exception as err:  # a candidate failing is a result too
                    text = ""
                    print(f"{extractor} failed on {generator}/{name}: {err!r}", file=sys.stderr)
                seconds += time.perf_counter() - start
                scores.append(similarity(normalize_text(text), texts[name]))
                flagged += bool(text.strip()) and not _is_right(text)
            rows.append({
                "generator": generator, "extractor": extractor, "mean": round(sum(scores) / len(scores), 4),
                "min": round(min(scores), 4), "seconds_per_pdf": round(seconds / len(pdfs), 3),
                "judged_garbled": flagged,
            })
    print(f"{'generator':40} {'extractor':28} {'mean':>7} {'min':>7} {'s/pdf':>7} {'garbled':>7}")
    for row in rows:
        print(f"{row['generator']:40} {row['extractor']:28} {row['mean']:7.4f} {row['min']:7.4f} "
              f"{row['seconds_per_pdf']:7.3f} {row['judged_garbled']:>7}")
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main()
