"""Where each language's pages and PDFs live in the site of a handbook in two languages, and the
links of the language switcher. Pure: no I/O.

The main language's site is at the root, exactly where a one-language handbook's is; each other
language's under ``<lang>/`` (``en/roles/guide.md``), its PDFs under ``pdf/<lang>/`` (where
``app.build.write_language_pdfs`` writes them). A page's counterpart in another language has the
same source path under that language's folder, so the switcher opens the same page.
"""

from __future__ import annotations

from dataclasses import dataclass

from rolebook.i18n import Lang
from rolebook.labels import label
from rolebook.render.links import Links


@dataclass(frozen=True)
class LanguageLink:
    lang: Lang
    name: str  # the language's own name ("中文", "English"), as switchers show it
    href: str  # relative to the current page
    current: bool


def language_src(src_uri: str, lang: Lang, languages: tuple[Lang, ...]) -> str:
    """The source path of page ``src_uri`` in the site of ``lang``."""
    return src_uri if lang == languages[0] else f"{lang}/{src_uri}"


def language_pdf(pdf_path: str, lang: Lang, languages: tuple[Lang, ...]) -> str:
    """The site path of a PDF (``pdf/roles/guide.pdf``) in ``lang``: ``pdf/en/roles/guide.pdf``."""
    return folder_pdf(pdf_path, "" if lang == languages[0] else lang)


def folder_pdf(pdf_path: str, folder: str) -> str:
    """The site path of a PDF of the language whose site is in ``folder`` ("" for the main language's)."""
    if not folder or not pdf_path.startswith("pdf/"):
        return pdf_path
    return f"pdf/{folder}/{pdf_path.removeprefix('pdf/')}"


def language_links(src_uri: str, current: Lang, languages: tuple[Lang, ...], directory_urls: bool = False) -> tuple[LanguageLink, ...]:
    """The switcher of page ``src_uri`` (a source path in no language's folder) as the site of
    ``current`` shows it: the same page in every language; none in a one-language handbook."""
    if len(languages) < 2:
        return ()
    links = Links(language_src(src_uri, current, languages), directory_urls)
    return tuple(LanguageLink(lang, label(lang, "language_name"), links.page(language_src(src_uri, lang, languages)), lang == current) for lang in languages)
