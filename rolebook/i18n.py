"""Every user-facing word, in the two handbook languages.

Messages are keyed by a message id (usually the problem code, sometimes
``code/variant``); labels are the words printed on pages and in PDFs.
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
    # --- pdf (issue 4) ----------------------------------------------------------
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
    "pdf/unwritable": ("cannot write the PDFs to {dest}: {detail}", "无法把 PDF 写到 {dest}：{detail}"),
    "pdf/engine": (
        "WeasyPrint cannot run: {detail}. Install its system libraries (Pango) with scripts/setup.sh",
        "WeasyPrint 无法运行：{detail}。请用 scripts/setup.sh 安装它需要的系统库（Pango）",
    ),
    "pdf/warning": ("WeasyPrint: {detail}", "WeasyPrint：{detail}"),
    "placeholder": (
        "{what} still holds the placeholder '{value}'",
        "{what}还是占位文字“{value}”",
    ),
    # --- new (scaffold) ----------------------------------------------------------
    "new/placeholder": ("(to fill in)", "（待填写）"),
    "new/head-role": (
        "New position: replace every '(to fill in)' below with the real text, then run: python build.py check",
        "新建的岗位：请把下面所有“（待填写）”换成实际内容，然后运行 python build.py check 检查。",
    ),
    "new/head-department": (
        "New department: replace every '(to fill in)' below with the real text, then run: python build.py check",
        "新建的部门：请把下面所有“（待填写）”换成实际内容，然后运行 python build.py check 检查。",
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
        "  2. run: python build.py check   (what is still to fill in is listed as warnings);\n"
        "  3. run: python build.py serve   to see it in the preview.",
        "下一步：\n  1. 打开 {path}，把所有“（待填写）”换成实际内容；\n"
        "  2. 运行 python build.py check   （还没填写的地方会以警告列出）；\n"
        "  3. 运行 python build.py serve   在预览中查看。",
    ),
    "new/exists": ("{path} already exists; it is not overwritten", "{path} 已经存在，不会覆盖"),
    "new/id-taken": (
        "the role id '{id}' is already used by {path}; every role id is unique in the handbook",
        "岗位标识“{id}”已经被 {path} 使用；每个岗位标识在整个手册中必须唯一",
    ),
    "new/create-department": (
        "Create it first: python build.py new department {id} --name NAME",
        "请先新建这个部门：python build.py new department {id} --name 部门名称",
    ),
    "new/unwritable": ("cannot write {path}: {detail}", "无法写入 {path}：{detail}"),
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
        "After editing it in Excel: python build.py import {path} --dry-run   shows the changes; add --overwrite to write them.",
        "在 Excel 里修改后，运行 python build.py import {path} --dry-run 查看改动；确认后加 --overwrite 导入。",
    ),
    "export/next": (
        "After editing: python build.py import {path} --dry-run   shows the changes; add --overwrite to write them.",
        "修改后，运行 python build.py import {path} --dry-run 查看改动；确认后加 --overwrite 导入。",
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
    "import/too-many-rows": ("the sheet '{name}' has more than {limit} rows", "工作表“{name}”超过了 {limit} 行"),
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
    "import/too-many-rows/file": ("the file has more than {limit} rows", "文件超过了 {limit} 行"),
    # --- site (issue 3) ----------------------------------------------------------
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
    "site/written": ("Built the site in {dest} ({pages} pages) in {seconds:.1f} s.", "已在 {dest} 生成网站（{pages} 个页面），用时 {seconds:.1f} 秒。"),
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
    "site/showing-last-good": (
        "{errors} error(s), listed above; the preview keeps showing the last version without errors until they are fixed",
        "有 {errors} 个错误，见上面的列表；改正之前，预览继续显示上一个没有错误的版本",
    ),
    # --- hostile input (issue 6) ------------------------------------------------------
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
    "serve/starting": (
        "Serving the handbook at http://{addr}/ — edit a file under roles/ and the page reloads. Stop with Ctrl+C.",
        "手册预览地址 http://{addr}/ ——修改 roles/ 下的文件，页面会自动刷新。按 Ctrl+C 停止。",
    ),
}

HINTS: dict[str, tuple[str, str]] = {
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
