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
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from kpixl.errors import WorkbookError
from kpixl.report import palette
from kpixl.report.design import STYLES, DesignCell, SheetDesign
from kpixl.workbook import styles
from kpixl.workbook.contract import COMPUTED_BY_KEY, GENERATED_MARK, normalise
from kpixl.workbook.grid import Block, CellValue, cell_address, column_letter
from kpixl.workbook.plan import ColouredRange, WritePlan

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


def check_designs(wb: Any, names: Iterable[str]) -> None:
    """Raise WorkbookError when a sheet of one of these names exists that kpixl did not make."""
    for name in names:
        existing = _existing(wb, name)
        if existing is not None and not is_generated(existing):
            raise WorkbookError(
                f"A sheet named {existing.title} exists that kpixl did not make; rename it (or "
                f"move its contents) so kpixl can write its own {name} sheet, then run again."
            )


def is_generated(ws: Any) -> bool:
    """Whether ``ws`` carries kpixl's sheet-scoped GENERATED_MARK name."""
    names = getattr(ws, "defined_names", None)
    return names is not None and GENERATED_MARK in names


def _existing(wb: Any, name: str) -> Any:
    """The sheet (worksheet or chartsheet) Excel would take as ``name`` (case-insensitive)."""
    for title in wb.sheetnames:
        if title.casefold() == name.casefold():
            return wb[title]
    return None


def draw_design(wb: Any, design: SheetDesign) -> Any:
    """Create the design's sheet, or replace kpixl's earlier one at the same position."""
    check_designs(wb, [design.name])
    existing = _existing(wb, design.name)
    index, code_name = None, None
    if existing is not None:
        index = wb.sheetnames.index(existing.title)
        code_name = existing.sheet_properties.codeName  # its VBA document module lives on
        wb.remove(existing)
    ws = wb.create_sheet(design.name, index)
    if code_name:
        ws.sheet_properties.codeName = code_name
    _Painter(ws).paint(design.cells)
    for merge in design.merges:
        _merge(ws, *merge)
    _colour_labels(ws, design.cells)
    _layout(ws, design)
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
    reference = f"{quote_sheetname(ws.title)}!$A$1"
    ws.defined_names.add(DefinedName(GENERATED_MARK, attr_text=reference))


class _Painter:
    """Writes design cells, building each (style, label, number format) look only once."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.looks: dict[tuple[str, str | None, str | None], Any] = {}

    def paint(self, cells: Iterable[DesignCell]) -> None:
        for design_cell in cells:
            cell = self.ws.cell(design_cell.row + 1, design_cell.col + 1)
            self._style(cell, design_cell)
            write_value(cell, design_cell.value)

    def _style(self, cell: Any, design_cell: DesignCell) -> None:
        style = design_cell.style if design_cell.style in STYLES else "text"
        label = None
        if style == "rag" and styles.is_label(design_cell.value):
            label = str(design_cell.value).strip().upper()
        key = (style, label, design_cell.number_format)
        look = self.looks.get(key)
        if look is not None:
            cell._style = copy(look)
            return
        for attribute, value in styles.DESIGN_STYLES[style].items():
            setattr(cell, attribute, value)
        if label is not None:
            cell.fill = styles.label_fill(label)
            cell.font = styles.label_font(label, size=cell.font.sz or 10)
        if design_cell.number_format:
            cell.number_format = design_cell.number_format
        self.looks[key] = copy(cell._style)


def _colour_labels(ws: Any, cells: Iterable[DesignCell]) -> None:
    """The same label rules as the computed columns on every ``rag`` cell, so edits recolour."""
    by_col: dict[int, list[int]] = {}
    for cell in cells:
        if cell.style == "rag":
            by_col.setdefault(cell.col, []).append(cell.row)
    ranges = []
    for col, rows in sorted(by_col.items()):
        for first, last in _runs(sorted(rows)):
            ranges.append(f"{cell_address(first, col)}:{cell_address(last, col)}")
    if ranges:
        styles.add_rag_formatting(ws, " ".join(ranges), "any")


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers grouped: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _layout(ws: Any, design: SheetDesign) -> None:
    """Widths, heights, page breaks and the print setup of a committee paper."""
    for col, width in design.column_widths.items():
        ws.column_dimensions[get_column_letter(col + 1)].width = width
    for row, height in design.row_heights.items():
        ws.row_dimensions[row + 1].height = height
    for row in design.row_breaks:
        ws.row_breaks.append(Break(id=row + 1))
    rows, cols = design.size
    if rows and cols:
        ws.print_area = f"A1:{cell_address(rows - 1, cols - 1)}"
    if design.print_title_rows is not None:
        first, last = design.print_title_rows
        ws.print_title_rows = f"{first + 1}:{last + 1}"
    setup = ws.page_setup
    setup.orientation = "landscape" if design.landscape else "portrait"
    setup.paperSize = ws.PAPERSIZE_A4
    if design.fit_to_width:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.sheet_view.showGridLines = False
    ws.sheet_properties.tabColor = palette.DARK_BLUE
    _footer(ws, design.footer)


def _footer(ws: Any, text: str) -> None:
    footer = ws.oddFooter
    for part, content in (
        (footer.center, text.replace("&", "&&")),
        (footer.right, "Page &P of &N"),
    ):
        if content:
            part.text, part.size, part.font = content, 8, palette.FONT_NAME
