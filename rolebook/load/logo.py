"""The settings' logo: a small image inside the handbook folder, read safely.

``check`` reports a logo that cannot be used at its line in rolebook.yml, and the PDFs read it
with the same rules, so a logo is never read from outside the handbook (not through ``..``, not
through a symbolic link), a FIFO or device named ``logo.png`` cannot hang a build, and a huge
file or a text file named like an image is refused with a clear reason.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from rolebook.i18n import Messages
from rolebook.load.files import SETTINGS_FILE
from rolebook.load.yamlstrict import Document
from rolebook.problems import Problem

MAX_LOGO_BYTES = 2_000_000
LOGO_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"})


@dataclass(frozen=True)
class Logo:
    mime: str
    data: bytes


class LogoError(ValueError):
    """The logo cannot be used; ``str()`` is the reason in the handbook's language."""


def _looks_like(mime: str, head: bytes) -> bool:
    """Whether the first bytes of the file fit the type its name says."""
    if mime == "image/png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if mime == "image/jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if mime == "image/gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if mime == "image/webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return b"<svg" in head.lower()  # SVG is XML text: an <svg element near the start


def read_logo(root: Path, rel: str, msgs: Messages) -> Logo:
    """The logo at ``rel`` (relative to the handbook folder ``root``); raises LogoError."""
    base = root.resolve()
    try:
        path = (base / rel).resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise LogoError(msgs.text("bad-logo/unreadable", path=rel, detail=getattr(exc, "strerror", None) or str(exc))) from None
    if not path.is_relative_to(base):
        raise LogoError(msgs.text("bad-logo/outside", path=rel))
    mime, _ = mimetypes.guess_type(path.name)
    if mime not in LOGO_TYPES:
        raise LogoError(msgs.text("bad-logo/type", path=rel))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise LogoError(msgs.text("bad-logo/missing", path=rel)) from None
    except OSError as exc:
        raise LogoError(msgs.text("bad-logo/unreadable", path=rel, detail=exc.strerror or type(exc).__name__)) from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):  # a folder, a FIFO (opened without waiting for a writer), a device
            raise LogoError(msgs.text("bad-logo/not-a-file", path=rel))
        if st.st_size > MAX_LOGO_BYTES:
            raise LogoError(msgs.text("bad-logo/too-large", path=rel, size=st.st_size, limit=MAX_LOGO_BYTES))
        try:
            data = fh.read(MAX_LOGO_BYTES + 1)
        except OSError as exc:
            raise LogoError(msgs.text("bad-logo/unreadable", path=rel, detail=exc.strerror or type(exc).__name__)) from None
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(msgs.text("bad-logo/too-large", path=rel, size=len(data), limit=MAX_LOGO_BYTES))
    if not _looks_like(mime, data[:512]):
        raise LogoError(msgs.text("bad-logo/type", path=rel))
    if mime == "image/svg+xml":
        if b"<!entity" in data.lower():
            # entities can name files on disk (<!ENTITY x SYSTEM "file:///etc/passwd">) or expand
            # a few bytes into gigabytes; a logo never needs them
            raise LogoError(msgs.text("bad-logo/svg-entities", path=rel))
        from xml.etree import ElementTree  # (here: only an SVG logo needs it)

        try:
            ElementTree.fromstring(data)  # what the PDF engine would otherwise drop with a warning
        except ElementTree.ParseError as exc:
            raise LogoError(msgs.text("bad-logo/svg-invalid", path=rel, detail=exc)) from None
    return Logo(mime, data)


def logo_problems(root: Path, doc: Document, msgs: Messages) -> list[Problem]:
    """The settings' ``logo``, checked as the PDFs will read it: a problem at its line, or none."""
    rel = doc.data.get("logo") if isinstance(doc.data, dict) else None
    if not isinstance(rel, str) or not rel:
        return []
    try:
        read_logo(root, rel, msgs)
    except LogoError as exc:
        line, col = doc.pos(("logo",))
        return [Problem(SETTINGS_FILE, line, col, "error", "bad-logo", msgs.text("bad-logo", detail=str(exc)))]
    return []
