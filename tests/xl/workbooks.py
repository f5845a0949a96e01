"""Workbook files for the adapter tests: the sample report and a few with bad data, written
with openpyxl; and the three ways of running a calculation on one (in memory, headless file,
xlwings' remote engine), each returning every sheet's values afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlwings as xw
from openpyxl import Workbook, load_workbook

from kpixl import load_sample
from kpixl.headless import calculate_file
from kpixl.workbook import port, xlsx_io
from kpixl.workbook.calculate import calculate
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.layout_from_report import report_to_grids
from kpixl.workbook.memory import MemoryBook
from kpixl.workbook.planner import full_plan
from kpixl.xl import calculate_rag
from tests.long_sample import long_sample
from tests.workbook.grids import ACTIVITY, KPI, book, changed
from tests.xl.remote_model import ModelBook, payload

Values = dict[str, dict[tuple[int, int], Any]]
"""Sheet name -> {(row, col): value} of the non-empty cells."""

BAD_BOOKS: dict[str, list[SheetGrid]] = {
    "duplicate-refs": book(KPI, KPI, ACTIVITY),
    "text-in-number": book(changed(KPI, J="about 80%"), ACTIVITY),
    "missing-target": book(changed(KPI, E=None), ACTIVITY),
    "formula-like-text": book(
        changed(KPI, B="=1+1 invoices", L="-5 on last month"),
        changed(ACTIVITY, B="@risk", L="-12"),
    ),
}


def sample_grids() -> list[SheetGrid]:
    return report_to_grids(load_sample())


def spc_sample_grids() -> list[SheetGrid]:
    """The sample with 14 more periods, SPC On and the Regression method (SPEC 8.1-8.2)."""
    return report_to_grids(long_sample())


def write_xlsx(grids: Sequence[SheetGrid], path: Path) -> Path:
    """``grids`` as an .xlsx file; text is always stored as text (never as a formula)."""
    wb = Workbook()
    wb.remove(wb.active)
    for grid in grids:
        ws = wb.create_sheet(grid.name)
        for r, row in enumerate(grid.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"
    wb.save(path)
    return path


def _plain(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return None if value == "" else value


def _clean(cells: dict[tuple[int, int], Any]) -> dict[tuple[int, int], Any]:
    return {key: _plain(v) for key, v in cells.items() if _plain(v) is not None}


def memory_book(path: Path) -> MemoryBook:
    """The file's grids calculated into kpixl's in-memory book, through the port."""
    loaded = xlsx_io.load(path)
    book = MemoryBook(loaded.grids, name=path.name, marked=loaded.generated)
    port.apply(book, full_plan(calculate(book.read_grids(), source=book.name)))
    return book


def in_memory(path: Path) -> Values:
    """The expected result: the plan carried into the in-memory book."""
    return {sheet.name: _clean(dict(sheet.cells)) for sheet in memory_book(path).sheets}


def headless_file(path: Path) -> Path:
    """``kpixl calculate``'s output file."""
    return calculate_file(path, path.with_name(f"{path.stem}-headless.xlsx")).path


def headless(path: Path) -> Values:
    """``kpixl calculate``'s output file, read back with openpyxl."""
    wb = load_workbook(headless_file(path))
    return {
        ws.title: _clean(
            {(c.row - 1, c.column - 1): c.value for row in ws.iter_rows() for c in row}
        )
        for ws in wb.worksheets
    }


def remote(path: Path) -> Values:
    """``calculate_rag`` on xlwings' remote engine, its actions replayed on a plain model."""
    return run_remote(path)[0].values_by_sheet()


class RemoteRun:
    def __init__(self, model: ModelBook, actions: list[dict[str, Any]]) -> None:
        self.model = model
        self.actions = actions

    def values_by_sheet(self) -> Values:
        return {sheet.name: _clean(sheet.values()) for sheet in self.model.sheets}


def run_remote(path: Path, entry: Any = calculate_rag) -> tuple[RemoteRun, xw.Book]:
    data = payload(path)
    xlbook = xw.Book(json=data)
    entry(xlbook)
    actions = xlbook.json()["actions"]
    model = ModelBook.from_payload(payload(path))
    model.apply(actions)
    return RemoteRun(model, actions), xlbook
