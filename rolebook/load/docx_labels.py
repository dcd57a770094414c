"""The words job descriptions use for their fields and parts, in Chinese and English, and how to tell them.

A label is compared after ``key()``: full-width forms folded (NFKC), spaces, colons and the usual
brackets removed, lower case — so "职 位 名 称：", "职位名称:" and "Job Title" all match. A label
that starts with a known one and goes on for a few characters ("直接上级职位名称", "学历要求")
matches it too.
"""

from __future__ import annotations

import re
import unicodedata

# field -> synonyms; the first Chinese and English ones are rolebook's own (labels.py)
FIELDS: dict[str, tuple[str, ...]] = {
    "role_id": ("岗位标识", "role id"),
    "title": (
        "职位名称",
        "岗位名称",
        "职务名称",
        "职务",
        "岗位",
        "职位",
        "岗位名",
        "职位名",
        "job title",
        "position title",
        "position",
        "title",
        "job name",
        "role title",
        "role",
    ),
    "number": (
        "编号",
        "岗位编号",
        "职位编号",
        "文件编号",
        "岗位代码",
        "职位代码",
        "说明书编号",
        "岗位编码",
        "职位编码",
        "document no.",
        "document number",
        "job code",
        "position code",
        "job number",
        "code",
        "ref",
        "reference",
        "job no.",
    ),
    "department": ("部门", "所属部门", "所在部门", "部门名称", "所属单位", "department", "dept", "division", "unit"),
    "reports_to": (
        "直接上级",
        "直接上级职位名称",
        "直接上级岗位",
        "直接主管",
        "汇报对象",
        "上级岗位",
        "直属上级",
        "汇报上级",
        "上级",
        "reports to",
        "reporting to",
        "report to",
        "direct supervisor",
        "supervisor",
        "line manager",
    ),
    "subordinates": (
        "直接下级",
        "直接下级职位名称",
        "直接下级岗位",
        "下属",
        "下级岗位",
        "直接下属",
        "所辖岗位",
        "下级",
        "direct reports",
        "supervises",
        "subordinates",
        "manages",
    ),
    "headcount": ("人数", "定员", "岗位定员", "编制", "编制人数", "定编", "headcount", "number of positions", "positions"),
    "effective_date": ("制定时间", "制定日期", "编制日期", "生效日期", "编写日期", "日期", "effective date", "date"),
    "approver": ("审核", "审核人", "审批", "审批人", "批准", "批准人", "approved by", "approver"),
    "revision": ("版本", "版本号", "revision", "version"),
    "status": ("状态", "status"),
    # department blocks (rolebook's own department pages, and real ones)
    "dept_id": ("部门标识", "department id"),
    "dept_parent": ("上级部门", "parent department", "part of"),
    "dept_order": ("排序", "order"),
    "dept_description": ("简介", "部门简介", "description"),
}

# sub-fields inside a part
QUALIFICATIONS: dict[str, tuple[str, ...]] = {
    "education": (
        "教育程度及专业",
        "学历",
        "教育",
        "教育程度",
        "学历要求",
        "教育背景",
        "学历及专业",
        "学历专业",
        "文化程度",
        "教育水平",
        "education",
        "educational background",
        "degree",
    ),
    "experience": ("工作经验", "经验", "经验要求", "工作经历", "从业经验", "experience", "work experience"),
    "abilities": (
        "能力要求",
        "能力",
        "技能",
        "技能要求",
        "知识技能",
        "专业技能",
        "知识",
        "知识要求",
        "能力素质",
        "素质要求",
        "素质",
        "专业知识",
        "abilities",
        "skills",
        "competencies",
        "knowledge",
        "skills and abilities",
    ),
    "other": ("其它要求", "其他要求", "其它", "其他", "other", "other requirements"),
    "major": ("专业", "专业要求", "major", "field of study"),
}
RELATIONSHIPS: dict[str, tuple[str, ...]] = {
    "internal": (
        "对内",
        "对内（集团以内）",
        "internal (within the group)",
        "内部",
        "内部联系",
        "内部关系",
        "集团以内",
        "内部沟通",
        "internal",
        "internal contacts",
        "internal relationships",
    ),
    "external": (
        "对外",
        "对外（集团以外）",
        "external (outside the group)",
        "外部",
        "外部联系",
        "外部关系",
        "集团以外",
        "外部沟通",
        "external",
        "external contacts",
        "external relationships",
    ),
}
DUTY_COLUMNS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "no.", "no", "#", "item"),
    "duty": (
        "主要职责",
        "职责",
        "工作内容",
        "职责描述",
        "工作职责",
        "工作任务",
        "岗位职责",
        "职责内容",
        "主要工作",
        "main duty",
        "duty",
        "duties",
        "responsibility",
        "responsibilities",
        "task",
        "tasks",
    ),
    "kpi": (
        "主要考核指标",
        "考核指标",
        "绩效指标",
        "kpi",
        "kpis",
        "关键绩效指标",
        "衡量标准",
        "考核标准",
        "工作标准",
        "考核内容",
        "考核要点",
        "绩效标准",
        "performance indicators",
        "key performance indicators",
        "measures",
        "success measures",
        "performance measures",
    ),
    "group": ("组", "类别", "模块", "职责模块", "分类", "职责类别", "职责分类", "工作模块", "group", "area", "category", "key area"),
}

# parts of the form -> synonyms
SECTIONS: dict[str, tuple[str, ...]] = {
    "basic": (
        "职位基本信息",
        "岗位基本信息",
        "基本信息",
        "岗位信息",
        "职位信息",
        "basic information",
        "job information",
        "position information",
        "job details",
    ),
    "summary": (
        "职责综述",
        "岗位概述",
        "职位概要",
        "岗位目的",
        "工作概述",
        "岗位综述",
        "职位概述",
        "工作目的",
        "岗位使命",
        "职位目的",
        "岗位概要",
        "工作综述",
        "职位综述",
        "岗位设置目的",
        "summary",
        "job summary",
        "purpose",
        "job purpose",
        "position summary",
        "overview",
        "role purpose",
    ),
    "relationships": (
        "主要工作联系",
        "工作关系",
        "工作联系",
        "工作协作关系",
        "沟通关系",
        "内外部关系",
        "main work relationships",
        "work relationships",
        "working relationships",
        "relationships",
        "contacts",
        "key contacts",
    ),
    "qualifications": (
        "任职资格要求",
        "任职资格",
        "任职要求",
        "岗位要求",
        "任职条件",
        "资格要求",
        "任职资格条件",
        "岗位任职资格",
        "qualifications",
        "requirements",
        "job requirements",
        "person specification",
        "qualifications and requirements",
    ),
    "duties": (
        "岗位职责",
        "工作职责",
        "主要职责",
        "职责",
        "工作内容",
        "职责描述",
        "主要工作职责",
        "职责与工作任务",
        "职责范围",
        "duties",
        "responsibilities",
        "key responsibilities",
        "main duties",
        "job duties",
        "duties and responsibilities",
        "main responsibilities",
    ),
    "kpis": ("考核指标", "绩效指标", "主要考核指标", "kpi", "kpis", "关键绩效指标", "绩效考核", "performance indicators", "key performance indicators"),
    "signatures": ("签字", "签名", "确认签字", "signatures", "sign-off"),
    "dept_duties": ("部门职责", "部门职能", "department duties", "department responsibilities"),
    "dept_requirements": ("共同要求", "基本要求", "人员要求", "requirements for all staff", "common requirements"),
    "dept_workflows": ("工作流程", "流程", "workflows", "procedures"),
    "dept_staffing": ("岗位设置", "人员配置", "编制设置", "positions and headcount", "staffing"),
}

# A heading that names a whole job description: "物业助理岗位说明书", "Job Description: Receptionist".
JD_SUFFIX = re.compile(r"^(?P<title>.{1,30}?)\s*的?(岗位说明书|职位说明书|岗位职责说明书|职务说明书|岗位描述|职位描述|岗位职责|工作说明书)$")
JD_PREFIX = re.compile(r"^(job description|position description|role profile)\s*[:：\-–—]?\s*(?P<title>.{1,60})$", re.IGNORECASE)
JD_WORDS = re.compile(r"^(岗位说明书|职位说明书|职务说明书|工作说明书|job description|position description)$", re.IGNORECASE)

# numbering typed as text at the start of a line
NUMBERING = re.compile(
    r"^\s*(?:"
    r"第[一二三四五六七八九十百0-9]+(?:部分|章|节|条|项|部)\s*[:：、.．]?"
    r"|[(（]\s*(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3}|[a-zA-Z])\s*[)）]\s*[、.．]?"
    r"|[①-⑳⑴-⒇❶-❿➀-➉]"
    r"|(?:[0-9]{1,3}(?:[.．][0-9]{1,3})*)\s*(?:[、.．)）]|(?=\t|\s{2,}))"  # "3 年以上" is text; "3\tText" a number
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|[a-zA-Z]\s*[).）](?=\s*\S)"
    r"|[•·●○■□◆◇▪►\-–—*]\s+"
    r")\s*"
)
PERCENT = re.compile(r"([0-9]{1,3}(?:\.[0-9]+)?)\s*[%％]")
KPI_SEP = re.compile(r"\s+[—–-]{1,2}\s+|\s*——\s*|\s*—\s*|\s*(?:考核指标|考核|KPI|kpi)\s*[:：]\s*")
_STRIP = re.compile(r"[\s:：()（）\[\]【】<>《》\"'“”‘’_]+")


def key(text: str) -> str:
    """A label as compared: NFKC, no spaces, colons or brackets, lower case."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _keyed(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, words in table.items():
        for w in words:
            out.setdefault(key(w), name)
    return out


_FIELD_KEYS = _keyed(FIELDS)
_SECTION_KEYS = _keyed(SECTIONS)
_QUAL_KEYS = _keyed(QUALIFICATIONS)
_REL_KEYS = _keyed(RELATIONSHIPS)
_DUTY_KEYS = _keyed(DUTY_COLUMNS)
_TAILS = ("职位名称", "岗位名称", "名称", "职位", "岗位", "要求", "情况", "条件", "描述", "说明", "内容", "信息")


def _match(table: dict[str, str], text: str, loose: bool = True) -> str | None:
    k = key(text)
    if not k or len(k) > 40:
        return None
    if k in table:
        return table[k]
    for lead in ("job", "key", "main", "position", "role", "the", "primary"):
        if k.startswith(lead) and k[len(lead) :] in table and re.fullmatch(r"[a-z ]+", k):
            return table[k[len(lead) :]]
    if loose:
        for tail in _TAILS:
            if k.endswith(tail) and k[: -len(tail)] in table:
                return table[k[: -len(tail)]]
    return None


def field_of(text: str) -> str | None:
    return _match(_FIELD_KEYS, text)


def section_of(text: str) -> str | None:
    """The part a heading names, after its numbering ("第二部分：职责综述", "2. Duties", "五、岗位职责")."""
    return _match(_SECTION_KEYS, strip_numbering(text), loose=False) or _match(_SECTION_KEYS, strip_numbering(text))


def qualification_of(text: str) -> str | None:
    return _match(_QUAL_KEYS, strip_numbering(text))


def relationship_of(text: str) -> str | None:
    return _match(_REL_KEYS, strip_numbering(text))


def duty_column_of(text: str) -> str | None:
    return _match(_DUTY_KEYS, text, loose=False)


def strip_numbering(text: str) -> str:
    """The text without the numbering typed before it ("1、", "（一）", "①", "1.", "a)", "第二部分")."""
    out = text.strip()
    for _ in range(2):  # "第二部分 1." and "一、(1)" both happen
        m = NUMBERING.match(out)
        if not m or m.end() == 0:
            break
        out = out[m.end() :].strip()
    return out


def numbered_text(text: str) -> bool:
    m = NUMBERING.match(text)
    return bool(m and m.end() > 0 and text[m.end() :].strip())


def label_pattern(words: list[str]) -> re.Pattern[str]:
    """Finds "LABEL：" / "LABEL:" anywhere in a line, longest labels first; spaces inside Chinese labels allowed."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        if re.search(r"[a-zA-Z]", w):
            parts.append(r"\b" + r"\s+".join(re.escape(p) for p in w.split()) + r"\b")
        else:
            parts.append(r"\s*".join(re.escape(ch) for ch in w))
    return re.compile(r"(?:^|(?<=[\s，,；;。|]))(?P<label>" + "|".join(parts) + r")\s*[:：]\s*", re.IGNORECASE)


ALL_LABELS = label_pattern(
    [w for table in (FIELDS, QUALIFICATIONS, RELATIONSHIPS) for words in table.values() for w in words if len(key(w)) > 1]
    + [w for name in ("summary", "relationships", "qualifications", "duties", "kpis") for w in SECTIONS[name]]
)

SECTION_LEAD = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(w) for w in sorted({w for ws in SECTIONS.values() for w in ws}, key=len, reverse=True))
    + r")\s*[:：]?\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)
