"""Where the printed pages of a generated sheet break, decided by kpixl rather than left to the
spreadsheet, so a committee paper never ends a page on a heading or splits a table from its
column headings.

A sheet is printed fit to one page wide, so every page holds the same height of sheet rows:
the printable height of the paper divided by the scale that makes the columns fit. The sheet
designs declare *blocks* (a heading with its table, a commentary paragraph...); this module
places them page by page:

* a block that fits in what is left of the page stays there;
* one that does not, but fits on a page of its own, starts a new page;
* one longer than a page starts a new page and is split between rows, never in its first
  rows (heading, column headings and the first row stay together); where the split falls
  among the table's rows, the column headings are repeated at the top of the next page.

The sizes are Excel's: a column ``w`` characters wide is ``7w + 5`` pixels (Arial 10 and
Calibri 11 both have 7-pixel digits), a row without a height is 12.75 points, a pixel is
0.75 points. A safety margin keeps kpixl's breaks ahead of the application's own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kpixl.report.design import DesignCell, SheetDesign

DEFAULT_ROW_POINTS = 12.75
DEFAULT_COLUMN_WIDTH = 8.43
SAFETY = 0.95
"""Share of a page kpixl fills, so a slightly taller rendering never adds a break of its own."""


@dataclass(frozen=True)
class Paper:
    """A paper size and the margins of kpixl's papers, in points (72 to the inch)."""

    width: float = 841.89  # A4 landscape
    height: float = 595.28
    left: float = 0.4 * 72
    right: float = 0.4 * 72
    top: float = 0.5 * 72
    bottom: float = 0.6 * 72
    header: float = 0.3 * 72
    footer: float = 0.3 * 72

    @property
    def printable_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def printable_height(self) -> float:
        return self.height - self.top - self.bottom


A4_LANDSCAPE = Paper()
A4_PORTRAIT = Paper(width=A4_LANDSCAPE.height, height=A4_LANDSCAPE.width)


@dataclass(frozen=True)
class Block:
    """Rows that belong together on paper (0-based, inclusive).

    ``keep`` rows from the top are never split from each other (a heading, the column headings
    and the first row). ``heading_rows`` are repeated above the continuation when the block is
    split at a row up to ``repeat_until``.
    """

    first: int
    last: int
    keep: int = 1
    heading_rows: tuple[int, int] | None = None
    repeat_until: int = -1


def column_points(width: float) -> float:
    """A column ``width`` characters wide, in points."""
    return (7 * width + 5) * 0.75


def scale(design: SheetDesign, paper: Paper) -> float:
    """The print scale that fits the design's columns to one page wide (never above 1)."""
    if not design.fit_to_width:
        return 1.0
    columns = max(design.size[1], max(design.column_widths, default=-1) + 1)
    if design.print_columns is not None:
        columns = min(columns, design.print_columns)
    total = sum(
        column_points(design.column_widths.get(col, DEFAULT_COLUMN_WIDTH)) for col in range(columns)
    )
    if total <= paper.printable_width:
        return 1.0
    return math.floor(paper.printable_width / total * 100) / 100  # Excel scales in whole percent


def page_rows_height(design: SheetDesign, paper: Paper) -> float:
    """How many points of sheet rows one page holds, the repeated title rows taken off."""
    available = paper.printable_height / scale(design, paper) * SAFETY
    if design.print_title_rows is not None:
        first, last = design.print_title_rows
        available -= sum(row_height(design, row) for row in range(first, last + 1))
    return available


def row_height(design: SheetDesign, row: int) -> float:
    return design.row_heights.get(row, DEFAULT_ROW_POINTS)


def paginate(design: SheetDesign, blocks: Sequence[Block], paper: Paper) -> SheetDesign:
    """``design`` with page breaks (and repeated column headings) placed as described above.

    The design's own breaks (one per service area, say) are kept: a page starts there anyway.
    Rows outside every block are placed as they come.
    """
    capacity = page_rows_height(design, paper)
    forced = set(design.row_breaks)
    by_first = {block.first: block for block in blocks}
    breaks: list[int] = []
    insertions: list[tuple[int, tuple[int, int]]] = []  # (before row, heading rows to copy)
    used = 0.0
    rows, _ = design.size
    start = design.print_title_rows[1] + 1 if design.print_title_rows else 0
    row = start
    while row < rows:
        block = by_first.get(row) or Block(row, row)
        height = sum(row_height(design, r) for r in range(block.first, block.last + 1))
        if used + height <= capacity:
            used += height
        elif height <= capacity:
            breaks.append(block.first - 1)
            used = height
        else:
            if used:
                breaks.append(block.first - 1)
            used = _split(design, block, capacity, 0.0, breaks, insertions)
        if block.last in forced:
            breaks.append(block.last)
            used = 0.0
        row = block.last + 1
    filled = {cell.row for cell in design.cells}
    placed = sorted(set(breaks) | forced)
    placed = [b for b in placed if not (b - 1 in placed and b not in filled)]  # no empty page
    return _with_breaks(design, placed, insertions)


def _split(
    design: SheetDesign,
    block: Block,
    capacity: float,
    used: float,
    breaks: list[int],
    insertions: list[tuple[int, tuple[int, int]]],
) -> float:
    """Place a block longer than a page; returns the height used on its last page."""
    headings = 0.0
    if block.heading_rows is not None:
        first, last = block.heading_rows
        headings = sum(row_height(design, r) for r in range(first, last + 1))
    for row in range(block.first, block.last + 1):
        height = row_height(design, row)
        if used + height > capacity and row >= block.first + block.keep:
            breaks.append(row - 1)
            used = 0.0
            if block.heading_rows is not None and row <= block.repeat_until:
                insertions.append((row, block.heading_rows))
                used = headings
        used += height
    return used


def _with_breaks(
    design: SheetDesign, breaks: list[int], insertions: list[tuple[int, tuple[int, int]]]
) -> SheetDesign:
    """Apply the breaks, inserting copies of heading rows (later rows move down)."""
    if not insertions:
        return replace(design, row_breaks=tuple(b for b in breaks if b >= 0))
    cells = list(design.cells)
    rows = [cell.row for cell in cells]  # each cell's row as the insertions move it
    merges = list(design.merges)
    sparklines = list(design.sparklines)
    heights = dict(design.row_heights)
    shifted_breaks = [b for b in breaks if b >= 0]
    for at, (first, last) in sorted(insertions, reverse=True):
        count = last - first + 1

        def move(row: int, at: int = at, count: int = count) -> int:
            return row + count if row >= at else row

        copied = [i for i, row in enumerate(rows) if first <= row <= last]
        copied_rows = [at + rows[i] - first for i in copied]
        copied_merges = [
            (at + r0 - first, c0, at + r1 - first, c1)
            for r0, c0, r1, c1 in merges
            if first <= r0 and r1 <= last
        ]
        rows = [row + count if row >= at else row for row in rows]
        rows.extend(copied_rows)
        cells.extend(cells[i] for i in copied)
        merges = [(move(r0), c0, move(r1), c1) for r0, c0, r1, c1 in merges] + copied_merges
        sparklines = [
            replace(
                s, row=move(s.row), data=(move(s.data[0]), s.data[1], move(s.data[2]), s.data[3])
            )
            for s in sparklines
        ]  # a sparkline moves with its row, and its data (in that row) with it
        heights = {move(row): height for row, height in heights.items()}
        heights.update(
            {at + row - first: design.row_heights[row] for row in range(first, last + 1)
             if row in design.row_heights}
        )  # fmt: skip
        shifted_breaks = [move(b + 1) - 1 if b >= at else b for b in shifted_breaks]
    cells = [
        cell if cell.row == row else replace(cell, row=row)
        for cell, row in zip(cells, rows, strict=True)
    ]
    ordered: tuple[DesignCell, ...] = tuple(sorted(cells, key=lambda c: (c.row, c.col)))
    return replace(
        design,
        cells=ordered,
        merges=tuple(merges),
        sparklines=tuple(sparklines),
        row_heights=dict(sorted(heights.items())),
        row_breaks=tuple(sorted(set(shifted_breaks))),
    )
