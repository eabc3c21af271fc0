"""How long after a 报告部分 change the new word cloud is on screen, measured in a real browser.

Run by hand from the repo root:  python bench/bench_cloud_browser.py [--library FILE] [--rounds 3]

Starts ``streamlit run app.py`` on a free port with a copy of the library (default: a new one with the seeds),
opens 关键词 in Debian's Chromium, scrolls to the word cloud and clicks through the four parts in the sidebar
``--rounds`` times: from the click until the new picture has loaded (a different image, ``complete`` with a
width). The first round visits each filter state for the first time; later rounds return to states already
seen, which the app serves from its caches (figures, top terms and cloud images are kept per filter state).
Ends with one JSON line: every time, and the medians of first visits and of returns.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
CLOUD = '[data-testid="stImage"] img'
PARTS = ("存在问题", "措施打算", "工作成绩", "全部")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:  # noqa: S310 — our own http server
            return response.read().strip() == b"ok"
    except OSError:
        return False


def measure(base: str, rounds: int) -> list[tuple[int, str, float]]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{base}/keywords")
        page.wait_for_selector(CLOUD, timeout=180_000)
        page.locator(CLOUD).scroll_into_view_if_needed()
        page.wait_for_timeout(2000)
        for number in range(rounds):
            for part in PARTS:
                before = page.locator(CLOUD).get_attribute("src")
                start = time.perf_counter()
                page.locator('[data-testid="stSidebar"]').get_by_text(part, exact=True).click()
                page.wait_for_function(
                    "([sel, before]) => { const i = document.querySelector(sel);"
                    " return i && i.getAttribute('src') !== before && i.complete && i.naturalWidth > 0; }",
                    arg=[CLOUD, before],
                    timeout=120_000,
                    polling=10,
                )
                times.append((number, part, time.perf_counter() - start))
                page.wait_for_timeout(1500)  # the rest of the page settles before the next click
        browser.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, help="a library to copy (default: a new one with the seeds)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="reportlens-cloud-bench-"))
    library = folder / "library.sqlite3"
    if args.library:
        shutil.copy(args.library, library)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]  # fmt: skip
    environment = {**os.environ, "REPORTLENS_LIBRARY": str(library)}
    with (folder / "server.log").open("wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=environment)
        try:
            deadline = time.monotonic() + 120
            while not healthy(base):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the server did not start; see {folder / 'server.log'}")
                time.sleep(0.2)
            times = measure(base, args.rounds)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for number, part, seconds in times:
        print(f"round {number + 1}  {part}  {seconds:.2f} s")
    first = [s for n, _, s in times if n == 0]
    again = [s for n, _, s in times if n > 0]
    print(json.dumps({
        "seconds": [round(s, 3) for _, _, s in times],
        "first_visit_median": round(statistics.median(first), 3),
        "return_median": round(statistics.median(again), 3) if again else None,
    }))  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
