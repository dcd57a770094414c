"""A handbook's files at a git revision, written into a scratch folder for the normal pipeline to read.

Only what the pipeline reads is taken: ``rolebook.yml``, the files under ``roles/`` and the logo the
settings name; only regular files (a symbolic link or submodule in the tree is left out, so nothing
outside the scratch folder can be reached through it), each at most the loader's size limit. The
blobs come from one ``ls-tree`` and one ``cat-file --batch``; nothing is written into the handbook.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from rolebook.i18n import Messages
from rolebook.load.files import MAX_FILE_BYTES, ROLES_DIR, SETTINGS_FILE, decode
from rolebook.load.logo import MAX_LOGO_BYTES
from rolebook.load.yamlstrict import parse_yaml
from rolebook.revisions.git import Repo

REGULAR = ("100644", "100755")


def _safe_rel(path: str) -> PurePosixPath | None:
    rel = PurePosixPath(path)
    if rel.is_absolute() or any(part in ("", ".", "..") or part.startswith(".") for part in rel.parts):
        return None
    return rel


def _logo_name(settings: bytes | None) -> str | None:
    if settings is None:
        return None
    text = decode(settings, SETTINGS_FILE, Messages("en"))
    doc = parse_yaml(text, SETTINGS_FILE, Messages("en"), positions=False) if isinstance(text, str) else None
    logo = getattr(doc, "data", {}).get("logo") if doc is not None and isinstance(getattr(doc, "data", None), dict) else None
    return logo if isinstance(logo, str) else None


def extract(repo: Repo, commit: str, dest: Path) -> int:
    """Write the handbook's files at ``commit`` under ``dest`` (an empty scratch folder); the number of files."""
    entries = [(mode, sha, path) for mode, sha, path in repo.tree(commit) if mode in REGULAR]
    wanted = {path: sha for _, sha, path in entries if path == SETTINGS_FILE or path.startswith(ROLES_DIR + "/")}
    data = repo.blobs(wanted.values(), MAX_FILE_BYTES)
    logo = _logo_name(data.get(wanted.get(SETTINGS_FILE, "")))
    if logo is not None:
        name = str(PurePosixPath(logo))
        for _, sha, path in entries:
            if path == name:
                wanted[path] = sha
                data.update(repo.blobs([sha], MAX_LOGO_BYTES))
    written = 0
    for path, sha in sorted(wanted.items()):
        rel = _safe_rel(path)
        if rel is None or sha not in data:
            continue
        target = dest.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data[sha])
        written += 1
    return written
