"""The port over a live xlwings ``Book``: grids in, computed columns and generated sheets out.

Each sheet is read in one bulk call and each block written in one; number formats, styles and
label rules go to groups of cells that share them (``kpixl.workbook.xlwings_look``), so the
number of calls grows with sheets and distinct styles, not with rows. Nothing here decides a
value or a look: values come from the plan, looks from ``kpixl.report.look``.

Decisions:

* Text is written with a leading apostrophe, which Excel stores as a text prefix: without it
  Excel reads ``=...`` as a formula and ``Oct-23``, ``1/2`` or ``65%`` as dates and numbers.
* A generated sheet is recognised by the sheet-scoped name ``GENERATED_MARK`` referring to a
  cell of that sheet (Office.js only reports names that refer to ranges); ownership is decided
  by ``kpixl.workbook.ownership`` for every adapter alike.
* Label colours of the computed columns are kpixl's own rules in every workbook, template-made
  or not: the conditional formats on each computed block are cleared (one call per block) and
  kpixl's added (three per column). A user's own rule on a computed cell gives way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import xlwings as xw

from kpixl.report.look import SheetLook, label_rules
from kpixl.report.rects import Rect, rectangles
from kpixl.workbook import ownership, xlwings_charts, xlwings_look, xlwings_page
from kpixl.workbook.contract import GENERATED_MARK
from kpixl.workbook.grid import Block, CellValue, SheetGrid
from kpixl.workbook.plan import WritePlan

__all__ = ["LiveBook", "excel_value", "is_generated", "read_grids", "rectangles"]


# ---------------------------------------------------------------- reading


def read_grids(book: xw.Book) -> list[SheetGrid]:
    """Every sheet's values from A1 to its used range's last cell, one read per sheet."""
    return [_sheet_grid(sheet) for sheet in book.sheets]


def _sheet_grid(sheet: xw.Sheet) -> SheetGrid:
    last = sheet.used_range.last_cell
    values = (
        sheet.range((1, 1), (last.row, last.column))
        .options(ndim=2, empty=None, err_to_str=True)
        .value
    )
    return SheetGrid(sheet.name, [[_cell(value) for value in row] for row in values or []])


def _cell(value: Any) -> CellValue:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # Excel has one number type; whole numbers read as int, as openpyxl
    if value is None or isinstance(value, str | int | float | bool | datetime | date):
        return value
    return str(value)


def is_generated(sheet: xw.Sheet) -> bool:
    """Whether ``sheet`` carries kpixl's sheet-scoped ``GENERATED_MARK`` name."""
    return any(ownership.is_mark(name.name) for name in sheet.names)


# ---------------------------------------------------------------- writing


def excel_value(value: CellValue) -> CellValue:
    """``value`` as written to Excel: text gets the apostrophe prefix so it stays text."""
    if isinstance(value, str):
        return f"'{value}" if value else None
    return value


class LiveBook:
    """The port (``kpixl.workbook.port.Book``) over a book open in Excel (or a remote one).

    ``tally`` counts the write calls made, and what they would be in multi-area calls.
    """

    def __init__(self, book: xw.Book) -> None:
        self.book = book
        self.unions = xlwings_look.takes_unions(book)
        self.tally = xlwings_look.Tally()

    @property
    def name(self) -> str:
        return str(self.book.name)

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def generated(self) -> frozenset[str]:
        return frozenset(sheet.name for sheet in self.book.sheets if is_generated(sheet))

    def read_grids(self) -> list[SheetGrid]:
        return read_grids(self.book)

    def _canvas(self, sheet: str | xw.Sheet) -> xlwings_look.Canvas:
        target = self.book.sheets[sheet] if isinstance(sheet, str) else sheet
        return xlwings_look.Canvas(target, self.unions, self.tally)

    def write_computed(self, plan: WritePlan) -> None:
        """Blocks in one call each; number formats and label rules per column group."""
        for block in plan.blocks:
            _write_block(self._canvas(block.sheet), block)
        coloured_sheets = {c.sheet for c in plan.coloured}
        blocks: defaultdict[str, list[Rect]] = defaultdict(list)
        for block in plan.blocks:  # kpixl's cells: earlier rules there give way to kpixl's
            if block.sheet in coloured_sheets and block.values:
                height, width = len(block.values), max(len(row) for row in block.values)
                blocks[block.sheet].append(
                    (block.row, block.col, block.row + height - 1, block.col + width - 1)
                )
        for name, rects in blocks.items():
            xlwings_look.clear_rules(self._canvas(name), rects)
        not_numbers = _not_numbers(plan.blocks)
        formats: defaultdict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for cell in plan.formats:
            formats[cell.sheet, cell.number_format].append((cell.row, cell.col))
        for (name, number_format), cells in formats.items():
            rects = rectangles(cells, not_numbers.get(name, set()))
            for target in self._canvas(name).areas(rects, formats=True):
                target.number_format = number_format
        coloured: defaultdict[tuple[str, str], list[Rect]] = defaultdict(list)
        for c in plan.coloured:
            coloured[c.sheet, c.kind].append((c.first_row, c.col, c.last_row, c.col))
        for (name, kind), rects in coloured.items():
            xlwings_look.add_label_rules(self._canvas(name), rects, label_rules(kind))

    def draw(self, look: SheetLook) -> None:
        """Create or clear the generated sheet (checked by the port first), then draw it."""
        found = ownership.existing_sheet(self.sheet_names(), look.name)
        if found is None:
            sheets = self.book.sheets
            index = ownership.new_sheet_index(self.sheet_names(), look.after)
            sheet = sheets.add(look.name, after=sheets[(index or len(sheets)) - 1])
            sheet.names.add(GENERATED_MARK, "=" + ownership.mark_reference(look.name))
            self.tally.add(2)
        else:
            sheet = self.book.sheets[found]
            sheet.clear()
            self.tally.add(1)
            xlwings_charts.clear_drawn(sheet, self.unions, self.tally)
            _standard_sizes(sheet, self.unions, self.tally)
        grid = [[excel_value(value) for value in row] for row in look.values]
        canvas = self._canvas(sheet)
        xlwings_look.draw_look(canvas, look, grid)
        xlwings_page.page_setup(canvas, look.page)
        xlwings_charts.add_charts(sheet, look.charts, self.tally)
        xlwings_charts.add_sparklines(sheet, look.sparklines, self.unions, self.tally)
        if look.hidden:
            sheet.visible = False
            self.tally.add(1)


def _standard_sizes(sheet: xw.Sheet, windows: bool, tally: xlwings_look.Tally) -> None:
    """Clearing keeps row heights and column widths: on Windows desktop Excel they are reset,
    so the redrawn sheet has only its design's sizes, as a file's new sheet has. Elsewhere
    (remote engine, macOS) rows the old sheet made taller stay so."""
    tally.add(2 if windows else 0, 2)
    if windows:  # pragma: no cover - needs Excel's COM object model
        cells = sheet.api.Cells
        cells.UseStandardHeight = True
        cells.UseStandardWidth = True


def _write_block(canvas: xlwings_look.Canvas, block: Block) -> None:
    width = max((len(row) for row in block.values), default=0)
    if width == 0:
        return
    rows = [[excel_value(v) for v in row] + [None] * (width - len(row)) for row in block.values]
    canvas.one((block.row, block.col, block.row, block.col)).value = rows


def _not_numbers(blocks: Iterable[Block]) -> dict[str, set[tuple[int, int]]]:
    """Cells of the blocks that hold no number: their number format does not matter."""
    free: defaultdict[str, set[tuple[int, int]]] = defaultdict(set)
    for block in blocks:
        for r, row in enumerate(block.values):
            for c, value in enumerate(row):
                if not isinstance(value, int | float) or isinstance(value, bool):
                    free[block.sheet].add((block.row + r, block.col + c))
    return dict(free)
