"""Who may view and who may change a library: viewers and editors, their passwords kept only as scrypt hashes.

The passwords live in the server's configuration: a small JSON file beside the library, 「<library>.access.json」
(``library.sqlite3`` → ``library.access.json``), written by ``reportlens set-password`` with permissions 0600.
It holds ``{"editor": "<hash>", "viewer": "<hash>"}``; either may be missing. A hash is
「scrypt$<log2 N>$<r>$<p>$<salt>$<key>」 (base64), N = 2^17, r = 8, p = 1 (OWASP's minimum for scrypt).

The rules (``Policy``), for the app:
- viewing needs nothing, unless a viewer password is set: then the viewer or the editor password;
- changing the library (uploading, deleting, editing metadata, the word lists, structure corrections, repairing
  it) needs the editor password when one is set;
- without an editor password, the app on this machine alone (loopback address, no proxy in front) lets its
  user change everything, as before; a server other machines can reach runs read-only and says how to set one.

Failed attempts are slowed down (``Throttle``): after each failure from a client, the next attempt is refused
for twice as long as the one before (1 s, 2 s, 4 s … at most ``THROTTLE_CAP_SECONDS``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reportlens.errors import ReportError

Role = Literal["viewer", "editor"]
ACCESS_ROLES: tuple[Role, ...] = ("viewer", "editor")
ROLE_LABELS: dict[Role, str] = {"viewer": "查看", "editor": "编辑"}  # 「编辑密码」
ROLE_PEOPLE: dict[Role, str] = {"viewer": "查看者", "editor": "编辑者"}  # 「已登录为编辑者」
LOGIN_ORDER: tuple[Role, ...] = ("editor", "viewer")  # a password that is both gives the editor
ACCESS_SUFFIX = ".access.json"
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 17, 8, 1  # OWASP's minimum: 128 MiB and about a third of a second here
SCRYPT_MAXMEM = 256 * 1024 * 1024
SALT_BYTES, KEY_BYTES = 16, 32
MIN_PASSWORD_CHARS = 8
THROTTLE_BASE_SECONDS = 1.0
THROTTLE_CAP_SECONDS = 30.0
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
# Request headers a reverse proxy adds: their presence means the browser is on another machine.
PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")
HOW_TO_ENABLE_EDITING = "请在服务器上运行 reportlens set-password 设置编辑密码（见 README「多人共用一台服务器」）。"

# Only one scrypt check at a time: each takes 128 MiB, and many at once would exhaust the server's memory.
_SCRYPT_LOCK = threading.Lock()


def access_file(library: str | os.PathLike[str]) -> Path:
    """Where the passwords of a library live: 「<library without suffix>.access.json」 beside it."""
    path = Path(library)
    return path.with_name(path.stem + ACCESS_SUFFIX)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """A new salted scrypt hash of ``password`` (see the module docstring for its form)."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=2**SCRYPT_LOG2_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=SCRYPT_MAXMEM,
        dklen=KEY_BYTES,
    )  # fmt: skip
    return f"scrypt${SCRYPT_LOG2_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, encoded: str) -> bool:
    """Whether ``password`` matches the hash (False for a hash that is not one this module writes)."""
    try:
        scheme, log2_n, r, p, salt, key = encoded.split("$")
        expected = base64.b64decode(key, validate=True)
        cost = (int(log2_n), int(r), int(p))
        if scheme != "scrypt" or not (10 <= cost[0] <= 20 and 1 <= cost[1] <= 32 and 1 <= cost[2] <= 4):
            return False
        with _SCRYPT_LOCK:
            given = hashlib.scrypt(
                password.encode("utf-8"), salt=base64.b64decode(salt, validate=True), n=2 ** cost[0], r=cost[1],
                p=cost[2], maxmem=SCRYPT_MAXMEM, dklen=len(expected),
            )  # fmt: skip
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(given, expected)


def password_problem(password: str) -> str | None:
    """Why a new password is refused (Chinese), or None."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"密码太短：至少 {MIN_PASSWORD_CHARS} 个字符。"
    if password != password.strip():
        return "密码开头或结尾不能是空格。"
    return None


@dataclass(frozen=True)
class AccessConfig:
    """The password hashes of a library (None: no password of that kind). ``damaged``: the file exists but
    cannot be read — then no password matches (nobody may view or edit) until one is set again."""

    editor: str | None = None
    viewer: str | None = None
    damaged: bool = False

    def hash_of(self, role: Role) -> str | None:
        return self.editor if role == "editor" else self.viewer


# A password file that cannot be read: passwords nobody knows, so nobody views or edits until it is set again.
LOCKED = AccessConfig(editor="", viewer="", damaged=True)


def load_access(library: str | os.PathLike[str]) -> AccessConfig:
    """The passwords of ``library`` (``access_file``); no file: no passwords."""
    path = access_file(library)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return AccessConfig()
    except OSError:
        return LOCKED
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or not all(isinstance(data.get(r, ""), str) for r in ACCESS_ROLES):
            raise ValueError(path)
    except (UnicodeDecodeError, ValueError):
        return LOCKED
    return AccessConfig(editor=data.get("editor") or None, viewer=data.get("viewer") or None)


def save_password(library: str | os.PathLike[str], role: Role, password: str | None) -> Path:
    """Set (or with None remove) the password of ``role`` for ``library``; returns the access file. Written
    whole or not at all (a temporary file renamed over it), readable by its owner only."""
    problem = None if password is None else password_problem(password)
    if problem:
        raise ReportError(problem)
    path = access_file(library)
    current = load_access(library)
    hashes = {r: current.hash_of(r) for r in ACCESS_ROLES if not current.damaged}
    hashes[role] = None if password is None else hash_password(password)
    data = {r: h for r, h in hashes.items() if h}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as err:
        raise ReportError(f"无法写入密码文件「{path}」：{err.strerror or '写入时出错'}。请检查文件夹的写入权限。") from err
    return path


def is_loopback(host: object) -> bool:
    """Whether ``host`` (an address or name) is this machine only; empty or unknown is not."""
    if not isinstance(host, str) or not host.strip():
        return False
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def reachable_from_network(server_address: object, client_ip: object, headers: Mapping[str, str]) -> bool:
    """Whether other machines can reach this app: the server listens beyond loopback (an empty address is
    every interface), the browser is on another machine, or a reverse proxy forwarded the request."""
    if not is_loopback(server_address):
        return True
    if isinstance(client_ip, str) and client_ip and not is_loopback(client_ip):
        return True
    names = {str(k).lower() for k in headers}
    return any(h in names for h in PROXY_HEADERS)


def client_key(peer: object, headers: Mapping[str, str]) -> str:
    """Whom failed logins are counted against: the browser's address — behind a reverse proxy on this machine
    (the peer is loopback), the first address of its ``X-Forwarded-For``; a forwarded address from anywhere
    else is not believed (anyone can send the header)."""
    address = peer if isinstance(peer, str) and peer else "unknown"
    forwarded = next((str(v) for k, v in headers.items() if str(k).lower() == "x-forwarded-for"), "")
    first = forwarded.split(",")[0].strip()
    return first if first and is_loopback(address) else address


@dataclass(frozen=True)
class Policy:
    """What a session may do, given the passwords and where the app can be reached from."""

    config: AccessConfig
    networked: bool

    @property
    def view_needs_login(self) -> bool:
        return self.config.viewer is not None

    @property
    def edit_needs_login(self) -> bool:
        return self.config.editor is not None

    @property
    def read_only(self) -> bool:
        """No one may change the library: reachable from the network and no editor password set."""
        return self.networked and not self.edit_needs_login

    def may_view(self, role: Role | None) -> bool:
        return not self.view_needs_login or role is not None

    def may_edit(self, role: Role | None) -> bool:
        if self.edit_needs_login:
            return role == "editor"
        return not self.networked

    def role_for(self, password: str) -> Role | None:
        """The role a password gives (the editor's wins), or None."""
        for role in LOGIN_ORDER:
            encoded = self.config.hash_of(role)
            if encoded and verify_password(password, encoded):
                return role
        return None


@dataclass
class Throttle:
    """Failed attempts slowed down, per client (its address): after n failures in a row the next attempt is
    refused for ``base * 2^(n-1)`` seconds (at most ``cap``); a success clears it. Shared by every session of a
    server, so opening new sessions does not reset it."""

    base: float = THROTTLE_BASE_SECONDS
    cap: float = THROTTLE_CAP_SECONDS
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, client: str) -> float:
        """Seconds until ``client`` may try again (0: now)."""
        with self._lock:
            count, last = self._failures.get(client, (0, 0.0))
        if not count:
            return 0.0
        return max(0.0, last + min(self.cap, self.base * 2 ** (count - 1)) - self.clock())

    def failed(self, client: str) -> None:
        with self._lock:
            count, _ = self._failures.get(client, (0, 0.0))
            self._failures[client] = (count + 1, self.clock())

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
