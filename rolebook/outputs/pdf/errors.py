"""What goes wrong while printing: the handbook's data (positioned problems), WeasyPrint itself, one document."""

from __future__ import annotations

from collections.abc import Iterable

from rolebook.i18n import Messages
from rolebook.load.files import SETTINGS_FILE
from rolebook.model import Handbook
from rolebook.problems import Problem, format_text, sort_problems
from rolebook.render.print_html import PrintDocument


class PdfBuildError(Exception):
    """The handbook cannot be printed as it is; ``problems`` say where and why (positioned like check's)."""

    def __init__(self, problems: Iterable[Problem], msgs: Messages) -> None:
        self.problems = tuple(sort_problems(problems))
        self.msgs = msgs
        super().__init__(format_text(list(self.problems), "").rstrip())


class PdfEngineError(RuntimeError):
    """WeasyPrint itself cannot run here (e.g. Pango is missing); ``str()`` says so in plain words."""


class PrintFailed(Exception):
    """WeasyPrint raised while printing the document ``key`` ("role:<id>", "dept:<id>", "handbook")."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(key, detail)  # (the arguments are what a worker process sends back)
        self.key = key
        self.detail = detail

    @classmethod
    def of(cls, key: str, exc: BaseException) -> PrintFailed:
        text = f"{type(exc).__name__}: {exc}"
        return cls(key, text if len(text) <= 300 else text[:299] + "…")


def print_failure(handbook: Handbook, doc: PrintDocument, failed: PrintFailed) -> PdfBuildError:
    """WeasyPrint's failure on ``doc`` as a problem in the file the document is made from."""
    msgs = Messages(handbook.settings.language)
    path = SETTINGS_FILE if doc.kind == "handbook" else doc.sources[0]
    message = msgs.text(f"print-failed/{doc.kind}", title=doc.title, detail=failed.detail)
    return PdfBuildError([Problem(path, 0, 0, "error", "render-failed", message)], msgs)
