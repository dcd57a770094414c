"""Every user-facing word, in the two handbook languages.

Messages are keyed by a message id (usually the problem code, sometimes
``code/variant``); labels are the words printed on pages and in PDFs.

One long file on purpose: translators (and reviewers of a translation) read and edit every message
of both languages in one place, side by side, and the tests that every id has both languages and
every placeholder matches run over one table. Entries are grouped by stage under comment rulers;
add a new one to its stage's group, or at the end of ``MESSAGES`` in a block of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

# message id -> (English, Chinese)
MESSAGES: dict[str, tuple[str, str]] = {
    # --- loading ---------------------------------------------------------
    "file-too-large": (
        "file is {size} bytes; a handbook file may be at most {limit} bytes",
        "文件有 {size} 字节，超过了单个文件的上限 {limit} 字节",
    ),
    "encoding/utf16": (
        "file is encoded as UTF-16, but handbook files must be UTF-8",
        "文件是 UTF-16 编码，手册文件必须是 UTF-8 编码",
    ),
    "encoding/gbk": (
        "file is not UTF-8: the bytes look like GBK/GB18030 (Chinese Windows encoding)",
        "文件不是 UTF-8 编码：看起来是 GBK/GB18030（中文 Windows 默认编码）",
    ),
    "encoding/unknown": (
        "file is not valid UTF-8 (byte 0x{byte:02x} cannot be decoded)",
        "文件不是有效的 UTF-8 编码（字节 0x{byte:02x} 无法解码）",
    ),
    "encoding/nul": (
        "file contains a NUL byte: it is binary or not UTF-8 text",
        "文件里有 NUL 字节：它是二进制文件，或不是 UTF-8 文本",
    ),
    "yaml-syntax": ("YAML syntax error: {detail}", "YAML 语法错误：{detail}"),
    "yaml-syntax/tab": (
        "a tab character is used for indentation; YAML only allows spaces",
        "用了制表符（Tab）缩进；YAML 只允许用空格缩进",
    ),
    "duplicate-key": (
        "key '{key}' appears twice (first on line {first}); the second would silently replace the first",
        "键“{key}”出现了两次（第一次在第 {first} 行）；后一个会悄悄覆盖前一个",
    ),
    "yaml-syntax/fullwidth-colon": (
        "'{key}' is followed by a full-width colon '：'; YAML needs a half-width colon and a space ': '",
        "“{key}”后面是全角冒号“：”；YAML 要用半角冒号加空格“: ”",
    ),
    "yaml-alias": (
        "anchors and aliases (&name / *name) are not supported; write the text out in full",
        "不支持锚点和别名（&名称 / *名称）；请把内容完整写出来",
    ),
    "yaml-tag": (
        "the tag '{tag}' is not allowed in handbook files",
        "手册文件里不允许使用标签“{tag}”",
    ),
    "multi-document": (
        "the file holds more than one YAML document (a second '---'); a handbook file holds one: one position, one department or the settings",
        "文件里有多个 YAML 文档（又出现了“---”）；一个手册文件只能有一个文档：一个岗位、一个部门或一份设置",
    ),
    "too-deep": (
        "the structure is nested more than {limit} levels deep",
        "结构嵌套超过了 {limit} 层",
    ),
    "too-many-nodes": (
        "the file holds more than {limit} values; a handbook file is never that large",
        "文件里的值超过 {limit} 个；手册文件不会这么大",
    ),
    "empty-file": ("the file is empty", "文件是空的"),
    "not-a-mapping": (
        "the file must hold 'key: value' pairs at the top level, not {kind}",
        "文件的最外层必须是“键: 值”形式，而不是{kind}",
    ),
    "bad-key": ("a key must be plain text", "键必须是普通文字"),
    "symlink-outside": (
        "the file is a link to '{target}', outside the handbook folder; it is not read",
        "文件是指向手册文件夹以外（“{target}”）的链接，不予读取",
    ),
    "unreadable": ("the file cannot be read: {detail}", "无法读取文件：{detail}"),
    "not-a-file": (
        "'{name}' is a folder or a special file (a pipe, a device), not a regular file",
        "“{name}”是文件夹或特殊文件（管道、设备），不是普通文件",
    ),
    "stray-file": (
        "'{name}' is not a handbook file (role files end in .yaml) and is ignored",
        "“{name}”不是手册文件（岗位文件以 .yaml 结尾），已忽略",
    ),
    "missing-settings": (
        "no rolebook.yml settings file: using organisation '{name}' and language '{lang}'",
        "没有设置文件 rolebook.yml：暂用组织名称“{name}”、语言“{lang}”",
    ),
    "no-roles": (
        "no role files found under roles/",
        "roles/ 下没有找到任何岗位文件",
    ),
    # --- paths rolebook writes, replaces or deletes (rolebook/safepath.py) ------------
    "unsafe/link-out": (
        "{path} is a symbolic link to '{target}', outside the handbook folder: rolebook writes, replaces and deletes nothing through it "
        "(remove the link; to write elsewhere, name that folder itself)",
        "{path} 是指向手册文件夹以外（“{target}”）的符号链接：rolebook 不会通过它写入、替换或删除任何文件（请删除这个链接；要输出到别处，请直接写出那个文件夹）",
    ),
    "unsafe/last-link": (
        "{path} is a symbolic link (to '{target}'): rolebook replaces an output as a whole and never writes through a link "
        "(remove the link or name another path)",
        "{path} 是符号链接（指向“{target}”）：rolebook 会整体替换输出，从不通过链接写入（请删除这个链接，或另给一个路径）",
    ),
    "unsafe/owned-link": (
        "{path} is a symbolic link (to '{target}'); {folder} is rolebook's own folder and may hold no links: delete {folder} (rolebook makes it again)",
        "{path} 是符号链接（指向“{target}”）；{folder} 是 rolebook 自己的文件夹，里面不能有链接：请删除 {folder}（rolebook 会重新生成）",
    ),
    "unsafe/owned-is-link": (
        "{path} is a symbolic link (to '{target}'), but it is rolebook's own folder, which may be no link: delete it (rolebook makes it again)",
        "{path} 是符号链接（指向“{target}”），但它是 rolebook 自己的文件夹，不能是链接：请删除它（rolebook 会重新生成）",
    ),
    "unsafe/outside": (
        "{path} is not inside the handbook folder: rolebook writes this file only inside it",
        "{path} 不在手册文件夹里：rolebook 只在手册文件夹里写这个文件",
    ),
    "unsafe/loop": (
        "{path}: too many symbolic links on the way (a loop?); nothing is written there",
        "{path}：路径上的符号链接太多（可能是循环链接）；不会往那里写入",
    ),
    # --- the handbook's own mkdocs.yml (rolebook/load/mkdocs_policy.py) ------------------
    "mkdocs-config/hooks": (
        "'hooks' runs Python files of the handbook whenever the site is built; rolebook does not build a handbook that has them",
        "“hooks”会在生成网站时运行手册里的 Python 文件；rolebook 不生成带有它的手册",
    ),
    "mkdocs-config/tag": (
        "the tag '{tag}' makes MkDocs run code or read the environment when it reads this file; only !!python/name and "
        "!!python/object/apply of {allowed} are allowed",
        "标签“{tag}”会让 MkDocs 在读取这个文件时运行代码或读取环境变量；只允许对 {allowed} 使用 !!python/name 和 !!python/object/apply",
    ),
    "mkdocs-config/plugins": (
        "the plugin '{name}' is not one rolebook builds a handbook with (plugins run code); allowed: {allowed}",
        "rolebook 生成手册时不使用插件“{name}”（插件会运行代码）；允许的插件：{allowed}",
    ),
    "mkdocs-config/markdown_extensions": (
        "the Markdown extension '{name}' is not one rolebook allows (extensions run code); allowed: the extensions of {allowed}",
        "rolebook 不允许 Markdown 扩展“{name}”（扩展会运行代码）；允许的扩展：{allowed}",
    ),
    "mkdocs-config/outside": (
        "{key} '{value}' leads outside the handbook folder",
        "{key}“{value}”指向手册文件夹以外",
    ),
    "mkdocs-config/snippets-base": (
        "pymdownx.snippets needs its base_path inside the handbook: write base_path: [!relative $config_dir] "
        "(a relative path means the current folder of whoever builds the site)",
        "pymdownx.snippets 的 base_path 必须在手册以内：请写 base_path: [!relative $config_dir]（相对路径指的是生成网站的人当时所在的文件夹）",
    ),
    "mkdocs-config/snippets-option": (
        "pymdownx.snippets with {key}: {value} can include files from outside the handbook or the network; leave it out",
        "pymdownx.snippets 设为 {key}: {value} 时可以包含手册以外或网络上的文件；请删掉这一项",
    ),
    # --- schema ------------------------------------------------------------
    "unknown-key": ("unknown key '{key}'", "未知的键“{key}”"),
    "unknown-key/suggest": (
        "unknown key '{key}'; did you mean '{suggestion}'?",
        "未知的键“{key}”；您是不是想写“{suggestion}”？",
    ),
    "missing-key": ("'{key}' ({label}) is missing", "缺少“{key}”（{label}）"),
    "wrong-type": (
        "{what} must be {expected}, not {actual}",
        "{what}应当是{expected}，而不是{actual}",
    ),
    "invalid-value/enum": (
        "{what} must be one of {allowed}, not {value}",
        "{what}只能是 {allowed} 之一，而不是 {value}",
    ),
    "invalid-value/pattern-id": (
        "{what} must be a role or department id (lowercase letters, digits and '-'), not {value}",
        "{what}必须是岗位或部门标识（小写字母、数字和“-”），而不是 {value}",
    ),
    "invalid-value/pattern-date": (
        '{what} must be a date written as YYYY-MM-DD (e.g. "2006-06-01"), not {value}',
        '{what}必须是 YYYY-MM-DD 格式的日期（例如 "2006-06-01"），而不是 {value}',
    ),
    "invalid-value/no-such-date": ("there is no such date as {value}", "没有 {value} 这个日期"),
    "invalid-value/minimum": ("{what} must be at least {limit}, not {value}", "{what}至少是 {limit}，而不是 {value}"),
    "invalid-value/maximum": ("{what} must be at most {limit}, not {value}", "{what}最多是 {limit}，而不是 {value}"),
    "invalid-value": ("{what} is not valid: {detail}", "{what}不正确：{detail}"),
    "blank-text": ("{what} is blank", "{what}是空白的"),
    "text-too-long": ("{what} is {length} characters long; at most {limit} are allowed", "{what}有 {length} 个字符，最多只能有 {limit} 个"),
    "too-few-items": ("{what} must have at least one entry", "{what}至少要有一项"),
    "bad-item/summary": (
        "{what} must be a statement, or a group with 'group' and 'items'",
        "{what}应当是一条文字，或者是带“group”和“items”的分组",
    ),
    "bad-item/duty": (
        "{what} must be a duty with 'duty' and 'kpis', or a group with 'group' and 'duties'",
        "{what}应当是带“duty”和“kpis”的职责，或者是带“group”和“duties”的分组",
    ),
    # --- handbook checks -------------------------------------------------------
    "bad-id": (
        "the file name '{name}' is not a valid id: use lowercase letters, digits and '-' (e.g. '{suggestion}')",
        "文件名“{name}”不能作为标识：请只用小写字母、数字和“-”（例如“{suggestion}”）",
    ),
    "bad-id/too-long": (
        "the id '{name}' is {length} characters long; an id (a file or folder name) may have at most {limit}",
        "标识“{name}”有 {length} 个字符；标识（文件名或文件夹名）最多 {limit} 个字符",
    ),
    "bad-id/reserved": (
        "the file name '{name}' is a reserved name on Windows; choose another",
        "文件名“{name}”在 Windows 上是保留名称，请换一个",
    ),
    "duplicate-id": (
        "role id '{id}' is used twice (also {other}); every role file name must be unique in the handbook",
        "岗位标识“{id}”重复了（另见 {other}）；每个岗位文件名在整个手册中必须唯一",
    ),
    "duplicate-id/case": (
        "'{id}' differs from {other} only in upper/lower case; on Windows and macOS they are the same file",
        "“{id}”与 {other} 只有大小写不同；在 Windows 和 macOS 上它们是同一个文件",
    ),
    "duplicate-number": (
        "document number '{number}' is also used by {other}",
        "编号“{number}”与 {other} 重复",
    ),
    "unknown-department": (
        "the folder '{id}' has no _department.yaml, so its department is not defined",
        "文件夹“{id}”里没有 _department.yaml，这个部门没有定义",
    ),
    "unknown-parent": (
        "there is no department '{id}'",
        "没有“{id}”这个部门",
    ),
    "unknown-parent/suggest": (
        "there is no department '{id}'; did you mean '{suggestion}'?",
        "没有“{id}”这个部门；您是不是想写“{suggestion}”？",
    ),
    "department-loop": (
        "departments are each other's parents: {chain}",
        "部门的上级关系形成了循环：{chain}",
    ),
    "department-too-deep": (
        "the department is nested {levels} levels deep ({chain}); departments may be nested at most {limit} levels",
        "这个部门嵌套到了第 {levels} 层（{chain}）；部门最多嵌套 {limit} 层",
    ),
    "reporting-chain-too-long": (
        "the reporting line down to this position holds {levels} positions ({chain}); a reporting line may hold at most {limit}",
        "到这个岗位的汇报线有 {levels} 个岗位（{chain}）；一条汇报线最多 {limit} 个岗位",
    ),
    "unknown-superior": ("there is no position '{id}'", "没有“{id}”这个岗位"),
    "unknown-superior/suggest": (
        "there is no position '{id}'; did you mean '{suggestion}'?",
        "没有“{id}”这个岗位；您是不是想写“{suggestion}”？",
    ),
    "self-report": ("the position reports to itself", "这个岗位的直接上级是它自己"),
    "reporting-loop": (
        "the reporting line goes round in a circle: {chain}",
        "汇报关系形成了循环：{chain}",
    ),
    "unknown-subordinate": ("there is no position '{id}'", "没有“{id}”这个岗位"),
    "unknown-subordinate/suggest": (
        "there is no position '{id}'; did you mean '{suggestion}'?",
        "没有“{id}”这个岗位；您是不是想写“{suggestion}”？",
    ),
    "duplicate-subordinate": ("'{id}' is listed twice", "“{id}”列了两次"),
    "subordinates-mismatch/not-reporting": (
        "'{id}' is listed as a subordinate, but it reports to {actual}",
        "“{id}”被列为直接下级，但它的直接上级是 {actual}",
    ),
    "subordinates-mismatch/missing": (
        "{ids} {verb} to this position but {are} not listed in subordinates",
        "{ids} 的直接上级是这个岗位，但没有列在直接下级里",
    ),
    "percent-sum": (
        "internal {internal} % + external {external} % = {total} %, not 100 %",
        "对内 {internal}% + 对外 {external}% = {total}%，不等于 100%",
    ),
    "missing-kpi": (
        "the duty has no KPI (assessment indicator)",
        "这条职责没有考核指标",
    ),
    "approval-missing": (
        "the status is approved, but {field} is missing: an approved description says who approved it and when",
        "状态为 approved（已审核），但没有写 {field}：已审核的职位说明书要写明由谁、在哪天审核",
    ),
    "approval-missing/both": (
        "the status is approved, but {approver} and {approval_date} are missing: an approved description says who approved it and when",
        "状态为 approved（已审核），但没有写 {approver}和{approval_date}：已审核的职位说明书要写明由谁、在哪天审核",
    ),
    "approval-missing/approver": ("approver (who approved it)", "approver（审核人）"),
    "approval-missing/approval_date": ("approval_date (the date of approval)", "approval_date（审核日期）"),
    "approval-missing/example-approver": ("approver: Jane Doe", "approver: 张三"),
    "approval-missing/example-approval_date": ('approval_date: "2024-05-20"', 'approval_date: "2024-05-20"'),
    "review-due": (
        "last approved on {approved}; with review_every: {months} the review was due on {due}, and it is {today} ({source})",
        "最近一次审核是 {approved}；按 review_every: {months}（个月）应在 {due} 复审，现在是 {today}（{source}）",
    ),
    "review-due/source-epoch": ("the date of SOURCE_DATE_EPOCH", "取自 SOURCE_DATE_EPOCH"),
    "review-due/source-commit": ("the date of the handbook's last git commit", "取自手册最近一次 git 提交的日期"),
    "review-due/source-today": ("today's date", "取自今天的日期"),
    # --- pdf ----------------------------------------------------------
    "missing-glyph": (
        "no installed font has the character '{char}' ({code}): the PDF would print an empty box in its place",
        "已安装的字体里都没有字符“{char}”（{code}）：PDF 里它会印成一个空白方框",
    ),
    "missing-glyph/more": (
        "{count} more characters have no font either: {codes}",
        "另有 {count} 个字符也没有字体：{codes}",
    ),
    "bad-logo": ("the logo cannot be used: {detail}", "无法使用标志图片：{detail}"),
    "pdf/written": (
        "Wrote {count} PDFs to {dest} ({rendered} rendered, {reused} unchanged) in {seconds:.1f} s.",
        "已在 {dest} 写入 {count} 个 PDF（新生成 {rendered} 个，未变 {reused} 个），用时 {seconds:.1f} 秒。",
    ),
    "pdf/not-ours": (
        "not replacing {dest}: it holds files that rolebook did not write ({names}); choose another --out folder",
        "不替换 {dest}：里面有不是 rolebook 生成的文件（{names}）；请用 --out 另选一个文件夹",
    ),
    "pdf/unknown-role": ("there is no position '{id}' (--role)", "没有“{id}”这个岗位（--role）"),
    "pdf/unknown-role/suggest": (
        "there is no position '{id}' (--role); did you mean '{suggestion}'?",
        "没有“{id}”这个岗位（--role）；您是不是想写“{suggestion}”？",
    ),
    "pdf/unknown-department": ("there is no department '{id}' (--department)", "没有“{id}”这个部门（--department）"),
    "pdf/unknown-department/suggest": (
        "there is no department '{id}' (--department); did you mean '{suggestion}'?",
        "没有“{id}”这个部门（--department）；您是不是想写“{suggestion}”？",
    ),
    "pdf/unwritable": ("cannot write the PDFs to {dest}: {detail}", "无法把 PDF 写到 {dest}：{detail}"),
    "pdf/engine": (
        "WeasyPrint cannot run: {detail}. Install its system libraries (Pango) with scripts/setup.sh",
        "WeasyPrint 无法运行：{detail}。请用 scripts/setup.sh 安装它需要的系统库（Pango）",
    ),
    "pdf/warning": ("WeasyPrint: {detail}", "WeasyPrint：{detail}"),
    "pdf/cache-not-ours": (
        "the PDF cache {folder} holds files rolebook did not write there (it has no {marker}); it is used but never cleaned up: "
        "delete the folder to start a fresh cache",
        "PDF 缓存文件夹 {folder} 里有不是 rolebook 写入的文件（没有 {marker} 标记）；照常使用，但不会清理：删除这个文件夹即可重新开始缓存",
    ),
    "placeholder": (
        "{what} still holds the placeholder '{value}'",
        "{what}还是占位文字“{value}”",
    ),
    # --- new (scaffold) ----------------------------------------------------------
    "new/placeholder": ("(to fill in)", "（待填写）"),
    "new/head-role": (
        "New position: replace every '(to fill in)' below with the real text, then run: rolebook check",
        "新建的岗位：请把下面所有“（待填写）”换成实际内容，然后运行 rolebook check 检查。",
    ),
    "new/head-department": (
        "New department: replace every '(to fill in)' below with the real text, then run: rolebook check",
        "新建的部门：请把下面所有“（待填写）”换成实际内容，然后运行 rolebook check 检查。",
    ),
    "new/optional": ("Optional: remove the '# ' at the start of the line to use it.", "可选：要填写时，去掉行首的“# ”。"),
    "new/percent": ("Change both so that they add up to 100.", "请按实际修改，两者相加必须等于 100。"),
    "new/created": ("Created {path} (document no. {number}, status draft).", "已新建 {path}（编号 {number}，状态为草稿）。"),
    "new/created-department": ("Created {path}.", "已新建 {path}。"),
    "new/added-subordinate": (
        "Added '{id}' to the subordinates listed in {path}.",
        "已把“{id}”加到 {path} 的直接下级（subordinates）里。",
    ),
    "new/next": (
        "Next:\n  1. open {path} and replace every '(to fill in)' with the real text;\n"
        "  2. run: rolebook check   (what is still to fill in is listed as warnings);\n"
        "  3. run: rolebook serve   to see it in the preview.",
        "下一步：\n  1. 打开 {path}，把所有“（待填写）”换成实际内容；\n"
        "  2. 运行 rolebook check   （还没填写的地方会以警告列出）；\n"
        "  3. 运行 rolebook serve   在预览中查看。",
    ),
    "new/exists": ("{path} already exists; it is not overwritten", "{path} 已经存在，不会覆盖"),
    "new/id-taken": (
        "the role id '{id}' is already used by {path}; every role id is unique in the handbook",
        "岗位标识“{id}”已经被 {path} 使用；每个岗位标识在整个手册中必须唯一",
    ),
    "new/create-department": (
        "Create it first: rolebook new department {id} --name NAME",
        "请先新建这个部门：rolebook new department {id} --name 部门名称",
    ),
    "new/unwritable": ("cannot write {path}: {detail}", "无法写入 {path}：{detail}"),
    # --- init (a new handbook) --------------------------------------------------------
    "init/default-name": ("Example Ltd", "示例公司"),
    "init/created": ("Created a new handbook in {dir}:", "已在 {dir} 新建手册："),
    "init/added": ("Added to {dir} the files of a new handbook that were missing:", "已在 {dir} 补上新手册缺少的文件："),
    "init/kept": ("Already there, left as they were:", "已经存在，没有改动："),
    "init/no-example": ("Not added, as roles/ already holds the handbook's own departments:", "没有加入，因为 roles/ 里已经有手册自己的部门："),
    "init/nothing": ("Nothing to add: every file of a new handbook is already in {dir}.", "没有要补的文件：新手册的文件在 {dir} 里都已经有了。"),
    "init/not-empty": (
        "{dir} is not empty. Start the handbook in a new or empty folder, or run again with --force"
        " to add only the files that are missing (an existing file is never replaced)",
        "{dir} 不是空文件夹。请在新的或空的文件夹里新建手册；或者加上 --force 再运行，只补上缺少的文件（已有的文件一律不会被替换）",
    ),
    "init/not-a-folder": ("{dir} is a file, not a folder", "{dir} 是一个文件，不是文件夹"),
    "init/unwritable": ("cannot write {path}: {detail}; nothing was written", "无法写入 {path}：{detail}；没有写入任何文件"),
    "init/language": (
        "Handbook language: English (from your system's language setting); for a Chinese handbook use --lang zh / 中文手册请用 --lang zh",
        "手册语言：中文（没有用 --lang 指定）；英文手册请用 --lang en / for an English handbook use --lang en",
    ),
    "init/name": (
        "The organisation is called '{name}' for now: write its real name in rolebook.yml.",
        "组织名称暂时是“{name}”：请在 rolebook.yml 里改成实际的名称。",
    ),
    "init/next": (
        "Next:\n  {command}\n  and open http://127.0.0.1:8000/ to see the handbook.",
        "下一步：\n  {command}\n  然后打开 http://127.0.0.1:8000/ 查看手册。",
    ),
    "init/example": (
        "  {path} is an example position: change it, or copy it for the next one.",
        "  {path} 是一个示例岗位：可以修改它，或者照着它写下一个岗位。",
    ),
    "init/guide": ("  {path} (on the site: 'How to edit the handbook') explains the rest.", "  {path}（网站上的“如何编辑手册”）介绍其它的一切。"),
    "init/mkdocs-head": (
        "This handbook's own MkDocs config: `rolebook build` and `rolebook serve` use it instead of rolebook's\n"
        "built-in one, so the site's look is changed here (colours, logo, navigation, Markdown extensions;\n"
        "see https://www.mkdocs.org/user-guide/configuration/ and https://squidfunk.github.io/mkdocs-material/setup/).\n"
        "Keep the `rolebook` plugin: it checks the handbook and makes the department and role pages.\n"
        "Delete this file to go back to the built-in config (which newer versions of rolebook may improve).",
        "本手册自己的 MkDocs 配置：`rolebook build` 和 `rolebook serve` 用它代替 rolebook 内置的配置，\n"
        "所以要改网站的外观（颜色、标志、导航、Markdown 扩展）就改这里\n"
        "（见 https://www.mkdocs.org/user-guide/configuration/ 和 https://squidfunk.github.io/mkdocs-material/setup/）。\n"
        "请保留 `rolebook` 插件：它检查手册，并生成部门和岗位的页面。\n"
        "删掉这个文件，就回到内置的配置（新版本的 rolebook 可能会改进它）。",
    ),
    "new/schema-copied": (
        "Copied {path} into the handbook: the new file's first line points your editor at it.",
        "已把 {path} 复制到手册里：新文件的第一行让编辑器使用它。",
    ),
    # --- export / import (spreadsheets) ---------------------------------------------
    "sheet-line-break": (
        "{what}: one item holds a line break, but in the spreadsheet every line is one item, so importing it back would split it",
        "{what}：某一项里有换行，但表格里每行算一项，导入回来时它会被拆开",
    ),
    "sheet-control-char": (
        "{what} holds the control character U+{code}, which a spreadsheet cannot hold",
        "{what}里有控制字符 U+{code}，电子表格无法保存它",
    ),
    "sheet-too-long": (
        "{what} is {size} characters long; a spreadsheet cell holds at most {limit}",
        "{what}有 {size} 个字符，电子表格的一个单元格最多只能放 {limit} 个",
    ),
    "export/written": ("Exported {roles} positions and {depts} departments to {path}.", "已把 {roles} 个岗位、{depts} 个部门导出到 {path}。"),
    "export/next-xlsx": (
        "After editing it in Excel: rolebook import {path} --dry-run   shows the changes; add --overwrite to write them.",
        "在 Excel 里修改后，运行 rolebook import {path} --dry-run 查看改动；确认后加 --overwrite 导入。",
    ),
    "export/next": (
        "After editing: rolebook import {path} --dry-run   shows the changes; add --overwrite to write them.",
        "修改后，运行 rolebook import {path} --dry-run 查看改动；确认后加 --overwrite 导入。",
    ),
    "export/unwritable": ("cannot write {path}: {detail}", "无法写入 {path}：{detail}"),
    "import/no-file": ("no such file: {path}", "找不到文件：{path}"),
    "import/unreadable": ("cannot read the workbook: {detail}", "无法读取工作簿：{detail}"),
    "import/not-xlsx": (
        "the file is not an Excel workbook (.xlsx); in Excel use 'Save as' → 'Excel Workbook (*.xlsx)'",
        "这不是 Excel 工作簿（.xlsx）；请在 Excel 里“另存为”→“Excel 工作簿（*.xlsx）”",
    ),
    "import/too-large": (
        "the workbook unpacks to {size} bytes, more than the {limit} any handbook needs",
        "工作簿解压后有 {size} 字节，超过了手册可能需要的 {limit} 字节",
    ),
    "import/no-sheet": ("the workbook has no sheet '{name}'", "工作簿里没有“{name}”工作表"),
    "import/unknown-sheet": ("the sheet '{name}' is not part of the handbook layout and is ignored", "工作表“{name}”不属于手册的表格，已忽略"),
    "import/unknown-column": ("unknown column '{name}'; it is ignored", "未知的列“{name}”，已忽略"),
    "import/unknown-column/suggest": ("unknown column '{name}'; did you mean '{suggestion}'?", "未知的列“{name}”；您是不是想写“{suggestion}”？"),
    "import/missing-column": ("the sheet has no column '{name}'", "这张工作表没有“{name}”列"),
    "import/duplicate-column": ("the column '{name}' appears twice (also column {other})", "“{name}”列出现了两次（另见第 {other} 列）"),
    "import/formula": (
        "the cell holds a formula ({formula}); type the text itself (to start text with '=', type an apostrophe first)",
        "单元格里是公式（{formula}）；请直接输入文字（文字要以“=”开头时，先输入一个英文单引号 '）",
    ),
    "import/not-a-number": ("{what} must be a whole number, not {value}", "{what}应当是整数，而不是 {value}"),
    "import/no-id": ("the row has no {name}", "这一行没有填写“{name}”"),
    "import/duplicate-row": ("'{id}' already has a row (row {other})", "“{id}”已经有一行了（第 {other} 行）"),
    "import/unknown-role": ("there is no position '{id}' in the sheet '{sheet}'", "“{sheet}”工作表里没有“{id}”这个岗位"),
    "import/unknown-role/suggest": (
        "there is no position '{id}' in the sheet '{sheet}'; did you mean '{suggestion}'?",
        "“{sheet}”工作表里没有“{id}”这个岗位；您是不是想写“{suggestion}”？",
    ),
    "import/unknown-department": (
        "there is no department '{id}' in the sheet '{sheet}' or in the handbook",
        "“{sheet}”工作表和手册里都没有“{id}”这个部门",
    ),
    "import/one-settings-row": ("the sheet must hold exactly one row of settings", "这张工作表只能有一行设置"),
    "import/would-replace": (
        "{path} exists and would change; add --overwrite to replace it (the old version is kept), or --dry-run to see the change",
        "{path} 已经存在，导入会改变它；加 --overwrite 才会替换（旧版本会保留），或加 --dry-run 先查看改动",
    ),
    "import/failed": ("Nothing was imported.", "没有导入任何内容。"),
    "import/created": ("created   {path}", "新建   {path}"),
    "import/updated": ("updated   {path}", "更新   {path}"),
    "import/moved": ("moved     {old} → {path}", "移动   {old} → {path}"),
    "import/done": (
        "Imported {file}: {created} new, {updated} updated, {unchanged} unchanged.",
        "已导入 {file}：新建 {created} 个、更新 {updated} 个、未变 {unchanged} 个文件。",
    ),
    "import/backup": ("The previous versions are kept in {path}.", "旧版本保存在 {path}。"),
    "import/dry-run": (
        "Dry run: nothing was written ({created} new, {updated} changed, {unchanged} unchanged).",
        "试运行：没有写入任何文件（将新建 {created} 个、修改 {updated} 个，{unchanged} 个不变）。",
    ),
    "import/unwritable": ("cannot write {path}: {detail}", "无法写入 {path}：{detail}"),
    "import/symlink-outside": (
        "'{path}' is a link to '{target}', outside the handbook folder: the import does not read or write anything through it",
        "“{path}”是指向手册文件夹之外（“{target}”）的链接：导入不会通过它读取或写入任何内容",
    ),
    "import/schema-copy": (
        "(a copy of rolebook's schema, which the new files' $schema= lines point at, for editors)",
        "（rolebook 的 schema 副本，新文件的 $schema= 行指向它，供编辑器使用）",
    ),
    "import/pending": (
        "an earlier import into this handbook was interrupted and is not undone yet; run the import without --dry-run (or `rolebook check`) first, which undoes it",
        "之前有一次导入被中断，还没有撤销；请先运行不带 --dry-run 的导入（或 `rolebook check`），它会撤销那次导入",
    ),
    "import/busy": (
        "another import into this handbook is running; try again when it has finished",
        "另一个导入正在写入这个手册；请等它结束后再试",
    ),
    "import/journal-unknown": (
        "{path} is not a journal this version of rolebook wrote; it is left as it is and no import can run until it is removed",
        "{path} 不是这个版本的 rolebook 写的导入日志；它保持原样，删除它之前不能导入",
    ),
    "import/rolled-back": (
        "Nothing was imported: the handbook is as it was before ({restored} files restored, {removed} new files removed).",
        "没有导入任何内容：手册已恢复原样（恢复了 {restored} 个文件，删除了 {removed} 个新文件）。",
    ),
    "import/undo-pending": (
        "Undoing the files already written failed too ({detail}); the next rolebook command (import, check or build) finishes undoing them.",
        "撤销已写入的文件也失败了（{detail}）；下一个 rolebook 命令（import、check 或 build）会完成撤销。",
    ),
    "import/restored": ("restored  {path}", "恢复   {path}"),
    "import/removed": ("removed   {path}", "删除   {path}"),
    "import/left": ("left as it is (changed since): {path}", "保持原样（期间被修改过）：{path}"),
    "import/recovered": (
        "an import of {source} was interrupted before it finished; it has been undone and the handbook is as it was before it ({restored} files restored, {removed} new files removed)",
        "导入 {source} 时被中断，没有完成；已撤销那次导入，手册恢复到导入之前的样子（恢复了 {restored} 个文件，删除了 {removed} 个新文件）",
    ),
    "import/recover-failed": (
        "an import of {source} was interrupted before it finished, and undoing it failed: {detail}; it is tried again by the next command",
        "导入 {source} 时被中断，没有完成；撤销失败：{detail}；下一个命令会再试",
    ),
    "import/recover-left": (
        "changed after an import was interrupted, so it is left as it is; its version from before that import is in {backup}",
        "在被中断的导入之后又被修改过，所以保持原样；导入之前的版本在 {backup}",
    ),
    "import/too-many-rows": ("the sheet '{name}' has more than {limit} rows with values", "工作表“{name}”里有内容的行超过了 {limit} 行"),
    "import/too-many-cells": (
        "the workbook has more than {limit} cells with values, far more than any handbook needs; this is the first one over",
        "工作簿里有内容的单元格超过了 {limit} 个，远远超过任何手册的需要；这是超出的第一个",
    ),
    "import/cell-too-long": ("the cell holds more than {limit} characters", "这个单元格超过了 {limit} 个字符"),
    "import/too-many-strings": (
        "the workbook's table of texts (xl/sharedStrings.xml) holds more than {limit} texts, far more than any handbook needs; open it in Excel and save it again (Excel drops the texts no cell uses)",
        "工作簿的文字表（xl/sharedStrings.xml）里超过了 {limit} 条文字，远远超过任何手册的需要；请用 Excel 打开后重新保存（Excel 会去掉没有用到的文字）",
    ),
    "import/shared-string-too-long": (
        "text number {index} of the workbook's table of texts (xl/sharedStrings.xml) is longer than {limit} characters",
        "工作簿文字表（xl/sharedStrings.xml）里的第 {index} 条文字超过了 {limit} 个字符",
    ),
    "import/xlsx-string-index": (
        "the cell refers to text number {index} of the workbook's table of texts, which has only {count}: the workbook is damaged",
        "这个单元格引用了工作簿文字表里的第 {index} 条文字，但表里只有 {count} 条：工作簿已损坏",
    ),
    "import/xlsx-bad-ref": (
        "the cell's position '{ref}' is not a cell of a sheet (columns A to XFD, rows 1 to 1048576)",
        "单元格位置“{ref}”不在工作表范围之内（A 到 XFD 列，1 到 1048576 行）",
    ),
    "import/xlsx-bad-row": ("the row number '{value}' is not a row of a sheet (1 to {limit})", "行号“{value}”不在工作表范围之内（1 到 {limit}）"),
    "import/xlsx-dtd": (
        "the workbook holds an XML document type declaration (DTD), which no Excel workbook has; it is not read",
        "工作簿里有 XML 文档类型声明（DTD），Excel 工作簿不会有这种内容；不予读取",
    ),
    "import/xlsx-xml": ("cannot read the workbook: a part of it is not valid XML: {detail}", "无法读取工作簿：其中一部分不是有效的 XML：{detail}"),
    "import/xlsx-part": ("cannot read the workbook: the part '{part}' is missing", "无法读取工作簿：缺少“{part}”部分"),
    "import/xlsx-part-too-large": (
        "the workbook's part '{part}' is {size} bytes; a workbook needs at most {limit}",
        "工作簿的“{part}”部分有 {size} 字节，超过了上限 {limit} 字节",
    ),
    "import/cannot-write": ("the row cannot be written to {path}: {detail}", "这一行无法写入 {path}：{detail}"),
    # --- import of CSV and JSON files ----------------------------------------------------
    "import/unknown-type": (
        "import reads .xlsx (Excel workbook), .csv and .json files, the formats `export` writes; this file ends in '{ext}'. Save a spreadsheet as 'Excel Workbook (*.xlsx)' first",
        "导入只能读取 .xlsx（Excel 工作簿）、.csv 和 .json 文件，也就是 export 导出的格式；这个文件的扩展名是“{ext}”。其它表格请先“另存为”→“Excel 工作簿（*.xlsx）”",
    ),
    "import/no-type": (
        "import reads .xlsx (Excel workbook), .csv and .json files, the formats `export` writes; this file name has no extension",
        "导入只能读取 .xlsx（Excel 工作簿）、.csv 和 .json 文件，也就是 export 导出的格式；这个文件名没有扩展名",
    ),
    "import/is-workbook": (
        "the file is an Excel workbook, not {kind} text: rename it to end in .xlsx",
        "这个文件是 Excel 工作簿，不是 {kind} 文本：请把文件名改成以 .xlsx 结尾",
    ),
    "import/unreadable/file": ("cannot read the file: {detail}", "无法读取文件：{detail}"),
    "import/file-too-large": (
        "the file is {size} bytes, more than the {limit} any handbook needs",
        "文件有 {size} 字节，超过了手册可能需要的 {limit} 字节",
    ),
    "import/csv-utf16": (
        "the file is UTF-16 text (Excel's 'Unicode Text'), not UTF-8: in Excel use 'Save as' → 'CSV UTF-8 (Comma delimited) (*.csv)'",
        "文件是 UTF-16 编码（Excel 的“Unicode 文本”），不是 UTF-8：请在 Excel 里“另存为”→“CSV UTF-8（逗号分隔）(*.csv)”",
    ),
    "import/csv-gbk": (
        "the file is not UTF-8: the bytes look like GBK/GB18030, which Excel's plain 'CSV (Comma delimited)' writes on Chinese Windows: in Excel use 'Save as' → 'CSV UTF-8 (Comma delimited) (*.csv)'",
        "文件不是 UTF-8 编码：看起来是 GBK/GB18030（中文 Windows 上 Excel 的“CSV（逗号分隔）”就是这种编码）：请在 Excel 里“另存为”→“CSV UTF-8（逗号分隔）(*.csv)”",
    ),
    "import/csv-not-utf8": (
        "the file is not UTF-8 (byte 0x{byte:02x} cannot be decoded): in Excel use 'Save as' → 'CSV UTF-8 (Comma delimited) (*.csv)'",
        "文件不是 UTF-8 编码（字节 0x{byte:02x} 无法解码）：请在 Excel 里“另存为”→“CSV UTF-8（逗号分隔）(*.csv)”",
    ),
    "import/json-utf16": (
        "the file is UTF-16 text, but a JSON file is always UTF-8: save it again as UTF-8",
        "文件是 UTF-16 编码，而 JSON 文件必须是 UTF-8 编码：请把它另存为 UTF-8",
    ),
    "import/json-gbk": (
        "the file is not UTF-8: the bytes look like GBK/GB18030, but a JSON file is always UTF-8: save it again as UTF-8",
        "文件不是 UTF-8 编码：看起来是 GBK/GB18030，而 JSON 文件必须是 UTF-8 编码：请把它另存为 UTF-8",
    ),
    "import/json-not-utf8": (
        "the file is not UTF-8 (byte 0x{byte:02x} cannot be decoded), but a JSON file is always UTF-8: save it again as UTF-8",
        "文件不是 UTF-8 编码（字节 0x{byte:02x} 无法解码），而 JSON 文件必须是 UTF-8 编码：请把它另存为 UTF-8",
    ),
    "import/csv-empty": ("the file is empty: its first line must hold the column headings", "文件是空的：第一行应当是列标题"),
    "import/csv-table": (
        "cannot tell which table the file holds: name it the way `export` does (…-positions.csv, …-duties.csv and so on) or give it the headings of one table",
        "看不出这个文件是哪一张表：请按 export 的方式命名（…-positions.csv、…-duties.csv 等），或使用某一张表的列标题",
    ),
    "import/csv-no-positions": (
        "{name} is missing: the duties and the summary are imported together with the positions, from the files `export` writes side by side",
        "缺少 {name}：职责和职责综述必须和岗位表一起导入（即 export 导出到同一个文件夹里的那些文件）",
    ),
    "import/csv-open-quote": (
        'the double quote that opens this cell is never closed, so the rest of the file would be one cell: a double quote inside a cell is written twice ("")',
        '这个单元格开头的双引号没有结束，文件剩下的部分都会变成这一个单元格：单元格里的双引号要写两个（""）',
    ),
    "import/csv-after-quote": (
        'there is text after the double quote that closes this cell: a cell that holds double quotes must be in double quotes, with each one inside written twice ("")',
        '这个单元格结束的双引号后面还有文字：含有双引号的单元格必须用双引号括起来，里面的每个双引号都要写两个（""）',
    ),
    "import/csv-cell-too-long": ("the cell is longer than {limit} characters", "这个单元格超过了 {limit} 个字符"),
    "import/csv-syntax": ("this line cannot be read as CSV: {detail}", "这一行不能按 CSV 读取：{detail}"),
    "import/csv-extra-cells": (
        "this line has {count} cells but the heading line only {expected}, so this cell belongs to no column: a cell that holds a comma must be in double quotes",
        "这一行有 {count} 个单元格，而标题行只有 {expected} 个，这个单元格不属于任何一列：含有逗号的单元格必须用双引号括起来",
    ),
    "import/csv-short-row": (
        "this line has only {count} cells and the heading line {expected}: the missing cells count as empty, which removes those values",
        "这一行只有 {count} 个单元格，而标题行有 {expected} 个：缺少的单元格按空白处理，会删除这些值",
    ),
    "import/json-empty": ("the file is empty", "文件是空的"),
    "import/json/value": (
        "not valid JSON: a value is expected here (text in double quotes, a number, true, false, null, a list [ … ] or an object {{ … }})",
        "不是有效的 JSON：这里应当是一个值（双引号里的文字、数字、true、false、null、列表 [ … ] 或对象 {{ … }}）",
    ),
    "import/json/name": (
        "not valid JSON: a name in double quotes is expected here (is there one comma too many before it?)",
        "不是有效的 JSON：这里应当是双引号里的名称（前面是不是多了一个逗号？）",
    ),
    "import/json/colon": ("not valid JSON: a ':' is expected after the name", "不是有效的 JSON：名称后面应当是“:”"),
    "import/json/comma": ("not valid JSON: a ',' or the closing '{close}' is expected here", "不是有效的 JSON：这里应当是“,”或者结束的“{close}”"),
    "import/json/trailing-comma": ("not valid JSON: one comma too many before the closing '{close}'", "不是有效的 JSON：结束的“{close}”前面多了一个逗号"),
    "import/json/string": ("not valid JSON: this text is never closed by a double quote", "不是有效的 JSON：这段文字没有用双引号结束"),
    "import/json/control": (
        "not valid JSON: a line break or a tab inside text must be written as \\n or \\t",
        "不是有效的 JSON：文字里的换行或制表符必须写成 \\n 或 \\t",
    ),
    "import/json/escape": (
        'not valid JSON: a backslash inside text starts an escape such as \\n, \\" or \\u4e2d; a backslash itself is written \\\\',
        '不是有效的 JSON：文字里的反斜杠表示转义，例如 \\n、\\" 或 \\u4e2d；反斜杠本身要写成 \\\\',
    ),
    "import/json/extra": ("not valid JSON: more follows after the end of the data", "不是有效的 JSON：数据结束之后还有别的内容"),
    "import/json/surrogate": (
        "the text holds \\u{hex}, one half of a character pair, which no file can hold: write the character itself",
        "文字里有 \\u{hex}，它只是一个字符对的一半，任何文件都无法保存它：请直接写出这个字符",
    ),
    "import/json-not-export": (
        'this JSON file is not a rolebook export: `export --format json` writes an object with "format": "rolebook-export"',
        '这个 JSON 文件不是 rolebook 的导出文件：export --format json 导出的是带有 "format": "rolebook-export" 的对象',
    ),
    "import/json-version": (
        "the file is version {version} of the export format; this rolebook reads version {supported}",
        "这个文件是第 {version} 版导出格式；这个 rolebook 只能读取第 {supported} 版",
    ),
    # the same problems as in a workbook, said of a CSV or JSON file (lines, not rows of a sheet)
    "import/duplicate-row/file": ("'{id}' appears twice (also on line {other})", "“{id}”出现了两次（另见第 {other} 行）"),
    "import/missing-column/file": ("the heading line has no column '{name}'", "标题行里没有“{name}”列"),
    "import/unknown-role/file": ("there is no position '{id}' in {sheet}", "{sheet} 里没有“{id}”这个岗位"),
    "import/unknown-role/suggest/file": (
        "there is no position '{id}' in {sheet}; did you mean '{suggestion}'?",
        "{sheet} 里没有“{id}”这个岗位；您是不是想写“{suggestion}”？",
    ),
    "import/unknown-department/file": ("there is no department '{id}' in {sheet} or in the handbook", "{sheet} 和手册里都没有“{id}”这个部门"),
    "import/one-settings-row/file": ("the file must hold exactly one row of settings", "这个文件只能有一行设置"),
    "import/too-many-rows/file": ("the file has more than {limit} rows with values", "文件里有内容的行超过了 {limit} 行"),
    "import/too-many-cells/file": (
        "the files of the export have more than {limit} cells with values, far more than any handbook needs; this line has the first one over",
        "导出的文件里有内容的单元格超过了 {limit} 个，远远超过任何手册的需要；超出的第一个在这一行",
    ),
    "import/json/too-many-values": (
        "the file holds more than {limit} values, far more than any handbook's export; this is the first one over",
        "文件里的值超过了 {limit} 个，远远超过任何手册的导出；这是超出的第一个",
    ),
    # --- site ----------------------------------------------------------
    "site/not-built": ("the site was not built: {errors} error(s), listed above", "网站没有生成：有 {errors} 个错误，见上面的列表"),
    "site/needs-jieba": (
        "Chinese search needs the Python package 'jieba', which cannot be imported (pip install jieba); "
        "without it the site's search would find no Chinese word",
        "中文搜索需要 Python 包 jieba，但无法导入（pip install jieba）；没有它，网站搜索找不到任何中文词语",
    ),
    "site/separator": (
        "the search plugin's 'separator' must include \\u200b, the zero-width space jieba puts between Chinese words "
        "(e.g. separator: '[\\s\\u200b\\-]+'); without it Chinese words are not found",
        "搜索插件的 separator 必须包含 \\u200b（jieba 在中文词语之间插入的零宽空格，例如 separator: '[\\s\\u200b\\-]+'）；否则搜不到中文词语",
    ),
    "site/engine-missing": (
        "the site engine '{engine}' is not installed; install it with: pip install {package} (or build with --engine mkdocs)",
        "没有安装网站引擎 {engine}；请先安装：pip install {package}（或用 --engine mkdocs 生成）",
    ),
    "site/written": ("Built the site in {dest} ({pages} pages) in {seconds:.1f} s.", "已在 {dest} 生成网站（{pages} 个页面），用时 {seconds:.1f} 秒。"),
    "build/total": ("Site and PDFs done in {seconds:.1f} s in all.", "网站和 PDF 全部完成，共用时 {seconds:.1f} 秒。"),
    "print-failed/role": (
        "WeasyPrint cannot print the job description '{title}' made from this file: {detail}",
        "WeasyPrint 无法打印由这个文件生成的职位说明书“{title}”：{detail}",
    ),
    "print-failed/department": (
        "WeasyPrint cannot print the department pages '{title}' made from this file: {detail}",
        "WeasyPrint 无法打印由这个文件生成的部门页“{title}”：{detail}",
    ),
    "print-failed/handbook": (
        "WeasyPrint cannot print the handbook's cover and contents '{title}': {detail}",
        "WeasyPrint 无法打印手册的封面和目录“{title}”：{detail}",
    ),
    "chart-failed/box": (
        "{path}: '{field}': Graphviz cannot draw this text in the org chart: {detail}",
        "{path}：“{field}”：Graphviz 无法在组织架构图里画出这段文字：{detail}",
    ),
    "chart-failed/department": (
        "{path}: Graphviz cannot draw this department's org chart: {detail}",
        "{path}：Graphviz 无法画出这个部门的组织架构图：{detail}",
    ),
    "chart-failed/organisation": (
        "Graphviz cannot draw the organisation chart of the departments: {detail}",
        "Graphviz 无法画出部门组织架构图：{detail}",
    ),
    "site/failed": ("the site could not be built: {detail}", "无法生成网站：{detail}"),
    "site/not-ours": (
        "not replacing {dest}: it is not empty and does not look like a site (no index.html); choose another --site-dir",
        "不替换 {dest}：它不是空文件夹，看起来也不是网站（没有 index.html）；请用 --site-dir 另选一个文件夹",
    ),
    "site/overlaps": (
        "--site-dir {dest} would replace the handbook or part of it; choose a folder of its own (default: site/)",
        "--site-dir {dest} 会覆盖手册本身或其中一部分；请另选一个单独的文件夹（默认：site/）",
    ),
    "site/unwritable": ("cannot write the site to {dest}: {detail}", "无法把网站写到 {dest}：{detail}"),
    "site/missing-roles": (
        "the new site has no page for {count} role(s): {ids}; {dest} was left as it was. The handbook's mkdocs.yml cannot remove pages (check refuses hooks and other plugins), so this is a fault in rolebook: please report it",
        "新生成的网站缺少 {count} 个岗位的页面：{ids}；{dest} 保持原样。手册的 mkdocs.yml 无法删除页面（check 不允许钩子和其他插件），这是 rolebook 自身的错误，请报告",
    ),
    "site/missing-home": (
        "the new site has no home page (index.html); {dest} was left as it was. The handbook's mkdocs.yml cannot remove pages (check refuses hooks and other plugins), so this is a fault in rolebook: please report it",
        "新生成的网站没有首页（index.html）；{dest} 保持原样。手册的 mkdocs.yml 无法删除页面（check 不允许钩子和其他插件），这是 rolebook 自身的错误，请报告",
    ),
    "site/showing-last-good": (
        "{errors} error(s), listed above; the preview keeps showing the last version without errors until they are fixed",
        "有 {errors} 个错误，见上面的列表；改正之前，预览继续显示上一个没有错误的版本",
    ),
    # --- hostile input ------------------------------------------------------
    "bad-id/folder": (
        "the folder name '{name}' is not a valid department id: use lowercase letters, digits and '-' (e.g. '{suggestion}')",
        "文件夹名“{name}”不能作为部门标识：请只用小写字母、数字和“-”（例如“{suggestion}”）",
    ),
    "bad-id/reserved-folder": (
        "the folder name '{name}' is a reserved name on Windows; choose another",
        "文件夹名“{name}”在 Windows 上是保留名称，请换一个",
    ),
    "duplicate-id/case-folder": (
        "the folder '{id}' differs from {other} only in upper/lower case; on Windows and macOS they are the same folder",
        "文件夹“{id}”与 {other} 只有大小写不同；在 Windows 和 macOS 上它们是同一个文件夹",
    ),
    "bad-logo/outside": ("'{path}' is outside the handbook folder", "“{path}”在手册文件夹以外"),
    "bad-logo/missing": ("there is no file '{path}'", "没有“{path}”这个文件"),
    "bad-logo/not-a-file": ("'{path}' is not a regular file", "“{path}”不是普通文件"),
    "bad-logo/type": (
        "'{path}' is not a PNG, JPEG, GIF, SVG or WebP image (by its name and its first bytes)",
        "“{path}”不是 PNG、JPEG、GIF、SVG 或 WebP 图片（按文件名和文件开头判断）",
    ),
    "bad-logo/too-large": ("'{path}' is {size} bytes; a logo may be at most {limit} bytes", "“{path}”有 {size} 字节，标志图片最多 {limit} 字节"),
    "bad-logo/unreadable": ("'{path}' cannot be read: {detail}", "无法读取“{path}”：{detail}"),
    "new/superior-unreadable": (
        "The new role was written, but {path} could not be read: if it lists 'subordinates', add '{id}' there once it is fixed.",
        "新岗位已写入，但无法读取 {path}：修好之后，如果它写了“subordinates”，请把“{id}”加进去。",
    ),
    "export/overlaps": (
        "not writing {path}: it is one of the handbook's own files; choose another -o",
        "不写入 {path}：它是手册本身的文件；请用 -o 另选一个位置",
    ),
    "bad-logo/svg-invalid": ("'{path}' is not a well-formed SVG file: {detail}", "“{path}”不是格式正确的 SVG 文件：{detail}"),
    "bad-logo/svg-entities": (
        "'{path}' declares XML entities (<!ENTITY …>), which can read files or blow up in size; a logo does not need them",
        "“{path}”声明了 XML 实体（<!ENTITY …>），它可以读取文件或膨胀到极大；标志图片不需要它",
    ),
    "serve/last-good": (
        "This preview shows the last version without errors: {errors} error(s) to fix first.",
        "预览显示的是上一个没有错误的版本：先要改正 {errors} 个错误。",
    ),
    "serve/pages": ("Rebuilt {pages} page(s) in {seconds:.2f} s.", "重新生成了 {pages} 个页面，用时 {seconds:.2f} 秒。"),
    "serve/starting": (
        "Serving the handbook at http://{addr}/ — edit a file under roles/ and the page reloads. Stop with Ctrl+C.",
        "手册预览地址 http://{addr}/ ——修改 roles/ 下的文件，页面会自动刷新。按 Ctrl+C 停止。",
    ),
    # --- Word import and export ---------------------------------------------------
    "docx/where-paragraph": ("paragraph {n}", "第 {n} 段"),
    "docx/where-row": ("table {table}, row {row}", "表格 {table}，第 {row} 行"),
    "docx/where-cell": ("table {table}, row {row}, cell {col}", "表格 {table}，第 {row} 行，第 {col} 格"),
    "docx/where-header": ("page header, {where}", "页眉，{where}"),
    "docx/where-footer": ("page footer, {where}", "页脚，{where}"),
    "docx/too-large": ("the file is {size} bytes; a Word document may be at most {limit} bytes", "文件有 {size} 字节，Word 文档最大 {limit} 字节"),
    "docx/unreadable": ("cannot read the file: {detail}", "无法读取文件：{detail}"),
    "docx/encrypted": (
        "the document is password-protected (encrypted); open it in Word or WPS, remove the password (File → Info → Protect Document) and save it again",
        "文档设置了密码（已加密）；请用 Word 或 WPS 打开，取消密码（文件 → 信息 → 保护文档）后重新保存",
    ),
    "docx/is-doc": (
        "the file is an old Word 97–2003 document (.doc) with a .docx name; rename it to .doc, or open it in Word or WPS and save it as .docx",
        "这是旧版 Word 97–2003 文档（.doc），却用了 .docx 的名字；请改名为 .doc，或用 Word 或 WPS 打开后另存为 .docx",
    ),
    "docx/is-html": (
        "the file is a web page (HTML) with a Word name, not a Word document; open it in Word or WPS and save it as .docx (Word document)",
        "这个文件是网页（HTML），只是用了 Word 的名字，不是 Word 文档；请用 Word 或 WPS 打开后另存为 .docx（Word 文档）",
    ),
    "docx/is-rtf": (
        "the file is an RTF document, not a Word document; open it in Word or WPS and save it as .docx",
        "这个文件是 RTF 文档，不是 Word 文档；请用 Word 或 WPS 打开后另存为 .docx",
    ),
    "docx/not-docx": ("the file is not a Word document (.docx)", "这个文件不是 Word 文档（.docx）"),
    "docx/damaged": ("the file is damaged: it is not a readable .docx (zip) file", "文件已损坏：不是可以读取的 .docx（zip）文件"),
    "docx/damaged-detail": ("the file is damaged and cannot be read as a Word document: {detail}", "文件已损坏，无法按 Word 文档读取：{detail}"),
    "docx/no-document": (
        "the file is a zip archive ({what}) but not a Word document: it has no word/document.xml",
        "这个文件是 zip 压缩包（{what}），但不是 Word 文档：里面没有 word/document.xml",
    ),
    "docx/not-document": ("the file is not a Word document that can be read: {detail}", "这个文件不是可以读取的 Word 文档：{detail}"),
    "docx/bomb": (
        "the file unpacks to far more than any job description needs ({detail}); it is not read",
        "文件解压后远大于任何职位说明书所需（{detail}），不予读取",
    ),
    "docx/too-deep": ("the document nests tables more than 8 deep; it is not read", "文档里表格嵌套超过 8 层，不予读取"),
    "docx/too-many-tables": ("the document has more than {limit} tables; it is not read", "文档里的表格超过 {limit} 个，不予读取"),
    "docx/too-many-lines": ("the document has more than {limit} paragraphs and table rows; it is not read", "文档的段落和表格行超过 {limit} 个，不予读取"),
    "docx/no-soffice": (
        "this is a Word 97–2003 document (.doc); converting it needs LibreOffice, which is not installed. Install it (apt install libreoffice-writer), or open the file in Word or WPS and save it as .docx",
        "这是 Word 97–2003 文档（.doc），转换需要 LibreOffice，但没有安装。请安装（apt install libreoffice-writer），或用 Word 或 WPS 打开后另存为 .docx",
    ),
    "docx/no-soffice-kind": (
        "this is a {kind} document; converting it needs LibreOffice, which is not installed. Install it (apt install libreoffice-writer), or open the file in Word, WPS or LibreOffice and save it as .docx",
        "这是 {kind} 文档，转换需要 LibreOffice，但没有安装。请安装（apt install libreoffice-writer），或用 Word、WPS 或 LibreOffice 打开后另存为 .docx",
    ),
    "docx/convert-failed-kind": (
        "LibreOffice could not convert this {kind} file (it may be damaged or password-protected); open it in WPS or LibreOffice and save it as .docx",
        "LibreOffice 无法转换这个 {kind} 文件（可能已损坏或设置了密码）；请用 WPS 或 LibreOffice 打开后另存为 .docx",
    ),
    "docx/convert-failed": (
        "LibreOffice could not convert this .doc file (it may be damaged or password-protected); open it in Word or WPS and save it as .docx",
        "LibreOffice 无法转换这个 .doc 文件（可能已损坏或设置了密码）；请用 Word 或 WPS 打开后另存为 .docx",
    ),
    "docx/empty-folder": (
        "the folder holds no Word document (.docx, .doc, .docm, .dotx, .wps, .odt, .rtf)",
        "文件夹里没有 Word 文档（.docx、.doc、.docm、.dotx、.wps、.odt、.rtf）",
    ),
    "docx/no-job": (
        "no job description found: no position title (职位名称 / 岗位名称 / Job Title …) with duties, summary or requirements",
        "没有找到职位说明书：没有职位名称（职位名称 / 岗位名称 / Job Title 等）以及职责、综述或任职要求",
    ),
    "docx/blank-template": (
        "no job description found: the form's fields are there but empty — this looks like a blank template",
        "没有找到职位说明书：表格栏目都在，但都是空的——这看起来是一份空白模板",
    ),
    "docx/duty-list": (
        "no job description found: there are duties but no position title — this looks like a department's duty list; add a line 职位名称：… (or Job Title: …) above each position's duties",
        "没有找到职位说明书：有职责但没有职位名称——这看起来是部门职责清单；请在每个岗位的职责前加一行“职位名称：……”",
    ),
    "docx/not-a-job": ("text here has no position title and was not imported", "这里的内容没有职位名称，未导入"),
    "docx/unassigned-name": ("Imported positions", "导入的岗位"),
    "docx/no-department": (
        "no department (部门 / Department) found; put in '{what}' — move the file or import with --department",
        "没有找到部门（部门 / Department），暂放在“{what}”——请移动文件，或用 --department 指定",
    ),
    "docx/imported-from": (
        "imported from {file} ({where}); check every value, then set status: approved",
        "从 {file} 导入（{where}）；请逐项核对后把 status 改为 approved",
    ),
    "docx/organisation-placeholder": ("(to fill in)", "（待填写）"),
    "docx/settings-made": (
        "made by import: fill in the organisation's name",
        "导入时新建：请填写组织名称",
    ),
    "docx/bad-date": ("the date '{value}' is not a date rolebook can read (YYYY-MM-DD); not written", "日期“{value}”无法识别（应为 年-月-日）；未写入"),
    "docx/no-number": ("no document number (编号) found: a placeholder is written; fill it in", "没有找到编号：写入了占位文字，请填写"),
    "docx/no-headcount": ("no headcount (人数 / 定员) found: 1 is written; correct it", "没有找到人数（人数 / 定员）：暂按 1 人，请核对"),
    "docx/kept-draft": (
        "the document says '{value}', but an imported job description stays a draft until a person approves it",
        "原文写的是“{value}”，但导入的职位说明书在有人核对之前保持为草稿",
    ),
    "docx/percent-sum": (
        "work relationships: {internal}% internal + {external}% external is not 100%; not written (kept below) — fix the numbers and write them",
        "工作联系：对内 {internal}% + 对外 {external}% 不等于 100%；未写入（保留在下面）——请改正后填写",
    ),
    "docx/no-percent": (
        "work relationships without a share of time for both internal and external; not written (kept below)",
        "工作联系没有同时写明对内和对外的时间占比；未写入（保留在下面）",
    ),
    "docx/guessed-qualification": ("guessed from the wording that this is the {field}; check it", "按文字内容猜测这是“{field}”，请核对"),
    "docx/missing-qualification": ("no {field} found: a placeholder is written; fill it in", "没有找到“{field}”：写入了占位文字，请填写"),
    "docx/kpis-apart": (
        "KPIs are listed apart from the duties and their number differs; not matched to duties (kept below)",
        "考核指标与职责分开列出且条数不同，无法一一对应；未写入（保留在下面）",
    ),
    "docx/guessed-kpi": ("duty {n}: the KPI was split off the duty's text; check it", "第 {n} 条职责：考核指标是从职责文字中拆出来的，请核对"),
    "docx/no-kpis": (
        "no KPI (考核指标) for duty {duties}: add them before approving the position",
        "第 {duties} 条职责没有考核指标：审核通过（approved）前请补上",
    ),
    "docx/no-duties": ("no duties (岗位职责 / Duties) found: a placeholder is written; fill them in", "没有找到岗位职责：写入了占位文字，请填写"),
    "docx/twice": ("{field} appears twice: '{first}' is used, '{value}' is not", "“{field}”出现了两次：用了“{first}”，没有用“{value}”"),
    "docx/unknown-label": ("'{label}' is not a field of the form; kept in {field}", "“{label}”不是表格里的栏目，保留在“{field}”中"),
    "docx/unknown-part": (
        "'{label}' is a part rolebook has no place for; its text is kept in {field}",
        "“{label}”这一部分在 rolebook 里没有对应的栏目，内容保留在“{field}”中",
    ),
    "docx/duty-columns": (
        "from duty {n} on: the column(s) {columns} have no field in rolebook; kept in brackets after each duty's text",
        "从第 {n} 条职责起：“{columns}”栏在 rolebook 里没有对应的栏目，以括号附在每条职责文字后面",
    ),
    "docx/unplaced": ("text not placed in any part of the form, kept as a comment: '{text}'", "这段文字无法归入任何栏目，作为注释保留：“{text}”"),
    "docx/guessed-superior": (
        "superior '{value}' is not a position title; guessed {title} ({id}) — did you mean that?",
        "直接上级“{value}”不是已有的职位名称；猜测为 {title}（{id}）——是这个吗？",
    ),
    "docx/no-superior": (
        "superior '{value}': no such position in the documents or the handbook; not written — add that position, or write its id in reports_to",
        "直接上级“{value}”：文档和手册里都没有这个岗位；未写入——请添加该岗位，或在 reports_to 填写它的标识",
    ),
    "docx/no-subordinate": ("direct report '{value}': no such position in the documents or the handbook", "直接下级“{value}”：文档和手册里都没有这个岗位"),
    "docx/superior-from-list": (
        "superior not in this job description; taken from {title}'s direct reports",
        "本职位说明书没有写直接上级；按“{title}”的直接下级推出",
    ),
    "docx/subordinate-mismatch": (
        "direct report '{value}' names another superior ({other}) in its own job description; the direct reports are derived from reports_to — settle which is right",
        "直接下级“{value}”在自己的职位说明书里写的直接上级是 {other}；直接下级按 reports_to 推出——请确定哪个正确",
    ),
    "docx/guessed-subordinate": (
        "direct report '{value}' is not a position title; taken to be {title}",
        "直接下级“{value}”不是已有的职位名称；按 {title} 理解",
    ),
    "docx/loop": ("the superiors go round in a circle ({chain}); this one is not written", "直接上级绕成了圈（{chain}）；这一条未写入"),
    "docx/field-title": ("title", "职位名称"),
    "docx/field-number": ("document number", "编号"),
    "docx/field-role_id": ("role id", "岗位标识"),
    "docx/field-department": ("department", "部门"),
    "docx/field-reports_to": ("superior", "直接上级"),
    "docx/field-subordinates": ("direct reports", "直接下级"),
    "docx/field-headcount": ("headcount", "人数"),
    "docx/field-effective_date": ("effective date", "制定时间"),
    "docx/field-approver": ("approver", "审核"),
    "docx/field-approval_date": ("approval date", "审核日期"),
    "docx/field-revision": ("revision", "版本"),
    "docx/field-status": ("status", "状态"),
    "docx/field-education": ("education", "教育程度及专业"),
    "docx/field-experience": ("experience", "工作经验"),
    "docx/field-abilities": ("abilities", "能力要求"),
    "docx/field-other": ("other requirements", "其它要求"),
    "docx/field-summary": ("summary", "职责综述"),
    "docx/review": (
        "Review ({count} items): check these in the files, then set status: approved.",
        "请核对（{count} 项）：在文件里逐项核对后，把 status 改为 approved。",
    ),
    "docx/read": ("Read {roles} job descriptions from {docs} documents.", "从 {docs} 个文档读取了 {roles} 份职位说明书。"),
    "docx/nothing": ("No job description could be read; nothing was imported.", "没有读到任何职位说明书，未导入。"),
    "docx/bad-department": (
        "--department '{value}' is not a valid department id (lowercase letters, digits and '-')",
        "--department “{value}”不是有效的部门标识（小写字母、数字和“-”）",
    ),
    "docx/not-word": ("--department only applies to Word documents", "--department 只能用于导入 Word 文档"),
    "export/unknown-role": ("there is no role '{id}' in the handbook", "手册里没有“{id}”这个岗位"),
    "export/unknown-department": ("there is no department '{id}' in the handbook", "手册里没有“{id}”这个部门"),
    "export/docx-only": ("--role and --department only apply to --format docx", "--role 和 --department 只能用于 --format docx"),
    "export/docx-written": ("Exported {roles} job descriptions to {path}.", "已把 {roles} 份职位说明书导出到 {path}。"),
    # --- commands: words around messages ----------------------------------
    "no-handbook-folder": ("no such handbook folder '{path}'", "找不到手册文件夹“{path}”"),
    "word/error": ("error", "错误"),
    "word/nobody": ("(nobody)", "（无）"),
    "usage/jobs": ("--jobs must be at least 1", "--jobs 至少为 1"),
    # --- a handbook in two languages ---------------------------------------------
    "languages/both": (
        "'language' and 'languages' are both set; a handbook has one or the other",
        "同时写了 language 和 languages；只能写其中一个",
    ),
    "language/zh": ("Chinese", "中文"),
    "language/en": ("English", "英文"),
    "missing-translation": (
        "{what} has no {language} text; the {main} text is shown in its place",
        "{what}没有{language}文字；那里显示的是{main}文字",
    ),
    "translation-shape": (
        "{what} has {count} item{s} in {language} but {main_count} in {main}; the lists must match item by item",
        "{what}的{language}有 {count} 项，{main}有 {main_count} 项；两种语言应当逐项对应",
    ),
    # --- revisions: diff, history -------------------------------------------
    "diff/none": ("No differences.", "没有差异。"),
    "diff/role-added": ("New position {title} ({dept}, headcount {n})", "新增岗位 {title}（{dept}，{n} 人）"),
    "diff/role-removed": ("Position {title} removed (was in {dept}, headcount {n})", "删除岗位 {title}（原属 {dept}，{n} 人）"),
    "diff/renamed": ("{old} renamed {new}", "{old} 改名为 {new}"),
    "diff/file-renamed": ("{title}: file renamed from {old} to {new}", "{title}: 文件改名，{old} → {new}"),
    "diff/moved-department": ("{title} moved to {new}, was in {old}", "{title} 调到 {new}，原属 {old}"),
    "diff/reports-to": ("{title} now reports to {new}, was {old}", "{title} 改为向 {new} 汇报，原为 {old}"),
    "diff/reports-to/first": ("{title} now reports to {new}", "{title} 改为向 {new} 汇报"),
    "diff/reports-to/none": ("{title} no longer reports to anyone, was {old}", "{title} 不再有直接上级，原为 {old}"),
    "diff/changed": ("{title} · {where}: {old} → {new}", "{title} · {where}: {old} → {new}"),
    "diff/item-added": ("{title} · {where} added: {new}", "{title} · {where} 新增: {new}"),
    "diff/item-removed": ("{title} · {where} removed: {old}", "{title} · {where} 删除: {old}"),
    "diff/item-moved": ("{title} · {where} moved from {n}: {new}", "{title} · {where} 由第 {n} 条移来: {new}"),
    "diff/dept-added": ("New department {title}", "新增部门 {title}"),
    "diff/dept-removed": ("Department {title} removed", "删除部门 {title}"),
    "diff/headcount": ("{title} · headcount: {old} → {new}", "{title} · 人数: {old} → {new}"),
    "diff/field/number": ("Document no.", "编号"),
    "diff/field/title": ("Title", "职位名称"),
    "diff/field/headcount": ("Headcount", "人数"),
    "diff/field/status": ("Status", "状态"),
    "diff/field/effective_date": ("Effective date", "制定时间"),
    "diff/field/approver": ("Approved by", "审核"),
    "diff/field/revision": ("Revision", "版本"),
    "diff/field/summary": ("Summary {n}", "职责综述 {n}"),
    "diff/field/internal": ("Internal", "对内"),
    "diff/field/external": ("External", "对外"),
    "diff/field/percent": ("Share of time", "时间占比"),
    "diff/field/parties": ("With whom", "联系对象"),
    "diff/field/qualifications": ("Qualifications", "任职资格"),
    "diff/field/education": ("Education", "教育程度及专业"),
    "diff/field/experience": ("Experience", "工作经验"),
    "diff/field/abilities": ("Abilities", "能力要求"),
    "diff/field/other": ("Other", "其它要求"),
    "diff/field/duty": ("Duty {n}", "岗位职责 {n}"),
    "diff/field/kpis": ("KPIs", "考核指标"),
    "diff/field/group": ("Group", "分组"),
    "diff/field/name": ("Name", "名称"),
    "diff/field/parent": ("Parent department", "上级部门"),
    "diff/field/order": ("Order", "排序"),
    "diff/field/description": ("Description", "简介"),
    "diff/field/department-duty": ("Department duty {n}", "部门职责 {n}"),
    "diff/field/requirement": ("Requirement {n}", "共同要求 {n}"),
    "diff/field/workflow": ("Workflow {n}", "工作流程 {n}"),
    "history/created": ("Created", "新建"),
    "history/removed": ("Removed", "删除"),
    "history/more": ("and {n} more changes", "另有 {n} 处改动"),
    "diff/work-tree": ("the work tree", "工作区"),
    "diff/no-git": (
        "git is not installed; comparing revisions needs it (two folders can be compared without it)",
        "没有安装 git；比较版本需要 git（比较两个文件夹不需要）",
    ),
    "diff/not-a-repository": (
        "'{path}' is not in a git repository; name two handbook folders to compare them",
        "“{path}”不在 git 仓库里；要比较两个手册文件夹，请写出这两个文件夹",
    ),
    "diff/unknown-revision": ("unknown revision '{rev}'", "找不到版本“{rev}”"),
    "diff/git-failed": ("git could not read the history: {detail}", "git 无法读取历史记录：{detail}"),
    "diff/too-many": ("too many arguments: at most REV_A REV_B HANDBOOK_DIR", "参数太多：最多是 REV_A REV_B HANDBOOK_DIR"),
    "diff/snapshot-failed": (
        "the handbook at {rev} does not pass check (errors: {errors}); fix it or compare another revision. The first: {first}",
        "版本 {rev} 的手册没有通过检查（错误：{errors} 个）；请修正或换一个版本。第一个：{first}",
    ),
}

HINTS: dict[str, tuple[str, str]] = {
    "unknown-key/allowed": ("Allowed keys here: {keys}", "可以用的键：{keys}"),
    "wrong-type/quote": ('Put it in quotes: "{text}"', '加上引号："{text}"'),
    "languages/both": (
        "For one language keep 'language: zh'; for two write 'languages: [zh, en]' (the main language first) and delete 'language'.",
        "一种语言保留“language: zh”；两种语言写“languages: [zh, en]”（主语言写在前面），并删掉 language。",
    ),
    "missing-translation": (
        "Give it per language: {key}: {{zh: …, en: …}}",
        "按语言分别写：{key}: {{zh: …, en: …}}",
    ),
    "missing-translation/item": (
        "Give the item per language: - {{zh: …, en: …}}",
        "把这一项按语言分别写：- {{zh: …, en: …}}",
    ),
    "translation-shape": (
        "Add or remove items so that both languages have the same number, in the same order (or write the items one by one as {{zh: …, en: …}}).",
        "增删条目，让两种语言的项数相同、顺序一致（也可以逐项写成 {{zh: …, en: …}}）。",
    ),
    "encoding": (
        "Open the file in your editor and save it as 'UTF-8', or run: iconv -f {enc} -t UTF-8 '{path}' -o '{path}.utf8' && mv '{path}.utf8' '{path}'",
        "请在编辑器里把文件“另存为 UTF-8”，或运行：iconv -f {enc} -t UTF-8 '{path}' -o '{path}.utf8' && mv '{path}.utf8' '{path}'",
    ),
    "duplicate-key": (
        "Keep one '{key}' and move everything under it.",
        "只保留一个“{key}”，把内容都放在它下面。",
    ),
    "yaml-syntax/tab": ("Replace the tab with spaces (2 per level).", "把制表符换成空格（每层 2 个）。"),
    "yaml-syntax/fullwidth-colon": ("Write it as: {fixed}", "改成：{fixed}"),
    "yaml-syntax/fullwidth-colon-more": (" — and the same on line{s} {lines}", "；第 {lines} 行也一样"),
    "fullwidth-colon": (
        "After '{key}' comes a full-width colon '：'; write a half-width colon and a space, as in: {fixed}",
        "“{key}”后面是全角冒号“：”；请改成半角冒号加空格：{fixed}",
    ),
    "missing-kpi": (
        "Add 'kpis:' with at least one indicator under the duty.",
        "请在这条职责下加上“kpis:”，至少写一个考核指标。",
    ),
    "approval-missing": (
        "Add what is missing under 'status:', e.g. {example} — or write 'status: draft' until the description is approved.",
        "请在“status:”下面补上，例如 {example}；还没有审核的话，先写“status: draft”（草稿）。",
    ),
    "review-due": (
        "Review the description; when it is confirmed, set 'approval_date:' to the review's date (and 'approver:' to who confirmed it).",
        "请复审这份职位说明书；确认后把“approval_date:”改成复审的日期（“approver:”写确认的人）。",
    ),
    "reporting-loop": (
        "One of these positions must report to someone outside the circle.",
        "其中一个岗位的直接上级应当在这个循环之外。",
    ),
    "subordinates-mismatch": (
        "Either fix 'reports_to' in the subordinate's file or the 'subordinates' list here; you may also delete 'subordinates' and let it be derived.",
        "请修改下级岗位文件里的“reports_to”，或修改这里的“subordinates”；也可以删掉“subordinates”，让它自动推出。",
    ),
    "unknown-department": (
        "Create {path} with at least 'name: ...'.",
        "请新建 {path}，至少写上“name: 部门名称”。",
    ),
    # what a value typed the way people write it should be (check/schema.py, check/suggest.py)
    "boolean": (
        "Write true (yes) or false (no), in lowercase and without quotes.",
        "请写 true（是）或 false（否），小写，不加引号。",
    ),
    "boolean/quotes": ("Leave out the quotes: {suggestion}", "去掉引号：{suggestion}"),
    "boolean/suggest": (
        "Write {suggestion} instead of {value}: a yes/no setting takes only true or false, in lowercase and without quotes.",
        "把 {value} 改成 {suggestion}：是/否的设置只能写 true 或 false，小写，不加引号。",
    ),
    "choice/suggest": (
        "Write {suggestion} instead of {value}: only the values listed, as written there (lowercase English).",
        "把 {value} 改成 {suggestion}：只能写上面列出的值，原样照写（小写英文）。",
    ),
    "date": ('Write it as "{suggestion}".', '请写成 "{suggestion}"。'),
    "date/example": (
        'Write the date in quotes as YYYY-MM-DD, e.g. "2006-06-01".',
        '请把日期写成带引号的 YYYY-MM-DD，例如 "2006-06-01"。',
    ),
    "date/month-days": ("{year}-{month:02d} has only {days} days.", "{year} 年 {month} 月只有 {days} 天。"),
    "number": ("Write it as {suggestion} ({reasons}).", "请写成 {suggestion}（{reasons}）。"),
    "number/plain": ("Write it as a plain number: {suggestion}.", "请直接写数字：{suggestion}。"),
    "number/quotes": ("without quotes", "不加引号"),
    "number/fullwidth": ("in half-width digits, as typed in English input mode", "用英文输入法输入的半角数字"),
    "number/percent": ("without the % sign", "不写 % 号"),
    "number/unit": ("the number alone", "只写数字"),
    "number/separator": ("without separators", "数字中间不加分隔符"),
    "number/leading-zero": ("without the leading zero", "去掉开头的 0"),
    "number/percent-fraction": (
        "Write the share of time as a whole number of percent: {suggestion}, not {value}.",
        "时间占比请写成百分数的整数：{suggestion}，而不是 {value}。",
    ),
    "missing-glyph": (
        "Install the Chinese/Japanese/Korean fonts: sudo apt-get install fonts-noto-cjk (scripts/setup.sh does it). If the character was typed by mistake, replace it.",
        "请安装中日韩字体：sudo apt-get install fonts-noto-cjk（scripts/setup.sh 会安装）。如果这个字符是误输入的，请改掉它。",
    ),
    "missing-glyph/emoji": (
        "It is an emoji: install the emoji font, sudo apt-get install fonts-noto-color-emoji (the Chinese fonts have none), or write it in words.",
        "这是表情符号：请安装表情字体 sudo apt-get install fonts-noto-color-emoji（中文字体里没有表情符号），或者改用文字。",
    ),
    "missing-glyph/unprintable": (
        "It is a control or invisible character (often pasted along with text from elsewhere) and cannot be printed: delete it.",
        "这是控制字符或看不见的字符（常常是从别处复制文字时带进来的），无法打印：请删掉它。",
    ),
    "missing-glyph/private": (
        "It is a private-use character (drawn only by a special font, such as a symbol font in Word) and cannot be printed: replace it.",
        "这是私用区字符（只有特殊字体才画得出来，例如 Word 的符号字体），无法打印：请换成别的字符。",
    ),
    "missing-glyph/other": (
        "Install a font that has it: sudo apt-get install fonts-noto-core (the scripts of most languages). If the character was typed by mistake, replace it.",
        "请安装包含它的字体：sudo apt-get install fonts-noto-core（大多数语言的文字）。如果这个字符是误输入的，请改掉它。",
    ),
}

# JSON types as HR would say them
TYPE_WORDS: dict[str, tuple[str, str]] = {
    "string": ("text", "文字"),
    "integer": ("a whole number", "整数"),
    "number": ("a number", "数字"),
    "boolean": ("true or false", " true 或 false"),  # zh: a space before Latin words, as in "至少是 1"
    "array": ("a list", "列表"),
    "object": ("a group of 'key: value' lines", "“键: 值”的组合"),
    "null": ("empty", "空值"),
}


# Message arguments that hold one value as a user typed it (an id, a key, a document number …).
# A report line shows at most SHOWN_CHARS of it: a 5,000-character reports_to is still one line.
USER_VALUE_ARGS = frozenset({"id", "key", "number", "value", "tag", "target", "suggestion", "actual", "name"})
SHOWN_CHARS = 80


def _shorten(value: object) -> object:
    if isinstance(value, str) and len(value) > SHOWN_CHARS:
        return value[: SHOWN_CHARS - 1] + "…"
    return value


@dataclass(frozen=True)
class Messages:
    """Formats messages in one language; passed explicitly to whoever reports problems."""

    lang: Lang

    def _pick(self, pair: tuple[str, str]) -> str:
        return pair[1] if self.lang == "zh" else pair[0]

    def text(self, msg_id: str, **args: object) -> str:
        return self._pick(MESSAGES[msg_id]).format(**{k: _shorten(v) if k in USER_VALUE_ARGS else v for k, v in args.items()})

    def hint(self, msg_id: str, **args: object) -> str:
        pair = HINTS.get(msg_id)
        return self._pick(pair).format(**args) if pair else ""

    def type_word(self, json_type: str) -> str:
        pair = TYPE_WORDS.get(json_type)
        return self._pick(pair) if pair else json_type

    def quote(self, value: object) -> str:
        text = str(value)
        if len(text) > 60:
            text = text[:57] + "…"
        return f"“{text}”" if self.lang == "zh" else f"'{text}'"

    def join(self, items: list[str]) -> str:
        return ("、" if self.lang == "zh" else ", ").join(items)

    def summary(self, errors: int, warnings: int, files: int) -> str:
        if self.lang == "zh":
            if not errors and not warnings:
                return f"检查了 {files} 个文件，没有发现问题。"
            return f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告。"
        if not errors and not warnings:
            return f"Checked {files} files: no problems found."
        return f"Checked {files} files: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}."
