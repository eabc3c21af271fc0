"""Reports the UI tests put into their temporary libraries: one hostile report (HTML and Markdown in its title
and text, which must show literally everywhere) and a generator of many synthetic reports.

The synthetic reports recombine paragraphs of the seeds and of ../shared/corpora under the usual headings
(工作回顾 / 存在的问题 / 工作安排), so they parse and segment like real ones; years run over 2000–2025.
"""

from __future__ import annotations

import csv
import random
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CORPORA = ROOT.parent / "shared" / "corpora"

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>粗体</b>"
MARKDOWN_HEADING = "# 标题"
MARKDOWN_BOLD = "**粗**"
HOSTILE_NAME = "hostile_report.txt"
# A work report whose title, headings, items and text carry HTML and Markdown. Its year (2023, from the dateline)
# lies inside the seeds' years, so the filters' year range does not change when it is added.
HOSTILE_REPORT = f"""关于{BOLD}问题整改情况的报告{SCRIPT}

{MARKDOWN_HEADING}

今年以来，我局坚持以{MARKDOWN_BOLD}字当头，认真落实{BOLD}整改要求，扎实推进全面从严治党各项工作。现将有关情况报告如下。

一、工作开展情况
（一）{SCRIPT}理论学习不断深入。我局把理论学习作为首要政治任务，全年召开党组理论学习中心组学习会12次，开展专题研讨4次，推动学习贯彻走深走实。
（二）{MARKDOWN_BOLD}作风建设持续加强。深入整治形式主义、官僚主义，精简会议文件，切实为基层减负，干部作风明显改进。
二、存在的问题
一是{BOLD}问题整改还不够彻底，个别干部对整改工作的认识不足，存在等待观望思想。二是{MARKDOWN_HEADING}式的形式主义仍有发生，文山会海现象没有根本扭转。三是监督执纪问责的力度还需加大。
三、下一步工作措施
（一）持续深化理论武装，坚持不懈用党的创新理论凝心铸魂，推动{BOLD}整改落地见效。
（二）坚决整治形式主义，严格控制发文数量和会议规模，让基层干部把更多精力用在抓落实上。
（三）从严从实加强监督，综合运用监督执纪“四种形态”，推动全面从严治党向纵深发展。

某某局
2023年12月20日
"""

NUMERALS = "一二三四五六七八九十"
UNITS = ("市文化和旅游局", "县人民政府", "区发展和改革委员会", "市教育局", "省生态环境厅", "市卫生健康委员会")
YEARS = (2000, 2025)


def paragraphs() -> list[str]:
    """Body paragraphs (60–400 characters, not headings) of the seeds and the corpora."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")) + sorted(CORPORA.glob("*/*.txt")):
        for raw in path.read_text(encoding="utf-8-sig").splitlines():
            line = raw.strip()
            if 60 <= len(line) <= 400 and line[0] not in "一二三四五六七八九十（(0123456789":
                out.append(line)
    return out


def synthetic_report(number: int, year: int, pool: list[str], rng: random.Random, *, parts: int = 10) -> str:
    """A work report: title, preamble, a numbered review, a list of problems, a numbered plan."""
    unit = rng.choice(UNITS)
    lines = [f"{unit}{year}年工作报告（第{number + 1}号）", *rng.sample(pool, 2), f"一、{year - 1}年工作回顾"]
    for k in range(parts):
        lines += [f"（{NUMERALS[k % 10]}）{rng.choice(pool)[:30]}", rng.choice(pool), rng.choice(pool)]
    lines.append("二、存在的问题")
    lines += [f"{k + 1}. {rng.choice(pool)}" for k in range(6)]
    lines.append(f"三、{year}年工作安排")
    for k in range(parts):
        lines += [f"（{NUMERALS[k % 10]}）{rng.choice(pool)[:30]}", rng.choice(pool), rng.choice(pool)]
    return "\n".join(lines)


def write_synthetic(folder: Path, count: int, *, seed: int = 2025) -> list[Path]:
    """``count`` synthetic reports as .txt files in ``folder`` with a metadata.csv giving each one's year."""
    pool = paragraphs()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows, files = [], []
    span = YEARS[1] - YEARS[0] + 1
    for i in range(count):
        year = YEARS[0] + i % span
        path = folder / f"report_{i:04d}.txt"
        path.write_text(synthetic_report(i, year, pool, rng), encoding="utf-8")
        rows.append({"file": path.name, "year": year, "kind": "工作报告"})
        files.append(path)
    with (folder / "metadata.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["file", "year", "kind"])
        writer.writeheader()
        writer.writerows(rows)
    return files


def hostile_pdf(pages: int, repeats: int) -> bytes:
    """A small PDF whose pages all draw one shared content stream that is huge once decompressed: a few KB that
    keep pypdf's text extraction busy for about a second per page per 20,000 ``repeats`` (the issue's 81 KB
    file took 10–15 minutes). Written out by hand: object by object, then the cross-reference table."""
    show = "BT /F1 12 Tf 72 712 Td (存在的问题) Tj ET\n".encode()
    packed = zlib.compress(show * repeats, 9)
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        f"<< /Length {len(packed)} /Filter /FlateDecode >>\nstream\n".encode() + packed + b"\nendstream",
        *[page] * pages,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def numbered_lines(count: int) -> str:
    """A text of ``count`` short numbered lines (「12.12.12 工作12」): a few hundred KB that the structure parser
    needed about six minutes for at 40,000 lines (quadratic somewhere; found while building these tests) —
    what the worker's time budget is for, whatever the readers already refuse."""
    return "关于各项工作的情况报告\n" + "\n".join(f"{i}.{i}.{i} 工作{i}" for i in range(1, count + 1))


def spoiled_variants(data: bytes, rng: random.Random, *, cuts: tuple[int, ...], rounds: int, flips: int) -> list[bytes]:
    """Damaged copies of a document: cut short at each of ``cuts`` bytes, and ``rounds`` copies with ``flips``
    random bytes overwritten each — what an interrupted download or a bad disk makes of a file."""
    variants = [data[:cut] for cut in cuts]
    for _ in range(rounds):
        spoiled = bytearray(data)
        for position in rng.sample(range(len(data)), flips):
            spoiled[position] = rng.randrange(256)
        variants.append(bytes(spoiled))
    return variants
