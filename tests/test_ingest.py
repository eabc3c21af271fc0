"""Ingest: files, folders and uploads into the library, in worker processes or this one, and where the library
lives. (The workers' time and memory budgets: tests/test_workers.py.)"""

from __future__ import annotations

import pickle
import random
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SEEDS, corpus_files
from library_helpers import term_counts
from make_documents import numbered_docx

from reportlens import ingest, prepare
from reportlens.corpus import load_seeds
from reportlens.derived import TokenizerSpec
from reportlens.errors import ReportError
from reportlens.ingest import IngestResult, collect_files, ingest_paths, ingest_uploads, open_library
from reportlens.paths import LIBRARY_ENV, default_library_path, library_path
from reportlens.prepare import Failure, Prepared, prepare_document, prepare_file
from reportlens.store import Library
from reportlens.store import writes as store
from reportlens.text import join_stopwords

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def provinces() -> list[Path]:
    """The reports of ../shared/corpora/provinces-2026 (the test skips without ../shared)."""
    return corpus_files("provinces-2026/*.txt")


@pytest.fixture()
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib" / "library.sqlite3")
    yield lib
    lib.close()


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({c: str for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)})


# ------------------------------------------------------------------------------------------------ prepare


def test_prepare_document_is_pure_and_its_result_pickles() -> None:
    data = SEED_FILES[3].read_bytes()
    first = prepare_document(data, "自查报告.txt")
    second = prepare_document(data, "自查报告.txt")
    assert isinstance(first, Prepared) and isinstance(second, Prepared)
    assert first.report == second.report and first.report.file == "自查报告.txt"
    assert first.report == load_seeds().reports[3].with_metadata(file="自查报告.txt")
    assert first.derived.sections == second.derived.sections and first.derived.items == second.derived.items
    assert first.derived.tokens.vocab == second.derived.tokens.vocab
    assert np.array_equal(first.derived.tokens.codes, second.derived.tokens.codes)
    copy = pickle.loads(pickle.dumps(first))  # noqa: S301 — our own object, as a worker process sends it back
    assert copy.report == first.report and np.array_equal(copy.derived.tokens.offsets, first.derived.tokens.offsets)


def test_prepare_reports_failures_instead_of_raising(tmp_path: Path) -> None:
    assert prepare_document(b"", "a.txt") == Failure("a.txt", prepare_document(b"", "a.txt").reason)
    assert "文件为空" in prepare_document(b"", "a.txt").reason
    missing = prepare_file(tmp_path / "nope.txt")
    assert isinstance(missing, Failure) and "找不到文件" in missing.reason
    assert missing.file == str(tmp_path / "nope.txt")
    labelled = prepare_file(SEED_FILES[0], label="示例.txt")
    assert isinstance(labelled, Prepared) and labelled.file == "示例.txt"
    assert labelled.report.file == "示例.txt"


def test_a_bug_in_the_engine_is_a_failure_not_a_traceback(monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise IndexError("a bug")

    monkeypatch.setattr(prepare, "derive_batch", broken)
    monkeypatch.setattr(prepare, "derive", broken)
    outcome = prepare_document(SEED_FILES[0].read_bytes(), "a.txt")
    assert isinstance(outcome, Failure) and outcome.reason == prepare.UNEXPECTED


def test_a_panic_in_a_native_library_is_a_failure_not_a_traceback(monkeypatch) -> None:
    """pyo3 raises PanicException — a BaseException — when Rust code (rjieba) panics, e.g. on an allocation a
    memory budget refused."""

    class PanicException(BaseException):  # pyo3_runtime's, as far as the name goes
        pass

    def panicking(*args, **kwargs):
        raise PanicException("PyObject pointer is null")

    monkeypatch.setattr(prepare, "derive_batch", panicking)
    monkeypatch.setattr(prepare, "derive", panicking)
    outcome = prepare_document(SEED_FILES[0].read_bytes(), "a.txt")
    assert isinstance(outcome, Failure) and outcome.reason == prepare.CRASHED


def test_a_report_the_engine_fails_on_fails_alone_in_its_batch(library: Library, monkeypatch) -> None:
    bad_text = SEED_FILES[1].read_bytes()
    real_derive = prepare.derive

    def broken_batch(reports, segmenter):
        raise IndexError("a bug on one report of the batch")

    def derive_all_but_one(report, segmenter):
        if report.file == "坏.txt":
            raise IndexError("a bug on this report")
        return real_derive(report, segmenter)

    monkeypatch.setattr(prepare, "derive_batch", broken_batch)
    monkeypatch.setattr(prepare, "derive", derive_all_but_one)
    files = [("甲.txt", SEED_FILES[0].read_bytes()), ("坏.txt", bad_text), ("乙.txt", SEED_FILES[2].read_bytes())]
    results = ingest_uploads(files, library, budget=None)  # in this process, where the engine is patched
    assert [r.status for r in results] == ["ok", "failed", "ok"] and results[1].reason == prepare.UNEXPECTED
    assert len(library) == 2 and library.check() == []


def test_a_batch_of_reports_shares_one_vocabulary_stored_as_each_alone(tmp_path: Path) -> None:
    files = [(p.name, p.read_bytes()) for p in SEED_FILES]
    jobs = [prepare._Job(name, None, data, None, prepare.ReadLimits(), TokenizerSpec()) for name, data in files]
    together = prepare._prepare_batch(jobs)
    assert len({id(p.derived.tokens.vocab) for p in together}) == 1
    back = pickle.loads(pickle.dumps(together))  # noqa: S301 — our own objects, as a worker sends them back
    assert len({id(p.derived.tokens.vocab) for p in back}) == 1  # sent once, one object again
    assert len(pickle.dumps(together)) < sum(len(pickle.dumps(p)) for p in together)
    with Library(tmp_path / "together.sqlite3") as shared, Library(tmp_path / "alone.sqlite3") as alone:
        with shared.batch():
            assert all(shared.add(p.report, p.derived) for p in back)
        for name, data in files:
            assert isinstance(outcome := prepare_document(data, name), Prepared)
            assert alone.add(outcome.report, outcome.derived)
        pd.testing.assert_frame_equal(
            shared.token_table().astype({"token": str}), alone.token_table().astype({"token": str})
        )
        def counts(library: Library) -> pd.DataFrame:  # the same counts; their order follows the vocabulary
            return term_counts(library).sort_values(["report_id", "role", "term"]).reset_index(drop=True)

        pd.testing.assert_frame_equal(counts(shared), counts(alone))
        assert shared.check() == []


def test_han_and_letters_count_as_the_patterns_do() -> None:
    rng = random.Random(3)
    alphabet = [*"党风廉政GDP增长5%，。 \n_①٣Ω", "\U00020000", "\uf900", "\u3400", "\ud800"]
    texts = [path.read_text(encoding="utf-8") for path in SEED_FILES + provinces()]
    texts += ["".join(rng.choices(alphabet, k=rng.randint(0, 300))) for _ in range(300)]
    texts.append("党" * (prepare.LANGUAGE_SAMPLE + 10))
    for text in texts:
        sample = text[: prepare.LANGUAGE_SAMPLE]
        expected = (len(prepare.RE_NOT_HAN.sub("", sample)), len(prepare.RE_NOT_LETTER.sub("", sample)))
        assert prepare.han_and_letters(text) == expected, text[:30]


# ------------------------------------------------------------------------------------------------ batches


def test_collect_files_walks_folders_and_skips_hidden_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "b" / "sub").mkdir(parents=True)
    (tmp_path / "b" / ".git").mkdir()
    for name in ("b/2.txt", "b/sub/1.txt", "b/metadata.csv", "b/.DS_Store", "b/~$报告.docx", "b/.git/x.txt", "a.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = collect_files([tmp_path / "b", tmp_path / "a.txt", tmp_path / "missing.txt"])
    assert found == [tmp_path / "b" / "2.txt", tmp_path / "b" / "sub" / "1.txt", tmp_path / "a.txt",
                     tmp_path / "missing.txt"]


def test_ingest_a_folder_with_metadata(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "2023").mkdir(parents=True)
    shutil.copy(SEED_FILES[0], folder / "2023" / "廉政.txt")
    shutil.copy(SEED_FILES[1], folder / "八项规定.txt")
    (folder / "2023" / "metadata.csv").write_text(
        "\ufefffile,title,year,unit,kind\n廉政.txt,局党风廉政建设报告,2021,某市文旅局,情况报告\n", encoding="utf-8"
    )
    seen: list[tuple[int, int, str]] = []
    results = ingest_paths([folder], library, progress=lambda d, t, r: seen.append((d, t, r.status)))
    assert [r.status for r in results] == ["ok", "ok"]
    assert [Path(r.file).name for r in results] == ["廉政.txt", "八项规定.txt"]
    assert seen == [(1, 2, "ok"), (2, 2, "ok")]
    first = library.report(results[0].report_id)
    assert (first.title, first.year, first.year_source, first.unit) == ("局党风廉政建设报告", 2021, "metadata", "某市文旅局")
    assert results[0].title == "局党风廉政建设报告"
    second = library.report(results[1].report_id)
    assert second.title == "关于贯彻执行中央八项规定精神工作汇报" and second.file == "八项规定.txt"
    assert library.check() == []


def test_duplicates_within_a_batch_and_on_a_second_run(library: Library, tmp_path: Path) -> None:
    copy = tmp_path / "副本.txt"
    copy.write_bytes(SEED_FILES[2].read_bytes().decode("utf-8").encode("gbk"))  # same text, other encoding
    results = ingest_paths([SEED_FILES[2], copy, SEED_FILES[4]], library)
    assert [r.status for r in results] == ["ok", "duplicate", "ok"]
    assert results[1].report_id == results[0].report_id
    again = ingest_paths([SEED_FILES[2], SEED_FILES[4]], library)
    assert [r.status for r in again] == ["duplicate", "duplicate"] and len(library) == 2


def test_uploads(library: Library) -> None:
    files = [(p.name, p.read_bytes()) for p in SEED_FILES[:3]] + [("坏文件.txt", b"\x00\x01\x02" * 50)]
    results = ingest_uploads(files, library)
    assert [r.status for r in results] == ["ok", "ok", "ok", "failed"]
    assert results[3] == IngestResult("坏文件.txt", "failed", reason=results[3].reason) and "二进制" in results[3].reason
    assert library.ids() == [r.report_id for r in results[:3]]


def test_loading_the_seeds_is_no_import_of_the_user(tmp_path: Path) -> None:
    with open_library(tmp_path / "new.sqlite3") as library:
        assert len(library) == len(SEED_FILES) and library.last_import() is None


def test_the_library_keeps_what_became_of_each_file_of_the_last_import(library: Library) -> None:
    assert library.last_import() is None
    ingest_uploads([("甲.txt", SEED_FILES[0].read_bytes())], library)
    files = [(p.name, p.read_bytes()) for p in SEED_FILES[:2]] + [("坏文件.txt", b"\x00\x01\x02" * 50)]
    results = ingest_uploads(files, library)
    finished_at, rows = library.last_import()
    assert rows["file"].tolist() == [p.name for p in SEED_FILES[:2]] + ["坏文件.txt"]
    assert rows["status"].tolist() == ["duplicate", "ok", "failed"]
    assert rows["report_id"].tolist()[:2] == [r.report_id for r in results[:2]] and rows["reason"][2] == results[2].reason
    assert finished_at.startswith("20")
    with Library(library.path) as reopened:
        assert reopened.last_import()[1].equals(rows)


@pytest.mark.parametrize("in_process", [True, False])
def test_an_interrupted_import_keeps_the_files_it_did(library: Library, monkeypatch, in_process: bool) -> None:
    monkeypatch.setattr(prepare, "BATCH_FILES", 2)  # in this process, files are prepared and stored two at a time
    monkeypatch.setattr(prepare, "CHUNK_FILES", 2)  # in worker processes too

    class Leave(Exception):
        """What stopping a script run midway raises inside the progress callback."""

    def progress(done: int, total: int, result: IngestResult) -> None:
        if done == 1:
            raise Leave

    files = [(p.name, p.read_bytes()) for p in SEED_FILES[:4]]
    with pytest.raises(Leave):
        ingest_uploads(files, library, progress=progress, budget=None if in_process else prepare.DEFAULT_BUDGET)
    kept = library.last_import()[1]["file"].tolist()
    # the first two, stored together; the stop came while they were being reported
    assert len(library) == 2 and kept == [p.name for p in SEED_FILES[:2]]


def test_progress_hears_of_a_report_once_it_is_committed(library: Library) -> None:
    seen: list[bool] = []

    def progress(done: int, total: int, result: IngestResult) -> None:
        with Library(library.path) as other:  # another connection sees committed data only
            seen.append(result.report_id in other)

    results = ingest_paths(SEED_FILES, library, progress=progress)
    assert [r.status for r in results] == ["ok"] * len(SEED_FILES) and seen == [True] * len(SEED_FILES)


def test_a_batch_that_cannot_be_committed_fails_its_reports(library: Library, monkeypatch) -> None:
    real_batch = library.batch

    @contextmanager
    def batch_failing_at_commit():
        with real_batch():
            yield
            raise ReportError("写入资料库时磁盘空间已满。")

    monkeypatch.setattr(library, "batch", batch_failing_at_commit)
    files = [(p.name, p.read_bytes()) for p in SEED_FILES[:2]] + [("坏文件.txt", b"\x00\x01\x02" * 50)]
    results = ingest_uploads(files, library)
    assert [r.status for r in results] == ["failed"] * 3 and len(library) == 0
    assert results[0].reason == "写入资料库时磁盘空间已满。" and results[0].report_id and results[0].title
    assert "二进制" in results[2].reason
    monkeypatch.undo()
    again = ingest_uploads(files[:2], library)
    assert [r.status for r in again] == ["ok", "ok"] and library.check() == []


def test_only_the_latest_imports_are_kept(library: Library, monkeypatch) -> None:
    monkeypatch.setattr(store, "IMPORTS_KEPT", 3)
    for i in range(5):
        library.record_import([(f"{i}.txt", "failed", None, "", "坏了")])
    conn = sqlite3.connect(library.path)
    kept = [r[0] for r in conn.execute("SELECT file FROM imports ORDER BY batch")]
    conn.close()
    assert kept == ["2.txt", "3.txt", "4.txt"] and library.last_import()[1]["file"].tolist() == ["4.txt"]


def test_a_pool_of_workers_builds_the_same_library(tmp_path: Path) -> None:
    files = provinces()[:8] + SEED_FILES
    one = Library(tmp_path / "one.sqlite3")
    two = Library(tmp_path / "two.sqlite3")
    first = ingest_paths(files, one, workers=1)
    second = ingest_paths(files, two, workers=2)
    assert first == second and {r.status for r in first} == {"ok"}
    assert one.ids() == two.ids()
    pd.testing.assert_frame_equal(plain(one.token_table()), plain(two.token_table()))
    pd.testing.assert_frame_equal(one.reports().drop(columns="added_at"), two.reports().drop(columns="added_at"))
    one.close()
    two.close()


def test_two_workers_store_in_the_order_given(library: Library, tmp_path: Path) -> None:
    files = provinces()[:20]
    results = ingest_paths(files, library, workers=2)
    assert [r.status for r in results] == ["ok"] * 20
    assert [Path(r.file) for r in results] == files
    assert library.ids() == [r.report_id for r in results]


def test_batches_hold_few_files_and_bytes(monkeypatch) -> None:
    monkeypatch.setattr(prepare, "BATCH_FILES", 3)
    monkeypatch.setattr(prepare, "BATCH_BYTES", 100)
    spec, limits = TokenizerSpec(), prepare.ReadLimits()
    jobs = [prepare._Job(f"{i}.txt", None, b"x" * size, None, limits, spec) for i, size in enumerate([10] * 4 + [95, 200, 5])]
    batches = [[job.label for job in batch] for batch in prepare._batches(jobs)]
    assert batches == [["0.txt", "1.txt", "2.txt"], ["3.txt"], ["4.txt"], ["5.txt"], ["6.txt"]]


def test_worker_chunks_group_text_files_only(monkeypatch) -> None:
    monkeypatch.setattr(prepare, "CHUNK_FILES", 3)
    monkeypatch.setattr(prepare, "CHUNK_BYTES", 100)
    spec, limits = TokenizerSpec(), prepare.ReadLimits()
    names = ["0.txt", "1.TXT", "2.txt", "3.txt", "4.docx", "5.txt", "6.pdf", "7.doc", "8.txt", "9.txt"]
    sizes = [10, 10, 10, 10, 10, 10, 10, 10, 95, 10]
    jobs = [prepare._Job(name, None, b"x" * size, None, limits, spec) for name, size in zip(names, sizes, strict=True)]
    chunks = [[job.label for job in chunk] for chunk in prepare.chunk_jobs(jobs)]
    assert chunks == [["0.txt", "1.TXT", "2.txt"], ["3.txt"], ["4.docx"], ["5.txt"], ["6.pdf"], ["7.doc"],
                      ["8.txt"], ["9.txt"]]  # fmt: skip


def test_chunks_in_workers_build_the_library_as_one_process_does(tmp_path: Path) -> None:
    """Files prepared in worker chunks (several text files, a .docx alone) give the same reports, term ids and
    tokens as files prepared in this process."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, folder / path.name)
    seed = SEED_FILES[0].read_text(encoding="utf-8")
    (folder / "z.docx").write_bytes(numbered_docx(seed.replace("一、", "一、全年", 1)))  # a text of its own
    here = Library(tmp_path / "here.sqlite3")
    there = Library(tmp_path / "there.sqlite3")
    first = ingest_paths([folder], here, budget=None)
    second = ingest_paths([folder], there, workers=2)
    assert first == second and {r.status for r in first} == {"ok"}
    assert len(prepare.chunk_jobs(ingest._path_jobs([folder], there, prepare.ReadLimits())[0])) == 2
    pd.testing.assert_frame_equal(plain(here.token_table()), plain(there.token_table()))
    here.close()
    there.close()


# ------------------------------------------------------------------------------------------------ opening


def test_open_library_loads_the_seeds_on_first_use_only(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "data" / "mine.sqlite3"
    monkeypatch.setenv(LIBRARY_ENV, str(path))
    library = open_library()
    assert library.path == path and library.get_meta("seeded") == "yes"
    assert library.ids() == [r.id for r in load_seeds()]
    for report_id in library.ids():
        library.delete(report_id)
    library.close()
    reopened = open_library()  # emptied by the user: stays empty
    assert len(reopened) == 0
    reopened.close()
    bare = open_library(tmp_path / "bare.sqlite3", seed=False)
    assert len(bare) == 0 and bare.get_meta("seeded") == "skipped"
    bare.close()
    assert len(open_library(tmp_path / "bare.sqlite3")) == 0


def test_open_library_refreshes_stale_derived_data(tmp_path: Path) -> None:
    library = open_library(tmp_path / "l.sqlite3")
    some = library.ids()[1]
    library._connection().execute("UPDATE outlines SET parser_version = 'old' WHERE report_id = ?", (some,))
    library.close()
    calls: list[tuple[int, int]] = []
    reopened = open_library(tmp_path / "l.sqlite3", progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 1)] and reopened.stale_ids() == [] and reopened.check() == []
    reopened.close()


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({"HOME": "/home/li", "XDG_DATA_HOME": "/data/li"}, "linux", "/data/li/reportlens/library.sqlite3"),
        ({"HOME": "/home/li"}, "linux", "/home/li/.local/share/reportlens/library.sqlite3"),
        ({"HOME": "/home/li", "XDG_DATA_HOME": "relative/dir"}, "linux", "/home/li/.local/share/reportlens/library.sqlite3"),
        ({"HOME": "/Users/li"}, "darwin", "/Users/li/.local/share/reportlens/library.sqlite3"),
        ({"APPDATA": r"C:\Users\li\AppData\Roaming"}, "win32", r"C:\Users\li\AppData\Roaming/reportlens/library.sqlite3"),
    ],
)
def test_default_library_path(environ: dict[str, str], platform: str, expected: str) -> None:
    assert default_library_path(environ=environ, platform=platform) == Path(expected)


def test_library_path_precedence() -> None:
    env = {"HOME": "/home/li", LIBRARY_ENV: "/srv/shared.sqlite3"}
    assert library_path("x.sqlite3", environ=env) == Path("x.sqlite3")
    assert library_path(None, environ=env) == Path("/srv/shared.sqlite3")
    assert library_path(None, environ={"HOME": "/home/li"}, platform="linux") == Path(
        "/home/li/.local/share/reportlens/library.sqlite3"
    )


def test_tokenizer_spec_from_edited_texts() -> None:
    data = Path(ingest.__file__).parent / "data"
    userdict = (data / "userdict.txt").read_text(encoding="utf-8")
    function_words = (data / "stopwords.txt").read_text(encoding="utf-8")
    boilerplate = (data / "stopwords_boilerplate.txt").read_text(encoding="utf-8")
    # both bundled stopword lists, as the library's settings hold them, make the default tokenizer
    assert TokenizerSpec.from_texts(userdict, join_stopwords(function_words, boilerplate)) == TokenizerSpec()
    assert TokenizerSpec.from_texts(userdict, function_words) != TokenizerSpec()  # without the boilerplate
    edited = TokenizerSpec.from_texts("理论学习 5000\n", "的\n")
    assert edited.build().cut("加强理论学习的") == ["加强", "理论学习", "的"]
    assert edited.build().version != TokenizerSpec().build().version
