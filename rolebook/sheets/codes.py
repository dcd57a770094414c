"""The problem codes only the spreadsheet round trip reports, documented like the checks' codes
(the problem-code page lists them)."""

from __future__ import annotations

from rolebook.check.registry import Code

# export
SHEET_CODES: tuple[Code, ...] = (
    Code(
        "sheet-unsupported",
        "error",
        "A value a spreadsheet cell cannot hold: a control character (written in YAML as an escape such as \\x01), or text longer than 32,767 characters. Export to JSON instead, or change the text.\n\n电子表格的单元格放不下的内容：控制字符，或超过 32767 个字符的文字。",
    ),
    Code(
        "sheet-line-break",
        "warning",
        "One item of a list (a KPI, a party, a step …) holds a line break. In the spreadsheet every line of such a cell is one item, so importing the workbook back would split it.\n\n列表中的某一项（考核指标、联系对象、步骤等）里有换行；表格里每行算一项，导入回来时会被拆开。",
    ),
)


# import
IMPORT_CODES: tuple[Code, ...] = (
    Code(
        "import-file",
        "error",
        "The file cannot be read: it is missing, its name does not end in .xlsx, .csv or .json, it is not what its name says (an old .xls, a CSV named .xlsx), it is damaged or far larger than any handbook needs, a CSV or JSON file is not UTF-8 (the message says what it looks like: Excel's GBK or UTF-16) or not valid CSV or JSON, or a JSON file is not a rolebook export.\n\n无法读取文件：文件不存在、扩展名不是 .xlsx、.csv 或 .json、内容和扩展名不符（例如旧的 .xls）、已损坏或大得不合理、CSV 或 JSON 文件不是 UTF-8 编码（信息会说明它像什么编码）或格式不对，或 JSON 文件不是 rolebook 的导出文件。",
    ),
    Code(
        "import-sheet",
        "error",
        "A sheet the import needs is missing (Positions when Duties or Summary is there, by their English or Chinese names; for CSV files, the …-positions.csv beside them), or a CSV file's table cannot be told from its name or headings. A sheet with another name is ignored, with a warning.\n\n缺少导入需要的工作表（CSV：缺少岗位表文件），或看不出 CSV 文件是哪张表；名称不认识的工作表会被忽略（警告）。",
    ),
    Code(
        "import-column",
        "error",
        "A column heading is unknown (ignored, with a warning and the nearest known heading), appears twice, or the column that names the row (Role id, Department id) is missing.\n\n列标题不认识（忽略并给出最接近的标题）、重复，或缺少标识列。",
    ),
    Code(
        "import-cell",
        "error",
        "A cell holds a formula, or a No. (sequence number) is not a whole number. Type the text itself; to start text with '=', type an apostrophe first.\n\n单元格里是公式，或序号不是整数。",
    ),
    Code(
        "import-interrupted",
        "warning",
        "An import was interrupted before it finished (the process was killed, the machine lost power). The next command (import, check, build, …) undoes it from the journal in .rolebook-backup/, so the handbook is as it was before that import, and says so; a file changed by hand since is left as it is, its old version kept in .rolebook-backup/<n>/.\n\n导入在完成之前被中断（进程被杀掉、断电）。下一个命令（import、check、build 等）根据 .rolebook-backup/ 里的日志撤销那次导入，使手册恢复到导入之前的样子，并给出提示；期间被手工修改过的文件保持原样，旧版本保存在 .rolebook-backup/<编号>/。",
    ),
    Code(
        "import-row",
        "error",
        "A row has no id, repeats an id, has an id that is not a valid file name, or refers to a position or department that is neither in the workbook nor in the handbook; a line of a CSV file has more cells than the heading line (a warning when it has fewer: the missing cells count as empty).\n\n某一行没有标识、标识重复或不合规，或引用了不存在的岗位或部门；CSV 文件的某一行比标题行的单元格多（少时是警告：缺少的按空白处理）。",
    ),
)
