"""Bounded work on any workbook: time and memory follow the cells that hold values, never the sheet's
dimensions or what a small file unpacks to; every limit is a clear message that says where.

The hostile workbooks are made here: a real export, with parts replaced by hand-written XML
(streamed into the zip, so that a file of millions of cells is small on disk). The slow ones run
through the command line with a generous timeout: the timeout is the failure, nothing is timed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from rolebook.cli import main
from rolebook.sheets import read_xlsx as sheet_xlsx
from tests.scratch import make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEAD = f'<worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData>'
TAIL = "</sheetData></worksheet>"
POSITIONS = "xl/worksheets/sheet1.xml"
SST_REL = '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdS"/>'
Part = bytes | Callable[[], Iterable[bytes]]


def exported(tmp_path: Path) -> tuple[Path, Path]:
    hb = make_handbook(tmp_path / "hb", minimal("en"))
    xlsx = tmp_path / "hb.xlsx"
    assert main(["export", "-o", str(xlsx), str(hb)]) == 0
    return hb, xlsx


def rebuilt(xlsx: Path, out: Path, parts: dict[str, Part]) -> Path:
    """``xlsx`` with ``parts`` replaced or added (bytes, or a function giving the bytes in pieces)."""
    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in src.infolist():
            if info.filename not in parts:
                dest.writestr(info.filename, src.read(info.filename))
        for name, part in parts.items():
            with dest.open(name, "w", force_zip64=True) as fh:
                for piece in [part] if isinstance(part, bytes) else part():
                    fh.write(piece)
    return out


def heading_row(xlsx: Path) -> bytes:
    """Row 1 of the export's Positions sheet, as written."""
    with zipfile.ZipFile(xlsx) as z:
        data = z.read(POSITIONS)
    start = data.index(b'<row r="1"')
    return data[start : data.index(b"</row>", start) + 6]


def rows(make: Callable[[int], bytes], count: int, first: int = 2, per: int = 20_000) -> Iterator[bytes]:
    for start in range(first, first + count, per):
        yield b"".join(make(n) for n in range(start, min(start + per, first + count)))


def with_shared_strings(xlsx: Path, count: int) -> Callable[[], Iterator[bytes]]:
    def sst() -> Iterator[bytes]:
        yield f'<sst {NS} count="{count}" uniqueCount="{count}">'.encode()
        for start in range(0, count, 100_000):
            yield b"<si><t>a</t></si>" * min(100_000, count - start)
        yield b"</sst>"

    return sst


def rels_with_sst(xlsx: Path) -> bytes:
    with zipfile.ZipFile(xlsx) as z:
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    return rels.replace("</Relationships>", SST_REL + "</Relationships>").encode()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_eleven_million_shared_strings_are_refused_at_the_limit(tmp_path: Path) -> None:
    _, xlsx = exported(tmp_path)
    cell = b'<row r="2"><c r="B2" t="s"><v>0</v></c></row>'
    hostile = rebuilt(
        xlsx,
        tmp_path / "strings.xlsx",
        {
            "xl/sharedStrings.xml": with_shared_strings(xlsx, 11_000_000),
            "xl/_rels/workbook.xml.rels": rels_with_sst(xlsx),
            POSITIONS: HEAD.encode() + heading_row(xlsx) + cell + TAIL.encode(),
        },
    )
    assert hostile.stat().st_size < 1_000_000
    r = run_cli("import", str(hostile), str(tmp_path / "new"), "--lang", "en")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.startswith(
        "strings.xlsx[Positions]:2:2: error [import-file] the workbook's table of texts (xl/sharedStrings.xml) holds more than 800000 texts"
    ), r.stderr
    assert not (tmp_path / "new").exists()


@pytest.mark.slow
def test_two_hundred_thousand_rows_with_a_cell_in_column_xfd(tmp_path: Path) -> None:
    """The export's rows, then 200,000 rows with one value each, in column XFD (which has no heading)."""
    hb, xlsx = exported(tmp_path)
    with zipfile.ZipFile(xlsx) as z:
        sheet = z.read(POSITIONS)
    end = sheet.index(b"</sheetData>")
    far = rows(lambda n: b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (n, n), 199_990, first=10)
    hostile = rebuilt(xlsx, tmp_path / "xfd.xlsx", {POSITIONS: lambda: [sheet[:end], *far, sheet[end:]]})
    r = run_cli("import", str(hostile), str(hb), "--dry-run")
    assert (r.returncode, r.stderr) == (0, ""), r.stderr
    assert r.stdout == "Dry run: nothing was written (0 new, 0 changed, 4 unchanged).\n"


def test_an_empty_formatted_last_row_is_not_a_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hb, xlsx = exported(tmp_path)
    with zipfile.ZipFile(xlsx) as z:
        sheet = z.read(POSITIONS)
    last = b'<row r="1048576" s="1" customFormat="1" ht="20" customHeight="1"><c r="XFD1048576" s="1"/></row>'
    hostile = rebuilt(xlsx, tmp_path / "last.xlsx", {POSITIONS: sheet.replace(b"</sheetData>", last + b"</sheetData>")})
    capsys.readouterr()
    assert main(["import", str(hostile), str(hb)]) == 0
    assert capsys.readouterr() == ("Imported last.xlsx: 0 new, 0 updated, 4 unchanged.\n", "")


@pytest.mark.slow
def test_millions_of_empty_formatted_cells_cost_a_byte_scan(tmp_path: Path) -> None:
    """About 150 MB of formatting-only cells (a blanket of borders), in a file of a few hundred KB."""
    hb, xlsx = exported(tmp_path)
    with zipfile.ZipFile(xlsx) as z:
        sheet = z.read(POSITIONS)
    data_end = sheet.index(b"</sheetData>")
    blanket = rows(
        lambda n: b'<row r="%d" s="1">' % n + b"".join(b'<c r="%s%d" s="1"/>' % (col, n) for col in (b"T", b"U", b"V", b"W", b"X")) + b"</row>",
        1_000_000,
        first=10,
    )
    hostile = rebuilt(xlsx, tmp_path / "blanket.xlsx", {POSITIONS: lambda: [sheet[:data_end], *blanket, sheet[data_end:]]})
    r = run_cli("import", str(hostile), str(hb))
    assert (r.returncode, r.stderr) == (0, ""), r.stderr
    assert r.stdout == "Imported blanket.xlsx: 0 new, 0 updated, 4 unchanged.\n"


def ten_cells(n: int) -> bytes:
    return b'<row r="%d">' % n + b"".join(b'<c r="%c%d"><v>1</v></c>' % (col, n) for col in b"ABCDEFGHIJ") + b"</row>"


@pytest.mark.slow
def test_more_cells_with_values_than_the_limit_are_refused_where_the_limit_is_reached(tmp_path: Path) -> None:
    _, xlsx = exported(tmp_path)
    hostile = rebuilt(
        xlsx,
        tmp_path / "cells.xlsx",
        {POSITIONS: lambda: [HEAD.encode(), heading_row(xlsx), *rows(ten_cells, 120_000), TAIL.encode()]},
    )
    r = run_cli("import", str(hostile), str(tmp_path / "new"), "--lang", "en")
    assert (r.returncode, r.stdout) == (1, "")
    # after the 20 headings and 79,998 rows of 10, the next cell, A80000, is one too many
    assert r.stderr.startswith(
        "cells.xlsx[Positions]:80000:1: error [import-file] the workbook has more than 800000 cells with values, far more than any handbook needs"
    ), r.stderr


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (b'<row r="2"><c r="XFE2"><v>1</v></c></row>', "bad.xlsx[Positions]:2:1: error [import-file] the cell's position 'XFE2' is not a cell of a sheet"),
        (
            b'<row r="1048577"><c><v>1</v></c></row>',
            "bad.xlsx[Positions]:2:1: error [import-file] the row number '1048577' is not a row of a sheet (1 to 1048576)",
        ),
        (
            b'<row r="2"><c r="B2" t="s"><v>7</v></c></row>',
            "bad.xlsx[Positions]:2:2: error [import-file] the cell refers to text number 7 of the workbook's table of texts, which has only 1",
        ),
        (
            b'<row r="2"><c r="B2" t="inlineStr"><is><t>' + b"x" * 1_000_001 + b"</t></is></c></row>",
            "bad.xlsx[Positions]:2:2: error [import-file] the cell holds more than 1000000 characters",
        ),
    ],
)
def test_cells_beyond_what_a_sheet_can_hold(tmp_path: Path, capsys: pytest.CaptureFixture[str], row: bytes, expected: str) -> None:
    _, xlsx = exported(tmp_path)
    sst = f'<sst {NS} count="1" uniqueCount="1"><si><t>a</t></si></sst>'.encode()
    parts: dict[str, Part] = {
        POSITIONS: HEAD.encode() + heading_row(xlsx) + row + TAIL.encode(),
        "xl/sharedStrings.xml": sst,
        "xl/_rels/workbook.xml.rels": rels_with_sst(xlsx),
    }
    hostile = rebuilt(xlsx, tmp_path / "bad.xlsx", parts)
    capsys.readouterr()
    assert main(["import", str(hostile), str(tmp_path / "new"), "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(expected), err


def test_a_workbook_with_a_dtd_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, xlsx = exported(tmp_path)
    bomb = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    hostile = rebuilt(xlsx, tmp_path / "dtd.xlsx", {POSITIONS: bomb + HEAD.encode() + heading_row(xlsx) + TAIL.encode()})
    capsys.readouterr()
    assert main(["import", str(hostile), str(tmp_path / "new"), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dtd.xlsx: error [import-file] the workbook holds an XML document type declaration (DTD)"), err


def test_the_limits_are_where_they_say(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The same limits, made small: rows with values (not rows) and cells with values count."""
    hb, xlsx = exported(tmp_path)
    monkeypatch.setattr(sheet_xlsx, "MAX_CELLS", 25)
    capsys.readouterr()
    assert main(["import", str(xlsx), str(tmp_path / "new")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hb.xlsx[Positions]:2:7: error [import-file] the workbook has more than 25 cells with values"), err
    monkeypatch.setattr(sheet_xlsx, "MAX_CELLS", 800_000)
    monkeypatch.setattr("rolebook.sheets.read_xlsx.MAX_ROWS", 1)
    gap = rebuilt(
        xlsx,
        tmp_path / "gap.xlsx",
        {
            POSITIONS: HEAD.encode()
            + heading_row(xlsx)
            + b'<row r="500000"><c r="B500000" t="inlineStr"><is><t>x</t></is></c></row><row r="900000"><c r="B900000" t="inlineStr"><is><t>y</t></is></c></row>'
            + TAIL.encode()
        },
    )
    assert main(["import", str(gap), str(hb)]) == 1
    err = capsys.readouterr().err
    assert "gap.xlsx[Positions]:900000:1: error [import-file] the sheet 'Positions' has more than 1 rows with values\n" in err, err


def test_csv_and_json_work_follows_what_they_hold(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten million blank lines are skipped as they come; cells with values and JSON values have limits that say where."""
    hb = make_handbook(tmp_path / "hb", minimal("en"))
    out = tmp_path / "out"
    assert main(["export", "--format", "csv", "-o", str(out / "x"), str(hb)]) == 0
    positions = out / "x-positions.csv"
    positions.write_text(positions.read_text(encoding="utf-8") + "\n" * 10_000_000, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(positions), str(hb), "--dry-run"]) == 0
    assert capsys.readouterr().out == "Dry run: nothing was written (0 new, 0 changed, 4 unchanged).\n"
    monkeypatch.setattr("rolebook.sheets.read_csv.MAX_CELLS", 20)
    assert main(["import", str(positions), str(hb)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("x-positions.csv:3:1: error [import-file] the files of the export have more than 20 cells with values"), err
    model = tmp_path / "hb.json"
    assert main(["export", "--format", "json", "-o", str(model), str(hb)]) == 0
    monkeypatch.setattr("rolebook.sheets.read_json.MAX_JSON_VALUES", 30)
    capsys.readouterr()
    assert main(["import", str(model), str(hb)]) == 1
    err = capsys.readouterr().err
    assert err.split(" error ")[1].startswith("[import-file] the file holds more than 30 values, far more than any handbook's export"), err
