"""Viewers and editors in the app: the sidebar login, and ``is_editor`` / ``require_editor`` for every control that
changes the library (upload, delete, metadata, the word lists, structure corrections, repair).

The rules are ``reportlens.access.Policy``'s: viewing is open unless a viewer password is set; changing needs the
editor password when one is set; without one, only the app used on this machine alone may change anything. A
login lasts for the browser session and ends when the password it used is changed on the server.

Call ``is_editor()`` to choose what to draw, and ``require_editor("删除报告")`` where an editing control would be:
it returns whether the session may, and otherwise says in Chinese why not and how to log in.
"""

from __future__ import annotations

import math

import streamlit as st

from reportlens.access import (
    HOW_TO_ENABLE_EDITING,
    ROLE_LABELS,
    ROLE_PEOPLE,
    Policy,
    Role,
    Throttle,
    access_file,
    client_key,
    load_access,
    reachable_from_network,
)
from reportlens.paths import library_path

KEY_ROLE = "access_role"  # (role, the hash it logged in with)
KEY_LOGIN_FORM = "access_login"
KEY_PASSWORD = "access_password"  # noqa: S105 — a widget key, not a password
KEY_LOGOUT = "access_logout"
# Failed logins per client address, shared by every session of this server (the one piece of server-wide
# state the app changes; ``Throttle`` locks around it).
THROTTLE = Throttle()

# What the login says (the browser tests look for the same words)
PASSWORD_LABEL = "密码"  # noqa: S105 — a widget's label, not a password
LOG_IN = "登录"
LOG_OUT = "退出登录"
EDITOR_LOGIN = "编辑者登录"
WRONG_PASSWORD = "密码不对，请重新输入。"  # noqa: S105 — a message, not a password
TOO_MANY_FAILURES = "登录失败次数过多，请 {seconds} 秒后再试。"
LOGGED_IN = "已登录为{people}。"
EDITORS_ONLY = "只有编辑者才能{action}：请在左侧边栏输入编辑密码登录。"
READ_ONLY_SERVER = "这台服务器可以从其他电脑访问，但还没有设置编辑密码，所以只能浏览，不能{action}。"


def policy() -> Policy:
    """The rules for this session: the library's passwords and whether other machines can reach the app."""
    networked = reachable_from_network(st.get_option("server.address"), st.context.ip_address, st.context.headers)
    return Policy(load_access(library_path()), networked)


def role(current: Policy | None = None) -> Role | None:
    """The role this session logged in as (None: not logged in, or its password was changed since)."""
    rules = current or policy()
    stored = st.session_state.get(KEY_ROLE)
    if not isinstance(stored, tuple) or len(stored) != 2:
        return None
    name, encoded = stored
    return name if name in ROLE_LABELS and encoded and rules.config.hash_of(name) == encoded else None


def is_editor() -> bool:
    """Whether this session may change the library."""
    rules = policy()
    return rules.may_edit(role(rules))


def why_not_editor(action: str) -> str:
    """Why this session may not ``action`` (a Chinese verb phrase: 「导入报告」), and what to do about it."""
    rules = policy()
    if rules.read_only:
        return READ_ONLY_SERVER.format(action=action) + HOW_TO_ENABLE_EDITING
    return EDITORS_ONLY.format(action=action)


def require_editor(action: str = "修改资料库") -> bool:
    """True when this session may change the library; else a note saying why not (and how to log in)."""
    if is_editor():
        return True
    st.info(why_not_editor(action), icon=":material/lock:")
    return False


def _client() -> str:
    return client_key(st.context.ip_address, st.context.headers)


def _log_in(rules: Policy, password: str) -> None:
    client = _client()
    wait = THROTTLE.wait(client)
    if wait > 0:
        st.error(TOO_MANY_FAILURES.format(seconds=math.ceil(wait)), icon=":material/timer:")
        return
    found = rules.role_for(password)
    if found is None:
        THROTTLE.failed(client)
        st.error(WRONG_PASSWORD, icon=":material/error:")
        return
    THROTTLE.succeeded(client)
    st.session_state[KEY_ROLE] = (found, rules.config.hash_of(found))
    st.rerun()  # draw everything again with the new rights


def _login_form(rules: Policy, *, where: str) -> None:
    with st.form(KEY_LOGIN_FORM, clear_on_submit=True, border=False):
        password = st.text_input(PASSWORD_LABEL, type="password", key=KEY_PASSWORD, placeholder=where)
        submitted = st.form_submit_button(LOG_IN, icon=":material/login:")
    if submitted and password:
        _log_in(rules, password)


def access_panel() -> None:
    """The sidebar's login part; when viewing needs a password and this session has none, the login form in
    the page instead, and the run stops there (nothing of the library is shown)."""
    rules = policy()
    if rules.config.damaged:
        st.error(
            f"密码文件「{access_file(library_path()).name}」无法读取，为安全起见暂停访问。"
            "请管理员在服务器上重新运行 reportlens set-password 设置密码。",
            icon=":material/lock:",
        )
        st.stop()
    current = role(rules)
    if not rules.may_view(current):
        st.subheader("请登录")
        st.caption("这个报告透视需要密码才能查看。请输入查看密码或编辑密码。")
        _login_form(rules, where="查看密码或编辑密码")
        if not rules.may_view(role(rules)):
            st.stop()
        current = role(rules)
    with st.sidebar:
        if current is not None:
            st.caption(LOGGED_IN.format(people=ROLE_PEOPLE[current]))
            if st.button(LOG_OUT, key=KEY_LOGOUT, icon=":material/logout:"):
                st.session_state.pop(KEY_ROLE, None)
                st.rerun()
        if current != "editor" and rules.edit_needs_login:
            with st.expander(EDITOR_LOGIN, icon=":material/key:"):
                _login_form(rules, where="编辑密码")
        elif rules.read_only:
            st.caption("只读：这台服务器还没有设置编辑密码。")
