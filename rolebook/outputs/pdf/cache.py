"""The PDF cache: rendered PDFs by key in ``<handbook>/.rolebook-cache/pdf/``.

A key hashes a document's self-contained HTML with everything else its PDF depends on
(cache_base: this format, the WeasyPrint, pydyf, tinycss2 and pikepdf versions, the installed
fonts). An entry that is missing or corrupt is rendered again; the folder's manifest
(rolebook.safepath.Manifest) lists the files rolebook wrote, and only those are ever removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from rolebook.i18n import Messages
from rolebook.load.files import CACHE_DIR
from rolebook.model import Handbook
from rolebook.render.print_html import PrintDocument
from rolebook.safepath import MARKER, Manifest, claim, nofollow, owned, read_nofollow, replace_file

# Bump when anything here that changes the PDF bytes changes (options, post-processing).
CACHE_FORMAT = "rolebook-pdf-3"
CACHE_KEEP_SECONDS = 30 * 24 * 3600  # entries the manifest lists and nobody used for this long are removed
# Every name rolebook gives a file in the PDF cache (see PdfCache and fonts.prepare_fonts): the manifest lists no other.
CACHE_NAMES = re.compile(
    r"[0-9a-f]{64}\.(?:pdf|sha256|stat|form|pages\.json|svg|index\.json|written\.json)|fonts/[0-9a-f]{32}-[a-z0-9]+-[0-9]+\.otf(?:\.sha256)?"
)
RACY_SECONDS = 3  # a file's status is trusted only when it is older than this (PdfCache.valid)
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts")


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _font_fingerprint() -> str:
    """A hash of every installed font file (path, size, mtime) and fontconfig's configuration."""
    dirs = [Path(d) for d in FONT_DIRS]
    home = Path.home()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    dirs += [data_home / "fonts", home / ".fonts"]
    h = hashlib.sha256()
    for top in dirs:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def cache_base() -> str:
    """Everything besides a document's HTML that its PDF depends on."""
    parts = [CACHE_FORMAT, version("weasyprint"), version("pydyf"), version("tinycss2"), version("pikepdf"), _font_fingerprint()]
    return "\0".join(parts)


def cache_key(base: str, doc: PrintDocument) -> str:
    h = hashlib.sha256(base.encode("utf-8"))
    h.update(b"\0")
    h.update(doc.html.encode("utf-8"))
    return h.hexdigest()


@dataclass(frozen=True)
class PdfCache:
    """PDFs by key in a folder: ``<key>.pdf`` with ``<key>.sha256`` holding the digest of its bytes
    (and ``<key>.stat``, once they were found to match it, the file's status: see ``valid``).

    ``ours``: the folder carries rolebook's cache marker (rolebook.safepath.claim), so the files its
    manifest lists may be removed when unused."""

    folder: Path
    ours: bool = False

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def valid(self, key: str, now: float | None = None) -> bool:
        """Whether the cached PDF is there and matches its digest.

        Hashing every entry read 2 GB at 10,000 roles on every build, so once a PDF's bytes have been
        found to match, its digest and ``lstat`` status (device, inode, size, modification and change
        times) are recorded in ``<key>.stat`` and a file with that status is not read again. A status is
        recorded only once both its times are RACY_SECONDS older than ``now`` (git's rule for "racily
        clean" entries): any later write moves the change time, which no program can set back."""
        pdf = self.folder / f"{key}.pdf"
        try:
            digest = read_nofollow(self.folder / f"{key}.sha256", 1024).decode("ascii").strip()
            st = os.lstat(pdf)
            with contextlib.suppress(OSError):
                if read_nofollow(self.folder / f"{key}.stat", 1024).decode("ascii") == f"{digest} {_status(st)}":
                    return True
            with open(pdf, "rb", opener=nofollow) as fh:
                if fh.read(5) != b"%PDF-":
                    return False
                fh.seek(0)
                if hashlib.file_digest(fh, "sha256").hexdigest() != digest:
                    return False
                st = os.fstat(fh.fileno())
        except (OSError, UnicodeDecodeError):
            return False
        when = time.time() if now is None else now
        if max(st.st_mtime_ns, st.st_ctime_ns) <= (when - RACY_SECONDS) * 1e9:
            with contextlib.suppress(OSError):
                replace_file(self.folder / f"{key}.stat", f"{digest} {_status(st)}".encode("ascii"), sync=False)
        return True

    def put_file(self, key: str, path: Path) -> str | None:
        """Move a PDF file into the cache (same file system); a warning instead of failing."""
        try:
            with open(path, "rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
            os.replace(path, self.folder / f"{key}.pdf")
            replace_file(self.folder / f"{key}.sha256", digest.encode("ascii"), sync=False)
        except OSError as exc:
            return f"PDF cache {self.folder} not written: {exc.strerror or exc}"
        return None

    def put(self, key: str, data: bytes) -> str | None:
        """Store a PDF; returns a warning instead of failing when the cache cannot be written."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            replace_file(self.folder / f"{key}.pdf", data, sync=False)
            replace_file(self.folder / f"{key}.sha256", hashlib.sha256(data).hexdigest().encode("ascii"), sync=False)
        except OSError as exc:
            return f"PDF cache {self.folder} not written: {exc.strerror or exc}"
        return None

    def get_pages(self, key: str, members: list[str]) -> tuple[tuple[str, int], ...] | None:
        """The page counts stored with a part's PDF, when they are there and name exactly ``members``."""
        try:
            data = json.loads(read_nofollow(self.folder / f"{key}.pages.json", 1 << 20))
            pages = tuple((str(k), int(n)) for k, n in data)
        except (OSError, ValueError, TypeError):
            return None
        if [k for k, _ in pages] != members or any(n < 1 for _, n in pages):
            return None
        return pages

    def put_pages(self, key: str, pages: tuple[tuple[str, int], ...]) -> None:
        with contextlib.suppress(OSError):
            replace_file(self.folder / f"{key}.pages.json", json.dumps([list(p) for p in pages]).encode("utf-8"), sync=False)

    def get_form(self, key: str) -> str:
        """The form (rolebook.outputs.pdf.engine.FORMS) the job description of ``key`` was laid out in, or ""."""
        try:
            recorded = read_nofollow(self.folder / f"{key}.form", 256).decode("ascii").split()
        except (OSError, UnicodeDecodeError):
            return ""
        return recorded[1] if len(recorded) == 2 and recorded[0] == key and recorded[1] in ("plain", "tight") else ""

    def put_form(self, key: str, form: str) -> None:
        with contextlib.suppress(OSError):
            replace_file(self.folder / f"{key}.form", f"{key} {form}".encode("ascii"), sync=False)

    def get_svg(self, key: str) -> str | None:
        """An org chart's SVG kept under ``key``, when it is there and matches the digest on its first line."""
        try:
            data = read_nofollow(self.folder / f"{key}.svg", 1 << 26)
        except OSError:
            return None
        head, sep, body = data.partition(b"\n")
        if not sep or hashlib.sha256(body).hexdigest().encode("ascii") != head:
            return None
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def put_svg(self, key: str, svg: str) -> None:
        body = svg.encode("utf-8")
        with contextlib.suppress(OSError):
            replace_file(self.folder / f"{key}.svg", hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body, sync=False)

    def prune(self, used: set[str], now: float) -> None:
        """Note the entries used now in the cache's manifest; remove the listed entries nobody used for
        CACHE_KEEP_SECONDS. Only files rolebook wrote here (the manifest lists them) are ever removed,
        and nothing at all in a folder rolebook did not make (``ours`` is False).

        ``used`` holds keys (a file's name up to its first dot): every such file is in use."""
        if not self.ours:
            return
        names: set[str] = set()
        for sub in ("", "fonts/"):
            try:
                entries = os.listdir(self.folder / sub) if sub else os.listdir(self.folder)
            except OSError:
                continue
            names.update(sub + n for n in entries if n.split(".", 1)[0] in used)
        with contextlib.suppress(OSError):
            Manifest(self.folder, CACHE_NAMES).update(names, now, CACHE_KEEP_SECONDS)


def _status(st: os.stat_result) -> str:
    """A file's status as the PDF cache records it (PdfCache.valid)."""
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def default_cache_dir(handbook: Handbook) -> Path:
    return handbook.root / CACHE_DIR / "pdf"


def digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def open_cache(folder: Path, root: Path | None, msgs: Messages) -> tuple[PdfCache, str | None]:
    """The PDF cache in ``folder`` (a folder of rolebook's own inside ``root``, or, given explicitly, anywhere),
    and a warning when the folder holds files rolebook did not write. Raises UnsafePath when the folder is or
    holds a link (rolebook.safepath.owned), before anything is written."""
    owned(folder, root if root is not None else folder.parent, depth=2)
    try:
        ours = claim(folder, CACHE_NAMES)
    except OSError:
        return PdfCache(folder), None  # cannot be made: every entry is rendered, with the warning of the first put
    warning = None if ours else msgs.text("pdf/cache-not-ours", folder=folder, marker=MARKER)
    return PdfCache(folder, ours), warning
