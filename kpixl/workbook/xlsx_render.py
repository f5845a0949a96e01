"""Carry a WritePlan into an openpyxl workbook: computed columns, formats, colours, and the
generated sheets drawn from their SheetDesign.

Text is always written as text (never a formula); kpixl's own conditional-format rules are
replaced rather than added again on a re-run; a sheet kpixl did not make is never replaced.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from copy import copy
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from kpixl.errors import WorkbookError
from kpixl.report import rects
from kpixl.report.design import SheetDesign
from kpixl.report.look import PageSetup, SheetLook, Style, footer_codes, sheet_look
from kpixl.workbook import ownership, styles, xlsx_charts
from kpixl.workbook.contract import COMPUTED_BY_KEY, GENERATED_MARK, normalise
from kpixl.workbook.grid import Block, CellValue, SheetGrid, cell_address, column_letter
from kpixl.workbook.plan import ColouredRange, WritePlan
from kpixl.workbook.xlsx_io import Loaded

_SIDES = ("left", "right", "top", "bottom")

_FORMULA_LIKE = ("=", "+", "-", "@")
"""First characters that make Excel read typed text as a formula: such text gets quotePrefix."""
HEADER_MIN_WIDTH = 10.0


def apply_plan(wb: Any, plan: WritePlan) -> None:
    """Write the plan's computed columns (values, number formats, colours) into ``wb``.

    The plan's designs are drawn separately with ``draw_design``. A missing target sheet is
    refused before anything is written.
    """
    _check_sheets(wb, {b.sheet for b in plan.blocks} | {c.sheet for c in plan.coloured})
    for block in plan.blocks:
        _write_block(wb[block.sheet], block)
    for fmt in plan.formats:
        wb[fmt.sheet].cell(fmt.row + 1, fmt.col + 1).number_format = fmt.number_format
    for coloured in plan.coloured:
        colour_range(wb[coloured.sheet], coloured)


def write_value(cell: Any, value: CellValue) -> None:
    """Put ``value`` in ``cell``; a string always stays a string, whatever it starts with."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.value = text
        cell.data_type = "s"  # openpyxl makes "=..." a formula and "#N/A" an error
        if text[:1] in _FORMULA_LIKE:
            cell.quotePrefix = True
    elif isinstance(value, float) and not math.isfinite(value):
        cell.value = None
    else:
        cell.value = value


def _check_sheets(wb: Any, names: Iterable[str]) -> None:
    for name in sorted(names):
        if name not in wb.sheetnames:
            raise WorkbookError(f"The workbook has no sheet named {name!r} to write results to.")


def _write_block(ws: Any, block: Block) -> None:
    for i, values in enumerate(block.values):
        row = block.row + i + 1
        for j, value in enumerate(values):
            cell = ws.cell(row, block.col + j + 1)
            if isinstance(cell, MergedCell):
                raise WorkbookError(
                    f"Sheet {ws.title!r} cell {cell.coordinate} is part of merged cells, where "
                    "kpixl writes its computed columns: unmerge those cells and run again."
                )
            fresh = i == 0 and cell.value is None and not cell.has_style
            write_value(cell, value)
            if fresh and isinstance(value, str) and normalise(value) in COMPUTED_BY_KEY:
                _style_header(ws, cell, block.col)


def _style_header(ws: Any, cell: Any, left_col: int) -> None:
    """A new computed column's header: the style of the table's header cell left of the block."""
    if left_col > 0:
        left = ws.cell(cell.row, left_col)
        if left.has_style:
            cell._style = copy(left._style)
    letter = cell.column_letter
    if letter not in ws.column_dimensions or not ws.column_dimensions[letter].customWidth:
        width = max(HEADER_MIN_WIDTH, len(str(cell.value)) + 3.0)
        ws.column_dimensions[letter].width = width


def colour_range(ws: Any, coloured: ColouredRange) -> None:
    """Conditional formats for one column of labels, replacing kpixl's earlier rules there."""
    remove_kpixl_rules(ws, coloured.col, coloured.first_row, coloured.last_row)
    letter = column_letter(coloured.col)
    target = f"{letter}{coloured.first_row + 1}:{letter}{coloured.last_row + 1}"
    styles.add_rag_formatting(ws, target, coloured.kind)


def remove_kpixl_rules(ws: Any, col: int, first_row: int, last_row: int) -> None:
    """Drop kpixl-shaped label rules (``cellIs equal "GREEN"``...) on ranges that lie in column
    ``col`` and overlap the rows (a table that grew keeps no stale rules); others stay."""
    formats = ws.conditional_formatting
    for cf in list(formats):
        ranges = list(cf.sqref.ranges)
        if not all(
            r.min_col == r.max_col == col + 1
            and r.min_row <= last_row + 1
            and r.max_row > first_row
            for r in ranges
        ):
            continue
        rules = formats[cf]
        kept = [rule for rule in rules if not styles.is_kpixl_rule(rule)]
        if not kept:
            del formats._cf_rules[cf]
        else:
            rules[:] = kept


def check_designs(wb: Any, names: Iterable[str], book: str = "The workbook") -> None:
    """Raise WorkbookError when a sheet of one of these names exists that kpixl did not make."""
    ownership.check_replaceable(book, wb.sheetnames, generated(wb), names)


def generated(wb: Any) -> frozenset[str]:
    """The sheets of ``wb`` carrying kpixl's mark."""
    return frozenset(ws.title for ws in wb.worksheets if is_generated(ws))


def is_generated(ws: Any) -> bool:
    """Whether ``ws`` carries kpixl's sheet-scoped GENERATED_MARK name."""
    names = getattr(ws, "defined_names", None)
    return names is not None and any(ownership.is_mark(name) for name in names)


def draw_design(wb: Any, design: SheetDesign, book: str = "The workbook") -> Any:
    """Check ownership, then draw ``design`` (see :func:`draw`)."""
    check_designs(wb, [design.name], book)
    return draw(wb, sheet_look(design))


def draw(wb: Any, look: SheetLook) -> Any:
    """Create the sheet, or replace kpixl's earlier one at the same position, and mark it."""
    found = ownership.existing_sheet(wb.sheetnames, look.name)
    index, code_name = ownership.new_sheet_index(wb.sheetnames, look.after), None
    if found is not None:
        existing = wb[found]
        index = wb.sheetnames.index(found)
        code_name = existing.sheet_properties.codeName  # its VBA document module lives on
        wb.remove(existing)
    ws = wb.create_sheet(look.name, index)
    if code_name:
        ws.sheet_properties.codeName = code_name
    if look.hidden:
        ws.sheet_state = "hidden"
    _paint(ws, look)
    for merge in look.merges:
        _merge(ws, *merge)
    for rect, kind in _by_kind(look.coloured).items():
        styles.add_rag_formatting(ws, rect, kind)
    _layout(ws, look)
    for col in look.hidden_columns:
        ws.column_dimensions[get_column_letter(col + 1)].hidden = True
    page_setup(ws, look.page)
    xlsx_charts.add_charts(ws, look.charts)
    mark(ws)
    return ws


def _merge(ws: Any, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """``ws.merge_cells`` without its costs on a big dashboard.

    openpyxl checks each new merge against every earlier one (a design's merges never overlap:
    the builder refuses it) and fills the covered area with placeholder cells to copy borders
    onto. Only a merge whose first cell has a border (a heading's underline) needs those.
    """
    merged = MergedCellRange(
        ws, f"{cell_address(first_row, first_col)}:{cell_address(last_row, last_col)}"
    )
    ws.merged_cells.ranges.add(merged)
    border = merged.start_cell.border
    if any((side := getattr(border, name)) is not None and side.style for name in _SIDES):
        for position in merged.cells:
            if position != (merged.min_row, merged.min_col):
                ws._cells[position] = MergedCell(ws, *position)
        merged.format()  # the underline runs the width of the merge


def mark(ws: Any) -> None:
    """Give ``ws`` the sheet-scoped name that says kpixl generated it."""
    reference = ownership.mark_reference(ws.title)
    ws.defined_names.add(DefinedName(GENERATED_MARK, attr_text=reference))


def _paint(ws: Any, look: SheetLook) -> None:
    """Values and styles; each distinct style built once, then shared by its cells."""
    covered = {
        cell
        for merge in look.merges
        for cell in rects.cells_of(merge)
        if cell != (merge[0], merge[1])
    }
    built: dict[Style, Any] = {}
    for r, row in enumerate(look.values):
        for c, value in enumerate(row):
            style = look.cell_styles.get((r, c))
            if (r, c) in covered or (value is None and style is None):
                continue
            cell = ws.cell(r + 1, c + 1)
            if style is not None:
                if style in built:
                    cell._style = copy(built[style])
                else:
                    styles.style_cell(cell, style)
                    built[style] = copy(cell._style)
            write_value(cell, value)


def _by_kind(coloured: Iterable[tuple[rects.Rect, str]]) -> dict[str, str]:
    """Kind -> one space-separated multi-range reference (one rule set for all its areas)."""
    found: dict[str, list[str]] = {}
    for (r1, c1, r2, c2), kind in coloured:
        found.setdefault(kind, []).append(f"{cell_address(r1, c1)}:{cell_address(r2, c2)}")
    return {" ".join(refs): kind for kind, refs in found.items()}


def _layout(ws: Any, look: SheetLook) -> None:
    for col, width in look.column_widths.items():
        ws.column_dimensions[get_column_letter(col + 1)].width = width
    for row, height in look.row_heights.items():
        ws.row_dimensions[row + 1].height = height


def page_setup(ws: Any, page: PageSetup) -> None:
    """The neutral page setup as openpyxl's print settings and sheet properties."""
    for row in page.row_breaks:
        ws.row_breaks.append(Break(id=row + 1))
    if page.print_area is not None:
        r1, c1, r2, c2 = page.print_area
        ws.print_area = f"{cell_address(r1, c1)}:{cell_address(r2, c2)}"
    if page.print_title_rows is not None:
        first, last = page.print_title_rows
        ws.print_title_rows = f"{first + 1}:{last + 1}"
    setup = ws.page_setup
    setup.orientation = page.orientation
    setup.paperSize = {"A4": ws.PAPERSIZE_A4}[page.paper]
    if page.fit_to_width:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        setup.fitToWidth, setup.fitToHeight = 1, 0
    m = page.margins
    ws.page_margins = PageMargins(
        left=m.left, right=m.right, top=m.top, bottom=m.bottom, header=m.header, footer=m.footer
    )
    ws.print_options.horizontalCentered = page.centre_horizontally
    ws.sheet_view.showGridLines = page.gridlines
    if page.tab_colour:
        ws.sheet_properties.tabColor = page.tab_colour
    footer = ws.oddFooter
    for part, content in (
        (footer.center, footer_codes(page.footer_centre)),
        (footer.right, page.footer_right),
    ):
        if content:
            part.text, part.size, part.font = content, page.footer_font.size, page.footer_font.name


class FileBook:
    """The port (``kpixl.workbook.port.Book``) over a workbook file loaded with openpyxl."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded

    @property
    def name(self) -> str:
        return self.loaded.path.name

    def sheet_names(self) -> list[str]:
        return list(self.loaded.workbook.sheetnames)

    def generated(self) -> frozenset[str]:
        return generated(self.loaded.workbook)

    def read_grids(self) -> list[SheetGrid]:
        return list(self.loaded.grids)

    def write_computed(self, plan: WritePlan) -> None:
        apply_plan(self.loaded.workbook, plan)

    def draw(self, look: SheetLook) -> None:
        draw(self.loaded.workbook, look)
        self.loaded.sparklines[look.name] = look.sparklines
