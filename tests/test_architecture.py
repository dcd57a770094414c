"""The layers of docs/architecture.md, read from the code's own imports.

Every module of rolebook belongs to one layer; a module may import from its own layer and the
layers below it, never from one above. The adapters on top (the CLI and its commands, the MkDocs
plugin) may import anything. A new module that fits no layer fails here until it is given one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rolebook"

# Lowest first, as in docs/architecture.md. A name is a module or a package (with everything under it).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "base",
        (
            "rolebook",
            "rolebook.bilingual",
            "rolebook.dates",
            "rolebook.i18n",
            "rolebook.ids",
            "rolebook.labels",
            "rolebook.problems",
            "rolebook.resources",
            "rolebook.safepath",
            "rolebook.workers",
        ),
    ),
    ("load", ("rolebook.load",)),
    ("check", ("rolebook.check",)),
    ("model", ("rolebook.model",)),
    ("sheets", ("rolebook.sheets",)),
    ("revisions", ("rolebook.revisions",)),
    ("render", ("rolebook.render",)),
    ("outputs", ("rolebook.outputs",)),
    ("app", ("rolebook.app",)),
)
ADAPTERS = ("rolebook.__main__", "rolebook.cli", "rolebook.commands", "rolebook.mkdocs_plugin")

# Arrows up that are known and owned: (module, what it imports). Each is a debt to pay, not a rule;
# the list may only shrink (it is empty: every import runs down the pipeline).
PENDING: frozenset[tuple[str, str]] = frozenset()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _under(name: str, prefix: str) -> bool:
    return name == prefix or (prefix != "rolebook" and name.startswith(prefix + "."))


def layer_of(name: str) -> int | None:
    """The index of the layer ``name`` belongs to (the longest matching entry wins), None if none."""
    best: tuple[int, int] | None = None
    for index, (_, names) in enumerate(LAYERS):
        for prefix in names:
            if _under(name, prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return None if best is None else best[1]


def is_adapter(name: str) -> bool:
    return any(_under(name, prefix) for prefix in ADAPTERS)


def imports_in(source: str, name: str, *, package: bool = False) -> list[tuple[int, str]]:
    """(line, module) for every import of a rolebook module in ``source`` (module ``name``), lazy ones inside functions too."""
    here = name if package else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: len(here.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                is_module = (PACKAGE.parent / (sub.replace(".", "/") + ".py")).exists() or (PACKAGE.parent / sub.replace(".", "/")).is_dir()
                found.append((node.lineno, sub if is_module else target))
    return [(line, mod) for line, mod in found if mod == "rolebook" or mod.startswith("rolebook.")]


def upward_imports(source: str, name: str, *, package: bool = False) -> list[str]:
    """What module ``name`` imports from a layer above its own, one line each."""
    if is_adapter(name):
        return []
    own = layer_of(name)
    assert own is not None, name
    found = []
    for line, target in imports_in(source, name, package=package):
        theirs = layer_of(target)
        if (name, target) in PENDING:
            continue
        if is_adapter(target):
            found.append(f"{name}:{line}: imports {target}, an adapter")
        elif theirs is None or theirs > own:
            where = "no layer" if theirs is None else f"layer {LAYERS[theirs][0]}"
            found.append(f"{name}:{line}: (layer {LAYERS[own][0]}) imports {target} ({where})")
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_is_found() -> None:
    names = {module_name(p) for p in MODULES}
    assert {"rolebook.app.pipeline", "rolebook.check.handbook", "rolebook.commands.build"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_every_module_has_a_layer(path: Path) -> None:
    name = module_name(path)
    assert is_adapter(name) or layer_of(name) is not None, f"{name} is in no layer: add it to LAYERS here and to docs/architecture.md"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_imports_point_down(path: Path) -> None:
    found = upward_imports(path.read_text(encoding="utf-8"), module_name(path), package=path.name == "__init__.py")
    assert not found, "\n".join(found)


def test_pending_arrows_are_still_there() -> None:
    """An arrow on the PENDING list that is gone is taken off it, so the list never hides a new one."""
    for name, target in PENDING:
        path = PACKAGE.parent / (name.replace(".", "/") + ".py")
        assert target in {t for _, t in imports_in(path.read_text(encoding="utf-8"), name)}, f"{name} -> {target} is gone: remove it from PENDING"


def test_an_arrow_up_is_caught() -> None:
    """The reader of imports itself, on code that breaks the rule in each way it can be broken."""
    source = "from rolebook.app.pipeline import check_handbook\n\ndef f():\n    from ..render import pages\n    import rolebook.commands.common\n"
    found = upward_imports(source, "rolebook.load.files")
    assert [line.split(": ", 1)[0] for line in found] == ["rolebook.load.files:1", "rolebook.load.files:4", "rolebook.load.files:5"]
    assert "rolebook.render.pages (layer render)" in found[1] and "an adapter" in found[2]
    assert upward_imports("from rolebook.load.files import ROLES_DIR\nfrom . import rows\n", "rolebook.sheets.read") == []
    assert upward_imports("from rolebook.app.pipeline import check_handbook\n", "rolebook.commands.check") == []
    assert layer_of("rolebook.modelx") is None and layer_of("rolebook") == 0


def test_docs_list_the_same_layers() -> None:
    """docs/architecture.md names the layers in the order of LAYERS."""
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    rule = text[text.index("## Who may import whom") :]
    names = [names[0].removeprefix("rolebook.").replace(".", "/") for _, names in LAYERS[1:]]
    order = [rule.index(f"`{n}") for n in names]
    assert order == sorted(order), names


# Size: a function longer than this is split; a module longer than this says at its top, in its
# docstring, why it is one piece ("… on purpose: …").
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 500
REASON = "on purpose"


def long_functions(source: str, name: str) -> list[str]:
    """``name:line: function`` for every function (methods and nested ones too) over MAX_FUNCTION_LINES."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.lineno}: {node.name} is {length} lines (at most {MAX_FUNCTION_LINES})")
    return found


def unexplained_length(source: str, name: str) -> str | None:
    """Why a module over MAX_MODULE_LINES fails: None when it is short enough or its docstring says why it is long."""
    lines = source.count("\n")
    if lines <= MAX_MODULE_LINES or REASON in (ast.get_docstring(ast.parse(source)) or ""):
        return None
    return f"{name} is {lines} lines (at most {MAX_MODULE_LINES} without a reason '… {REASON}: …' in its docstring)"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_functions_and_modules_are_short(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    name = module_name(path)
    found = long_functions(source, name)
    why = unexplained_length(source, name)
    assert not found and why is None, "\n".join([*found, *([why] if why else [])])


def test_a_long_function_or_module_is_caught() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    assert long_functions(f"def f():\n{body}", "m") == [f"m:1: f is {MAX_FUNCTION_LINES + 1} lines (at most {MAX_FUNCTION_LINES})"]
    assert long_functions(f"class C:\n    def g(self):\n    {body.replace(chr(10) + '    ', chr(10) + '        ')}", "m")[0].startswith("m:2: g is")
    assert long_functions(f"def f():\n{body[: body.rindex('    x')]}", "m") == []
    filler = "x = 1\n" * MAX_MODULE_LINES
    assert unexplained_length(f'"""Short."""\n{filler}', "m") is not None
    assert unexplained_length(f'"""Long on purpose: one table."""\n{filler}', "m") is None
    assert unexplained_length(filler[: -len("x = 1\n")], "m") is None
