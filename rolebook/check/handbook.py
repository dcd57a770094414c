"""Checks across the handbook's files: ids, departments, reporting lines, content."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterator

from rolebook.bilingual import main_text
from rolebook.check.approvals import approvals, reviews
from rolebook.check.context import CheckContext, ParsedFile, located
from rolebook.check.registry import check
from rolebook.check.suggest import date_hint, nearest_id
from rolebook.check.translation import translations
from rolebook.i18n import Messages
from rolebook.ids import ID_RE, id_message
from rolebook.load.files import DEPARTMENT_FILE, ROLES_DIR
from rolebook.problems import Problem

DATE_RE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")  # the schema's shape
# Whether a file may hold a placeholder at all: "TODO", "待填写", "to fill in" or "<<" in any case, spelt
# with the characters Python's case-insensitive matching takes for each letter (i: also İ and ı), which
# is a third faster than re.IGNORECASE over 10,000 files (tests/test_hostile_input.py holds them equal).
PLACEHOLDER_TEXT = re.compile(r"[Tt](?:[Oo][Dd][Oo]|[Oo] [Ff][Ii\u0130\u0131][Ll][Ll] [Ii\u0130\u0131][Nn])|待填写|<<")
PLACEHOLDER_RE = re.compile(r"^\s*(TODO|待填写|（待填写）|\(to fill in\)|<<.*>>)", re.IGNORECASE)


@check(("bad-id", "error"))
def file_names(ctx: CheckContext) -> Iterator[Problem]:
    """A role's id is its file name; a department's id is its folder name. Ids are lowercase
    ASCII letters, digits and `-` (so they work as web addresses and file names on every system),
    at most 64 characters long, and not a name Windows reserves (`con`, `nul`, `com1` …). Invisible characters (a zero-width
    space, a right-to-left mark) are not allowed either; the report shows them as `<U+200B>`.

    岗位标识就是文件名，部门标识就是文件夹名：只能用小写英文字母、数字和“-”，最长 64 个字符，也不能是 Windows 的保留名称；
    零宽空格等看不见的字符也不行（报告里显示为 `<U+200B>`）。"""
    for dept in sorted(ctx.dept_folders):
        yield from _bad_id(ctx, dept, f"{ROLES_DIR}/{dept}", folder=True)
    for src in ctx.role_sources:
        yield from _bad_id(ctx, src.ident, src.rel, folder=False)


def _bad_id(ctx: CheckContext, name: str, rel: str, *, folder: bool) -> Iterator[Problem]:
    message = id_message(name, ctx.msgs, folder=folder)
    if message is not None:
        yield Problem(rel, 0, 0, "error", "bad-id", message)


@check(("duplicate-id", "error"))
def unique_ids(ctx: CheckContext) -> Iterator[Problem]:
    """Every role id is used once in the whole handbook, in any department and in any
    upper/lower case (on Windows and macOS `Guide.yaml` and `guide.yaml` are the same file).
    Two department folders may not differ only in case either (`cs` and `CS`).

    岗位标识在整个手册里只能出现一次（不分部门，也不分大小写）；部门文件夹名也不能只有大小写不同。"""
    first: dict[str, str] = {}
    for src in ctx.role_sources:
        key = src.ident.lower()
        if key in first:
            other = first[key]
            other_id = other.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            msg_id = "duplicate-id" if other_id == src.ident else "duplicate-id/case"
            yield Problem(src.rel, 0, 0, "error", "duplicate-id", ctx.msgs.text(msg_id, id=src.ident, other=other))
        else:
            first[key] = src.rel
    folders: dict[str, str] = {}
    for dept in sorted(ctx.dept_folders, key=lambda d: (not ID_RE.fullmatch(d), d)):  # a valid id is the original
        if dept.lower() in folders:
            other = f"{ROLES_DIR}/{folders[dept.lower()]}"
            yield Problem(f"{ROLES_DIR}/{dept}", 0, 0, "error", "duplicate-id", ctx.msgs.text("duplicate-id/case-folder", id=dept, other=other))
        else:
            folders[dept.lower()] = dept


@check(("duplicate-number", "error"))
def unique_numbers(ctx: CheckContext) -> Iterator[Problem]:
    """Every document number is used once. Numbers that look the same count as the same: the
    full-width and half-width forms of a character (T-002 typed with a Chinese input method's
    full-width letters, digits and dash, and `T-002`) and invisible characters pasted along (a
    zero-width space, a right-to-left override) are not told apart.

    每个编号只能用一次。看起来一样的编号算作重复：全角和半角（`Ｔ－００２` 与 `T-002`）、以及夹带的看不见的字符都不区分。"""
    first: dict[str, ParsedFile] = {}
    for f in ctx.roles.values():
        number = f.get("number") or ""
        key = comparable_number(number)
        if not key:
            continue
        if key in first:
            yield ctx.problem(f, ("number",), "error", "duplicate-number", "duplicate-number", number=number.strip(), other=first[key].source.rel)
        else:
            first[key] = f


def comparable_number(text: str) -> str:
    """What a reader sees: full-width and half-width forms alike (NFKC), invisible characters dropped, spaces collapsed."""
    if text.isascii():  # NFKC leaves ASCII as it is, and no ASCII character is invisible (Cf): 10,000 numbers a check
        return " ".join(text.split())
    folded = unicodedata.normalize("NFKC", text)
    return " ".join("".join(ch for ch in folded if unicodedata.category(ch) != "Cf").split())


@check(("unknown-department", "error"), ("department-loop", "error"))
def departments(ctx: CheckContext) -> Iterator[Problem]:
    """Every folder under `roles/` that holds roles has a `_department.yaml`; a department's
    `parent` names an existing department, and parents never go round in a circle.

    `roles/` 下每个放岗位的文件夹都要有 `_department.yaml`；上级部门必须存在，且不能循环。"""
    with_roles = sorted({s.department for s in ctx.role_sources})
    for dept in with_roles:
        if dept not in ctx.dept_files:
            first = next(s for s in ctx.role_sources if s.department == dept)
            path = f"{ROLES_DIR}/{dept}/{DEPARTMENT_FILE}"
            yield Problem(
                first.rel, 0, 0, "error", "unknown-department", ctx.msgs.text("unknown-department", id=dept), ctx.msgs.hint("unknown-department", path=path)
            )
    known = sorted(ctx.dept_files)
    for f in ctx.departments.values():
        parent = f.get("parent")
        if parent is not None and parent not in ctx.dept_files:
            import difflib  # (here: a check that finds no problem does not import it)

            # a parent written as a path ('../cs') is most likely the folder it ends in
            near = difflib.get_close_matches(parent, known, n=1, cutoff=0.6) or difflib.get_close_matches(
                parent.rstrip("/").rsplit("/", 1)[-1], known, n=1, cutoff=0.6
            )
            msg = "unknown-parent/suggest" if near else "unknown-parent"
            yield ctx.problem(f, ("parent",), "error", "unknown-department", msg, id=parent, suggestion=near[0] if near else "")
    # loops: follow parents from each department
    reported: set[frozenset[str]] = set()
    for start in sorted(ctx.departments):
        seen: list[str] = []
        cur: str | None = start
        while cur is not None and cur in ctx.departments and cur not in seen:
            seen.append(cur)
            cur = ctx.departments[cur].get("parent")
        if cur is not None and cur in seen:
            loop = seen[seen.index(cur) :]
            key = frozenset(loop)
            if key not in reported and start == min(loop):
                reported.add(key)
                chain = " → ".join([*loop, loop[0]])
                yield ctx.problem(ctx.departments[start], ("parent",), "error", "department-loop", "department-loop", chain=chain)


def _title_of(ctx: CheckContext, role_id: str) -> str:
    f = ctx.roles.get(role_id)
    title = main_text(f.get("title", (str, dict)), ctx.languages[0]) if f else None
    return f"{role_id} ({title})" if title else role_id


def _suggest(ctx: CheckContext, wanted: str) -> str:
    """Nearest role by id, or by title (HR often writes the title where the id belongs)."""
    found = nearest_id(
        wanted, {rid: main_text(ctx.roles[rid].get("title", (str, dict)), ctx.languages[0]) if rid in ctx.roles else None for rid in ctx.role_ids}
    )
    return _title_of(ctx, found) if found else ""


@check(("unknown-superior", "error"), ("self-report", "error"))
def superiors(ctx: CheckContext) -> Iterator[Problem]:
    """`reports_to` names an existing role id (the file name of the superior's role, in any
    department). When it does not, the message suggests the nearest id or the role whose title
    looks like what was written. A role cannot report to itself.

    `reports_to` 必须是已有岗位的标识；写错时会按标识或职位名称给出最接近的建议。岗位不能向自己汇报。"""
    for rid, f in ctx.roles.items():
        sup = f.get("reports_to")
        if sup is None:
            continue
        if sup == rid:
            yield ctx.problem(f, ("reports_to",), "error", "self-report", "self-report")
        elif sup not in ctx.role_ids:
            s = _suggest(ctx, sup)
            yield ctx.problem(f, ("reports_to",), "error", "unknown-superior", "unknown-superior/suggest" if s else "unknown-superior", id=sup, suggestion=s)


@check(("reporting-loop", "error"))
def reporting_loops(ctx: CheckContext) -> Iterator[Problem]:
    """Following `reports_to` upwards always ends at a top position; it never goes round in a
    circle. The message shows the circle: a → b → c → a. Works for chains of any length.

    沿着 `reports_to` 往上一定会走到最高岗位，不能绕成圈；信息会列出整个循环。"""
    state: dict[str, int] = {}  # 1 = on current path, 2 = done
    for start in sorted(ctx.roles):
        if state.get(start):
            continue
        path: list[str] = []
        cur: str | None = start
        while cur is not None and cur in ctx.roles and not state.get(cur):
            state[cur] = 1
            path.append(cur)
            nxt = ctx.roles[cur].get("reports_to")
            cur = nxt if nxt != cur else None  # self-report has its own check
        if cur is not None and state.get(cur) == 1:
            loop = path[path.index(cur) :]
            first = min(loop)
            chain = " → ".join([*loop[loop.index(first) :], *loop[: loop.index(first)], first])
            for rid in loop:
                yield ctx.problem(
                    ctx.roles[rid],
                    ("reports_to",),
                    "error",
                    "reporting-loop",
                    "reporting-loop",
                    chain=chain,
                    hint=ctx.msgs.hint("reporting-loop") if rid == first else "",
                )
        for rid in path:
            state[rid] = 2


# How deep the handbook's two trees may go. Real organisations have well under 15 levels of
# departments and of management; these leave room for that twice over, while keeping every
# output (breadcrumbs, print headers, PDF bookmarks, org charts) a size people can read.
MAX_DEPARTMENT_LEVELS = 30
MAX_REPORTING_LEVELS = 50


@check(("department-too-deep", "error"), ("reporting-chain-too-long", "error"))
def tree_depths(ctx: CheckContext) -> Iterator[Problem]:
    """Departments are nested at most 30 levels deep (a top department is level 1), and a
    reporting line from a top position down to any position holds at most 50 positions. Real
    organisations have well under 15 of either; deeper trees would make every page's path, the
    printed headers and the PDF bookmarks unreadable. The problem is reported where the line
    first goes too deep (the `parent` or `reports_to` to change); attach that department or
    position higher up, or merge levels.

    部门最多嵌套 30 层（最上级部门算第 1 层）；从最高岗位往下的一条汇报线最多 50 个岗位。实际的组织一般都不到
    15 层；更深的话，页面上的路径、打印页眉和 PDF 书签都没法看了。问题报在第一次超出的地方（要改的
    `parent` 或 `reports_to`）：把这个部门或岗位挂到更上一级，或者合并层级。"""
    for files, key, limit, code in (
        (ctx.departments, "parent", MAX_DEPARTMENT_LEVELS, "department-too-deep"),
        (ctx.roles, "reports_to", MAX_REPORTING_LEVELS, "reporting-chain-too-long"),
    ):
        for ident, chain in _too_deep({i: f.get(key) for i, f in files.items()}, limit):
            yield ctx.problem(files[ident], (key,), "error", code, code, levels=len(chain), limit=limit, chain=_ends(chain))


def _too_deep(parents: dict[str, str | None], limit: int) -> Iterator[tuple[str, list[str]]]:
    """Nodes exactly one level below ``limit``, with their chain top first. Iterative; nodes on or
    below a circle are skipped (the loop checks report those), an unknown parent counts as none."""
    levels: dict[str, int | None] = {}
    for start in sorted(parents):
        path: list[str] = []
        on_path: set[str] = set()
        cur: str | None = start
        while cur is not None and cur in parents and cur not in levels and cur not in on_path:
            on_path.add(cur)
            path.append(cur)
            cur = parents[cur]
        level = None if cur in on_path else levels.get(cur, 0) if cur is not None else 0
        for node in reversed(path):
            level = None if level is None else level + 1
            levels[node] = level
    for node in sorted(n for n, level in levels.items() if level == limit + 1):
        chain = [node]
        while (up := parents[chain[-1]]) is not None and up in parents:
            chain.append(up)
        yield node, chain[::-1]


def _ends(chain: list[str]) -> str:
    """a → b → … → y → z: the top and the last two of a long chain."""
    shown = chain if len(chain) <= 4 else [chain[0], "…", *chain[-2:]]
    return " → ".join(shown)


@check(("unknown-subordinate", "error"), ("duplicate-subordinate", "error"), ("subordinates-mismatch", "error"))
def subordinates(ctx: CheckContext) -> Iterator[Problem]:
    """When a role lists `subordinates`, the list agrees with who actually reports to it, in both
    directions: every listed role has this role as its `reports_to`, and every role that reports
    to it is listed. Leave `subordinates` out to have it derived.

    写了 `subordinates` 时，它必须和各岗位的 `reports_to` 一致（双向）。不写则自动推出。"""
    reports: dict[str, list[str]] = {}
    for rid, f in sorted(ctx.roles.items()):
        sup = f.get("reports_to")
        if sup is not None:
            reports.setdefault(sup, []).append(rid)
    for rid, f in ctx.roles.items():
        listed = f.get("subordinates", list)
        if listed is None:
            continue
        seen: set[str] = set()
        for i, sub in enumerate(listed):
            if not isinstance(sub, str):
                continue
            if sub in seen:
                yield ctx.problem(f, ("subordinates", i), "error", "duplicate-subordinate", "duplicate-subordinate", id=sub)
                continue
            seen.add(sub)
            if sub not in ctx.role_ids:
                s = _suggest(ctx, sub)
                yield ctx.problem(
                    f, ("subordinates", i), "error", "unknown-subordinate", "unknown-subordinate/suggest" if s else "unknown-subordinate", id=sub, suggestion=s
                )
            elif sub in ctx.roles and ctx.roles[sub].get("reports_to") != rid:
                actual = ctx.roles[sub].get("reports_to")
                actual_txt = _title_of(ctx, actual) if actual else ctx.msgs.text("word/nobody")
                yield ctx.problem(
                    f,
                    ("subordinates", i),
                    "error",
                    "subordinates-mismatch",
                    "subordinates-mismatch/not-reporting",
                    id=sub,
                    actual=actual_txt,
                    hint=ctx.msgs.hint("subordinates-mismatch"),
                )
        missing = [r for r in reports.get(rid, []) if r not in seen]
        if missing:
            en = ctx.msgs.lang == "en"
            yield ctx.problem(
                f,
                ("subordinates",),
                "error",
                "subordinates-mismatch",
                "subordinates-mismatch/missing",
                key=True,
                ids=ctx.msgs.join([_title_of(ctx, m) for m in missing]),
                verb=("reports" if len(missing) == 1 else "report") if en else "",
                are=("is" if len(missing) == 1 else "are") if en else "",
                hint=ctx.msgs.hint("subordinates-mismatch"),
            )


def _percent(side: object) -> int | None:
    if isinstance(side, dict):
        p = side.get("percent")
        if isinstance(p, int) and not isinstance(p, bool):
            return p
    return None


@check(("percent-sum", "error"))
def percentages(ctx: CheckContext) -> Iterator[Problem]:
    """In `relationships`, the internal and external shares of time add up to 100.

    `relationships` 里对内和对外的时间占比相加必须等于 100。"""
    for f in ctx.roles.values():
        rel = f.get("relationships", dict) or {}
        i = _percent(rel.get("internal"))
        e = _percent(rel.get("external"))
        if i is not None and e is not None and i + e != 100:
            yield ctx.problem(f, ("relationships", "external", "percent"), "error", "percent-sum", "percent-sum", internal=i, external=e, total=i + e)


@check(("missing-kpi", "warning"))
def kpis(f: ParsedFile, msgs: Messages) -> Iterator[Problem]:
    """Every duty of an approved role has at least one KPI (assessment indicator). A warning: drafts may be
    incomplete; `--strict` makes it fail.

    已审核（approved）岗位的每条职责至少要有一个考核指标。这是警告；草稿可以不完整。"""
    if f.source.kind != "role" or f.get("status") != "approved":
        return
    hint = msgs.hint("missing-kpi")
    for i, item in enumerate(f.get("duties", list) or []):
        if not isinstance(item, dict):
            continue
        if "group" in item:
            group_duties = item.get("duties")
            for j, d in enumerate(group_duties if isinstance(group_duties, list) else []):
                if isinstance(d, dict) and not d.get("kpis"):
                    yield located(f, msgs, ("duties", i, "duties", j), "warning", "missing-kpi", "missing-kpi", hint=hint)
        elif not item.get("kpis"):
            yield located(f, msgs, ("duties", i), "warning", "missing-kpi", "missing-kpi", hint=hint)


@check(("placeholder", "warning"))
def placeholders(f: ParsedFile, msgs: Messages) -> Iterator[Problem]:
    """Text that still holds a scaffold placeholder (`TODO`, `(to fill in)`, or the Chinese scaffold's).

    还留着新建岗位时的占位文字（`TODO`、`（待填写）`）。"""
    if not PLACEHOLDER_TEXT.search(f.text):
        return
    stack: list[tuple[tuple[str | int, ...], object]] = [((), f.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
        elif isinstance(value, str) and PLACEHOLDER_RE.match(value):
            key = next((p for p in reversed(path) if isinstance(p, str)), "")
            yield located(f, msgs, path, "warning", "placeholder", "placeholder", what=msgs.quote(key), value=value.strip())


@check(("invalid-value", "error"))
def dates(f: ParsedFile, msgs: Messages) -> Iterator[Problem]:
    """`effective_date` and `approval_date` are real calendar dates (the schema checks the YYYY-MM-DD
    shape; this catches 2006-02-30).

    `effective_date` 和 `approval_date` 必须是真实存在的日期（例如没有 2 月 30 日）。"""
    for key in ("effective_date", "approval_date"):
        value = f.get(key)
        if value is None or not DATE_RE.fullmatch(value):
            continue
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            yield located(f, msgs, (key,), "error", "invalid-value", "invalid-value/no-such-date", value=msgs.quote(value), hint=date_hint(value, msgs))


# Checks across files (run on the whole handbook) and checks of one file at a time
# (run when a file is parsed; their results are cached with it).
CHECKS = (
    file_names,
    unique_ids,
    unique_numbers,
    departments,
    superiors,
    reporting_loops,
    tree_depths,
    subordinates,
    percentages,
    reviews,
    translations,
)
FILE_CHECKS = (kpis, placeholders, dates, approvals)
