"""The headless path: a workbook file in, ratings and generated sheets out.

One function per CLI verb; each is a thin composition of preflight (safety), an adapter
behind the port (read, calculate, plan, ``port.apply``) and the pure reader/planner. The
adapter is the openpyxl round trip by default; ``KPIXL_ENGINE=package`` selects the package
writer (``kpixl.package.book``: every part kpixl does not change is copied raw), which does not
yet draw the hidden history sheet, sparklines or the Charts sheet.
Nothing here decides a rating.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kpixl.errors import WorkbookError
from kpixl.package import read as package_read
from kpixl.package.book import PackageBook
from kpixl.workbook import files, port, safety, xlsx_io, xlsx_render
from kpixl.workbook.calculate import Outcome, calculate
from kpixl.workbook.contract import GENERATED_SHEETS
from kpixl.workbook.planner import full_plan


@dataclass(frozen=True)
class Written:
    """A finished calculation: its outcome, where it was written and the backup kept."""

    outcome: Outcome
    path: Path
    backup: Path | None = None
    notes: tuple[str, ...] = ()
    """What the user should know that is not a data problem (the input open in Excel, say)."""


def check_file(path: Path) -> Outcome:
    """Read and rate ``path`` without writing anything: the fast reader, no openpyxl model (a
    workbook open in Excel is read as saved on disk: see ``files.open_elsewhere_note``)."""
    safety.preflight(path)
    return calculate(package_read.read_book(path).grids, source=path.name)


def calculate_file(
    path: Path,
    out: Path | None = None,
    *,
    in_place: bool = False,
    backup: bool = True,
    engine_name: str | None = None,
) -> Written:
    """Rate ``path`` and write the result to ``out``, or over ``path`` itself (atomically)."""
    target = path if in_place else (out or default_output(path))
    info = safety.preflight(path)
    chosen = engine(engine_name)
    # the package writer copies every part it does not change: only what is on the sheets
    # it replaces (kpixl's own) can be lost
    safety.check_no_loss(info, path, None if chosen == "openpyxl" else GENERATED_SHEETS)
    _check_suffix(path, target, info.has_vba)
    if in_place:
        files.ensure_not_open_in_excel(path)  # replacing a file open in Excel would lose work
    elif target.resolve() == path.resolve():
        raise WorkbookError(
            f"{path.name}: the output is the input file; use --in-place to replace it."
        )
    else:
        files.ensure_not_open_in_excel(target)
        files.ensure_folder_exists(target)
    note = None if in_place else files.open_elsewhere_note(path)
    with files.kpixl_lock(target):  # one kpixl run per workbook, from reading to replacing
        if chosen == "openpyxl":
            loaded = xlsx_io.load(path)
            book: port.Book = xlsx_render.FileBook(loaded)
            outcome = calculate(book.read_grids(), source=book.name)
            port.apply(book, full_plan(outcome))
            kept = xlsx_io.save(loaded, target, backup=in_place and backup)
        else:
            package = PackageBook(path)
            outcome = calculate(package.read_grids(), source=package.name)
            port.apply(package, full_plan(outcome))
            kept = package.save(target, backup=in_place and backup)
    return Written(outcome, target, kept, (note,) if note else ())


ENGINES = ("package", "openpyxl")


def engine(name: str | None = None) -> str:
    """Which writer ``calculate_file`` uses: ``openpyxl`` (the default: the round trip) or
    ``package`` (kpixl writes the package itself, every part it does not change copied raw;
    not yet the default: it does not draw the hidden history sheet, sparklines or charts);
    ``KPIXL_ENGINE`` chooses when ``name`` is not given."""
    chosen = (name or os.environ.get("KPIXL_ENGINE") or "openpyxl").strip().lower()
    if chosen not in ENGINES:
        raise WorkbookError(f"unknown engine {chosen!r}: use package or openpyxl")
    return chosen


def default_output(path: Path) -> Path:
    """``report.xlsm`` -> ``report-rated.xlsm`` beside it."""
    return path.with_name(f"{path.stem}-rated{path.suffix}")


def _check_suffix(source: Path, target: Path, has_vba: bool) -> None:
    src, dst = source.suffix.lower(), target.suffix.lower()
    if dst not in (".xlsx", ".xlsm", ".xltx", ".xltm"):
        raise WorkbookError(f"{target.name}: the output must be an .xlsx or .xlsm file.")
    if has_vba and dst in (".xlsx", ".xltx"):
        raise WorkbookError(
            f"{source.name} has macros, which an {dst} file cannot hold: name the output .xlsm."
        )
    if not has_vba and src in (".xlsx", ".xltx") and dst in (".xlsm", ".xltm"):
        raise WorkbookError(
            f"{source.name} has no macros: name the output {src} (kpixl keeps the file type)."
        )
