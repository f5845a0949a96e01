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
    "trend",  # a direction of travel (arrow and word): centred, wrapped, coloured by value
    "spc",  # an SPC Variation or Assurance label: centred, wrapped, coloured by value
)


@dataclass(frozen=True)
class DesignCell:
    row: int
    col: int
    value: CellValue
    style: str = "text"
    number_format: str | None = None


Rect = tuple[int, int, int, int]  # (first_row, first_col, last_row, last_col), inclusive


@dataclass(frozen=True)
class Sparkline:
    """An in-cell line chart in ``(row, col)`` over the values of ``data`` (one row of the same
    sheet, oldest first), the latest point marked (SPEC 8.5)."""

    row: int
    col: int
    data: Rect


@dataclass(frozen=True)
class ChartSeries:
    """One line of a chart: its legend name and the one-row range of the same sheet holding its
    values (blank cells are gaps). ``role`` says how it is drawn (see ``kpixl.report.look``)."""

    name: str
    values: Rect
    role: str  # "value", "target", "floor", "mean", "limit"


@dataclass(frozen=True)
class LineChart:
    """A small line chart whose top-left corner sits on cell ``anchor``; ``categories`` is the
    one-row range of period labels its series run over."""

    title: str
    anchor: tuple[int, int]
    categories: Rect
    series: tuple[ChartSeries, ...]
    width_cm: float = 12.5
    height_cm: float = 6.5
    number_format: str | None = None  # of the value axis


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
    sparklines: tuple[Sparkline, ...] = ()
    charts: tuple[LineChart, ...] = ()
    hidden_columns: tuple[int, ...] = ()  # helper data the sparklines read
    print_columns: int | None = None  # columns 0..n-1 print (None: every column used)
    hidden: bool = False  # a sheet kept for kpixl, not shown in the tab bar
    after: str | None = None  # a new sheet goes right after this one, when the book has it

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
