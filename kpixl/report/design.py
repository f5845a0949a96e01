"""A generated sheet as data: cells with style names, merges, widths and print setup.

The Summary and Dashboard are designed here once and drawn by each adapter (openpyxl for
files, xlwings for a live book), so their layout has a single source. Rows and columns are
0-based. Style names are a small fixed vocabulary (``STYLES``) that adapters map to fonts,
fills and borders; a cell whose value is a RAG or alert label is coloured by that label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpixl.workbook.grid import CellValue

STYLES = (
    "title",  # report title: large, bold
    "subtitle",  # "Results up to Oct 2023", "Produced by ..."
    "heading",  # a section heading such as "Key Performance Indicator Summary"
    "area",  # a service-area band: bold, dark fill, white text
    "header",  # table column header: bold, light fill, border, wrapped
    "label",  # a label in a header block (Director, Cabinet Member): bold
    "text",  # plain text, top-aligned
    "wrap",  # text that wraps inside merged cells (descriptions, commentary)
    "cell",  # text inside a table (Ref, description): boxed like the figures, wrapped
    "value",  # a figure in a table (number format from the cell), right-aligned, border
    "rag",  # GREEN / AMBER / RED / N/A, and Yes / Above / Below: centred, coloured by value
    "good",  # an alert on the side its Polarity says is better (Below, lower is better): green
    "note",  # footnotes: small, italic
)


@dataclass(frozen=True)
class DesignCell:
    row: int
    col: int
    value: CellValue
    style: str = "text"
    number_format: str | None = None


@dataclass(frozen=True)
class SheetDesign:
    """Everything needed to draw one generated sheet."""

    name: str
    cells: tuple[DesignCell, ...]
    merges: tuple[tuple[int, int, int, int], ...] = ()  # (first_row, first_col, last_row, last_col)
    column_widths: dict[int, float] = field(default_factory=dict)  # in Excel character units
    row_heights: dict[int, float] = field(default_factory=dict)  # in points
    row_breaks: tuple[int, ...] = ()  # a page break is placed after each of these rows
    print_title_rows: tuple[int, int] | None = None  # rows repeated at the top of each page
    landscape: bool = True
    fit_to_width: bool = True
    footer: str = ""  # centre footer text, e.g. "Produced by Kent Analytics"

    @property
    def size(self) -> tuple[int, int]:
        """(rows, columns) spanned by the design."""
        rows = max((c.row for c in self.cells), default=-1) + 1
        cols = max((c.col for c in self.cells), default=-1) + 1
        for _, _, last_row, last_col in self.merges:
            rows, cols = max(rows, last_row + 1), max(cols, last_col + 1)
        return rows, cols

    def grid(self) -> list[list[CellValue]]:
        """The values as one rectangle, for a single bulk write."""
        rows, cols = self.size
        values: list[list[CellValue]] = [[None] * cols for _ in range(rows)]
        for cell in self.cells:
            values[cell.row][cell.col] = cell.value
        return values
