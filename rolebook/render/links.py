"""Where every generated page lives, and relative links between them (so the site works from file://)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

HOME = "index.md"
POSITIONS = "positions.md"
REFERENCE = "reference.md"
ASSETS = "assets/rolebook"


def role_src(role_id: str) -> str:
    return f"roles/{role_id}.md"


def department_src(dept_id: str) -> str:
    return f"departments/{dept_id}/index.md"


def role_pdf(role_id: str) -> str:
    """Site-root-relative path of a role's PDF (written by the PDF step into <site>/pdf/)."""
    return f"pdf/roles/{role_id}.pdf"


def department_pdf(dept_id: str) -> str:
    return f"pdf/departments/{dept_id}.pdf"


HANDBOOK_PDF = "pdf/handbook.pdf"


@functools.lru_cache(maxsize=1 << 16)
def _url_of(src_uri: str, directory_urls: bool) -> str:
    # (a pure function of its arguments; MkDocs' File is costly to make, and each page links to many)
    return str(File(src_uri, None, "", directory_urls).url)


@dataclass(frozen=True)
class Links:
    """Relative links from one page (``here``, a source path such as ``roles/guide.md``)."""

    here: str
    directory_urls: bool = False
    # where these pages' site sits in the whole site: "" (the main language's, at the root) or a
    # language's folder ("en"); PDFs are named from the whole site's root (``pdf/en/roles/…``)
    folder: str = ""

    def url_of(self, src_uri: str) -> str:
        """The site-root-relative URL MkDocs gives a page source."""
        return _url_of(src_uri, self.directory_urls)

    def page(self, src_uri: str) -> str:
        return str(get_relative_url(self.url_of(src_uri), self.url_of(self.here)))

    def file(self, site_path: str) -> str:
        """A link to a file that is not a page (a PDF), given its path from the root of the whole site."""
        here = self.url_of(self.here)
        return str(get_relative_url(site_path, f"{self.folder}/{here}" if self.folder else here))

    def at(self, src_uri: str) -> Links:
        return Links(src_uri, self.directory_urls, self.folder)
