"""Viewers and editors: passwords kept only as scrypt hashes beside the library, the rules of who may view and
who may change, failed logins slowed down, the ``set-password`` command, and the app under AppTest — a viewer
cannot reach any editing control, an editor can; a server other machines can reach, without an editor
password, is read-only and says how to set one. (The real browser: tests/test_e2e_access.py.)"""

from __future__ import annotations

import json
import os
import pty
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from reportlens.access import (
    LOCKED,
    AccessConfig,
    Policy,
    Throttle,
    access_file,
    client_key,
    hash_password,
    is_loopback,
    load_access,
    reachable_from_network,
    save_password,
    verify_password,
)
from reportlens.errors import ReportError
from reportlens.ingest import open_library
from reportlens.paths import LIBRARY_ENV
from reportlens.ui import access as ui_access
from reportlens.ui.dictionary import KEY_SAVE as KEY_DICT_SAVE
from reportlens.ui.library import KEY_DELETE_IDS, KEY_EDITOR, KEY_IMPORT

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

APP = Path(__file__).resolve().parents[1] / "app.py"
TIMEOUT = 120
EDITOR_PASSWORD = "编辑口令 correct horse"
VIEWER_PASSWORD = "viewer-battery-staple"


# ------------------------------------------------------------------------------------------------ hashes


def test_a_hash_verifies_its_password_only() -> None:
    encoded = hash_password(EDITOR_PASSWORD)
    assert encoded.startswith("scrypt$17$8$1$") and EDITOR_PASSWORD not in encoded
    assert verify_password(EDITOR_PASSWORD, encoded)
    assert not verify_password(EDITOR_PASSWORD + " ", encoded) and not verify_password("", encoded)
    assert hash_password(EDITOR_PASSWORD) != encoded  # a new salt each time


@pytest.mark.parametrize(
    "encoded",
    ["", "plain", "scrypt$17$8$1$bm90$", "md5$1$1$1$c2FsdA==$a2V5", "scrypt$40$8$1$c2FsdA==$a2V5", "scrypt$x$8$1$a$b"],
)
def test_a_malformed_hash_matches_nothing(encoded: str) -> None:
    assert not verify_password("anything", encoded)


def test_the_password_file_holds_hashes_only_and_is_private(tmp_path: Path) -> None:
    library = tmp_path / "library.sqlite3"
    written = save_password(library, "editor", EDITOR_PASSWORD)
    assert written == access_file(library) == tmp_path / "library.access.json"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    save_password(library, "viewer", VIEWER_PASSWORD)
    stored = json.loads(written.read_text(encoding="utf-8"))
    assert set(stored) == {"editor", "viewer"}
    assert EDITOR_PASSWORD not in written.read_text(encoding="utf-8")
    config = load_access(library)
    assert verify_password(EDITOR_PASSWORD, config.editor) and verify_password(VIEWER_PASSWORD, config.viewer)
    save_password(library, "viewer", None)
    assert load_access(library).viewer is None and load_access(library).editor == config.editor
    with pytest.raises(ReportError, match="密码太短"):
        save_password(library, "editor", "short")


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"editor": 5}'])
def test_a_damaged_password_file_locks_everything(tmp_path: Path, content: bytes) -> None:
    library = tmp_path / "library.sqlite3"
    access_file(library).write_bytes(content)
    config = load_access(library)
    assert config == LOCKED
    rules = Policy(config, networked=False)
    assert not rules.may_view(None) and not rules.may_edit(None) and rules.role_for("") is None


# ------------------------------------------------------------------------------------------------ rules


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("0.0.0.0", False), ("", False), (None, False), ("192.168.1.20", False), ("::", False), ("intranet", False)],
)  # fmt: skip
def test_is_loopback(host, loopback) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("address", "client", "headers", "networked"),
    [
        ("127.0.0.1", "127.0.0.1", {}, False),
        ("127.0.0.1", None, {}, False),
        (None, "127.0.0.1", {}, True),  # streamlit's default: every interface
        ("0.0.0.0", "127.0.0.1", {}, True),
        ("127.0.0.1", "10.1.2.3", {}, True),
        ("127.0.0.1", "127.0.0.1", {"X-Forwarded-For": "10.1.2.3"}, True),  # nginx in front
        ("127.0.0.1", "127.0.0.1", {"X-Real-IP": "10.1.2.3"}, True),
    ],
)
def test_reachable_from_network(address, client, headers, networked) -> None:
    assert reachable_from_network(address, client, headers) is networked


def test_the_rules() -> None:
    editor, viewer = hash_password(EDITOR_PASSWORD), hash_password(VIEWER_PASSWORD)
    alone = Policy(AccessConfig(), networked=False)
    assert alone.may_view(None) and alone.may_edit(None) and not alone.read_only
    shared_open = Policy(AccessConfig(), networked=True)
    assert shared_open.may_view(None) and not shared_open.may_edit(None) and shared_open.read_only
    shared = Policy(AccessConfig(editor=editor), networked=True)
    assert shared.may_view(None) and not shared.may_edit(None) and not shared.may_edit("viewer")
    assert shared.may_edit("editor") and shared.role_for(EDITOR_PASSWORD) == "editor"
    assert shared.role_for(VIEWER_PASSWORD) is None
    locked = Policy(AccessConfig(editor=editor, viewer=viewer), networked=False)
    assert not locked.may_view(None) and locked.may_view("viewer") and not locked.may_edit("viewer")
    assert locked.role_for(VIEWER_PASSWORD) == "viewer" and locked.role_for(EDITOR_PASSWORD) == "editor"
    assert not locked.may_edit(None)  # a password set: even on this machine alone, editing needs it


@pytest.mark.parametrize(
    ("peer", "headers", "key"),
    [
        ("10.1.2.3", {}, "10.1.2.3"),
        ("127.0.0.1", {"X-Forwarded-For": "10.1.2.3, 127.0.0.1"}, "10.1.2.3"),  # nginx on this machine
        ("10.9.9.9", {"X-Forwarded-For": "1.2.3.4"}, "10.9.9.9"),  # a header sent from elsewhere: not believed
        (None, {}, "unknown"),
    ],
)
def test_failed_logins_are_counted_per_browser(peer, headers, key) -> None:
    assert client_key(peer, headers) == key


def test_failed_attempts_are_slowed_down() -> None:
    now = [100.0]
    throttle = Throttle(base=1.0, cap=8.0, clock=lambda: now[0])
    assert throttle.wait("10.0.0.9") == 0
    waits = []
    for _ in range(6):
        throttle.failed("10.0.0.9")
        waits.append(throttle.wait("10.0.0.9"))
    assert waits == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert throttle.wait("10.0.0.10") == 0  # per client
    now[0] += 8.0
    assert throttle.wait("10.0.0.9") == 0
    throttle.succeeded("10.0.0.9")
    throttle.failed("10.0.0.9")
    assert throttle.wait("10.0.0.9") == 1.0  # a success starts it over


# ------------------------------------------------------------------------------------------------ set-password


def test_set_password_from_stdin(tmp_path: Path) -> None:
    library = tmp_path / "library.sqlite3"
    command = [sys.executable, "-m", "reportlens.cli", "set-password", "--library", str(library), "--password-stdin"]
    done = subprocess.run(command, input=EDITOR_PASSWORD + "\n", capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "已设置编辑密码" in done.stdout and EDITOR_PASSWORD not in done.stdout + done.stderr
    assert verify_password(EDITOR_PASSWORD, load_access(library).editor)
    short = subprocess.run(command, input="abc\n", capture_output=True, text=True, timeout=60, check=False)
    assert short.returncode == 2 and "密码太短" in short.stderr and "Traceback" not in short.stderr
    removed = subprocess.run([*command[:-1], "--remove"], capture_output=True, text=True, timeout=60, check=False)
    assert removed.returncode == 0 and load_access(library).editor is None


def test_set_password_without_a_terminal_asks_for_one(tmp_path: Path) -> None:
    """Piped in without --password-stdin, getpass would read it with an English warning about echoing."""
    library = tmp_path / "library.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "reportlens.cli", "set-password", "--library", str(library)],
        input=EDITOR_PASSWORD + "\n", capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and "--password-stdin" in done.stderr and "Warning" not in done.stderr
    assert not access_file(library).exists()


@pytest.mark.skipif(not hasattr(pty, "fork"), reason="a pseudo-terminal is a POSIX feature")
def test_set_password_reads_the_password_without_echo(tmp_path: Path) -> None:
    """At a terminal the password is asked twice and never shown."""
    library = tmp_path / "library.sqlite3"
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command at a terminal
        os.execv(sys.executable, [sys.executable, "-m", "reportlens.cli", "set-password", "--library", str(library)])
    seen = b""
    deadline = time.monotonic() + 60
    for answer in (EDITOR_PASSWORD, EDITOR_PASSWORD):
        while b"\xef\xbc\x9a" not in seen.rsplit(b"\n", 1)[-1] and time.monotonic() < deadline:  # the prompt's 「：」
            seen += os.read(fd, 1024)
        os.write(fd, answer.encode("utf-8") + b"\n")
        seen += os.read(fd, 1024)
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    shown = seen.decode("utf-8", errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, shown
    assert "再输入一遍" in shown and "已设置编辑密码" in shown
    assert EDITOR_PASSWORD not in shown  # no echo
    assert verify_password(EDITOR_PASSWORD, load_access(library).editor)


# ------------------------------------------------------------------------------------------------ the app


@pytest.fixture(scope="module")
def library_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("access") / "library.sqlite3"
    open_library(path).close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(LIBRARY_ENV, str(path))
        yield path


@pytest.fixture()
def passwords(library_file: Path, monkeypatch):
    """Set passwords for one test (none afterwards), with a fresh failed-login throttle."""
    monkeypatch.setattr(ui_access, "THROTTLE", Throttle())

    def set_passwords(*, editor: str | None = None, viewer: str | None = None) -> None:
        save_password(library_file, "editor", editor)
        save_password(library_file, "viewer", viewer)

    yield set_passwords
    access_file(library_file).unlink(missing_ok=True)


@pytest.fixture()
def networked():
    """The server listens on every interface (as `--server.address 0.0.0.0` makes it)."""
    streamlit_config.set_option("server.address", "0.0.0.0")
    yield
    streamlit_config.set_option("server.address", "127.0.0.1")


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def log_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key=ui_access.KEY_PASSWORD).input(password)
    next(b for b in at.button if b.label == "登录").click().run()
    assert not at.exception, at.exception
    return at


def editing_controls(at: AppTest) -> dict[str, bool]:
    keys = {getattr(w, "key", None) for w in (*at.button, *at.multiselect, *at.data_editor, *at.file_uploader)}
    return {
        "upload": bool(at.file_uploader) or KEY_IMPORT in keys,
        "metadata": KEY_EDITOR in keys,
        "delete": KEY_DELETE_IDS in keys,
        "dictionary": KEY_DICT_SAVE in keys,
    }


def texts_of(at: AppTest) -> str:
    return "\n".join(e.value for e in (*at.text, *at.caption, *at.info, *at.markdown))


def test_this_machine_alone_may_edit_without_a_password(library_file: Path) -> None:
    at = open_page("pages/library.py")
    assert editing_controls(at)["upload"] and editing_controls(at)["delete"] and editing_controls(at)["metadata"]
    at.switch_page("pages/dictionary.py").run()
    assert editing_controls(at)["dictionary"]


def test_a_network_server_without_an_editor_password_is_read_only(library_file: Path, networked) -> None:
    at = open_page("pages/library.py")
    assert not any(editing_controls(at).values())
    assert "还没有设置编辑密码" in at.info[0].value and "reportlens set-password" in at.info[0].value
    assert str(library_file) not in texts_of(at)  # neither the server's path nor the import history
    assert any("只读" in c.value for c in at.sidebar.caption)
    at.switch_page("pages/dictionary.py").run()
    assert not at.exception and not editing_controls(at)["dictionary"]
    assert any("不能保存词表" in i.value for i in at.info)
    at.switch_page("pages/overview.py").run()  # viewing is open
    assert not at.exception and at.metric


def test_with_an_editor_password_a_viewer_cannot_edit_and_an_editor_can(passwords, networked) -> None:
    passwords(editor=EDITOR_PASSWORD)
    at = open_page("pages/library.py")
    assert not any(editing_controls(at).values())
    assert "请在左侧边栏输入编辑密码登录" in at.info[0].value
    log_in(at, "wrong password")
    assert [e.value for e in at.error] == ["密码不对，请重新输入。"] and not any(editing_controls(at).values())
    log_in(at, EDITOR_PASSWORD)  # straight after a failure: refused without being checked
    assert at.error and "秒后再试" in at.error[0].value and not any(editing_controls(at).values())
    ui_access.THROTTLE.succeeded("unknown")  # the wait is over
    log_in(at, EDITOR_PASSWORD)
    assert not at.error and all(editing_controls(at)[k] for k in ("upload", "metadata", "delete"))
    assert any(c.value == "已登录为编辑者。" for c in at.sidebar.caption)
    at.switch_page("pages/dictionary.py").run()
    assert editing_controls(at)["dictionary"]
    next(b for b in at.button if b.key == ui_access.KEY_LOGOUT).click().run()
    at.switch_page("pages/library.py").run()
    assert not any(editing_controls(at).values())


def test_a_changed_password_ends_the_login(passwords) -> None:
    passwords(editor=EDITOR_PASSWORD)
    at = open_page("pages/library.py")
    log_in(at, EDITOR_PASSWORD)
    assert editing_controls(at)["upload"]
    passwords(editor="一个新的编辑密码 2027")
    at.run()
    assert not any(editing_controls(at).values())


def test_a_viewer_password_gates_everything(passwords) -> None:
    passwords(editor=EDITOR_PASSWORD, viewer=VIEWER_PASSWORD)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception and not at.metric and not at.get("plotly_chart")
    assert at.subheader[0].value == "请登录"
    log_in(at, VIEWER_PASSWORD)
    assert at.metric and any(c.value == "已登录为查看者。" for c in at.sidebar.caption)
    at.switch_page("pages/library.py").run()
    assert not any(editing_controls(at).values())
    log_in(at, EDITOR_PASSWORD)  # the editor login in the sidebar
    assert editing_controls(at)["upload"]
