"""Real workbook files for tests: the sample report and variations of it, written by openpyxl."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from kpixl import load_sample
from kpixl.workbook.contract import GENERATED_SHEETS
from kpixl.workbook.grid import CellValue, SheetGrid
from kpixl.workbook.layout_from_report import report_to_grids

Edit = Callable[[list[SheetGrid]], list[SheetGrid]]


def write_grids(grids: Sequence[SheetGrid], path: Path) -> Path:
    """Each grid as a worksheet from A1; dates get a month format as Excel users type them."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for grid in grids:
        sheet = workbook.create_sheet(grid.name)
        for row in grid.rows:
            sheet.append(list(row))
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, datetime):
                    cell.number_format = "mmm-yy"
    workbook.save(path)
    return path


def sample_grids() -> list[SheetGrid]:
    return report_to_grids(load_sample())


def sample_xlsx(path: Path, edit: Edit | None = None) -> Path:
    grids = sample_grids()
    return write_grids(edit(grids) if edit else grids, path)


def set_cell(
    grids: list[SheetGrid], sheet: str, row: int, col: int, value: CellValue
) -> list[SheetGrid]:
    """A copy of ``grids`` with one cell changed (0-based row and column)."""
    out = []
    for grid in grids:
        if grid.name != sheet:
            out.append(grid)
            continue
        rows = [list(r) for r in grid.rows]
        while len(rows) <= row:
            rows.append([])
        while len(rows[row]) <= col:
            rows[row].append(None)
        rows[row][col] = value
        out.append(SheetGrid(grid.name, rows))
    return out


def find(grid: SheetGrid, value: CellValue) -> tuple[int, int]:
    """The first cell holding ``value``."""
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if cell == value:
                return r, c
    raise KeyError(value)


def by_name(grids: Sequence[SheetGrid], name: str) -> SheetGrid:
    return next(g for g in grids if g.name == name)


def computed_rows(book: Any) -> dict[str, dict[str, Any]]:
    """Ref -> {header: value} over every indicator sheet, found by header names (the
    generated ``kpixl history`` has those headers too: it is no indicator sheet)."""
    rows: dict[str, dict[str, Any]] = {}
    for ws in book.worksheets:
        if ws.title in GENERATED_SHEETS:
            continue
        for header_row in ws.iter_rows(max_row=20):
            headers = [str(c.value).strip() if c.value is not None else "" for c in header_row]
            if "Ref" in headers and "Latest RAG" in headers:
                for row in ws.iter_rows(min_row=header_row[0].row + 1, values_only=True):
                    record = dict(zip(headers, row, strict=False))
                    if record.get("Ref"):
                        rows[str(record["Ref"])] = record
                break
    return rows


_HOLDER = """
import sys
from pathlib import Path
from kpixl.workbook.files import kpixl_lock
with kpixl_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def lock_holder(workbook: Path) -> subprocess.Popen[str]:
    """Another process that takes the kpixl lock on ``workbook`` (it prints ``locked`` once it
    holds it) and keeps it until its stdin closes or gets a line: a kpixl run in progress."""
    return subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(workbook)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )


def with_settings(grids: list[SheetGrid], **settings: CellValue) -> list[SheetGrid]:
    """A copy of ``grids`` whose Settings table has these extra ``Setting | Value`` rows (keyword
    names with ``_`` for spaces: ``SPC="On"``)."""
    settings_grid = by_name(grids, "Settings")
    rows = [list(r) for r in settings_grid.rows]
    rows += [[name.replace("_", " "), value] for name, value in settings.items()]
    return [SheetGrid(g.name, rows) if g is settings_grid else g for g in grids]
