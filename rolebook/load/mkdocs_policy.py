"""The handbook's own ``mkdocs.yml``, read safely before MkDocs reads it.

MkDocs reads its config with PyYAML's full loader, so a ``!!python/object/apply:os.system`` tag
runs when the file is read, and its ``hooks:`` option imports Python files; plugins and Markdown
extensions are Python modules too, and some options name files to read (``INHERIT``,
``pymdownx.snippets``' ``base_path``). A handbook repository is untrusted: building one someone
else wrote must not run their code or read files outside it. So before MkDocs sees the file,
rolebook composes it with a safe loader (nothing is constructed, nothing runs) and refuses, as
``check`` problems at ``mkdocs.yml:line:col`` (code ``mkdocs-config``):

* ``hooks``;
* a ``!!python/...`` tag other than ``!!python/name:`` or ``!!python/object/apply:`` of one of
  PYTHON_NAMES (the slug and fence functions Material's documentation uses), and any other tag
  but MkDocs' ``!relative`` (``!ENV`` would put the builder's environment on the site);
* a plugin other than PLUGINS, a Markdown extension outside Python-Markdown's own, ``pymdownx.*``
  and ``material.extensions.*``;
* ``INHERIT``, ``docs_dir``, ``site_dir``, ``theme.custom_dir`` or ``watch`` leading outside the
  handbook folder (``INHERIT`` may also name rolebook's own default config; an inherited file
  inside the handbook is checked the same way);
* ``pymdownx.snippets`` without a ``base_path`` inside the handbook (a plain relative path means
  the current folder of whoever builds it: write ``!relative $config_dir``), with
  ``restrict_base_path: false`` or with ``url_download: true``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import yaml

from rolebook.i18n import Messages
from rolebook.load.files import MKDOCS_FILE, docs_link_problems, read_text
from rolebook.problems import Problem
from rolebook.resources import DEFAULT_MKDOCS_YML

PLUGINS = frozenset({"rolebook", "search", "offline", "tags"})
PYTHON_NAMES = frozenset(
    {
        "pymdownx.slugs.slugify",
        "pymdownx.slugs.uslugify",
        "pymdownx.superfences.fence_code_format",
        "pymdownx.superfences.fence_div_format",
        "pymdownx.emoji.twemoji",
        "pymdownx.emoji.to_svg",
        "material.extensions.emoji.twemoji",
        "material.extensions.emoji.to_svg",
    }
)
MARKDOWN_BUILTINS = frozenset(
    {"abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta"}
    | {"nl2br", "sane_lists", "smarty", "tables", "toc", "wikilinks"}
)
EXTENSION_PREFIXES = ("markdown.extensions.", "pymdownx.", "material.extensions.")
PYTHON_TAG = "tag:yaml.org,2002:python/"
STANDARD_TAG = "tag:yaml.org,2002:"
MAX_INHERIT = 5


def _at(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _tag_problems(root_node: yaml.Node, rel: str, msgs: Messages) -> Iterator[Problem]:
    """Every tag that would run or read something, each node visited once (aliases are not expanded)."""
    seen: set[int] = set()
    todo = [root_node]
    allowed = msgs.join(sorted(PYTHON_NAMES))
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        tag = node.tag or ""
        if tag.startswith(PYTHON_TAG):
            kind, _, name = tag[len(PYTHON_TAG) :].partition(":")
            if kind not in ("name", "object/apply") or name not in PYTHON_NAMES:
                yield Problem(rel, *_at(node), "error", "mkdocs-config", msgs.text("mkdocs-config/tag", tag="!!" + tag[len(STANDARD_TAG) :], allowed=allowed))
        elif tag == "!relative":
            value = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
            if ".." in Path(value).parts or not (value == "" or value.split("/", 1)[0] in ("$config_dir", "$docs_dir")):
                yield Problem(rel, *_at(node), "error", "mkdocs-config", msgs.text("mkdocs-config/outside", key="!relative", value=value))
        elif not tag.startswith(STANDARD_TAG):
            yield Problem(rel, *_at(node), "error", "mkdocs-config", msgs.text("mkdocs-config/tag", tag=tag, allowed=allowed))
        if isinstance(node, yaml.MappingNode):
            todo.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)


def _get(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None


def _names(node: yaml.Node) -> Iterator[tuple[str, yaml.Node, yaml.Node | None]]:
    """The entries of a ``plugins`` or ``markdown_extensions`` list (or mapping): name, its node, its options."""
    items: list[tuple[yaml.Node, yaml.Node | None]] = []
    if isinstance(node, yaml.MappingNode):
        items = [(k, v) for k, v in node.value]
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.MappingNode) and len(item.value) == 1:
                items.append(item.value[0])
            else:
                items.append((item, None))
    for k, v in items:
        if isinstance(k, yaml.ScalarNode):
            yield str(k.value), k, v


def _inside(root: Path, base: Path, value: str) -> bool:
    real = os.path.realpath(base / os.path.expanduser(value))
    home = os.path.realpath(root)
    return os.path.commonpath([real, home]) == home


def _path_problems(doc: yaml.Node, root: Path, here: Path, rel: str, msgs: Messages) -> Iterator[Problem]:
    """``docs_dir``, ``site_dir``, ``theme.custom_dir`` and ``watch`` (relative to the config's folder) inside the handbook."""
    places: list[tuple[str, yaml.Node]] = []
    for key in ("docs_dir", "site_dir"):
        found = _get(doc, key)
        if found is not None:
            places.append((key, found[1]))
    theme = _get(doc, "theme")
    custom = _get(theme[1], "custom_dir") if theme is not None else None
    if custom is not None:
        places.append(("theme.custom_dir", custom[1]))
    watch = _get(doc, "watch")
    if watch is not None and isinstance(watch[1], yaml.SequenceNode):
        places.extend(("watch", item) for item in watch[1].value)
    for key, node in places:
        if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value and not _inside(root, here, node.value):
            yield Problem(rel, *_at(node), "error", "mkdocs-config", msgs.text("mkdocs-config/outside", key=key, value=node.value))


def _snippets_problems(options: yaml.Node | None, root: Path, here: Path, rel: str, at: yaml.Node, msgs: Messages) -> Iterator[Problem]:
    base = _get(options, "base_path") if options is not None else None
    if base is None:
        yield Problem(rel, *_at(at), "error", "mkdocs-config", msgs.text("mkdocs-config/snippets-base"))
    else:
        bases = base[1].value if isinstance(base[1], yaml.SequenceNode) else [base[1]]
        for node in bases:
            relative = node.tag == "!relative"  # checked with the tags: the config's or docs folder, never above
            if not relative and not (isinstance(node, yaml.ScalarNode) and os.path.isabs(str(node.value)) and _inside(root, here, str(node.value))):
                yield Problem(rel, *_at(node), "error", "mkdocs-config", msgs.text("mkdocs-config/snippets-base"))
    for key, bad in (("restrict_base_path", "false"), ("url_download", "true")):
        found = _get(options, key) if options is not None else None
        if found is not None and isinstance(found[1], yaml.ScalarNode) and str(found[1].value).lower() == bad:
            yield Problem(rel, *_at(found[1]), "error", "mkdocs-config", msgs.text("mkdocs-config/snippets-option", key=key, value=bad))


def _one(root: Path, rel: str, msgs: Messages, depth: int) -> tuple[list[Problem], str | None]:
    """The problems of one config file (and of what it inherits inside the handbook), and its ``docs_dir``."""
    text = read_text(root, rel, msgs)
    if isinstance(text, Problem):
        return [text], None
    try:
        doc = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: no tag is constructed, nothing runs
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        return [Problem(rel, line, col, "error", "yaml-syntax", msgs.text("yaml-syntax", detail=getattr(exc, "problem", None) or exc))], None
    if doc is None:
        return [], None
    here = (root / rel).parent
    problems = list(_tag_problems(doc, rel, msgs))
    hooks = _get(doc, "hooks")
    if hooks is not None:
        problems.append(Problem(rel, *_at(hooks[0]), "error", "mkdocs-config", msgs.text("mkdocs-config/hooks")))
    for key, check, allowed_words in (
        ("plugins", lambda n: n.removeprefix("material/") in PLUGINS, msgs.join(sorted(PLUGINS))),
        (
            "markdown_extensions",
            lambda n: n in MARKDOWN_BUILTINS or n.startswith(EXTENSION_PREFIXES),
            msgs.join(["Python-Markdown", *(p + "*" for p in EXTENSION_PREFIXES)]),
        ),
    ):
        found = _get(doc, key)
        for name, node, options in _names(found[1]) if found is not None else ():
            if not check(name):
                problems.append(Problem(rel, *_at(node), "error", "mkdocs-config", msgs.text(f"mkdocs-config/{key}", name=name, allowed=allowed_words)))
            elif name in ("pymdownx.snippets", "snippets"):
                problems.extend(_snippets_problems(options, root, here, rel, node, msgs))
    problems.extend(_path_problems(doc, root, here, rel, msgs))
    docs = _get(doc, "docs_dir")
    docs_dir = str(docs[1].value) if docs is not None and isinstance(docs[1], yaml.ScalarNode) else None
    parent = _get(doc, "INHERIT")
    if parent is not None and isinstance(parent[1], yaml.ScalarNode):
        problems.extend(_inherit(root, here, rel, parent[1], msgs, depth))
    return problems, docs_dir


def _inherit(root: Path, here: Path, rel: str, node: yaml.ScalarNode, msgs: Messages, depth: int) -> list[Problem]:
    value = str(node.value)
    target = Path(os.path.realpath(here / value))
    if target == Path(os.path.realpath(DEFAULT_MKDOCS_YML)):
        return []
    if not _inside(root, here, value):
        return [Problem(rel, *_at(node), "error", "mkdocs-config", msgs.text("mkdocs-config/outside", key="INHERIT", value=value))]
    if depth >= MAX_INHERIT:
        return [Problem(rel, *_at(node), "error", "mkdocs-config", msgs.text("mkdocs-config/outside", key="INHERIT", value=value))]
    inner = Path(os.path.relpath(target, os.path.realpath(root))).as_posix()
    return _one(root, inner, msgs, depth + 1)[0]


def mkdocs_problems(root: Path, msgs: Messages) -> list[Problem]:
    """What in the handbook's own ``mkdocs.yml`` (if it has one) would run code or reach outside the handbook
    when MkDocs reads it (see the module's rules), and links out of the handbook under its ``docs_dir``
    when that is not ``docs/`` (rolebook.load.files.link_problems covers ``docs/``)."""
    path = root / MKDOCS_FILE
    if not os.path.lexists(path) or (path.is_symlink() and not _inside(root, root, MKDOCS_FILE)):
        return []  # none, or a link out of the handbook: link_problems reports that
    problems, docs_dir = _one(root, MKDOCS_FILE, msgs, 0)
    if docs_dir and not problems and Path(os.path.normpath(docs_dir)).as_posix() != "docs":
        problems.extend(docs_link_problems(root, Path(os.path.relpath(os.path.realpath(root / docs_dir), os.path.realpath(root))).as_posix(), msgs))
    return problems


__all__ = ["PLUGINS", "PYTHON_NAMES", "mkdocs_problems"]
