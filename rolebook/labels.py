"""Words printed on pages and in PDFs, in the handbook's language (site and print share them)."""

from __future__ import annotations

from rolebook.i18n import Lang

# label id -> (English, Chinese)
LABELS: dict[str, tuple[str, str]] = {
    "number": ("Document no.", "编号"),
    "title": ("Title", "职位名称"),
    "department": ("Department", "部门"),
    "reports_to": ("Reports to", "直接上级职位名称"),
    "reports_to_short": ("Reports to", "直接上级"),
    "subordinates": ("Direct reports", "直接下级职位名称"),
    "subordinates_short": ("Direct reports", "直接下级"),
    "effective_date": ("Effective date", "制定时间"),
    "approver": ("Approved by", "审核"),
    "status": ("Status", "状态"),
    "status_draft": ("Draft", "草稿"),
    "status_approved": ("Approved", "已审核"),
    "revision": ("Revision", "版本"),
    "headcount": ("Headcount", "人数"),
    "part_basic": ("Basic information", "职位基本信息"),
    "part_summary": ("Summary", "职责综述"),
    "part_relationships": ("Main work relationships", "主要工作联系"),
    "part_qualifications": ("Qualifications", "任职资格要求"),
    "part_duties": ("Duties", "岗位职责"),
    "internal": ("Internal (within the group)", "对内（集团以内）"),
    "external": ("External (outside the group)", "对外（集团以外）"),
    "share_of_time": ("Share of time", "时间占比"),
    "parties": ("With whom", "联系对象"),
    "education": ("Education", "教育程度及专业"),
    "experience": ("Experience", "工作经验"),
    "abilities": ("Abilities", "能力要求"),
    "other": ("Other", "其它要求"),
    "seq": ("No.", "序号"),
    "duty": ("Main duty", "主要职责"),
    "kpis": ("KPIs", "主要考核指标"),
    "department_duties": ("Department duties", "部门职责"),
    "staffing": ("Positions and headcount", "岗位设置"),
    "position": ("Position", "职位"),
    "common_requirements": ("Requirements for all staff", "共同要求"),
    "workflows": ("Workflows", "工作流程"),
    "org_chart": ("Organisation chart", "组织结构图"),
    "positions": ("Positions", "岗位"),
    "all_positions": ("All positions", "全部岗位"),
    "departments": ("Departments", "部门"),
    "reporting_chain": ("Reporting line", "汇报关系"),
    "print_pdf": ("Print / PDF", "打印 / PDF"),
    "handbook_pdf": ("Whole handbook (PDF)", "整本手册（PDF）"),
    "department_pdf": ("Department (PDF)", "本部门（PDF）"),
    "none": ("—", "—"),
    "page_x_of_y": ("Page {x} of {y}", "第 {x} 页 共 {y} 页"),
    "contents": ("Contents", "目录"),
    "signature_approver": ("Approved by (signature / date)", "审核人（签字 / 日期）"),
    "signature_holder": ("Acknowledged by the position holder (signature / date)", "任职人确认（签字 / 日期）"),
    "watermark_draft": ("DRAFT", "草稿 / DRAFT"),
    "handbook": ("Job descriptions handbook", "岗位说明书手册"),
    # --- print (issue 4) ---
    "job_description": ("Job description", "职位说明书"),
    "part_1": ("Part 1", "第一部分"),
    "part_2": ("Part 2", "第二部分"),
    "part_3": ("Part 3", "第三部分"),
    "part_4": ("Part 4", "第四部分"),
    "part_5": ("Part 5", "第五部分"),
    "relationship_kind": ("Relationship", "联系类型"),
    "parent_department": ("Part of", "上级部门"),
    "sub_departments": ("Sub-departments", "下级部门"),
    "total": ("Total", "合计"),
    "positions_count": ("{n} positions in {d} departments", "共 {d} 个部门、{n} 个岗位"),
    "signature_line": ("Signature", "签字"),
    "date": ("Date", "日期"),
    "label_sep": (": ", "："),
}


def label(lang: Lang, key: str, **args: object) -> str:
    en, zh = LABELS[key]
    text = zh if lang == "zh" else en
    return text.format(**args) if args else text
