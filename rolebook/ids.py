"""The id rule, in one place: what a role's id (its file name) and a department's id (its folder
name) may be. ``check``, ``new``, both imports and the Word import's ids all use it."""

from __future__ import annotations

import re
import unicodedata

from rolebook.i18n import Messages

ID_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_ID_LENGTH = 64  # the schemas' bound on reports_to, parent and subordinates; output names add at most ".html"
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def suggest_id(name: str) -> str:
    """An id close to ``name``: its ASCII letters and digits, lower case, joined with ``-``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    return slug or "role-1"


def is_id(name: str) -> bool:
    return bool(ID_RE.fullmatch(name)) and name not in WINDOWS_RESERVED and len(name) <= MAX_ID_LENGTH


def id_message(name: str, msgs: Messages, *, folder: bool = False, length: bool = True) -> str | None:
    """Why ``name`` cannot be an id (a department's folder with ``folder``), in words; None when it can.

    Without ``length`` the bound on its length is left out: ``new`` and ``import`` leave that to the
    file system and to the check they run after planning."""
    if name.lower() in WINDOWS_RESERVED:
        return msgs.text("bad-id/reserved-folder" if folder else "bad-id/reserved", name=name)
    if length and len(name) > MAX_ID_LENGTH:
        return msgs.text("bad-id/too-long", name=name, length=len(name), limit=MAX_ID_LENGTH)
    if not ID_RE.fullmatch(name):
        return msgs.text("bad-id/folder" if folder else "bad-id", name=name, suggestion=suggest_id(name))
    return None
