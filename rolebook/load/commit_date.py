"""The time of the handbook's last git commit: the reference date for reviews when SOURCE_DATE_EPOCH is not set.

A handbook is often someone else's repository, and git runs programs its configuration names (hooks,
fsmonitor, signature checkers, pagers). So git is asked one fixed question, with no shell, no system
or global configuration, hooks and fsmonitor switched off and signatures not shown, about the
repository in the handbook's own ``.git`` folder only: a real folder, not a link, not a ``.git`` file
pointing elsewhere (a linked worktree or submodule), and never a repository found further up the disk.
Anything unexpected (no git, no commit yet, a repository owned by someone else) gives None.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

GIT_TIMEOUT = 10.0  # seconds; `git log -1` takes milliseconds


def last_commit_time(root: Path) -> int | None:
    """Seconds since the epoch of HEAD's commit time in ``root/.git``, or None."""
    git_dir = root / ".git"
    try:
        if not stat.S_ISDIR(os.lstat(git_dir).st_mode):
            return None
    except OSError:
        return None
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "LC_ALL": "C",
    }
    argv = [
        "git",
        "--no-pager",
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "core.fsmonitor=false",
        "-c",
        "log.showSignature=false",
        f"--git-dir={git_dir}",
        "log",
        "-1",
        "--format=%ct",
        "HEAD",
        "--",
    ]
    import subprocess  # (here: only a handbook with review_every asks git)

    try:
        done = subprocess.run(argv, env=env, cwd=root, capture_output=True, timeout=GIT_TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    out = done.stdout.decode("ascii", "replace").strip()
    if done.returncode != 0 or not out.isdigit():
        return None
    return int(out)
