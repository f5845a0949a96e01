"""An in-memory workbook that implements the port: values and full looks, no file, no Excel.

Like httpx's ``MockTransport``, it is shipped in the package so tests (kpixl's and anyone's
building on kpixl) can run a calculation end to end and inspect every value, style, merge,
conditional format, page setup, sparkline and chart a real adapter would have written::

    book = MemoryBook(grids, name="report.xlsx")
    port.apply(book, full_plan(calculate(book.read_grids(), source=book.name)))
    book.sheet("Dashboard").styles[0, 0].font.bold
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from kpixl.errors import WorkbookError
from kpixl.report.design import LineChart, Sparkline
from kpixl.report.look import LabelRule, PageSetup, SheetLook, Style, label_rules
from kpixl.report.rects import Rect
from kpixl.workbook.grid import CellValue, SheetGrid
from kpixl.workbook.ownership import existing_sheet, new_sheet_index
from kpixl.workbook.plan import ColouredRange, WritePlan

__all__ = ["MemoryBook", "MemorySheet"]


@dataclass
class MemorySheet:
    name: str
    cells: dict[tuple[int, int], CellValue] = field(default_factory=dict)
    styles: dict[tuple[int, int], Style] = field(default_factory=dict)
    merges: list[Rect] = field(default_factory=list)
    column_widths: dict[int, float] = field(default_factory=dict)
    row_heights: dict[int, float] = field(default_factory=dict)
    conditional: list[tuple[Rect, tuple[LabelRule, ...]]] = field(default_factory=list)
    page: PageSetup | None = None
    marked: bool = False
    hidden: bool = False
    sparklines: list[Sparkline] = field(default_factory=list)
    charts: list[LineChart] = field(default_factory=list)
    hidden_columns: set[int] = field(default_factory=set)

    def grid(self) -> SheetGrid:
        rows = 1 + max((r for r, _ in self.cells), default=-1)
        cols = 1 + max((c for _, c in self.cells), default=-1)
        values: list[list[CellValue]] = [[None] * cols for _ in range(rows)]
        for (row, col), value in self.cells.items():
            values[row][col] = value
        return SheetGrid(self.name, values, hidden=self.hidden)

    def style(self, row: int, col: int) -> Style:
        return self.styles.get((row, col), Style())

    def rules_at(self, row: int, col: int) -> tuple[LabelRule, ...]:
        """The label rules that apply to one cell, in the order they were added."""
        found: list[LabelRule] = []
        for (r1, c1, r2, c2), rules in self.conditional:
            if r1 <= row <= r2 and c1 <= col <= c2:
                found += rules
        return tuple(found)


class MemoryBook:
    """Sheets in order; ``generated`` from the start for sheets that already carry the mark."""

    def __init__(
        self, grids: Iterable[SheetGrid] = (), name: str = "book.xlsx", marked: Iterable[str] = ()
    ) -> None:
        self._name = name
        marked = set(marked)
        self.sheets: list[MemorySheet] = []
        for grid in grids:
            sheet = MemorySheet(grid.name, marked=grid.name in marked, hidden=grid.hidden)
            for r, row in enumerate(grid.rows):
                for c, value in enumerate(row):
                    if value is not None:
                        sheet.cells[r, c] = value
            self.sheets.append(sheet)

    @property
    def name(self) -> str:
        return self._name

    def sheet(self, name: str) -> MemorySheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.sheets]

    def generated(self) -> frozenset[str]:
        return frozenset(sheet.name for sheet in self.sheets if sheet.marked)

    def read_grids(self) -> list[SheetGrid]:
        return [sheet.grid() for sheet in self.sheets]

    def write_computed(self, plan: WritePlan) -> None:
        names = {b.sheet for b in plan.blocks} | {c.sheet for c in plan.coloured}
        for name in sorted(names - set(self.sheet_names())):
            raise WorkbookError(f"The workbook has no sheet named {name!r} to write results to.")
        for block in plan.blocks:
            sheet = self.sheet(block.sheet)
            for r, row in enumerate(block.values):
                for c, value in enumerate(row):
                    _put(sheet, block.row + r, block.col + c, value)
        for fmt in plan.formats:
            sheet = self.sheet(fmt.sheet)
            key = (fmt.row, fmt.col)
            sheet.styles[key] = sheet.style(*key).with_number_format(fmt.number_format)
        for coloured in plan.coloured:
            _colour(self.sheet(coloured.sheet), coloured)

    def draw(self, look: SheetLook) -> None:
        sheet = MemorySheet(look.name, marked=True, page=look.page, hidden=look.hidden)
        for r, row in enumerate(look.values):
            for c, value in enumerate(row):
                _put(sheet, r, c, value)
        sheet.styles = dict(look.cell_styles)
        sheet.merges = list(look.merges)
        sheet.column_widths = dict(look.column_widths)
        sheet.row_heights = dict(look.row_heights)
        sheet.conditional = [(rect, label_rules(kind)) for rect, kind in look.coloured]
        sheet.sparklines = list(look.sparklines)
        sheet.charts = list(look.charts)
        sheet.hidden_columns = set(look.hidden_columns)
        found = existing_sheet(self.sheet_names(), look.name)
        if found is None:
            index = new_sheet_index(self.sheet_names(), look.after)
            self.sheets.insert(len(self.sheets) if index is None else index, sheet)
        else:
            self.sheets[self.sheet_names().index(found)] = sheet


def _put(sheet: MemorySheet, row: int, col: int, value: CellValue) -> None:
    if value is None or value == "" or (isinstance(value, float) and not math.isfinite(value)):
        sheet.cells.pop((row, col), None)
    else:
        sheet.cells[row, col] = value


def _colour(sheet: MemorySheet, coloured: ColouredRange) -> None:
    """Label rules on one column, replacing kpixl's earlier rules that overlap it there."""
    col, first, last = coloured.col, coloured.first_row, coloured.last_row
    sheet.conditional = [
        (rect, rules)
        for rect, rules in sheet.conditional
        if not (rect[1] == rect[3] == col and rect[0] <= last and rect[2] >= first)
    ]
    sheet.conditional.append(((first, col, last, col), label_rules(coloured.kind)))
