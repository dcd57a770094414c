"""Checks of a handbook in two languages: every text in every language, lists that match item by item."""

from __future__ import annotations

from collections.abc import Iterator

from rolebook.bilingual import HAN, is_per_language
from rolebook.check.context import CheckContext, ParsedFile
from rolebook.check.registry import check
from rolebook.i18n import LANGS, Lang
from rolebook.load.yamlstrict import Path
from rolebook.problems import Problem

# Values that are the same in every language (ids, numbers, dates, a name): never translated.
SHARED_KEYS = frozenset({"number", "reports_to", "subordinates", "parent", "status", "effective_date", "revision", "approver", "headcount", "order"})


@check(("missing-translation", "warning"), ("translation-shape", "warning"))
def translations(ctx: CheckContext) -> Iterator[Problem]:
    """A text given per language (`title: {zh: …, en: Property Assistant}`) lacks one of the
    handbook's `languages`; in a Chinese and English handbook, a text written plainly in Chinese has no
    English either (text without Chinese characters, such as `KPI 5S`, is the same in both). The page in the missing language shows the main
    language's text, marked. A list given as one list per language (`kpis: {zh: [...], en: [...]}`)
    has a different number of items in the two languages (`translation-shape`): the items can no
    longer be matched one by one. Warnings: `--strict` makes them fail.

    按语言分别写的文字（`title: {zh: 物业助理, en: Property Assistant}`）缺少手册 `languages` 里的某种语言；
    中英双语手册里，直接写成中文的文字也算缺少英文（不含汉字的文字，例如 `KPI 5S`，两种语言通用）。缺少的语言的页面上显示主语言的文字，并加以标注。
    按语言各写一整张列表（`kpis: {zh: [...], en: [...]}`）时两种语言的项数不同（`translation-shape`），
    就无法逐项对应了。这些是警告；`--strict` 时算作错误。"""
    langs = ctx.languages
    plain_missing: tuple[Lang, ...] = ("en",) if "zh" in langs and "en" in langs else ()
    for f in (*ctx.departments.values(), *ctx.roles.values()):
        if f.schema_problems or (not plain_missing and not f.may_be_per_language):
            continue  # (a file with schema errors is reported by those first)
        yield from _file(ctx, f, plain_missing)


def _file(ctx: CheckContext, f: ParsedFile, plain_missing: tuple[Lang, ...]) -> Iterator[Problem]:
    langs = ctx.languages
    stack: list[tuple[Path, object]] = [((), f.data)]
    found: list[tuple[Path, str, dict[str, object]]] = []
    while stack:
        path, value = stack.pop()
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        if key in SHARED_KEYS:
            continue
        if is_per_language(value):
            assert isinstance(value, dict)
            missing = [lang for lang in langs if lang not in value]
            shown = next(x for x in (langs[0], *LANGS) if x in value)  # what Choice shows instead
            for lang in missing:
                found.append((path, "missing-translation", {"key": key, "lang": lang, "shown": shown}))
            lists = {lang: v for lang, v in value.items() if isinstance(v, list) and lang in langs}
            if not missing and len(lists) > 1 and len({len(v) for v in lists.values()}) > 1:
                found.append((path, "translation-shape", {"key": key, "lists": lists}))
        elif isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
        elif isinstance(value, str) and plain_missing and HAN.search(value):
            found.extend((path, "missing-translation", {"key": key, "lang": lang, "shown": "zh"}) for lang in plain_missing)
    for path, code, args in sorted(found, key=lambda x: (f.doc.pos(x[0]), x[1])):
        yield _problem(ctx, f, path, code, args)


def _problem(ctx: CheckContext, f: ParsedFile, path: Path, code: str, args: dict[str, object]) -> Problem:
    msgs = ctx.msgs
    main: Lang = ctx.languages[0]
    what = msgs.quote(args["key"])
    hint_key = str(args["key"])
    if code == "missing-translation":
        lang, shown = args["lang"], args["shown"]
        return ctx.problem(
            f,
            path,
            "warning",
            code,
            code,
            what=what,
            language=msgs.text(f"language/{lang}"),
            main=msgs.text(f"language/{shown}"),
            hint=msgs.hint("missing-translation/item") if path and isinstance(path[-1], int) else msgs.hint(code, key=hint_key),
        )
    lists = args["lists"]
    assert isinstance(lists, dict)
    other = next(x for x in ctx.languages if x != main)
    count, main_count = len(lists[other]), len(lists[main])
    return ctx.problem(
        f,
        (*path, other),
        "warning",
        code,
        code,
        what=what,
        count=count,
        s="" if count == 1 else "s",
        language=msgs.text(f"language/{other}"),
        main_count=main_count,
        main=msgs.text(f"language/{main}"),
        hint=msgs.hint(code),
    )
