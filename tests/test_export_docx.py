"""Word export's page set-up, read back from the .docx the CLI writes: a draft's watermark in its
section's header (Word's own text-watermark shape, with the handbook's word for draft), none on an
approved role; the paper size the settings ask for."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest

from rolebook.cli import main
from tests.scratch import make_handbook, minimal

VML = "urn:schemas-microsoft-com:vml"


def handbook(root: Path, lang: str, *, paper: str | None = None) -> Path:
    """The minimal handbook with the clerk as a draft (the boss stays approved)."""
    files: dict[str, str | bytes] = dict(minimal(lang))
    files["roles/cs/clerk.yaml"] = str(files["roles/cs/clerk.yaml"]).replace("status: approved", "status: draft")
    if paper is not None:
        files["rolebook.yml"] = f"{files['rolebook.yml']}paper: {paper}\n"
    return make_handbook(root, files)


def export(hb: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> Path:
    code = main(["export", "--format", "docx", "-o", str(out), *extra, str(hb)])
    captured = capsys.readouterr()
    assert code == 0, captured
    assert out.is_file(), captured
    return out


def header_xml(path: Path) -> list[str]:
    """The XML of every header part in the document, as Word reads them from the package."""
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode("utf-8") for n in sorted(z.namelist()) if re.fullmatch(r"word/header\d*\.xml", n)]


def watermarks(xml: str) -> list[str]:
    """The text of each VML text-watermark shape (WordArt plain text, shape type 136) in ``xml``."""
    found = []
    for shape in re.findall(r"<v:shape\b[^>]*>.*?</v:shape>", xml, flags=re.S):
        if 'type="#_x0000_t136"' not in shape:
            continue
        text = re.search(r'<v:textpath\b[^>]*\bstring="([^"]*)"', shape)
        assert text is not None, shape
        found.append(text.group(1))
    return found


def section_watermarks(path: Path) -> list[list[str]]:
    """Per section of the document: the watermark texts in its own header (python-docx's view of it)."""
    document = docx.Document(str(path))
    return [watermarks(section.header._element.xml) for section in document.sections]


@pytest.mark.parametrize(("lang", "word"), [("zh", "草稿 / DRAFT"), ("en", "DRAFT")])
def test_a_draft_role_carries_the_watermark(tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, word: str) -> None:
    hb = handbook(tmp_path / "hb", lang)
    out = export(hb, tmp_path / "clerk.docx", capsys, "--role", "clerk")
    headers = header_xml(out)
    assert [w for xml in headers for w in watermarks(xml)] == [word]
    assert any(f'xmlns:v="{VML}"' in xml for xml in headers)
    assert section_watermarks(out) == [[word]]
    # the shape sits behind the text, turned across the page, as Word's Design → Watermark draws it
    shape = re.search(r"<v:shape\b[^>]*>", "".join(headers))
    assert shape is not None and "rotation:315" in shape.group(0) and "z-index:-" in shape.group(0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_approved_role_carries_no_watermark(tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    hb = handbook(tmp_path / "hb", lang)
    out = export(hb, tmp_path / "boss.docx", capsys, "--role", "boss")
    headers = header_xml(out)
    assert headers  # the document control is in the header
    joined = "".join(headers)
    assert watermarks(joined) == [] and "<v:shape" not in joined and "<w:pict" not in joined
    assert "DRAFT" not in joined and "草稿" not in joined
    assert section_watermarks(out) == [[]]


def test_in_the_whole_handbook_only_the_drafts_section_is_watermarked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hb = handbook(tmp_path / "hb", "en")
    out = export(hb, tmp_path / "all.docx", capsys)
    document = docx.Document(str(out))
    marked = {}  # the document number in each section's footer (the department's section has none): its watermarks
    for section in document.sections:
        footer = " ".join(p.text for p in section.footer.paragraphs)
        number = re.search(r"T-\d+", footer)
        marked[number.group(0) if number else "department"] = watermarks(section.header._element.xml)
    assert marked == {"department": [], "T-001": [], "T-002": ["DRAFT"]}
    assert 'type="#_x0000_t136"' not in document.element.body.xml  # never in the body, where it would move the text


def page_sizes(path: Path) -> list[tuple[int, int]]:
    """(width, height) in twips of every section's page, from word/document.xml's w:pgSz."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    sizes = []
    for tag in re.findall(r"<w:pgSz\b[^>]*/>", xml):
        w = re.search(r'\bw:w="(\d+)"', tag)
        h = re.search(r'\bw:h="(\d+)"', tag)
        assert w is not None and h is not None, tag
        sizes.append((int(w.group(1)), int(h.group(1))))
    return sizes


@pytest.mark.parametrize(
    ("paper", "size"),
    [("letter", (12240, 15840)), ("a4", (11906, 16838)), (None, (11906, 16838))],
    ids=["letter", "a4", "unset"],
)
def test_the_paper_comes_from_the_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str], paper: str | None, size: tuple[int, int]) -> None:
    hb = handbook(tmp_path / "hb", "en", paper=paper)
    out = export(hb, tmp_path / "all.docx", capsys)
    sizes = page_sizes(out)
    assert len(sizes) == len(docx.Document(str(out)).sections) >= 2  # every role's section, not just the first
    assert set(sizes) == {size}
    for section in docx.Document(str(out)).sections:
        assert (section.page_width.twips, section.page_height.twips) == size
