"""The print fonts: the Noto CJK faces cut down once per build to the characters a handbook can use.

WeasyPrint embeds a subset of each font in every PDF, but it keeps the glyph numbering of
the original font (``RETAIN_GIDS``), and a Noto CJK collection has 65,535 glyphs: each
two-page job description carried ~380 KB of mostly empty font tables, and cutting the
20 MB collections down took a third of every document's time (docs/benchmarks.md).

So before rendering, each face the print stylesheet uses is subset here once — with
HarfBuzz (uharfbuzz), in about 0.1 s — to a fixed base repertoire (every character of
GB 2312, Latin, general and CJK punctuation, full-width forms) plus every other character
the documents of this handbook contain. WeasyPrint then subsets that small font per
document, which is fast and gives small PDFs. The base repertoire keeps the font, and so
every cached PDF, unchanged when an edit brings in a new common character; a rare one
outside it changes the font and every PDF is rendered again (correct, only slower).

The subset faces are declared as ``Rolebook Noto Sans CJK SC`` / ``Rolebook Noto Serif CJK SC`` (@font-face);
``templates/print/print.css`` names them first in its font stacks, before the installed
Noto CJK families, so a character the subset lacks still falls back to the installed
fonts — and a character no font has is still caught as tofu. Browsers printing the site
do not know these families and skip them.

When the faces cannot be made (uharfbuzz or fontconfig's ``fc-match`` missing, a font not
installed), ``prepare_fonts`` returns no faces and the documents use the installed fonts.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rolebook.safepath import read_nofollow, replace_file

FORMAT = "rolebook-fonts-1"  # bump when the subsetting below changes


@dataclass(frozen=True)
class Face:
    """A face of the print stylesheet: the CSS family we declare and what fontconfig should find."""

    family: str  # the @font-face name print.css uses
    weight: int
    pattern: str  # fontconfig pattern of the installed font to cut down
    expect: str  # the installed family fc-match must answer with (else fontconfig fell back)


FACES = (
    Face("Rolebook Noto Sans CJK SC", 400, "Noto Sans CJK SC:weight=80", "Noto Sans CJK SC"),
    Face("Rolebook Noto Sans CJK SC", 700, "Noto Sans CJK SC:weight=200", "Noto Sans CJK SC"),
    Face("Rolebook Noto Serif CJK SC", 400, "Noto Serif CJK SC:weight=80", "Noto Serif CJK SC"),
    Face("Rolebook Noto Serif CJK SC", 700, "Noto Serif CJK SC:weight=200", "Noto Serif CJK SC"),
)


@dataclass(frozen=True)
class FontFile:
    face: Face
    path: Path
    digest: str  # sha256 of the file


@dataclass(frozen=True)
class PrintFonts:
    """The subset faces of one build (possibly none) and the @font-face rules that declare them."""

    files: tuple[FontFile, ...] = ()

    @property
    def css(self) -> str:
        rules = []
        for f in self.files:
            rules.append(f'@font-face {{ font-family: "{f.face.family}"; font-weight: {f.face.weight}; font-style: normal; src: url("{f.path.as_uri()}"); }}')
        return "\n".join(rules)

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(f.path.as_uri() for f in self.files)

    @property
    def fingerprint(self) -> str:
        return "\0".join(f"{f.face.family}/{f.face.weight}/{f.digest}" for f in self.files)


def base_repertoire() -> frozenset[str]:
    """Characters every handbook's fonts hold: GB 2312 (all of it), Latin, punctuation, full-width forms."""
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for lo, hi in ((0x20, 0x24F), (0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2460, 0x24FF), (0x3000, 0x303F), (0xFF00, 0xFFEF)):
        chars.update(chr(c) for c in range(lo, hi + 1))
    return frozenset(chars)


def repertoire(texts: Iterable[str]) -> frozenset[str]:
    """The base repertoire plus every printable character of ``texts``."""
    seen: set[str] = set()
    for text in texts:
        seen.update(text)
    return base_repertoire() | frozenset(c for c in seen if c.isprintable() and c != " ")


def _locate(face: Face) -> tuple[Path, int] | None:
    """The installed font file and collection index fontconfig picks for ``face``, if it is the family wanted."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "--format", "%{file}\n%{index}\n%{family}", face.pattern], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.split("\n")
    if len(parts) < 3 or face.expect not in parts[2].split(","):
        return None
    try:
        return Path(parts[0]), int(parts[1])
    except ValueError:
        return None


def _subset(source: Path, index: int, chars: frozenset[str]) -> bytes | None:
    try:
        import uharfbuzz as hb
    except ImportError:
        return None
    try:
        blob = hb.Blob.from_file_path(str(source))
        face = hb.Face(blob, index)
        wanted = hb.SubsetInput()
        for c in sorted(chars):
            wanted.unicode_set.add(ord(c))
        wanted.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE
        out = hb.subset(face, wanted)
    except Exception:
        return None
    data = bytes(out.blob.data) if out is not None else b""
    return data or None


def prepare_fonts(chars: frozenset[str], folder: Path) -> PrintFonts:
    """Subset every face to ``chars`` into ``folder`` (reused when already there); no faces when impossible."""
    files: list[FontFile] = []
    repertoire_digest = hashlib.sha256("".join(sorted(chars)).encode("utf-8", "surrogatepass")).hexdigest()
    for face in FACES:
        found = _locate(face)
        if found is None:
            continue
        source, index = found
        try:
            st = source.stat()
        except OSError:
            continue
        key = hashlib.sha256(f"{FORMAT}\0{source}\0{index}\0{st.st_size}\0{st.st_mtime_ns}\0{repertoire_digest}".encode()).hexdigest()[:32]
        path = folder / f"{key}-{face.family.split()[-1].lower()}-{face.weight}.otf"
        data = _cached(path)
        if data is None:
            data = _subset(source, index, chars)
            if data is None:
                continue
            try:
                replace_file(path, data, sync=False)  # a cache: what is read back is checked against its digest
                replace_file(_digest_file(path), hashlib.sha256(data).hexdigest().encode("ascii"), sync=False)
            except OSError:
                continue
        files.append(FontFile(face, path, hashlib.sha256(data).hexdigest()))
    return PrintFonts(tuple(files))


def _digest_file(path: Path) -> Path:
    """Where the SHA-256 of a cached face is recorded when it is written (the same cache key: pruned with it)."""
    return path.with_name(path.name + ".sha256")


def _cached(path: Path) -> bytes | None:
    """The face cached at ``path`` if its bytes are the ones recorded when it was written; None to make it again.

    A damaged file (a disk error, a copy cut short, bytes overwritten) would otherwise be handed
    to WeasyPrint, which then quietly prints every document in a fallback font."""
    try:
        data = read_nofollow(path)  # never through a link (the cache holds none: see safepath.owned)
        recorded = read_nofollow(_digest_file(path)).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return data if data and hashlib.sha256(data).hexdigest() == recorded else None


__all__ = ["FACES", "Face", "FontFile", "PrintFonts", "base_repertoire", "prepare_fonts", "repertoire"]
