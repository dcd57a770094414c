"""rolebook as a user installs it: a wheel built from this repository, installed (not editable) into a fresh
venv in another folder, runs every command on a handbook in a third folder from a fourth working directory.

The wheel's dependencies are not downloaded again: a ``.pth`` file in the fresh venv adds the site-packages
folders this test runs with. Those hold no ``rolebook`` package of their own (this checkout is installed
editable, through a finder, not a folder), so the ``rolebook`` that runs is the wheel's, which the test
asserts before it runs anything.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scratch import make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent
# what a wheel is built from: pyproject.toml and the files it names
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "rolebook")

pytestmark = pytest.mark.slow


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


def build_wheel(tmp_path: Path, env: dict[str, str]) -> Path:
    """``pip wheel --no-deps`` on a copy of the sources (a build writes build/ and *.egg-info beside them)."""
    src = tmp_path / "src"
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            src.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, src / name)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path / "dist"), str(src)], tmp_path, env)
    (wheel,) = (tmp_path / "dist").glob("rolebook-*.whl")
    return wheel


def dependency_dirs() -> list[str]:
    """The site-packages folders the dependencies are installed in for this test run."""
    dirs = list(site.getsitepackages())
    if site.ENABLE_USER_SITE and os.path.isdir(site.getusersitepackages()):
        dirs.append(site.getusersitepackages())
    return [d for d in dirs if os.path.isdir(d)]


def fresh_venv(folder: Path, wheel: Path, env: dict[str, str]) -> Path:
    """A new venv with the wheel installed and the dependencies reachable; returns its site-packages."""
    run([sys.executable, "-m", "venv", str(folder)], folder.parent, env)
    python = folder / "bin" / "python"
    purelib = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], folder, env).stdout.strip())
    (purelib / "zz-rolebook-test-dependencies.pth").write_text("".join(f"{d}\n" for d in dependency_dirs()), encoding="utf-8")
    run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], folder, env)
    return purelib


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """The wheel built once and installed into a fresh venv: (venv, its site-packages, the environment)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH")}
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    base = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(base / "build", env)
    venv = base / "venv"
    return venv, fresh_venv(venv, wheel, env), env


def test_the_wheel_runs_every_command_outside_the_checkout(tmp_path: Path, installed: tuple[Path, Path, dict[str, str]]) -> None:
    venv, purelib, env = installed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    hb = make_handbook(tmp_path / "hb", minimal("en"))

    # the rolebook that runs is the wheel's: no folder on sys.path but the venv's own holds a rolebook package
    probe = "import json, sys, rolebook, rolebook.resources as r; print(json.dumps([rolebook.__file__, str(r.SCHEMA_DIR), sys.path]))"
    found, schema_dir, path = json.loads(run([str(venv / "bin/python"), "-c", probe], elsewhere, env).stdout)
    assert Path(found).is_relative_to(purelib) and Path(schema_dir) == purelib / "rolebook" / "schema"
    holding = [p for p in path if p and (Path(p) / "rolebook" / "__init__.py").is_file()]
    assert holding == [str(purelib)], holding
    assert str(REPO) not in path and str(elsewhere) not in path

    rolebook = str(venv / "bin" / "rolebook")
    assert run([rolebook, "check", "../hb"], elsewhere, env).stdout == "Checked 4 files: no problems found.\n"

    out = run([rolebook, "build", "../hb", "-j", "1"], elsewhere, env).stdout
    assert out.startswith(f"Built the site in {elsewhere / '../hb/site'} (")
    site_dir = hb / "site"
    assert sorted(p.name for p in (site_dir / "roles").glob("*.html")) == ["boss.html", "clerk.html"]
    assert sorted(p.name for p in (site_dir / "pdf" / "roles").iterdir()) == ["boss.pdf", "clerk.pdf"]
    assert "专员" in (site_dir / "roles" / "clerk.html").read_text(encoding="utf-8")

    run([rolebook, "pdf", "../hb", "--out", "pdfs", "-j", "1"], elsewhere, env)
    assert (elsewhere / "pdfs" / "handbook.pdf").read_bytes().startswith(b"%PDF-")

    run([rolebook, "export", "--format", "xlsx", "-o", "hb.xlsx", "../hb"], elsewhere, env)
    out = run([rolebook, "import", "hb.xlsx", "../hb", "--dry-run"], elsewhere, env).stdout
    assert out.endswith("Dry run: nothing was written (0 new, 0 changed, 4 unchanged).\n")

    run([rolebook, "new", "role", "helper", "--department", "cs", "--reports-to", "boss", "--title", "Helper", "../hb"], elsewhere, env)
    out = run([rolebook, "check", "../hb"], elsewhere, env).stdout
    assert out.endswith("Checked 5 files: 0 errors, 9 warnings.\n")
    run([rolebook, "build", "../hb", "--no-pdf"], elsewhere, env)
    assert sorted(p.name for p in (site_dir / "roles").glob("*.html")) == ["boss.html", "clerk.html", "helper.html"]


def test_a_handbook_started_with_init_from_the_wheel(tmp_path: Path, installed: tuple[Path, Path, dict[str, str]]) -> None:
    """What a new English-speaking HR team does: init, then every command, from another folder."""
    venv, _, env = installed
    rolebook = str(venv / "bin" / "rolebook")
    acme, elsewhere = tmp_path / "acme", tmp_path / "elsewhere"
    elsewhere.mkdir()
    run([rolebook, "init", str(acme), "--lang", "en", "--name", "Acme"], elsewhere, env)
    # every modeline points inside the handbook, at the copies init wrote
    for path in sorted((acme / "roles").rglob("*.yaml")):
        ref = path.read_text(encoding="utf-8").splitlines()[0].split("$schema=", 1)[1]
        assert (path.parent / ref).resolve().is_relative_to(acme.resolve()) and (path.parent / ref).is_file(), path
    assert run([rolebook, "check", "../acme"], elsewhere, env).stdout == "Checked 3 files: no problems found.\n"
    run([rolebook, "build", "../acme", "-j", "1"], elsewhere, env)
    roles = sorted(p.stem for p in (acme / "roles").rglob("*.yaml") if not p.name.startswith("_"))
    assert sorted(p.stem for p in (acme / "site" / "roles").glob("*.html")) == roles
    assert sorted(p.stem for p in (acme / "site" / "pdf" / "roles").glob("*.pdf")) == roles
    run([rolebook, "pdf", "../acme", "--out", "print", "-j", "1"], elsewhere, env)
    assert (elsewhere / "print" / "handbook.pdf").is_file()
    for fmt in ("xlsx", "json", "docx"):
        run([rolebook, "export", "--format", fmt, "-o", f"acme.{fmt}", "../acme"], elsewhere, env)
    out = run([rolebook, "import", "acme.xlsx", "../acme", "--dry-run"], elsewhere, env).stdout
    assert out.endswith("Dry run: nothing was written (0 new, 0 changed, 3 unchanged).\n"), out
    run([rolebook, "import", "acme.json", "../acme", "--overwrite"], elsewhere, env)
    run(
        [rolebook, "new", "role", "receptionist", "--department", roles_department(acme), "--reports-to", roles[0], "--title", "Receptionist", "../acme"],
        elsewhere,
        env,
    )
    run([rolebook, "build", "../acme", "--no-pdf"], elsewhere, env)
    assert (acme / "site" / "roles" / "receptionist.html").is_file()


def roles_department(root: Path) -> str:
    (dept,) = [p.parent.name for p in (root / "roles").glob("*/_department.yaml")]
    return dept
