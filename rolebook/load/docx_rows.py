"""Table rows of a Word job description: label cells beside value cells, labels above values, and the
tables of duties (with KPIs, weights, groups) and of relationships, each column told by its heading."""

from __future__ import annotations

import re
from dataclasses import replace

from rolebook.load import docx_labels as L
from rolebook.load.docx_fill import PartFiller
from rolebook.load.docx_reader import Cell, Line, Where
from rolebook.load.docx_records import LINE_SEP, NO_GROUP, DutyRec, Found
from rolebook.load.docx_text import sentence, with_columns


class TableRows(PartFiller):
    # -- table rows ------------------------------------------------------

    def row(self, line: Line) -> None:
        where = line.where
        table = where.table
        if table in self.duty_cols and self.duty_row(line):
            return
        if table in self.rel_cols and self.rel_row(line):
            return
        if table in self.field_cols and self.field_values(line):
            return
        if self.duty_header(line) or self.rel_header(line) or self.field_header(line):
            return
        fresh = [c for c in line.cells if not c.continued and c.text.strip()]
        if self.section == "dept_staffing" and len(fresh) >= 2:
            self.unlabelled(fresh, where)  # position | headcount
            return
        # One cell, or one text repeated across cells (how some editors save a merge): like a paragraph. In
        # rolebook's own export every cell is its own, so a value that reads like its label ("学历 | 学历：") stays one.
        one = len(fresh) == 1 if self.own else len({L.key(c.text) for c in fresh}) == 1
        if fresh and one:
            c = fresh[0]
            w = replace(where, col=c.col)
            for text in c.lines:
                self.paragraph(text, w, c.numbered)
            return
        pairs = self.pairs(line.cells)
        if pairs is not None:
            for label, value in pairs:
                self.labelled_cells(label.text, [value] if value.text.strip() else [], replace(where, col=label.col))
            return
        if self.own and L.relationship_of(fresh[0].text):  # rolebook's export: side | share | parties
            self.labelled_cells(fresh[0].text, fresh[1:], replace(where, col=fresh[0].col))
            return
        self.label_row(fresh, where)

    def label_row(self, cells: list[Cell], where: Where) -> None:
        """Cells side by side: label, value(s), label, value(s) …; a cell that is no label is content."""
        pairs = self.pairs(cells)
        if pairs is not None:
            for label, value in pairs:
                self.labelled_cells(label.text, [value] if value.text.strip() else [], replace(where, col=label.col))
            return
        i = 0
        while i < len(cells):
            c = cells[i]
            if not self.cell_label(c):
                self.unlabelled(cells[i:], where)
                return
            j = i + 1
            while j < len(cells) and not self.cell_label(cells[j]):
                j += 1
            self.labelled_cells(c.text, cells[i + 1 : j], replace(where, col=c.col))
            i = j

    def pairs(self, row: tuple[Cell, ...] | list[Cell]) -> list[tuple[Cell, Cell]] | None:
        """A row of label, value pairs by position ("职级 | P2 | 编号 | KF-1", a value left empty included): short
        one-line labels in the odd cells, at least one of them known, or the part of the form where fields are."""
        cells = [Cell((), False, c.col, False) if c.continued else c for c in row]
        if len(cells) < 2 or len(cells) % 2 or self.section in ("summary", "duties", "relationships", "kpis", "signatures", "kept"):
            return None
        if self.section and self.section.startswith("dept_"):
            return None
        labels, values = cells[::2], cells[1::2]
        if any(not a.text.strip() and b.text.strip() for a, b in zip(labels, values, strict=True)):
            return None
        named = [c for c in labels if c.text.strip()]
        if not named or not all(len(c.lines) == 1 and 0 < len(L.key(c.text)) <= 40 and not sentence(c.text) for c in named):
            return None
        if any(L.section_of(c.text) and not L.field_of(c.text) for c in named):
            return None
        if not self.own and any(L.any_label(c.text) for c in values if len(c.lines) == 1):
            return None
        if self.own or any(self.cell_label(c) for c in named) or self.section in (None, "basic", "qualifications"):
            return [(a, b) for a, b in zip(labels, values, strict=True) if a.text.strip()]
        return None

    def texts(self, c: Cell) -> tuple[str, ...]:
        """A cell's items: rolebook's export writes one a paragraph (a line break inside one is part of its text);
        other documents separate items by line breaks too."""
        return c.paras if self.own and c.paras else c.lines

    def cell_label(self, c: Cell) -> bool:
        return len(c.lines) == 1 and len(L.key(c.text)) <= 48 and L.any_label(c.text)

    def labelled_cells(self, label: str, values: list[Cell], where: Where) -> None:
        rel = L.relationship_of(label)
        if rel is not None and L.field_of(label) is None:
            self.section = "relationships"
            self.add_rel(rel, " ".join(LINE_SEP.join(v.lines) if len(v.lines) > 1 or self.own else v.text for v in values), where)
            return
        if len(values) <= 1:
            value = values[0] if values else None
            if self.own and value is not None and len(value.paras) == 1:
                self.label(label, value.paras[0], where)  # one value, its line breaks kept
                return
            if value is None or len(value.lines) <= 1:
                self.label(label, value.text if value else "", where)
                return
            # a label with a list beside it: the part it names, or a field of several lines
            sec = L.section_of(label)
            vw = replace(where, col=value.col)
            if sec is not None and L.field_of(label) is None:
                self.start_section(sec, where)
                for text in value.lines:
                    self.paragraph(text, vw, value.numbered)
                return
            name = L.field_of(label)
            if name == "subordinates" or (self.own and name is not None):
                self.label(label, value.text, where)  # one name a line
                return
            self.label(label, value.lines[0], where)
            for text in value.lines[1:]:
                self.content(text, vw, value.numbered)
            return
        self.label(label, " ".join(v.text for v in values), where)

    def unlabelled(self, cells: list[Cell], where: Where) -> None:
        if self.section == "relationships" and len(cells) >= 2:
            self.rel_line(" ".join(LINE_SEP.join(c.lines) for c in cells), replace(where, col=cells[0].col))
            return
        if self.section == "dept_staffing" and len(cells) >= 2:
            m = re.search(r"[0-9]{1,6}", cells[-1].text)
            if m and self.dept is not None:
                self.dept.staffing.append((cells[0].text.strip(), int(m.group()), where))
            return
        if self.section == "duties" and len(cells) >= 2:
            self.duty_cells(cells, where, {})
            return
        for c in cells:
            for text in c.lines:
                self.paragraph(text, replace(where, col=c.col), c.numbered)

    def field_header(self, line: Line) -> bool:
        """A row of field labels only ("职位名称 | 所属部门 | 直接上级"), the values in the row below it."""
        if self.own:
            return False
        cells = [c for c in line.cells if c.text.strip() and not c.continued]
        if len(cells) < 2 or not all(self.cell_label(c) and not L.section_of(c.text) for c in cells):
            return False
        if not any(L.field_of(c.text) for c in cells):
            return False
        self.field_cols[line.where.table] = (line.where.row, {c.col: c.text.strip() for c in cells})
        return True

    def field_values(self, line: Line) -> bool:
        row, cols = self.field_cols.pop(line.where.table)
        cells = [c for c in line.cells if not c.continued]
        if line.where.row != row + 1 or any(self.cell_label(c) for c in cells if c.text.strip()):
            for col, label in cols.items():  # no row of values below: labels left empty
                self.label(label, "", replace(line.where, row=row, col=col))
            return False
        for c in cells:
            if c.col in cols:
                self.labelled_cells(cols[c.col], [c] if c.text.strip() else [], replace(line.where, col=c.col))
        return True

    def rel_header(self, line: Line) -> bool:
        """A heading row of relationship columns ("内部协调关系 | 外部协调关系"): the rows below list the parties."""
        cols = {c.col: L.relationship_of(c.text) for c in line.cells if len(c.lines) == 1 and not c.continued}
        sides = {c: s for c, s in cols.items() if s is not None}
        if len(set(sides.values())) < 2 or any(L.field_of(c.text) for c in line.cells):
            return False
        self.rel_cols[line.where.table] = sides
        self.start_section("relationships", line.where)
        return True

    def rel_row(self, line: Line) -> bool:
        cols = self.rel_cols[line.where.table]
        cells = [c for c in line.cells if c.text.strip() and not c.continued]
        if any(c.col not in cols and self.cell_label(c) and not L.relationship_of(c.text) for c in cells):
            del self.rel_cols[line.where.table]
            return False
        for c in cells:
            if c.col in cols:
                self.add_rel(cols[c.col], LINE_SEP.join(c.lines), replace(line.where, col=c.col))
        return True

    def duty_header(self, line: Line) -> bool:
        """A heading row of a duties table (序号 | 工作内容 | 考核标准 | 权重; Key Result Area | Activities | KPI):
        which column holds what; a column rolebook has no field for is kept with its heading."""
        cols: dict[int, str] = {}
        heads: dict[int, str] = {}
        cells = [c for c in line.cells if c.text.strip() and not c.continued]
        for c in cells:
            kind = L.duty_column_of(c.text) if len(c.lines) == 1 else None
            if kind == "duty" and "duty" in cols.values():
                first = next(k for k, v in cols.items() if v == "duty")
                cols[first] = "group"  # "Key Result Area | Activities": the first names the group
            if kind is not None and (kind not in cols.values() or kind in ("duty", "kpi")):
                cols[c.col] = kind
            elif len(c.lines) == 1 and len(L.key(c.text)) <= 16 and not L.any_label(c.text):
                cols[c.col] = "extra"
            heads[c.col] = c.text.strip()
        known = [k for k in cols.values() if k != "extra"]
        if not ({"duty", "kpi"} & set(known)) or len(known) < 2 or len(cols) < len(cells):
            return False
        if self.own and self.section != "duties":
            return False  # rolebook's export has its duties table under its heading only
        if "duty" not in known and self.section != "kpis" and "weight" not in known:
            return False
        if set(known) <= {"seq", "duty"} and self.section != "duties":
            return False  # "No. | Description" alone is not enough, outside the duties
        self.duty_cols[line.where.table] = cols
        self.col_heads[line.where.table] = heads
        if "duty" in known:
            self.start_section("duties", line.where)
        return True

    def duty_row(self, line: Line) -> bool:
        cols = self.duty_cols[line.where.table]
        cells = [c for c in line.cells if c.text.strip()]
        fresh = [c for c in cells if not c.continued]
        if len(line.cells) == 1 and fresh and len(cols) > 1:
            # a row merged across the table: a group heading, or the next part of the form
            text = fresh[0].text
            if not self.own and (L.section_of(text) or L.field_of(text) or L.ALL_LABELS.search(text) or L.kept_section_of(text)):
                del self.duty_cols[line.where.table]
                return False
            name = text if self.own else L.strip_numbering(text).rstrip(":：")
            self.group = None if self.own and name == NO_GROUP else name
            return True
        if not self.own and any(self.cell_label(c) and L.duty_column_of(c.text) is None for c in fresh if cols.get(c.col) not in ("duty", "kpi")):
            del self.duty_cols[line.where.table]
            return False
        if "duty" not in cols.values():
            self.kpi_cells(line.cells, line.where, cols)
            return True
        self.duty_cells(line.cells, line.where, cols)
        return True

    def kpi_cells(self, cells: tuple[Cell, ...], where: Where, cols: dict[int, str]) -> None:
        """A row of a KPI table with no duty column (考核指标 | 权重): each KPI, its other columns after it in brackets."""
        job = self.current(where)
        heads = self.col_heads.get(where.table, {})
        extra = [(heads.get(c.col, ""), c.text.replace("\n", " ")) for c in cells if cols.get(c.col) not in (None, "kpi", "seq") and c.text.strip()]
        for c in cells:
            if cols.get(c.col) == "kpi":
                for t in c.lines:
                    if L.strip_numbering(t, 1):
                        job.kpi_list.append(Found(with_columns(L.strip_numbering(t, 1), extra), replace(where, col=c.col)))

    def duty_cells(self, cells: list[Cell] | tuple[Cell, ...], where: Where, cols: dict[int, str]) -> None:
        job = self.current(where)
        strip = (lambda t: t.strip()) if self.own else (lambda t: L.strip_numbering(t, 1))
        if not cols:  # no heading row: [duty, KPI] or [no., duty, KPI]
            texts = [c for c in cells if c.text.strip()]
            if texts and re.fullmatch(r"[0-9]{1,3}[.、]?", texts[0].text.strip()):
                texts = texts[1:]
            cols = {c.col: k for c, k in zip(texts, ("duty", "kpi"), strict=False)}
        fresh = [c for c in cells if not c.continued or cols.get(c.col) == "group"]
        duty_cells = [c for c in fresh if cols.get(c.col) == "duty" and c.text.strip()]
        kpi_cells = [c for c in fresh if cols.get(c.col) == "kpi" and c.text.strip()]
        group_cells = [c for c in fresh if cols.get(c.col) == "group" and c.text.strip()]
        heads = self.col_heads.get(where.table, {})
        extra = [(heads.get(c.col, ""), c.text.replace("\n", " ")) for c in fresh if cols.get(c.col) in ("weight", "frequency", "extra") and c.text.strip()]
        if group_cells:
            name = L.strip_numbering(group_cells[0].text.replace("\n", " ")).rstrip(":：")
            if name != self.group:  # a group column: the group goes on while the name is the same
                self.group = name
        kpis = [strip(t) for c in kpi_cells for t in self.texts(c) if strip(t)]
        lines = [t for c in duty_cells for t in self.texts(c) if strip(t)]
        if not lines:
            if kpis and job.duties:
                job.duties[-1].kpis.extend(kpis)
            return
        w = replace(where, col=duty_cells[0].col)
        if len(lines) > 1 and len(kpis) == len(lines):
            for text, kpi in zip(lines, kpis, strict=True):
                job.duties.append(DutyRec(strip(text), w, self.group, [kpi], columns=list(extra), group_no=self.group_no))
            return
        for n, text in enumerate(lines):
            last = n == len(lines) - 1
            job.duties.append(DutyRec(strip(text), w, self.group, kpis if last else [], columns=list(extra) if last else [], group_no=self.group_no))
