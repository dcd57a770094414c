"""Writing an import into the handbook: all or nothing, even when the process is killed.

``write_changes`` makes the handbook's files wholly new or leaves them wholly old:

1. every existing file that changes is copied to ``.rolebook-backup/<n>/`` (n = 1, 2, …);
2. a journal, ``.rolebook-backup/journal.json``, names every file with a hash of its old and its
   new content (written, synced and locked with ``flock`` before anything in the handbook changes);
3. every new file is written beside its target as ``.<name>.rolebook-tmp`` and synced;
4. then they are renamed into place (and moved roles' old files removed), the folders synced,
   and the journal removed: the import is done.

When anything fails on the way (a full disk, a file that cannot be replaced) what was already
renamed is put back from the backup and the caller is told what was restored. When the process
is killed outright (SIGKILL, power loss) the journal stays: ``recover_import`` — run by the next
``import`` and by every command that checks the handbook — puts the old files back (each file is
restored only when it holds exactly what the import wrote), removes the temporary files and says
so. The handbook is then as it was before the interrupted import.

The scratch copies on which an import is checked are private folders ``rolebook-import-*`` in the
system's temporary folder, each marked as ours and locked while in use; ``recover_import`` also
removes those that earlier, killed runs left behind (never one that a running import holds).

Every path written here is first checked with ``rolebook.safepath.leads_out``: nothing is written, replaced or
deleted through a symbolic link that leads out of the handbook.

Test hook (never set it otherwise): ``ROLEBOOK_TEST_FAULT=fail-after:N`` makes the rename step
fail with ENOSPC after N renames; ``ROLEBOOK_TEST_FAULT=pause-after:N`` writes a line to stderr
after N renames and then sleeps, so that a test can kill the process there.

One module over 500 lines on purpose: the backup, the journal, the renames and the recovery are
one protocol with one on-disk format; split apart, each part would have to know the other's.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rolebook.i18n import Messages
from rolebook.load.files import BACKUP_DIR, DEPARTMENT_FILE, ROLE_SUFFIXES, ROLES_DIR, SCHEMA_FOLDER, SETTINGS_FILE
from rolebook.problems import Problem
from rolebook.safepath import TMP_SUFFIX, leads_out, write_new

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

JOURNAL = "journal.json"
SCRATCH_PREFIX = "rolebook-import-"
SCRATCH_MARK = ".rolebook-import"
_SCRATCH_NAME = re.compile(re.escape(SCRATCH_PREFIX) + "[a-z0-9_]{8}")
FAULT_ENV = "ROLEBOOK_TEST_FAULT"
JOURNAL_VERSION = 1


# ---------------------------------------------------------------------------
# paths


def tmp_path(target: Path) -> Path:
    """Where the new version of ``target`` is written before it is renamed into place."""
    return target.with_name(f".{target.name}{TMP_SUFFIX}")


def _handbook_file(rel: str) -> bool:
    """A path an import writes: rolebook.yml, roles/<dept>/<file>.yaml or a copy of a schema,
    schema/<name>.schema.json — nothing else, no '..'."""
    if rel == SETTINGS_FILE:
        return True
    if rel.startswith(f"{SCHEMA_FOLDER}/") and rel.count("/") == 1 and rel.endswith(".schema.json") and not rel.split("/")[1].startswith("."):
        return True
    parts = rel.split("/")
    return (
        len(parts) == 3
        and parts[0] == ROLES_DIR
        and all(p and p not in (".", "..") and not p.startswith(".") for p in parts[1:])
        and (parts[2] == DEPARTMENT_FILE or parts[2].endswith(ROLE_SUFFIXES))
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _current(path: Path) -> str | None:
    """The hash of the regular file at ``path`` (a link is not followed); None when nothing is there; '?' for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError:
        return "?"
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return "?"
        return _sha(fh.read())


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ---------------------------------------------------------------------------
# the journal


@dataclass(frozen=True)
class Step:
    rel: str
    old: str | None  # hash of the file before the import; None: it is new
    new: str | None  # hash of what the import writes; None: the import removes it


@dataclass(frozen=True)
class Journal:
    source: str
    backup: str | None  # the backup folder's name under .rolebook-backup/, when files were backed up
    steps: tuple[Step, ...]
    dirs: tuple[str, ...] = ()  # folders the import creates, parents first

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": JOURNAL_VERSION,
                "source": self.source,
                "backup": self.backup,
                "steps": [{"path": s.rel, "old": s.old, "new": s.new} for s in self.steps],
                "dirs": list(self.dirs),
            },
            ensure_ascii=False,
            indent=1,
        )

    @staticmethod
    def from_json(text: str) -> Journal | None:
        """The journal, or None when it is not one this version wrote (or names a path no import writes)."""
        try:
            d = json.loads(text)
            steps = tuple(Step(str(s["path"]), s["old"], s["new"]) for s in d["steps"])
            backup = d["backup"]
            dirs = tuple(str(x) for x in d.get("dirs", ()))
            source = str(d["source"])
        except (ValueError, KeyError, TypeError):
            return None
        hashes = {h for s in steps for h in (s.old, s.new)} - {None}
        if (
            d.get("version") != JOURNAL_VERSION
            or not all(_handbook_file(s.rel) for s in steps)
            or not all(isinstance(h, str) and re.fullmatch("[0-9a-f]{64}", h) for h in hashes)
            or not (backup is None or (isinstance(backup, str) and backup.isdigit()))
            or not all((x.startswith(f"{ROLES_DIR}/") and x.count("/") == 1 and ".." not in x) or x == SCHEMA_FOLDER for x in dirs)
        ):
            return None
        return Journal(source, backup, steps, dirs)


@dataclass(frozen=True)
class Undone:
    """What undoing an import did."""

    restored: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    left: tuple[str, ...] = ()  # changed by someone else since: left as they are


class ImportWriteError(Exception):
    """The import could not be written; the handbook was put back as it was (``undone``), or — when even
    that failed (``pending``) — the journal stays for the next command to finish."""

    def __init__(self, cause: OSError, rel: str | None, undone: Undone, pending: OSError | None = None) -> None:
        super().__init__(str(cause))
        self.cause, self.rel, self.undone, self.pending = cause, rel, undone, pending


class ImportBusy(Exception):
    """Another import into the same handbook is running (``running``), or a journal no import holds
    could not be undone (it is not one this version wrote)."""

    def __init__(self, running: bool) -> None:
        super().__init__("running" if running else "journal left")
        self.running = running


class LeadsOut(Exception):
    """A path the import would write leads out of the handbook through a symbolic link."""

    def __init__(self, rel: str, target: str) -> None:
        super().__init__(rel)
        self.rel, self.target = rel, target


def _lock(fd: int, wait: bool) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def _next_backup(base: Path) -> Path:
    numbers = [int(p.name) for p in base.iterdir() if p.name.isdigit()]
    n = max(numbers, default=0) + 1
    while True:
        path = base / str(n)
        try:
            path.mkdir()
        except FileExistsError:
            n += 1
            continue
        return path


def _fault() -> tuple[str, int] | None:
    spec = os.environ.get(FAULT_ENV, "")
    m = re.fullmatch(r"(fail|pause)-after:([0-9]+)", spec)
    return (m.group(1), int(m.group(2))) if m else None


def _after_rename(done: int, fault: tuple[str, int] | None) -> None:
    if fault is None or done != fault[1]:
        return
    if fault[0] == "fail":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "(test fault)")
    sys.stderr.write(f"rolebook: test pause after {done} renames\n")
    sys.stderr.flush()
    time.sleep(3600)


@dataclass
class _Open:
    """A journal this process holds (locked) while it writes."""

    root: Path
    journal: Journal
    fd: int
    made_backup_dir: bool


def _safe(root: Path, rels: Sequence[str]) -> None:
    for rel in (BACKUP_DIR, *rels):
        out = leads_out(root, rel)
        if out is not None:
            raise LeadsOut(*out)


def _begin(root: Path, source: str, changes: Sequence[tuple[str, bytes | None]]) -> _Open:
    """Back up what changes, then write and lock the journal. Nothing in the handbook has changed yet."""
    base = root / BACKUP_DIR
    made = not os.path.lexists(base)
    base.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(base / JOURNAL):
        raise ImportBusy(running=not pending(root))
    backup: Path | None = None
    try:
        steps: list[Step] = []
        for rel, new in changes:
            target = root / rel
            old = _current(target)
            if old == "?":
                raise OSError(errno.EISDIR, os.strerror(errno.EISDIR), rel)
            if old is not None:
                backup = backup or _next_backup(base)
                (backup / rel).parent.mkdir(parents=True, exist_ok=True)
                write_new(backup / rel, target.read_bytes())
            steps.append(Step(rel, old, _sha(new) if new is not None else None))
        if backup is not None:
            _fsync_dir(backup)
        dirs = sorted({Path(rel).parent.as_posix() for rel, new in changes if new is not None} - {"."})
        journal = Journal(source, backup.name if backup else None, tuple(steps), tuple(d for d in dirs if not os.path.lexists(root / d)))
        return _Open(root, journal, _publish(base, journal), made)
    except BaseException:
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
        if made:
            with contextlib.suppress(OSError):
                base.rmdir()
        raise


def _publish(base: Path, journal: Journal) -> int:
    """Write the journal, synced, and put it in place already locked; the locked descriptor is returned."""
    tmp = base / f".{JOURNAL}{TMP_SUFFIX}"
    write_new(tmp, journal.to_json().encode("utf-8"))
    fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    _lock(fd, wait=True)
    try:
        os.link(tmp, base / JOURNAL)  # fails if another import put its journal there meanwhile
    except FileExistsError:
        os.close(fd)
        raise ImportBusy(running=True) from None
    finally:
        os.unlink(tmp)
    _fsync_dir(base)
    return fd


def _finish(op: _Open, drop_backup: bool = False) -> None:
    """Remove the journal (the import is done, or wholly undone); with ``drop_backup`` also the backup, which then
    holds only what the handbook holds again."""
    base = op.root / BACKUP_DIR
    os.unlink(base / JOURNAL)
    _fsync_dir(base)
    os.close(op.fd)
    if drop_backup and op.journal.backup:
        shutil.rmtree(base / op.journal.backup, ignore_errors=True)
    if op.made_backup_dir:
        with contextlib.suppress(OSError):
            base.rmdir()  # only when empty: nothing was backed up


def write_changes(root: Path, source: str, changes: Sequence[tuple[str, bytes | None]]) -> str | None:
    """Write ``changes`` (path inside the handbook, new content or None to remove it) all or nothing.

    Returns the backup folder (``.rolebook-backup/<n>``, relative to ``root``) when files were backed up.
    Raises LeadsOut or ImportBusy before anything is written, ImportWriteError when writing failed
    (the handbook is as it was, or the journal is left for ``recover_import``)."""
    _safe(root, [rel for rel, _ in changes])
    op = _begin(root, source, changes)
    at: str | None = None  # the file being written when something fails
    try:
        for d in op.journal.dirs:
            at = d
            (root / d).mkdir(parents=True, exist_ok=True)
        for rel, new in changes:
            if new is not None:
                at = rel
                write_new(tmp_path(root / rel), new, mode_of=root / rel)
        fault = _fault()
        _after_rename(0, fault)
        for n, (rel, new) in enumerate(changes, start=1):
            at = rel
            if new is not None:
                os.replace(tmp_path(root / rel), root / rel)
            else:
                os.unlink(root / rel)
            _after_rename(n, fault)
        for folder in sorted({(root / rel).parent for rel, _ in changes}):
            _fsync_dir(folder)
    except OSError as exc:
        try:
            undone = _undo(root, op.journal)
        except OSError as again:
            os.close(op.fd)
            raise ImportWriteError(exc, at, Undone(), again) from exc
        _finish(op, drop_backup=not undone.left)
        raise ImportWriteError(exc, at, undone) from exc
    except BaseException:
        os.close(op.fd)  # the journal stays: the next command undoes what was done
        raise
    _finish(op)
    return f"{BACKUP_DIR}/{op.journal.backup}" if op.journal.backup else None


# ---------------------------------------------------------------------------
# undoing


def _undo(root: Path, journal: Journal) -> Undone:
    """Put every file of ``journal`` back as it was before the import; remove its temporary files."""
    restored: list[str] = []
    removed: list[str] = []
    left: list[str] = []
    backup = root / BACKUP_DIR / journal.backup if journal.backup else None
    for step in journal.steps:
        if leads_out(root, step.rel) is not None:
            left.append(step.rel)
            continue
        target = root / step.rel
        now = _current(target)
        if now == step.old:
            pass
        elif now == step.new and step.old is None:
            os.unlink(target)
            removed.append(step.rel)
        elif now == step.new and backup is not None and _current(backup / step.rel) == step.old:
            write_new(tmp_path(target), (backup / step.rel).read_bytes(), mode_of=target)
            os.replace(tmp_path(target), target)
            restored.append(step.rel)
        else:
            left.append(step.rel)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_path(target))
    for d in reversed(journal.dirs):
        with contextlib.suppress(OSError):
            (root / d).rmdir()  # only when empty
    for folder in sorted({(root / s.rel).parent for s in journal.steps}):
        _fsync_dir(folder)
    return Undone(tuple(restored), tuple(removed), tuple(left))


def pending(root: Path) -> bool:
    """Whether an interrupted import's journal waits to be undone (one that a running import holds does not count)."""
    path = root / BACKUP_DIR / JOURNAL
    if os.path.islink(root / BACKUP_DIR) or not os.path.isfile(path):
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        return _lock(fd, wait=False)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Recovered:
    """What ``recover_import`` found and did."""

    source: str = ""  # the file the interrupted import read
    backup: str | None = None
    undone: Undone | None = None  # None: the journal could not be used (``failure`` says why)
    failure: str | None = None  # the reason undoing failed; "" when the journal is not one rolebook wrote


def recover_import(root: Path) -> Recovered | None:
    """Undo an import into ``root`` that was killed before it finished, and remove the scratch folders of
    killed runs. Returns what was done, or None when there was nothing to do."""
    sweep_scratch()
    base = root / BACKUP_DIR
    path = base / JOURNAL
    if os.path.islink(base) or leads_out(root, BACKUP_DIR) is not None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        if not _lock(fd, wait=False) or os.fstat(fd).st_ino != os.stat(path, follow_symlinks=False).st_ino:
            return None  # a running import holds it, or it finished meanwhile
        with os.fdopen(os.dup(fd), "rb") as fh:
            raw = fh.read(10_000_000)
        journal = Journal.from_json(raw.decode("utf-8", errors="replace"))
        if journal is None:
            return Recovered(failure="")
        try:
            undone = _undo(root, journal)
        except OSError as exc:
            return Recovered(journal.source, journal.backup, failure=exc.strerror or type(exc).__name__)
        os.unlink(path)
        _fsync_dir(base)
        if journal.backup and not undone.left:
            shutil.rmtree(base / journal.backup, ignore_errors=True)  # it holds what the handbook holds again
        with contextlib.suppress(OSError):
            base.rmdir()  # only when empty
    finally:
        os.close(fd)
    return Recovered(journal.source, journal.backup if undone.left else None, undone)


def recovery_problems(rec: Recovered | None, msgs: Messages) -> list[Problem]:
    """What ``recover_import`` did, as warnings for the report."""
    if rec is None:
        return []
    where = f"{BACKUP_DIR}/{JOURNAL}"
    if rec.undone is None:
        if not rec.failure:
            return [Problem(where, 0, 0, "warning", "import-interrupted", msgs.text("import/journal-unknown", path=where))]
        return [Problem(where, 0, 0, "warning", "import-interrupted", msgs.text("import/recover-failed", source=rec.source, detail=rec.failure))]
    undone = rec.undone
    text = msgs.text("import/recovered", source=rec.source, restored=len(undone.restored), removed=len(undone.removed))
    out = [Problem(where, 0, 0, "warning", "import-interrupted", text)]
    backup = f"{BACKUP_DIR}/{rec.backup}/" if rec.backup else f"{BACKUP_DIR}/"
    out.extend(Problem(rel, 0, 0, "warning", "import-interrupted", msgs.text("import/recover-left", backup=backup)) for rel in undone.left)
    return out


# ---------------------------------------------------------------------------
# scratch folders


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    """A new private folder (mode 0700) in the system's temporary folder, marked as ours and locked while in use."""
    path = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        _lock(fd, wait=True)
        write_new(path / SCRATCH_MARK, b"rolebook import scratch copy\n")
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        os.close(fd)


def sweep_scratch() -> list[Path]:
    """Remove the scratch folders killed imports left in the temporary folder: only folders named as
    ``scratch_dir`` names them, owned by this user, holding our mark and held by no running process."""
    removed: list[Path] = []
    tmp = tempfile.gettempdir()
    try:
        entries = [e for e in os.scandir(tmp) if _SCRATCH_NAME.fullmatch(e.name)]
    except OSError:
        return []
    for entry in entries:
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            if not stat.S_ISREG(os.lstat(os.path.join(entry.path, SCRATCH_MARK)).st_mode):
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            if _lock(fd, wait=False) and fcntl is not None:
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
        finally:
            os.close(fd)
    return removed


def describe(undone: Undone, msgs: Messages) -> list[str]:
    """The lines that say what undoing put back."""
    lines = [msgs.text("import/restored", path=rel) for rel in undone.restored]
    lines += [msgs.text("import/removed", path=rel) for rel in undone.removed]
    lines += [msgs.text("import/left", path=rel) for rel in undone.left]
    return lines
