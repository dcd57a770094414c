"""Documents in other word-processor formats made readable as .docx, before docx_reader reads them.

- Word 97–2003 (.doc), WPS Writer's own format (.wps), OpenDocument (.odt) and RTF: converted by
  LibreOffice (``soffice --headless --convert-to docx``) in a scratch folder with a profile of its own,
  when it is installed; otherwise a message that says how to convert them.
- Word templates (.dotx), macro-enabled documents and templates (.docm, .dotm): read as the document they
  hold. Only the declared type of the main part is changed, in a copy; macros are never run.

What a file is comes from its bytes, not its name: a .docx saved as .doc is read as it is, a web page or
a password-protected file gets a clear message.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from rolebook.load.docx_reader import DocxError, check_zip, ole2_kind, sniff

CONVERTED = (".doc", ".wps", ".odt", ".rtf")  # through LibreOffice
AS_DOCUMENT = (".docm", ".dotx", ".dotm")  # a document under another declared type
CONVERT_SECONDS = 120
MAX_CONTENT_TYPES = 1_000_000
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OTHER_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def readable(path: Path, tmp: Path) -> Path:
    """A .docx holding what ``path`` holds: itself, or a copy or conversion in ``tmp``; raises DocxError."""
    real = _convert(path, tmp) if path.suffix.lower() in CONVERTED else path
    return as_document(real, tmp)


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(8192)
    except OSError as exc:
        raise DocxError("docx/unreadable", detail=exc.strerror or type(exc).__name__) from None


def _convert(path: Path, tmp: Path) -> Path:
    """``path`` (.doc, .wps, .odt, .rtf by name) as a .docx LibreOffice made in ``tmp``."""
    suffix = path.suffix.lower()
    kind = sniff(_head(path))
    if kind == "zip":
        if not _is_odf(path):
            return path  # a .docx under another name: read it as what it is
        suffix = ".odt"
    elif kind == "html":
        raise DocxError("docx/is-html")
    elif kind == "rtf":
        suffix = ".rtf"
    elif kind != "ole2":
        raise DocxError("docx/not-docx")
    elif ole2_kind(path.read_bytes()) == "encrypted" or (suffix == ".doc" and ole2_kind(path.read_bytes()) != "doc"):
        raise DocxError("docx/encrypted")
    elif suffix not in (".doc", ".wps"):
        suffix = ".doc"
    return _soffice(path, tmp, suffix)


def _is_odf(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocxError("docx/damaged") from None
    return "content.xml" in names and "word/document.xml" not in names


def _soffice(path: Path, tmp: Path, suffix: str) -> Path:
    doc = suffix == ".doc"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise DocxError("docx/no-soffice") if doc else DocxError("docx/no-soffice-kind", kind=suffix)
    out = tmp / "converted"
    out.mkdir(exist_ok=True)
    src = tmp / f"source{suffix}"
    shutil.copyfile(path, src)
    profile = (tmp / "profile").as_uri()
    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
    failed = DocxError("docx/convert-failed") if doc else DocxError("docx/convert-failed-kind", kind=suffix)
    try:
        subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=CONVERT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        raise failed from None
    result = out / "source.docx"
    if not result.is_file():
        raise failed
    return result


def as_document(path: Path, tmp: Path) -> Path:
    """A template or macro-enabled Word file as a plain document (a copy in ``tmp``); other files as they are."""
    if sniff(_head(path)) != "zip":
        return path
    check_zip(path)  # sizes and what it is, before anything is copied
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES:
                raise DocxError("docx/bomb", detail=f"[Content_Types].xml: {info.file_size} bytes unpacked")
            types = z.read(info).decode("utf-8", "replace")
            if not any(t in types for t in OTHER_TYPES):
                return path
            copy = tmp / "document.docx"
            with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as dst:
                for entry in z.infolist():
                    data = z.read(entry)
                    if entry.filename == "[Content_Types].xml":
                        for t in OTHER_TYPES:
                            types = types.replace(t, DOCUMENT_TYPE)
                        data = types.encode("utf-8")
                    dst.writestr(entry.filename, data)
    except KeyError:
        return path  # no [Content_Types].xml: python-docx says what is wrong
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocxError("docx/damaged") from None
    return copy
