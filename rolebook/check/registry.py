"""The catalogue of problem codes: one source for the checker and the reference page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from rolebook.check.context import CheckContext
    from rolebook.problems import Problem, Severity


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    doc: str


CheckFn = Callable[["CheckContext"], Iterator["Problem"]]
F = TypeVar("F", bound=Callable[..., Iterator["Problem"]])


def _doc(text: str | None) -> str:
    import inspect

    return inspect.cleandoc(text or "")


# Problems found while reading files (before any check runs).
LOADER_CODES: tuple[Code, ...] = (
    Code(
        "encoding",
        "error",
        "The file is not UTF-8 text (for example GBK/GB18030 or UTF-16 from Windows, or binary). The message names the likely encoding and how to convert it. A UTF-8 BOM is fine.\n\n文件不是 UTF-8 编码（例如 Windows 的 GBK/GB18030、UTF-16，或者是二进制文件）。信息会说出可能的编码和转换方法。",
    ),
    Code(
        "yaml-syntax",
        "error",
        "The file is not valid YAML: a missing colon, a full-width colon (U+FF1A) after a key (as a Chinese input method types it; the message shows the line with `: `), an unclosed bracket or quote, a tab used for indentation.\n\nYAML 语法错误：缺少冒号、键后面用了全角冒号“：”（信息会给出改好的写法）、括号或引号没有闭合、用了 Tab 缩进等。",
    ),
    Code(
        "duplicate-key",
        "error",
        "The same key appears twice in one place. YAML tools silently keep only the last one, so a whole block could be lost; rolebook refuses the file and names both lines.\n\n同一处出现了两个相同的键。一般的 YAML 工具会悄悄只保留后一个，rolebook 会报错并指出两处的行号。",
    ),
    Code(
        "yaml-alias",
        "error",
        "Anchors and aliases (`&name`, `*name`) are not allowed: write each value out. This also stops 'alias bomb' files.\n\n不允许使用锚点和别名（`&名称`、`*名称`）。",
    ),
    Code(
        "yaml-tag",
        "error",
        "Tags such as `!!python/object` are refused; handbook files hold plain text, numbers, lists and mappings only.\n\n不允许使用 `!!python/object` 之类的标签。",
    ),
    Code(
        "multi-document",
        "error",
        "A file holds several YAML documents separated by `---`. One file holds one position, one department or the settings.\n\n一个文件里有多个由 `---` 分开的文档。一个文件只写一个岗位、一个部门或一份设置。",
    ),
    Code("too-deep", "error", "The structure is nested far deeper than any handbook file needs.\n\n结构嵌套层数过多。"),
    Code("too-many-nodes", "error", "The file holds far more values than any handbook file needs.\n\n文件里的值过多。"),
    Code("file-too-large", "error", "The file is larger than the per-file limit (1 MB).\n\n文件超过了单个文件的大小上限（1 MB）。"),
    Code("empty-file", "error", "The file is empty or holds only comments.\n\n文件是空的，或者只有注释。"),
    Code("not-a-mapping", "error", "The top level of the file must be `key: value` lines, not a list or a single value.\n\n文件最外层必须是“键: 值”的形式。"),
    Code("bad-key", "error", "A key is not plain text (for example a list used as a key).\n\n键不是普通文字。"),
    Code(
        "symlink-outside",
        "error",
        "The file (a role, department or settings file, `mkdocs.yml`, or anything under `docs/`) is a symbolic link to something outside the handbook folder; it is not read.\n\n文件（岗位、部门、设置文件，`mkdocs.yml`，或 `docs/` 下的任何文件）是指向手册文件夹以外的符号链接，不予读取。",
    ),
    Code(
        "mkdocs-config",
        "error",
        "The handbook's own `mkdocs.yml` would run code or reach outside the handbook when the site is built: `hooks`, a `!!python/` tag other than the slug and fence functions (`pymdownx.slugs.slugify`, `pymdownx.superfences.fence_code_format` …), `!ENV`, a plugin other than rolebook, search, offline and tags, a Markdown extension outside Python-Markdown's own, `pymdownx.*` and `material.extensions.*`, `INHERIT` / `docs_dir` / `site_dir` / `theme.custom_dir` / `watch` outside the handbook folder (`INHERIT` may name rolebook's default config), or `pymdownx.snippets` without a `base_path` inside the handbook (`!relative $config_dir`), with `restrict_base_path: false` or `url_download: true`. A handbook is often someone else's repository: building it must not run their code.\n\n"
        "手册自己的 `mkdocs.yml` 在生成网站时会运行代码或访问手册以外的内容：`hooks`、除 slug 和代码块函数（`pymdownx.slugs.slugify`、`pymdownx.superfences.fence_code_format` 等）以外的 `!!python/` 标签、`!ENV`、rolebook、search、offline、tags 以外的插件、Python-Markdown 自带、`pymdownx.*`、`material.extensions.*` 以外的 Markdown 扩展、指向手册以外的 `INHERIT` / `docs_dir` / `site_dir` / `theme.custom_dir` / `watch`（`INHERIT` 可以指向 rolebook 的默认配置），或者 `pymdownx.snippets` 的 `base_path` 不在手册以内（请写 `!relative $config_dir`）、设了 `restrict_base_path: false` 或 `url_download: true`。手册常常是别人的仓库：生成它不能运行别人的代码。",
    ),
    Code("not-a-file", "error", "Something named like a handbook file is a folder or a special file.\n\n名称像手册文件的其实是文件夹或特殊文件。"),
    Code("unreadable", "error", "The file exists but cannot be read (permissions).\n\n文件无法读取（权限问题）。"),
    Code(
        "unsafe-path",
        "error",
        "A folder of rolebook's own (its caches `.rolebook-cache/`, the import backups `.rolebook-backup/`) is a symbolic link or holds one — even one that stays inside the handbook. rolebook writes, reads and deletes nothing through it; delete the folder (rolebook makes it again).\n\n"
        "rolebook 自己的文件夹（缓存 `.rolebook-cache/`、导入备份 `.rolebook-backup/`）本身是符号链接或里面有符号链接（即使指向手册以内）。rolebook 不会通过它读取、写入或删除任何文件；请删除这个文件夹（rolebook 会重新生成）。",
    ),
    Code(
        "stray-file", "warning", "A file under `roles/` that is not a role or department file; it is ignored.\n\n`roles/` 下不是岗位或部门文件的文件，已忽略。"
    ),
    Code("missing-settings", "warning", "There is no `rolebook.yml`; defaults are used.\n\n没有 `rolebook.yml` 设置文件，使用默认设置。"),
    Code("no-roles", "error", "No role files were found under `roles/`.\n\n`roles/` 下没有岗位文件。"),
    Code(
        "bad-logo",
        "error",
        "The `logo` in `rolebook.yml` cannot be used: it is outside the handbook folder (also through a link), missing, not a regular file, larger than 2 MB, not a PNG, JPEG, GIF, SVG or WebP image, or an SVG that declares XML entities.\n\n`rolebook.yml` 里的 `logo` 无法使用：在手册文件夹以外（包括通过链接）、不存在、不是普通文件、超过 2 MB、不是 PNG、JPEG、GIF、SVG、WebP 图片，或者是声明了 XML 实体的 SVG。",
    ),
)


# Problems found while making the outputs (build, pdf), after every check passed.
OUTPUT_CODES: tuple[Code, ...] = (
    Code(
        "missing-glyph",
        "error",
        "A character no installed font has: the PDF would print an empty box in its place, so it is not made. The message names the character and where it is; the hint says which font package has it (Chinese, Japanese and Korean: `fonts-noto-cjk`; emoji: `fonts-noto-color-emoji`), or that it cannot be printed at all (a control or other invisible character), so it must be replaced.\n\n没有任何已安装字体包含的字符：PDF 里会印成空框，所以不生成。信息会指出这个字符和它的位置，提示会说明哪个字体包有它（中日韩文字：`fonts-noto-cjk`；表情符号：`fonts-noto-color-emoji`），或者它根本无法打印（控制字符等看不见的字符），只能替换掉。",
    ),
    Code(
        "render-failed",
        "error",
        "Graphviz (the org charts) or WeasyPrint (the PDFs) failed on text that passed every check. The message names the file, and for a box of an org chart the field; the previous outputs stay as they were. Please report it, with the file.\n\nGraphviz（组织架构图）或 WeasyPrint（PDF）处理通过了全部检查的文字时出错。信息会指出文件，组织架构图里的方框还会指出是哪一项；原来的输出保持不变。请把这个文件一起报告给我们。",
    ),
)


@dataclass(frozen=True)
class Check:
    fn: CheckFn
    codes: tuple[Code, ...]


def check(*codes: tuple[str, Severity]) -> Callable[[F], F]:
    """Mark a function as a check that may report the given codes; its docstring documents them."""

    def deco(fn: F) -> F:
        fn.__rolebook_codes__ = tuple(Code(c, s, _doc(fn.__doc__)) for c, s in codes)  # type: ignore[attr-defined]
        return fn

    return deco


def codes_of(fn: Callable[..., Iterator[Problem]]) -> tuple[Code, ...]:
    return getattr(fn, "__rolebook_codes__", ())
