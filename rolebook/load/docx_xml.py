"""WordprocessingML helpers for the Word reader (docx_reader): the content controls and text boxes a document
wraps its text in, made readable before the body is walked. Format only, no meaning.

Content controls (``w:sdt``) and custom XML (``w:customXml``) may wrap paragraphs, whole table rows or
single cells; python-docx's rows and cells only see their direct children, so the wrappers are taken
away and their content put in their place. A control still showing its placeholder ("单击或点击此处输入
文字。", "Click or tap here to enter text.") holds no value: its text is emptied. Text boxes (a DrawingML
``wps:txbx`` or a VML ``v:textbox``, both holding a ``w:txbxContent``) sit inside a run; Word writes the
VML copy as a fallback of the DrawingML one (``mc:AlternateContent``), so a fallback is never read.
"""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
FALLBACK = MC + "Fallback"
TEXTBOX = W + "txbxContent"


def unwrap_controls(root: Any) -> None:
    """Replace every content control and custom XML element under ``root`` by its content, in place."""
    for element in list(root.iter(W + "sdt", W + "customXml")):
        parent = element.getparent()
        if parent is None:
            continue
        if element.tag == W + "sdt":
            pr = element.find(W + "sdtPr")
            content = element.find(W + "sdtContent")
            if pr is not None and pr.find(W + "showingPlcHdr") is not None and content is not None:
                for t in content.iter(W + "t"):
                    t.text = ""
            children = list(content) if content is not None else []
        else:
            children = [c for c in element if c.tag != W + "customXmlPr"]
        at = parent.index(element)
        parent.remove(element)
        for n, child in enumerate(children):
            parent.insert(at + n, child)


def text_boxes(p: Any) -> list[Any]:
    """The text boxes anchored in paragraph ``p`` (their ``w:txbxContent``), in order; the VML fallback copy of
    a DrawingML box and boxes inside boxes (read with the box that holds them) left out."""
    out: list[Any] = []
    for box in p.iter(TEXTBOX):
        up = box.getparent()
        inner = False
        while up is not None and up is not p:
            if up.tag in (FALLBACK, TEXTBOX):
                inner = True
                break
            up = up.getparent()
        if not inner:
            out.append(box)
    return out
