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
        "职称",
        "job title",
        "position title",
        "position",
        "title",
        "job name",
        "role title",
        "role",
        "post",
        "post title",
        "designation",
        "position name",
        "job",
        "working title",
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
        "文件号",
        "document no.",
        "document number",
        "doc no.",
        "job code",
        "position code",
        "job number",
        "position number",
        "position no.",
        "code",
        "ref",
        "ref no.",
        "reference",
        "reference no.",
        "job reference",
        "job no.",
        "jd no.",
        "jd number",
        "job id",
        "position id",
        "req no.",
    ),
    "department": (
        "部门",
        "所属部门",
        "所在部门",
        "部门名称",
        "所属单位",
        "所在单位",
        "所属部门/单位",
        "部门/单位",
        "单位",
        "所属机构",
        "department",
        "dept",
        "division",
        "unit",
        "team",
        "business unit",
        "department/division",
        "department/unit",
        "directorate",
        "faculty",
        "service area",
    ),
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
        "直接上级岗位名称",
        "汇报关系",
        "所受监督",
        "直接领导",
        "主管领导",
        "上级领导",
        "reports to",
        "reporting to",
        "report to",
        "reports directly to",
        "responsible to",
        "accountable to",
        "direct supervisor",
        "supervisor",
        "immediate supervisor",
        "line manager",
        "reporting line",
        "reporting manager",
        "supervisor title",
        "manager title",
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
        "所施监督",
        "管理下属",
        "下属岗位",
        "直接下级岗位名称",
        "下属人员",
        "监督对象",
        "管辖岗位",
        "direct reports",
        "supervises",
        "subordinates",
        "manages",
        "staff supervised",
        "positions supervised",
        "staff managed",
        "reporting staff",
        "direct reports titles",
        "supervisory responsibility for",
    ),
    "headcount": (
        "人数",
        "定员",
        "岗位定员",
        "编制",
        "编制人数",
        "定编",
        "定员人数",
        "岗位编制",
        "人员编制",
        "编制数",
        "在编人数",
        "定编人数",
        "岗位人数",
        "headcount",
        "head count",
        "number of positions",
        "no. of positions",
        "positions",
        "number of posts",
        "no. of posts",
        "number of incumbents",
        "no. of incumbents",
        "fte",
        "establishment",
    ),
    "effective_date": (
        "制定时间",
        "制定日期",
        "编制日期",
        "生效日期",
        "编写日期",
        "日期",
        "生效时间",
        "编制时间",
        "编写时间",
        "修订日期",
        "修订时间",
        "发布日期",
        "发布时间",
        "实施日期",
        "实施时间",
        "制订日期",
        "制订时间",
        "填写日期",
        "编订日期",
        "effective date",
        "date",
        "date effective",
        "effective from",
        "issue date",
        "date of issue",
        "date issued",
        "date prepared",
        "last updated",
        "date updated",
        "date revised",
        "revision date",
        "date approved",
    ),
    "approver": (
        "审核",
        "审核人",
        "审批",
        "审批人",
        "批准",
        "批准人",
        "核准",
        "核准人",
        "审定",
        "审定人",
        "审核/批准",
        "approved by",
        "approver",
        "authorised by",
        "authorized by",
        "signed off by",
        "approval",
    ),
    "revision": ("版本", "版本号", "版次", "修订版本", "修订号", "revision", "version", "rev.", "version no.", "issue no."),
    "status": ("状态", "文件状态", "status", "document status"),
    # department blocks (rolebook's own department pages, and real ones)
    "dept_id": ("部门标识", "department id"),
    "dept_parent": ("上级部门", "parent department", "part of"),
    "dept_order": ("排序", "order"),
    "dept_description": ("简介", "部门简介", "description"),
}
# Labels of a department block only ("名称: 客服部" under 部门标识): rolebook's own department table.
DEPT_FIELDS: dict[str, tuple[str, ...]] = {"dept_name": ("部门名称", "名称", "name", "department name")}

# Labels real forms have that rolebook has no field for (职级, Grade/Band, Location, FLSA status …): they are
# read as labels — so the value beside them stays theirs — and kept in the nearest free text with a note.
KEPT_LABELS: tuple[str, ...] = (
    "职级",
    "职等",
    "岗位等级",
    "职位等级",
    "岗位级别",
    "职位级别",
    "级别",
    "薪酬等级",
    "薪资等级",
    "薪级",
    "工资等级",
    "薪酬范围",
    "薪资范围",
    "薪酬标准",
    "工作地点",
    "工作地址",
    "工作时间",
    "工作班制",
    "岗位类别",
    "岗位类型",
    "职位类别",
    "职系",
    "职族",
    "岗位序列",
    "用工形式",
    "编制人",
    "编写人",
    "拟制人",
    "拟稿人",
    "制定人",
    "填写人",
    "可晋升岗位",
    "晋升方向",
    "可轮换岗位",
    "可转换岗位",
    "任职人",
    "任职者",
    "在岗人员",
    "姓名",
    "岗位性质",
    "工作性质",
    "岗位价值",
    "grade",
    "band",
    "grade/band",
    "pay grade",
    "salary grade",
    "pay band",
    "level",
    "job level",
    "job grade",
    "job family",
    "career level",
    "location",
    "work location",
    "job location",
    "base",
    "based at",
    "flsa status",
    "flsa",
    "flsa classification",
    "exemption status",
    "exempt status",
    "employment type",
    "contract type",
    "job type",
    "hours",
    "working hours",
    "hours of work",
    "work schedule",
    "schedule",
    "salary",
    "salary range",
    "pay range",
    "compensation",
    "prepared by",
    "author",
    "written by",
    "job holder",
    "incumbent",
    "cost centre",
    "cost center",
    "shift",
    "travel",
    "security clearance",
    "employment status",
)

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
        "学历及专业要求",
        "最低学历",
        "学历/专业",
        "education",
        "educational background",
        "degree",
        "education level",
        "educational requirements",
        "education requirements",
        "minimum education",
        "academic qualifications",
        "formal qualifications",
        "education and training",
        "certifications",
        "licenses and certifications",
        "licences and certifications",
        "certificates",
        "professional qualifications",
    ),
    "experience": (
        "工作经验",
        "经验",
        "经验要求",
        "工作经历",
        "从业经验",
        "相关工作经验",
        "工作年限",
        "从业经历",
        "工作经验要求",
        "experience",
        "work experience",
        "experience required",
        "relevant experience",
        "minimum experience",
        "years of experience",
        "professional experience",
        "experience requirements",
    ),
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
        "知识技能要求",
        "能力素质要求",
        "技能与能力",
        "知识与技能",
        "专业知识与技能",
        "核心能力",
        "胜任力",
        "abilities",
        "skills",
        "competencies",
        "knowledge",
        "skills and abilities",
        "knowledge, skills and abilities",
        "knowledge skills and abilities",
        "ksas",
        "ksa",
        "skills and competencies",
        "core competencies",
        "key competencies",
        "technical skills",
        "key skills",
        "skills required",
        "required skills",
        "knowledge and skills",
        "skills and knowledge",
        "competencies and skills",
        "behavioural competencies",
        "behavioral competencies",
        "personal attributes",
        "personal qualities",
        "attributes",
    ),
    "other": (
        "其它要求",
        "其他要求",
        "其它",
        "其他",
        "其他条件",
        "其它条件",
        "other",
        "other requirements",
        "additional requirements",
        "other criteria",
    ),
    "major": ("专业", "专业要求", "所学专业", "专业背景", "major", "field of study", "discipline"),
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
        "内部协调",
        "内部协调关系",
        "内部沟通关系",
        "内部联系对象",
        "内部工作关系",
        "公司内部",
        "内部客户",
        "对内联系",
        "对内协调",
        "内部协作",
        "内部接触",
        "internal",
        "internal contacts",
        "internal relationships",
        "internal stakeholders",
        "internal liaison",
        "internal working relationships",
        "internal customers",
        "within the organisation",
        "within the organization",
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
        "外部协调",
        "外部协调关系",
        "外部沟通关系",
        "外部联系对象",
        "外部工作关系",
        "公司外部",
        "外部客户",
        "对外联系",
        "对外协调",
        "外部协作",
        "外部接触",
        "external",
        "external contacts",
        "external relationships",
        "external stakeholders",
        "external liaison",
        "external working relationships",
        "external customers",
        "outside the organisation",
        "outside the organization",
    ),
}
DUTY_COLUMNS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "no.", "no", "#", "item", "ref", "s/n"),
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
        "工作内容及要求",
        "职责与工作任务",
        "主要工作内容",
        "工作事项",
        "职责要项",
        "关键职责",
        "职责细分",
        "具体职责",
        "工作要项",
        "main duty",
        "duty",
        "duties",
        "responsibility",
        "responsibilities",
        "task",
        "tasks",
        "key responsibilities",
        "main responsibilities",
        "key result area",
        "key result areas",
        "kra",
        "kras",
        "accountability",
        "accountabilities",
        "principal accountabilities",
        "key accountabilities",
        "activities",
        "main activities",
        "key activities",
        "essential functions",
        "essential function",
        "essential duties",
        "function",
        "functions",
        "area of responsibility",
        "areas of responsibility",
        "description",
        "duty description",
        "内容",
        "工作项目",
        "事项",
        "工作事项及内容",
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
        "完成标准",
        "评价标准",
        "衡量指标",
        "考核要求",
        "工作要求",
        "绩效考核指标",
        "考核方式",
        "performance indicators",
        "key performance indicators",
        "key performance indicator",
        "measures",
        "success measures",
        "performance measures",
        "measure of success",
        "measures of success",
        "success criteria",
        "performance standards",
        "performance standard",
        "standards",
        "how measured",
        "expected results",
        "expected outcomes",
        "outcomes",
        "targets",
        "measure",
        "metric",
        "metrics",
        "indicators",
        "标准",
        "指标",
        "要求",
        "完成要求",
    ),
    "group": (
        "组",
        "类别",
        "模块",
        "职责模块",
        "分类",
        "职责类别",
        "职责分类",
        "工作模块",
        "职责领域",
        "职责范围",
        "group",
        "area",
        "category",
        "key area",
        "area of work",
        "domain",
    ),
    "weight": (
        "权重",
        "权重%",
        "权重(%)",
        "比重",
        "所占比重",
        "时间比例",
        "时间占比",
        "工作时间占比",
        "占用时间",
        "weight",
        "weight %",
        "weighting",
        "weightage",
        "% of time",
        "time %",
        "percentage of time",
        "time spent",
        "%",
    ),
    "frequency": ("频次", "频率", "工作频率", "工作频次", "frequency", "how often"),
}

# parts of the form -> synonyms
SECTIONS: dict[str, tuple[str, ...]] = {
    "basic": (
        "职位基本信息",
        "岗位基本信息",
        "基本信息",
        "岗位信息",
        "职位信息",
        "基本资料",
        "岗位基本情况",
        "basic information",
        "job information",
        "position information",
        "job details",
        "position details",
        "job identification",
        "position identification",
        "job data",
        "general information",
        "role details",
        "reporting relationships",
        "reporting relationship",
        "reporting line",
        "reporting lines",
        "organisational position",
        "organizational position",
        "position in the organisation",
        "position in the organization",
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
        "工作目标",
        "岗位目标",
        "职位目标",
        "岗位宗旨",
        "职位宗旨",
        "职责概述",
        "岗位职责概述",
        "工作概要",
        "岗位简介",
        "职位简介",
        "岗位描述",
        "设立目的",
        "summary",
        "job summary",
        "purpose",
        "job purpose",
        "position summary",
        "overview",
        "role purpose",
        "purpose of the job",
        "purpose of the role",
        "purpose of the position",
        "position purpose",
        "overall purpose",
        "main purpose",
        "main purpose of the job",
        "general summary",
        "summary of the role",
        "summary of position",
        "role summary",
        "position overview",
        "job overview",
        "role overview",
        "about the role",
        "the role",
        "general description",
        "position description summary",
        "objective",
        "job objective",
        "role objective",
        "mission",
        "job mission",
    ),
    "relationships": (
        "主要工作联系",
        "工作关系",
        "工作联系",
        "工作协作关系",
        "沟通关系",
        "内外部关系",
        "工作协调关系",
        "协调关系",
        "主要沟通关系",
        "内外部沟通",
        "工作沟通",
        "沟通与协调",
        "工作接触",
        "主要联系",
        "main work relationships",
        "work relationships",
        "working relationships",
        "relationships",
        "contacts",
        "key contacts",
        "key relationships",
        "key working relationships",
        "stakeholders",
        "key stakeholders",
        "communication",
        "liaison",
        "networks",
        "internal and external contacts",
        "internal and external relationships",
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
        "任职资格与要求",
        "岗位任职条件",
        "任职基本条件",
        "上岗条件",
        "资格条件",
        "岗位资格",
        "职位要求",
        "任职资质",
        "qualifications",
        "requirements",
        "job requirements",
        "person specification",
        "qualifications and requirements",
        "minimum qualifications",
        "required qualifications",
        "essential qualifications",
        "minimum requirements",
        "position requirements",
        "role requirements",
        "essential criteria",
        "selection criteria",
        "qualifications and experience",
        "education and experience",
        "experience and qualifications",
        "qualification requirements",
        "what you need",
        "requirements of the role",
        "candidate profile",
        "person spec",
        "job specification",
        "qualifications and skills",
        "skills and qualifications",
        "education, experience and skills",
        "education and qualifications",
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
        "工作内容及要求",
        "工作任务",
        "主要工作内容",
        "职责与任务",
        "岗位职责与工作任务",
        "工作职责与任务",
        "关键职责",
        "主要工作",
        "具体职责",
        "职责要项",
        "岗位主要职责",
        "duties",
        "responsibilities",
        "key responsibilities",
        "main duties",
        "job duties",
        "duties and responsibilities",
        "main responsibilities",
        "principal accountabilities",
        "key accountabilities",
        "accountabilities",
        "essential duties and responsibilities",
        "essential duties",
        "essential functions",
        "essential job functions",
        "essential responsibilities",
        "key result areas",
        "key results areas",
        "principal responsibilities",
        "primary responsibilities",
        "major duties",
        "major responsibilities",
        "specific responsibilities",
        "responsibilities and duties",
        "duties and tasks",
        "main tasks",
        "key tasks",
        "tasks",
        "job responsibilities",
        "role responsibilities",
        "main duties and responsibilities",
        "key duties",
        "key duties and responsibilities",
        "what you will do",
        "other duties",
        "responsibilities and accountabilities",
        "key areas of responsibility",
        "areas of responsibility",
        "main accountabilities",
        "job functions",
    ),
    "kpis": (
        "考核指标",
        "绩效指标",
        "主要考核指标",
        "kpi",
        "kpis",
        "关键绩效指标",
        "绩效考核",
        "考核标准",
        "绩效考核指标",
        "考核内容",
        "业绩指标",
        "performance indicators",
        "key performance indicators",
        "performance measures",
        "measures of success",
        "success measures",
        "success criteria",
        "performance standards",
    ),
    "signatures": (
        "签字",
        "签名",
        "确认签字",
        "签字确认",
        "signatures",
        "signature",
        "signature lines",
        "sign-off",
        "acknowledgement",
        "acknowledgment",
        "approvals",
    ),
    "dept_duties": ("部门职责", "部门职能", "department duties", "department responsibilities"),
    "dept_requirements": ("共同要求", "基本要求", "人员要求", "requirements for all staff", "common requirements"),
    "dept_workflows": ("工作流程", "流程", "workflows", "procedures"),
    "dept_staffing": ("岗位设置", "人员配置", "编制设置", "positions and headcount", "staffing"),
}

# Parts whose text rolebook has no place for: kept, under their heading, in the summary (or, for the
# requirements, in qualifications.other), with a note — never dropped.
KEPT_SECTIONS: dict[str, tuple[str, ...]] = {
    "summary": (
        "岗位权限",
        "工作权限",
        "职权",
        "权限",
        "主要权限",
        "岗位职权",
        "职责权限",
        "权限范围",
        "工作环境",
        "工作条件",
        "工作环境及条件",
        "工作环境与条件",
        "工作场所",
        "工作时间",
        "职业发展",
        "晋升通道",
        "晋升路径",
        "职业发展通道",
        "发展方向",
        "职业通道",
        "晋升方向",
        "薪酬等级",
        "薪酬福利",
        "薪酬",
        "使用工具",
        "使用工具设备",
        "工具设备",
        "工作设备",
        "备注",
        "其他说明",
        "其它说明",
        "补充说明",
        "岗位风险",
        "工作特点",
        "岗位特征",
        "考核周期",
        "working conditions",
        "work environment",
        "working environment",
        "physical environment",
        "work schedule",
        "hours of work",
        "travel",
        "travel requirements",
        "career path",
        "career development",
        "career progression",
        "authority",
        "decision-making authority",
        "decision making",
        "limits of authority",
        "scope of authority",
        "compensation",
        "compensation and benefits",
        "benefits",
        "salary and benefits",
        "supervisory responsibilities",
        "supervisory responsibility",
        "management responsibilities",
        "equipment used",
        "tools and equipment",
        "equipment",
        "additional information",
        "other information",
        "notes",
        "note",
        "disclaimer",
        "equal opportunity",
        "equal opportunity employer",
        "eeo statement",
        "dimensions",
        "key challenges",
        "challenges",
        "budget responsibility",
        "financial responsibility",
        "scope",
        "job dimensions",
    ),
    "qualifications": (
        "身体要求",
        "身体条件",
        "身体素质",
        "健康要求",
        "优先条件",
        "优先考虑",
        "加分项",
        "资格证书",
        "证书要求",
        "physical demands",
        "physical requirements",
        "physical abilities",
        "preferred qualifications",
        "desirable qualifications",
        "desirable criteria",
        "desirable",
        "preferred",
        "nice to have",
        "preferred skills",
        "preferred experience",
        "desired qualifications",
        "additional qualifications",
        "language requirements",
        "languages",
    ),
}

# A heading that names a whole job description: "物业助理岗位说明书", "Job Description: Receptionist".
JD_SUFFIX = re.compile(r"^(?P<title>.{1,80}?)\s*的?(岗位说明书|职位说明书|岗位职责说明书|职务说明书|岗位描述|职位描述|岗位职责|工作说明书|岗位说明|职位说明)$")
JD_PREFIX = re.compile(r"^(job description|position description|role profile|role description|job profile)\s*[:：\-–—]?\s*(?P<title>.{1,100})$", re.IGNORECASE)
JD_WORDS = re.compile(
    r"^(岗位说明书|职位说明书|职务说明书|工作说明书|岗位职责说明书|job description|position description|role profile|job profile|role description)$",
    re.IGNORECASE,
)

_ROMAN = r"(?=[ivx])(?:x{0,3}(?:ix|iv|v?i{0,3}))"
_UNITS = r"(?:年|个|月|周|天|日|人|名|次|小时|万|千|百|倍|岁|%|％|years?\b|yrs?\b|months?\b|weeks?\b|days?\b|hours?\b|people\b|persons?\b|times\b|percent\b)"
# numbering typed as text at the start of a line
NUMBERING = re.compile(
    r"^\s*(?:"
    r"第[一二三四五六七八九十百0-9]+(?:部分|章|节|条|项|部)\s*[:：、.．]?"
    r"|(?i:part|section|chapter|article|schedule)\s*(?:[0-9]{1,3}|(?i:" + _ROMAN + r")|[A-Za-z])(?![A-Za-z0-9])\s*[:：.．、)）\-–—]*"
    r"|[(（]\s*(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3}|[a-zA-Z]|(?i:" + _ROMAN + r"))\s*[)）]\s*[、.．]?"
    r"|[①-⑳⑴-⒇❶-❿➀-➉㈠-㈩]"
    r"|[0-9]{1,3}(?:[.．][0-9]{1,3})+[.．]?(?=\s+(?!" + _UNITS + r"))"  # "1.1 Text" and "1.2. Text"; "2.5 years" is text
    r"|[0-9]{1,3}\s*(?:[、)）]|[.．](?![0-9]))"  # "1、" "1)" "1." ("3.5 …" is a number)
    r"|[0-9]{1,3}(?=\t|\s{2,})"  # "3\tText"; "3 年以上" is text
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|(?i:" + _ROMAN + r")(?<=[ivxIVX])[.．)）](?=\s)"  # "II. Job Summary", "iv) …"
    r"|[a-zA-Z]\s*(?:[)）]|[.．](?=\s))(?=\s*\S)"  # "a) …", "A. …"; not "i.e."
    r"|[•·●○■□◆◇▪►▶➢➤✓✔√\-–—*]\s*(?=\S)(?![0-9])"
    r"|[\uf000-\uf0ff]\s*"  # Symbol-font bullets pasted as text (Wingdings)
    r")\s*"
)
PERCENT = re.compile(r"([0-9]{1,3}(?:\.[0-9]+)?)\s*[%％]")
KPI_SEP = re.compile(r"\s+[—–-]{1,2}\s+|\s*——\s*|\s*—\s*|\s*(?:考核指标|考核标准|考核|KPIs?|kpis?|Measures?)\s*[:：]\s*")
_STRIP = re.compile(r"[\s:：()（）\[\]【】<>《》\"'“”‘’_,，、/／.．·*]+")


def key(text: str) -> str:
    """A label as compared: NFKC, no spaces, colons, brackets, commas, slashes or dots, '&' read as 'and', lower case."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text).replace("&", " and ")).casefold()


def _keyed(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, words in table.items():
        for w in words:
            out.setdefault(key(w), name)
    return out


_FIELD_KEYS = _keyed(FIELDS)
_DEPT_KEYS = _keyed(DEPT_FIELDS)
_SECTION_KEYS = _keyed(SECTIONS)
_KEPT_SECTION_KEYS = _keyed(KEPT_SECTIONS)
_KEPT_KEYS = {key(w): "kept" for w in KEPT_LABELS}
_QUAL_KEYS = _keyed(QUALIFICATIONS)
_REL_KEYS = _keyed(RELATIONSHIPS)
_DUTY_KEYS = _keyed(DUTY_COLUMNS)
_TAILS = ("职位名称", "岗位名称", "名称", "职位", "岗位", "要求", "情况", "条件", "描述", "说明", "内容", "信息")
_LEADS = ("job", "key", "main", "position", "role", "the", "primary", "principal", "major", "core", "general", "your", "our")
_EN_TAILS = ("required", "requirements", "information", "details", "title", "name", "s")


def _match(table: dict[str, str], text: str, loose: bool = True) -> str | None:
    k = key(text)
    if not k or len(k) > 48:
        return None
    if k in table:
        return table[k]
    if re.fullmatch(r"[a-z0-9]+", k):
        for lead in _LEADS:
            if k.startswith(lead) and k[len(lead) :] in table:
                return table[k[len(lead) :]]
        if loose:
            for tail in _EN_TAILS:
                if k.endswith(tail) and k[: -len(tail)] in table:
                    return table[k[: -len(tail)]]
    elif loose:
        for tail in _TAILS:
            if k.endswith(tail) and k[: -len(tail)] in table:
                return table[k[: -len(tail)]]
    return None


def field_of(text: str) -> str | None:
    return _match(_FIELD_KEYS, text)


def dept_field_of(text: str) -> str | None:
    """A label of a department block ("名称", "Name"), read only there."""
    return _match(_DEPT_KEYS, text, loose=False)


def kept_label(text: str) -> bool:
    """A label real forms use that rolebook has no field for (职级, Grade/Band, Location, FLSA status)."""
    return _match(_KEPT_KEYS, text, loose=False) is not None


def section_of(text: str) -> str | None:
    """The part a heading names, after its numbering ("第二部分：职责综述", "Part II: Job Summary", "2. KEY RESPONSIBILITIES")."""
    bare = strip_numbering(text)
    return _match(_SECTION_KEYS, bare, loose=False) or _match(_SECTION_KEYS, bare)


def kept_section_of(text: str) -> str | None:
    """A part rolebook has no place for ("工作环境", "Working Conditions"): where its text is kept (summary or qualifications)."""
    return _match(_KEPT_SECTION_KEYS, strip_numbering(text), loose=False)


def qualification_of(text: str) -> str | None:
    return _match(_QUAL_KEYS, strip_numbering(text))


def relationship_of(text: str) -> str | None:
    return _match(_REL_KEYS, strip_numbering(text))


def duty_column_of(text: str) -> str | None:
    return _match(_DUTY_KEYS, text, loose=False)


def any_label(text: str) -> bool:
    """Whether ``text`` is a label of any kind: a field, a part of the form, a qualification, a relationship, a kept one."""
    return bool(field_of(text) or section_of(text) or qualification_of(text) or relationship_of(text) or kept_label(text) or kept_section_of(text))


def strip_numbering(text: str, times: int = 2) -> str:
    """The text without the numbering typed before it ("1、", "（一）", "①", "1.", "a)", "第二部分", "Part 2 —");
    ``times`` numberings at most ("第二部分 1." and "一、(1)" both happen in headings)."""
    out = text.strip()
    for _ in range(times):
        m = NUMBERING.match(out)
        if not m or m.end() == 0:
            break
        out = out[m.end() :].strip()
    return out


def numbered_text(text: str) -> bool:
    m = NUMBERING.match(text)
    return bool(m and m.end() > 0 and text[m.end() :].strip())


def label_pattern(words: list[str]) -> re.Pattern[str]:
    """Finds "LABEL：" / "LABEL:" in a line, longest labels first; spaces inside Chinese labels allowed. A label
    starts the line, or follows a separator: for Chinese labels any space or punctuation, for English ones a
    tab, two spaces, a full-width space or punctuation (so "service level: 95%" is no label)."""
    zh, en = [], []
    for w in sorted(set(words), key=len, reverse=True):
        if re.search(r"[a-zA-Z]", w):
            en.append(r"\b" + r"\s+".join(re.escape(p) for p in w.split()) + r"(?<=[.\w])(?![\w])")
        else:
            zh.append(r"\s*".join(re.escape(ch) for ch in w))
    start = r"(?:^|(?<=[，,；;。|]))\s*"
    return re.compile(
        r"(?:(?:^|(?<=[\s，,；;。|　]))(?P<zh>" + "|".join(zh) + r")"
        r"|(?:" + start + r"|(?<=\t)|(?<=\s\s)|(?<=　))(?P<en>" + "|".join(en) + r"))\s*[:：]\s*",
        re.IGNORECASE,
    )


def _label_words() -> list[str]:
    tables = (FIELDS, QUALIFICATIONS, RELATIONSHIPS)
    words = [w for table in tables for ws in table.values() for w in ws if len(key(w)) > 1]
    words += [w for name in ("summary", "relationships", "qualifications", "duties", "kpis") for w in SECTIONS[name]]
    words += [w for ws in KEPT_SECTIONS.values() for w in ws] + list(KEPT_LABELS)
    return words


ALL_LABELS = label_pattern(_label_words())


def label_of(m: re.Match[str]) -> str:
    return m.group("zh") or m.group("en") or ""


SECTION_LEAD = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(w) for w in sorted({w for ws in SECTIONS.values() for w in ws}, key=len, reverse=True))
    + r")\s*[:：]?\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)
