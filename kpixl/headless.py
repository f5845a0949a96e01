"""The headless path: a workbook file in, ratings and generated sheets out (openpyxl).

One function per CLI verb; each is a thin composition of preflight (safety), the openpyxl
adapter, the pure reader/planner and the report designs. Nothing here decides a rating.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kpixl.errors import WorkbookError
from kpixl.package import read as package_read
from kpixl.workbook import files, safety, xlsx_io, xlsx_render
from kpixl.workbook.calculate import Outcome, calculate
from kpixl.workbook.plan import WritePlan
from kpixl.workbook.planner import full_plan


@dataclass(frozen=True)
class Written:
    """A finished calculation: its outcome, where it was written and the backup kept."""

    outcome: Outcome
    path: Path
    backup: Path | None = None


def check_file(path: Path) -> Outcome:
    """Read and rate ``path`` without writing anything (the fast reader: no openpyxl model)."""
    safety.preflight(path)
    return calculate(package_read.read_book(path).grids, source=path.name)


def calculate_file(
    path: Path, out: Path | None = None, *, in_place: bool = False, backup: bool = True
) -> Written:
    """Rate ``path`` and write the result to ``out``, or over ``path`` itself (atomically)."""
    target = path if in_place else (out or default_output(path))
    info = safety.preflight(path)
    safety.check_no_loss(info, path)
    _check_suffix(path, target, info.has_vba)
    files.ensure_not_open_in_excel(path)
    if not in_place and target.resolve() == path.resolve():
        raise WorkbookError(
            f"{path.name}: the output is the input file; use --in-place to replace it."
        )
    with files.kpixl_lock(target):  # one kpixl run per workbook, from reading to replacing
        loaded = xlsx_io.load(path)
        outcome = calculate(loaded.grids, source=path.name)
        plan = full_plan(outcome)
        _refuse_foreign_sheets(loaded, plan, path)
        xlsx_render.apply_plan(loaded.workbook, plan)
        for design in plan.designs:
            xlsx_render.draw_design(loaded.workbook, design)
        kept = files.write_atomically(
            target, lambda tmp: xlsx_io.save(loaded, tmp), backup=in_place and backup
        )
    return Written(outcome, target, kept)


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


def _refuse_foreign_sheets(loaded: xlsx_io.Loaded, plan: WritePlan, path: Path) -> None:
    """Never overwrite a Summary or Dashboard sheet that kpixl did not make (checked first)."""
    existing = {grid.name.lower(): grid.name for grid in loaded.grids}
    for design in plan.designs:
        name = existing.get(design.name.lower())
        if name is not None and name not in loaded.generated:
            raise WorkbookError(
                f"{path.name}: it already has a sheet named {name!r} that kpixl did not make; "
                "rename or delete that sheet and run kpixl again (kpixl replaces its own "
                f"{design.name} sheet on every run)."
            )
