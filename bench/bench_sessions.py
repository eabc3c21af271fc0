"""Ten browser sessions at once on a big library (the scaling run's 4,000 reports), by hand.

    python bench/bench_sessions.py LIBRARY.sqlite3 [--sessions 10]

The same sessions as tests/test_sessions.py (each opens 关键词 from a link with its own years and part, then goes
through the pages, changing the part on the way), on a library given here instead of the test's 1,000 reports:
one ``streamlit run`` server, Playwright driving Debian's Chromium. The library is copied first (the app may
refresh what a changed parser made stale, and keeps its own settings in it). Prints each session's time, the
slowest, how long the server took to show its first page, the server's peak memory, and every error box or
traceback seen; exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import test_sessions as sessions  # noqa: E402  (the tests' own session script)
from test_e2e import CHROMIUM, CHROMIUM_ARGS, serve_app  # noqa: E402

from reportlens.store import Library  # noqa: E402


def server_peak_mib() -> float | None:
    """Peak resident memory of the streamlit server (the newest ``streamlit run`` process), from /proc."""
    try:
        for status in Path("/proc").glob("[0-9]*/status"):
            cmdline = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ")
            if b"streamlit run" in cmdline and str(ROOT / "app.py").encode() in cmdline:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


async def run(base: str, count: int) -> tuple[list[str], list[float], float]:
    from playwright.async_api import async_playwright

    problems: list[str] = []
    timings: list[float] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        started = time.perf_counter()
        warm = await browser.new_page()
        await sessions.open_page(warm, base, "")
        first_page = time.perf_counter() - started
        await warm.close()
        await asyncio.gather(
            *(sessions.one_session(browser, base, n, problems, timings) for n in range(count))
        )
        await browser.close()
    return problems, timings, first_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--sessions", type=int, default=sessions.SESSIONS)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reportlens-sessions-"))
    try:
        library = folder / "library.sqlite3"
        shutil.copy(args.library, library)
        with Library(library) as opened:
            reports = len(opened)
            stale = len(opened.stale_ids())
            opened.set_meta("seeded", "skipped")
        print(f"{reports:,} reports ({stale:,} to be refreshed by the app first)")
        log_path = folder / "server.log"
        with serve_app(library, log_path, startup_seconds=600) as base:
            started = time.perf_counter()
            problems, timings, first_page = asyncio.run(run(base, args.sessions))
            total = time.perf_counter() - started
            peak = server_peak_mib()
        log = log_path.read_text(errors="replace")
        if re.search(r"Traceback|Exception|Error", log):
            problems.append("the server logged an error:\n" + log[-3000:])
        print(f"first page (总览, one browser) {first_page:.1f} s; then {args.sessions} sessions, 7 page views each: "
              f"{total - first_page:.1f} s; slowest session {max(timings, default=0):.1f} s; "
              f"{len(timings)} of {args.sessions} finished; server peak RSS "
              f"{'?' if peak is None else f'{peak:.0f} MiB'}")
        for number, seconds in enumerate(sorted(timings)):
            print(f"  session {number}: {seconds:.1f} s")
        for problem in problems:
            print("PROBLEM:", problem)
        sys.exit(1 if problems or len(timings) < args.sessions else 0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
