"""``rolebook build``: check, then build the handbook site into site/ (atomically).

Bad data: the problem report on stderr, exit 1, nothing written. A build that fails half
way leaves the previous site/ as it was.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rolebook.app.pipeline import check_handbook, load_settings
from rolebook.commands.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    absolute,
    add_handbook_arg,
    add_report_args,
    handbook_dir,
    pdf_failed,
    refused,
    write_pdf_summary,
    write_report,
)
from rolebook.i18n import Messages
from rolebook.outputs.swap import recover
from rolebook.safepath import UnsafePath, output

ENGINE_CHOICES = ("mkdocs", "properdocs", "zensical")  # rolebook.outputs.engines.ENGINE_NAMES (not imported here: it loads MkDocs)

if TYPE_CHECKING:
    from rolebook.outputs.site import MissingPagesError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser(
        "build",
        help="check, then build the website and PDFs into site/ / 检查后把手册网站和 PDF 生成到 site/",
        description=(
            "Check the handbook; when there is no error, build the website (MkDocs + Material, works offline and "
            "from file://) and every PDF (site/pdf/) into HANDBOOK_DIR/site. The new site is built beside the old one "
            "and swapped in when complete, so a failed build never leaves a half-written site/.\n"
            "检查手册；没有错误时生成网站（可离线、可直接用浏览器打开文件）和全部 PDF（site/pdf/）到 HANDBOOK_DIR/site。"
            "新网站先在旁边生成，完成后才替换旧的，所以生成失败不会留下半个 site/。"
        ),
    )
    add_handbook_arg(p)
    p.add_argument(
        "--site-dir", metavar="DIR", help="where to write the site (default: HANDBOOK_DIR/site); replaced as a whole / 网站输出文件夹（默认 site/），整体替换"
    )
    p.add_argument("--no-pdf", action="store_true", help="build the website only, without PDFs / 只生成网站，不生成 PDF")
    p.add_argument(
        "--engine",
        choices=ENGINE_CHOICES,
        help="the site engine (default: engine in rolebook.yml, else mkdocs) / 网站引擎（默认取 rolebook.yml 的 engine，否则 mkdocs）",
    )
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="PDF worker processes (default: one per core) / 生成 PDF 的进程数（默认每个核一个）")
    add_report_args(p)
    return p


@contextmanager
def mkdocs_logging(level: int) -> Iterator[None]:
    """Show MkDocs' own messages (broken links in docs/, plugin errors, the serve address) on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger = logging.getLogger("mkdocs")
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def missing_pages(msgs: Messages, e: MissingPagesError, site_dir: Path) -> str:
    """Which pages the new site lacks (the roles first: they are what a reader looks for)."""
    if not e.roles:
        return msgs.text("site/missing-home", dest=site_dir)
    ids = msgs.join([msgs.quote(r) for r in e.roles[:10]]) + (" …" if len(e.roles) > 10 else "")
    return msgs.text("site/missing-roles", count=len(e.roles), ids=ids, dest=site_dir)


def run(args: argparse.Namespace) -> int:
    root = handbook_dir(args)
    if root is None:
        return EXIT_USAGE
    site_dir = absolute(args.site_dir) if args.site_dir else root / "site"
    try:
        output(site_dir, root)  # no link on the way leads out of the handbook: checked before anything is touched
    except UnsafePath as e:
        return refused(e, Messages(load_settings(root, args.lang)[0].language))
    recover(site_dir)  # after a build that was killed: its leftovers go, a site it had moved aside comes back
    result = check_handbook(root, args.lang)
    if result.problems:
        write_report(result, args.format, sys.stderr)
    if result.failed(args.strict):
        return EXIT_PROBLEMS
    from rolebook.app.build import TargetError, build_all  # heavy: MkDocs, WeasyPrint
    from rolebook.outputs.engines import EngineMissing
    from rolebook.outputs.pdf import PdfBuildError, PdfEngineError
    from rolebook.outputs.site import MissingPagesError, SiteError

    if args.jobs is not None and args.jobs < 1:
        sys.stderr.write(f"rolebook build: {result.msgs.text('usage/jobs')}\n")
        return EXIT_USAGE
    msgs = result.msgs
    engine_name = args.engine or (result.handbook.settings.engine if result.handbook is not None else "mkdocs")
    try:
        with mkdocs_logging(logging.WARNING):
            report = build_all(result, site_dir, pdf=not args.no_pdf, jobs=args.jobs, engine_name=engine_name)
    except EngineMissing as e:
        sys.stderr.write("rolebook: " + msgs.text("site/engine-missing", engine=e.engine.name, package=e.engine.package) + "\n")
        return EXIT_PROBLEMS
    except (PdfBuildError, PdfEngineError) as e:
        pdf_failed(e, result, args.format)
        return EXIT_PROBLEMS
    except UnsafePath as e:
        return refused(e, msgs)
    except TargetError as e:
        sys.stderr.write("rolebook: " + msgs.text(e.msg_id, dest=e.dest) + "\n")
        return EXIT_PROBLEMS
    except MissingPagesError as e:
        sys.stderr.write("rolebook: " + missing_pages(msgs, e, site_dir) + "\n")
        return EXIT_PROBLEMS
    except SiteError as e:
        sys.stderr.write("rolebook: " + msgs.text("site/failed", detail=e) + "\n")
        return EXIT_PROBLEMS
    except OSError as e:
        sys.stderr.write("rolebook: " + msgs.text("site/unwritable", dest=site_dir, detail=e.strerror or e) + "\n")
        return EXIT_PROBLEMS
    # each output with its own time, then the whole build (check and swap included) when there were PDFs
    sys.stdout.write(msgs.text("site/written", dest=report.site_dir, pages=report.pages, seconds=report.site_seconds) + "\n")
    if report.pdf is not None:
        write_pdf_summary(report.pdf, site_dir / "pdf", result)
        sys.stdout.write(msgs.text("build/total", seconds=report.seconds) + "\n")
    return EXIT_OK
