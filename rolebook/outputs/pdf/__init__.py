"""Stage 5: the job-description PDFs — one per role, one per department, and the whole handbook.

``write_pdfs(handbook, dest)`` writes ``dest/roles/<role-id>.pdf``,
``dest/departments/<dept-id>.pdf`` and ``dest/handbook.pdf`` (or, given a ``Selection``, only
the PDFs of some positions and departments).

The package, along its seams: ``plan`` (what to render, the state of one build), ``known`` (the
index of job descriptions whose HTML need not be rendered again), ``cache``
(PDFs by key), ``engine`` (WeasyPrint set up once per process; HTML → PDF), ``schedule`` (what
needs rendering; worker processes), ``glyphs`` (tofu → positioned problems), ``join`` and
``assemble`` (department and handbook PDFs from the parts), ``fonts`` (the subset Noto CJK faces)
and ``write`` (the entry point that sequences them).

- Each job description is laid out once. WeasyPrint renders every role's own PDF and, from
  the same layout, a department's *parts*: its overview and up to PART_ROLES job
  descriptions as one PDF (fonts embedded once per part). A department's PDF and the
  handbook (cover, contents with page numbers, every department) are those parts joined
  page by page (rolebook.outputs.pdf.assemble) — no second layout, and memory stays at one
  part whatever the size of the handbook.
- Small fonts: the Noto CJK faces are cut down once per build to the characters the
  handbook can use (rolebook.outputs.pdf.fonts) before WeasyPrint subsets them per document.
- Reproducible: the same input gives byte-identical PDFs. Metadata dates come from
  ``SOURCE_DATE_EPOCH`` when set, else from the data (the newest effective date), else a
  fixed date; PDF identifiers are derived from the documents, not random.
- Incremental: a document is rendered only when its inputs changed. Cache keys hash the
  document's self-contained HTML (its data and every title shown on it, the settings,
  labels, templates and stylesheet) with the fonts and the WeasyPrint, pydyf and pikepdf
  versions. Cached PDFs live in ``<handbook>/.rolebook-cache/pdf/``; an entry that is
  missing or corrupt is simply rendered again. After one role is edited, its PDF and its
  part are rendered again, its department is joined again, and so is the handbook's group of
  departments holding it (rolebook.outputs.pdf.join.Group: joined and page-numbered once, cached),
  then the front matter and the groups are joined into the handbook. What an edit leaves alone is
  not redone to find that out: a job description's HTML is rendered only when what its template
  read of the handbook changed (rolebook.outputs.pdf.known); the org charts are kept by their
  Graphviz source; an entry checked once is trusted while its file status is unchanged
  (PdfCache.valid); and a job description laid out again takes the form it took before at once
  (engine.fitted).
- Parallel: parts are rendered in worker processes (spawned, so nothing of the caller's
  state is shared; each worker imports and warms WeasyPrint once).
- Never tofu: WeasyPrint draws a character no font has as an empty box and only logs a
  ".notdef glyph" warning. That warning becomes a build error naming the file, the
  character and the font package to install.
"""

from __future__ import annotations

from rolebook.dates import source_date_epoch
from rolebook.outputs.pdf.cache import CACHE_FORMAT, CACHE_KEEP_SECONDS, CACHE_NAMES, PdfCache, cache_base, cache_key, default_cache_dir, open_cache
from rolebook.outputs.pdf.engine import Fonts, Member, PartJob, PartRendered, Rendered, RenderJob, render_part, render_pdf, without_stylesheets
from rolebook.outputs.pdf.errors import PdfBuildError, PdfEngineError, PrintFailed, print_failure
from rolebook.outputs.pdf.glyphs import glyph_hint, glyph_problems
from rolebook.outputs.pdf.plan import FIXED_TIMESTAMP, Selection, document_timestamp, output_name, print_context, print_documents
from rolebook.outputs.pdf.write import PdfReport, write_pdfs
from rolebook.render.print_html import PrintDocument

__all__ = [
    "CACHE_FORMAT",
    "CACHE_KEEP_SECONDS",
    "CACHE_NAMES",
    "FIXED_TIMESTAMP",
    "Fonts",
    "Member",
    "PartJob",
    "PartRendered",
    "PdfBuildError",
    "PdfCache",
    "PdfEngineError",
    "PdfReport",
    "PrintDocument",
    "PrintFailed",
    "RenderJob",
    "Rendered",
    "Selection",
    "cache_base",
    "cache_key",
    "default_cache_dir",
    "document_timestamp",
    "glyph_hint",
    "glyph_problems",
    "open_cache",
    "output_name",
    "print_context",
    "print_documents",
    "print_failure",
    "render_part",
    "render_pdf",
    "source_date_epoch",
    "without_stylesheets",
    "write_pdfs",
]
