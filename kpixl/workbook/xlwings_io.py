"""Carry grids and a :class:`WritePlan` between kpixl and a live xlwings ``Book``.

The number of calls into Excel grows with sheets and sections, never with cells: each sheet is
read in one bulk call, each block written in one, and number formats and styles are applied to
rectangles of cells that share them (see ``rectangles``). Nothing here decides a value.

Decisions:

* Text is written with a leading apostrophe, which Excel stores as a text prefix: without it
  Excel reads ``=...`` as a formula and ``Oct-23``, ``1/2`` or ``65%`` as dates and numbers.
* A generated sheet is recognised by the sheet-scoped name ``GENERATED_MARK`` referring to a
  cell of that sheet (Office.js only reports names that refer to ranges). A Summary or
  Dashboard sheet without it is never touched.
* RAG colours of the computed columns come from the template's conditional formats; on the
  generated sheets they are conditional formats too: six rules per sheet, whatever its size.
* Page setup (orientation, fit to width, print titles, footer, page breaks) needs ``.api``
  and is applied on Windows desktop Excel only.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any

import xlwings as xw

from kpixl.errors import WorkbookError
from kpixl.report.design import DesignCell, SheetDesign
from kpixl.report.palette import DARK_BLUE, FONT_NAME, HEADER_GREY, LABEL_COLOURS, NOTE_GREY, WHITE
from kpixl.workbook import contract
from kpixl.workbook.grid import Block, CellValue, SheetGrid
from kpixl.workbook.plan import CellFormat, WritePlan

__all__ = [
    "DESIGN_LOOKS",
    "LABEL_COLOURS",
    "Rectangle",
    "check_designs_allowed",
    "draw_design",
    "excel_value",
    "is_generated",
    "read_grids",
    "rectangles",
    "write_plan",
]

Rectangle = tuple[int, int, int, int]
"""(first_row, first_col, last_row, last_col), 0-based and inclusive."""

DESIGN_LOOKS: dict[str, dict[str, Any]] = {
    # style -> font (bold, size, colour, italic), fill, wrap; "text" and "value" are the default
    "title": {"bold": True, "size": 16, "colour": DARK_BLUE},
    "subtitle": {"size": 12, "colour": DARK_BLUE},
    "heading": {"bold": True, "size": 13, "colour": DARK_BLUE},
    "area": {"bold": True, "size": 11, "colour": WHITE, "fill": DARK_BLUE, "wrap": True},
    "header": {"bold": True, "fill": HEADER_GREY, "wrap": True},
    "label": {"bold": True},
    "wrap": {"wrap": True},
    "cell": {"wrap": True},
    "rag": {"bold": True},
    "note": {"size": 8, "italic": True, "colour": NOTE_GREY, "wrap": True},
}


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


# ---------------------------------------------------------------- writing


def excel_value(value: CellValue) -> CellValue:
    """``value`` as written to Excel: text gets the apostrophe prefix so it stays text."""
    if isinstance(value, str):
        return f"'{value}" if value else None
    return value


def write_plan(book: xw.Book, plan: WritePlan) -> None:
    """Write every block, number format and generated sheet of ``plan`` to ``book``.

    Generated sheets are checked first: nothing is written when one would overwrite a sheet
    kpixl did not make.
    """
    check_designs_allowed(book, [design.name for design in plan.designs])
    for block in plan.blocks:
        _write_block(book.sheets[block.sheet], block)
    free = _not_numbers(plan.blocks)
    for (sheet, number_format), cells in _formats_by_sheet(plan.formats).items():
        for rectangle in rectangles(cells, free.get(sheet, set())):
            _range(book.sheets[sheet], rectangle).number_format = number_format
    for design in plan.designs:
        draw_design(book, design)


def _write_block(sheet: xw.Sheet, block: Block) -> None:
    width = max((len(row) for row in block.values), default=0)
    if width == 0:
        return
    rows = [[excel_value(v) for v in row] + [None] * (width - len(row)) for row in block.values]
    sheet.range((block.row + 1, block.col + 1)).value = rows


def _not_numbers(blocks: Iterable[Block]) -> dict[str, set[tuple[int, int]]]:
    """Cells of the blocks that hold no number: their number format does not matter."""
    free: defaultdict[str, set[tuple[int, int]]] = defaultdict(set)
    for block in blocks:
        for r, row in enumerate(block.values):
            for c, value in enumerate(row):
                if not _is_number(value):
                    free[block.sheet].add((block.row + r, block.col + c))
    return dict(free)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _formats_by_sheet(
    formats: Iterable[CellFormat],
) -> dict[tuple[str, str], list[tuple[int, int]]]:
    grouped: defaultdict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for cell in formats:
        grouped[cell.sheet, cell.number_format].append((cell.row, cell.col))
    return dict(grouped)


def rectangles(
    cells: Iterable[tuple[int, int]], free: Collection[tuple[int, int]] = ()
) -> list[Rectangle]:
    """Cover ``cells`` with few rectangles: runs along each row, stacked when equal.

    A run may bridge a gap in its row made only of ``free`` cells (ones the property does not
    matter for, such as a number format on a text cell), so fewer calls cover the same cells.
    """
    by_row: defaultdict[int, list[int]] = defaultdict(list)
    for row, col in set(cells):
        by_row[row].append(col)
    done: list[Rectangle] = []
    open_: dict[tuple[int, int], Rectangle] = {}  # (first_col, last_col) -> growing rectangle
    for row in sorted(by_row):
        runs = _runs(row, sorted(by_row[row]), free)
        for key, rect in list(open_.items()):
            if key not in runs or rect[2] != row - 1:
                done.append(open_.pop(key))
        for first, last in runs:
            top = open_[first, last][0] if (first, last) in open_ else row
            open_[first, last] = (top, first, row, last)
    return sorted([*done, *open_.values()])


def _runs(
    row: int, cols: Sequence[int], free: Collection[tuple[int, int]]
) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for col in cols:
        if runs and all((row, gap) in free for gap in range(runs[-1][1] + 1, col)):
            runs[-1] = (runs[-1][0], col)
        else:
            runs.append((col, col))
    return runs


def _range(sheet: xw.Sheet, rect: Rectangle) -> xw.Range:
    first_row, first_col, last_row, last_col = rect
    return sheet.range((first_row + 1, first_col + 1), (last_row + 1, last_col + 1))


# ---------------------------------------------------------------- generated sheets


def is_generated(sheet: xw.Sheet) -> bool:
    """Whether ``sheet`` carries kpixl's sheet-scoped ``GENERATED_MARK`` name."""
    mark = contract.GENERATED_MARK.casefold()
    return any(name.name.rsplit("!", 1)[-1].casefold() == mark for name in sheet.names)


def check_designs_allowed(book: xw.Book, names: Sequence[str]) -> None:
    """Raise WorkbookError when a sheet called one of ``names`` exists and kpixl did not make it."""
    for name in names:
        sheet = _find_sheet(book, name)
        if sheet is not None and not is_generated(sheet):
            raise _foreign_sheet(book, sheet, name)


def _foreign_sheet(book: xw.Book, sheet: xw.Sheet, name: str) -> WorkbookError:
    return WorkbookError(
        f"{book.name}: it already has a sheet named {sheet.name!r} that kpixl did not make; "
        "rename or delete that sheet and press the button again (kpixl replaces its own "
        f"{name} sheet on every run)."
    )


def _find_sheet(book: xw.Book, name: str) -> xw.Sheet | None:
    for sheet in book.sheets:
        if sheet.name.casefold() == name.casefold():
            return sheet
    return None


def draw_design(book: xw.Book, design: SheetDesign) -> None:
    """Create or clear the design's sheet, write its grid in one call, then style it."""
    sheet = _find_sheet(book, design.name)
    if sheet is None:
        sheet = book.sheets.add(design.name, after=book.sheets[len(book.sheets) - 1])
        sheet.names.add(contract.GENERATED_MARK, f"='{design.name}'!$A$1")
    elif is_generated(sheet):
        sheet.clear()
    else:
        raise _foreign_sheet(book, sheet, design.name)
    rows, cols = design.size
    if rows == 0 or cols == 0:
        return
    grid = [[excel_value(value) for value in row] for row in design.grid()]
    sheet.range((1, 1)).value = grid
    whole = sheet.range((1, 1), (rows, cols))
    whole.font.name = FONT_NAME
    whole.font.size = 10
    _style(sheet, design)
    _merge(sheet, design.merges)
    for (first, last), width in _equal_runs(design.column_widths):
        sheet.range((1, first + 1), (1, last + 1)).column_width = width
    for (first, last), height in _equal_runs(design.row_heights):
        sheet.range((first + 1, 1), (last + 1, 1)).row_height = height
    _label_colours(sheet, design)
    if sys.platform == "win32" and book.app.engine.name == "excel":
        _page_setup_windows(sheet, design)


def _style(sheet: xw.Sheet, design: SheetDesign) -> None:
    """One call per (property, value) and rectangle: bold cells, wrapped cells, fills..."""
    owner: dict[tuple[int, int], DesignCell] = {(c.row, c.col): c for c in design.cells}
    for first_row, first_col, last_row, last_col in design.merges:
        top_left = owner.get((first_row, first_col))
        if top_left is not None:
            for row in range(first_row, last_row + 1):
                for col in range(first_col, last_col + 1):
                    owner[row, col] = top_left
    rows, cols = design.size
    everywhere = {(row, col) for row in range(rows) for col in range(cols)}
    empty = everywhere - owner.keys()
    no_number = {
        key for key in everywhere if not _is_number(owner[key].value if key in owner else None)
    }
    wanted: defaultdict[tuple[str, Any], list[tuple[int, int]]] = defaultdict(list)
    for key, cell in owner.items():
        for prop, value in DESIGN_LOOKS.get(cell.style, {}).items():
            wanted[prop, value].append(key)
        if cell.number_format:
            wanted["number_format", cell.number_format].append(key)
    for (prop, value), cells in wanted.items():
        free = no_number if prop == "number_format" else () if prop == "fill" else empty
        for rect in rectangles(cells, free):
            _set(_range(sheet, rect), prop, value)


def _set(target: xw.Range, prop: str, value: Any) -> None:
    if prop == "number_format":
        target.number_format = value
    elif prop == "fill":
        target.color = f"#{value}"
    elif prop == "wrap":
        target.wrap_text = value
    elif prop == "colour":
        target.font.color = f"#{value}"
    else:  # bold, italic, size
        setattr(target.font, prop, value)


def _merge(sheet: xw.Sheet, merges: Sequence[Rectangle]) -> None:
    """Merge; one-row merges with the same columns on consecutive rows in one call (across)."""
    spans: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    for first_row, first_col, last_row, last_col in merges:
        if first_row == last_row:
            spans[first_col, last_col].append(first_row)
        else:
            _range(sheet, (first_row, first_col, last_row, last_col)).merge()
    for (first_col, last_col), rows in spans.items():
        for first, last in _runs(0, sorted(rows), ()):
            _range(sheet, (first, first_col, last, last_col)).merge(across=True)


def _label_colours(sheet: xw.Sheet, design: SheetDesign) -> None:
    """One conditional-format rule per label over the span of the design's label cells."""
    cells = [(c.row, c.col) for c in design.cells if c.style == "rag"]
    if not cells:
        return
    span = _range(
        sheet,
        (
            min(r for r, _ in cells),
            min(c for _, c in cells),
            max(r for r, _ in cells),
            max(c for _, c in cells),
        ),
    )
    for label, (fill, text) in LABEL_COLOURS.items():
        span.conditional_formats.add_cell_value(
            "equal_to", f'"{label}"', fill_color=f"#{fill}", font_color=f"#{text}", font_bold=True
        )


def _equal_runs(sizes: dict[int, float]) -> list[tuple[tuple[int, int], float]]:
    """Consecutive indices with the same size, as ((first, last), size)."""
    runs: list[tuple[tuple[int, int], float]] = []
    for index in sorted(sizes):
        size = sizes[index]
        if runs and runs[-1][0][1] == index - 1 and runs[-1][1] == size:
            runs[-1] = ((runs[-1][0][0], index), size)
        else:
            runs.append(((index, index), size))
    return runs


def _page_setup_windows(sheet: xw.Sheet, design: SheetDesign) -> None:
    """Orientation, fit to one page wide, print titles, footer and page breaks (Excel COM)."""
    api = sheet.api
    api.ResetAllPageBreaks()
    setup = api.PageSetup
    setup.Orientation = 2 if design.landscape else 1  # xlLandscape / xlPortrait
    if design.fit_to_width:
        setup.Zoom = False
        setup.FitToPagesWide = 1
        setup.FitToPagesTall = False
    if design.print_title_rows is not None:
        first, last = design.print_title_rows
        setup.PrintTitleRows = f"${first + 1}:${last + 1}"
    setup.CenterFooter = design.footer.replace("&", "&&")
    for row in design.row_breaks:
        api.HPageBreaks.Add(Before=sheet.range((row + 2, 1)).api)
