"""kpixl's look as plain data: cell styles, label colours, number formats and page setup.

Every adapter (openpyxl file, live xlwings book, in-memory book, and any later package writer)
only translates what is here; none decides a font, a border or a margin of its own. Rows and
columns are 0-based; a rectangle is ``(first_row, first_col, last_row, last_col)``, inclusive.
Colours are ``RRGGBB`` hex strings. Nothing here imports openpyxl or xlwings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Final, Literal

from kpixl.core.units import normalise_unit
from kpixl.report.design import STYLES, LineChart, SheetDesign, Sparkline
from kpixl.report.palette import (
    BORDER_GREY,
    DARK_BLUE,
    FONT_NAME,
    HEADER_GREY,
    LABEL_COLOURS,
    LABELS_BY_KIND,
    NOTE_GREY,
    WHITE,
)
from kpixl.report.rects import Rect, rectangles
from kpixl.workbook.grid import CellValue

__all__ = [
    "DEFAULT_FONT",
    "DESIGN_STYLES",
    "GENERAL",
    "Borders",
    "Font",
    "LabelRule",
    "Margins",
    "PageSetup",
    "Rect",
    "SERIES_LOOKS",
    "SPARKLINE_LOOK",
    "SeriesLook",
    "SheetLook",
    "SparklineLook",
    "Side",
    "Style",
    "cell_style",
    "footer_codes",
    "label_colours",
    "label_rules",
    "number_format",
    "sheet_look",
]

GENERAL: Final = "General"
BorderStyle = Literal["thin", "medium", "thick", "dashed", "dotted", "double", "hair"]
Horizontal = Literal["left", "center", "right"]
Vertical = Literal["top", "center", "bottom"]


@dataclass(frozen=True)
class Side:
    """One side of a cell's border."""

    style: BorderStyle
    colour: str


@dataclass(frozen=True)
class Borders:
    left: Side | None = None
    right: Side | None = None
    top: Side | None = None
    bottom: Side | None = None

    def sides(self) -> dict[str, Side]:
        """The drawn sides by name (``left``, ``right``, ``top``, ``bottom``)."""
        found = {"left": self.left, "right": self.right, "top": self.top, "bottom": self.bottom}
        return {name: side for name, side in found.items() if side is not None}


@dataclass(frozen=True)
class Font:
    name: str = FONT_NAME
    size: float = 10
    bold: bool = False
    italic: bool = False
    colour: str | None = None  # None: the automatic (black) text colour


DEFAULT_FONT: Final = Font()


@dataclass(frozen=True)
class Style:
    """Everything a cell looks like. The default is kpixl's body text: Arial 10, no border."""

    font: Font = DEFAULT_FONT
    fill: str | None = None  # a solid fill colour; None: no fill
    borders: Borders = Borders()
    horizontal: Horizontal | None = None  # None: Excel's general alignment
    vertical: Vertical | None = None  # None: Excel's default (bottom)
    wrap: bool = False
    number_format: str = GENERAL

    def with_number_format(self, number_format: str | None) -> Style:
        return replace(self, number_format=number_format) if number_format else self


_THIN = Side("thin", BORDER_GREY)
_BOX = Borders(_THIN, _THIN, _THIN, _THIN)

_MARK = Style(Font(size=9), borders=_BOX, horizontal="center", vertical="center", wrap=True)

DESIGN_STYLES: Final[Mapping[str, Style]] = {
    "title": Style(Font(size=16, bold=True, colour=DARK_BLUE), vertical="center", wrap=True),
    "subtitle": Style(Font(size=12, colour=DARK_BLUE), vertical="center"),
    "heading": Style(
        Font(size=13, bold=True, colour=DARK_BLUE),
        borders=Borders(bottom=Side("medium", DARK_BLUE)),
        vertical="bottom",
    ),
    "area": Style(
        Font(size=11, bold=True, colour=WHITE), fill=DARK_BLUE, vertical="center", wrap=True
    ),
    "header": Style(
        Font(bold=True),
        fill=HEADER_GREY,
        borders=_BOX,
        horizontal="center",
        vertical="center",
        wrap=True,
    ),
    "label": Style(Font(bold=True), vertical="top"),
    "text": Style(vertical="top"),
    "wrap": Style(vertical="top", wrap=True),
    "cell": Style(borders=_BOX, vertical="center", wrap=True),
    "value": Style(borders=_BOX, horizontal="right", vertical="center", wrap=True),
    "rag": Style(Font(bold=True), borders=_BOX, horizontal="center", vertical="center"),
    "trend": _MARK,
    "spc": _MARK,
    "good": Style(
        Font(bold=True, colour=LABEL_COLOURS["Yes"][1]),
        fill=LABEL_COLOURS["Yes"][0],
        borders=_BOX,
        horizontal="center",
        vertical="center",
    ),
    "note": Style(Font(size=8, italic=True, colour=NOTE_GREY), vertical="top", wrap=True),
}
"""The look of each style name of :data:`kpixl.report.design.STYLES`."""
assert set(DESIGN_STYLES) == set(STYLES)


# ---------------------------------------------------------------- labels


@dataclass(frozen=True)
class LabelRule:
    """A conditional format: a cell whose text equals ``label`` (any case) gets this look."""

    label: str
    fill: str
    colour: str
    bold: bool = True


_BY_LOWER = {name.lower(): colours for name, colours in LABEL_COLOURS.items()}


def label_colours(value: object) -> tuple[str, str] | None:
    """(fill, text colour) of a RAG or alert label in any case; None for anything else."""
    return _BY_LOWER.get(value.strip().lower()) if isinstance(value, str) else None


_BOLD_KINDS = frozenset({"rag", "alert", "any"})
"""Kinds whose labels are bold (ratings); SPC labels and directions are longer, plain text."""


def label_rules(kind: str) -> tuple[LabelRule, ...]:
    """The rules for ``kind``: ``rag`` (GREEN/AMBER/RED), ``alert`` (Yes/Above/Below), ``any``
    (both), ``variation``, ``assurance``, ``spc`` (both) or ``direction`` (Dashboard arrows)."""
    if kind == "any":
        labels = (*LABELS_BY_KIND["rag"], *LABELS_BY_KIND["alert"])
    elif kind in LABELS_BY_KIND:
        labels = LABELS_BY_KIND[kind]
    else:
        known = ", ".join([*LABELS_BY_KIND, "any"])
        raise ValueError(f"unknown kind of coloured range {kind!r}: use one of {known}")
    bold = kind in _BOLD_KINDS
    return tuple(LabelRule(label, *LABEL_COLOURS[label], bold=bold) for label in labels)


# ---------------------------------------------------------------- numbers


def number_format(unit: str | None, decimals: int | None) -> str:
    """The format of an indicator's figures, in its row and on the Dashboard alike.

    ``0%``/``0.0%`` for %, ``0``/``0.0`` for Seconds (a duration reads without thousands
    separators), ``#,##0``/``#,##0.0`` otherwise; as many decimals as ``Decimals`` says.
    """
    fraction = "." + "0" * decimals if decimals else ""
    kind = normalise_unit(unit).lower()
    if kind == "%":
        return f"0{fraction}%"
    if kind == "seconds":
        return f"0{fraction}"
    return f"#,##0{fraction}"


# ---------------------------------------------------------------- page setup


@dataclass(frozen=True)
class Margins:
    """Page margins in inches (the unit both Excel's and openpyxl's page setup use)."""

    left: float = 0.4
    right: float = 0.4
    top: float = 0.5
    bottom: float = 0.6
    header: float = 0.3
    footer: float = 0.3


@dataclass(frozen=True)
class PageSetup:
    """How a sheet prints, and the sheet-level look on screen (gridlines, tab colour)."""

    orientation: Literal["landscape", "portrait"] = "landscape"
    paper: Literal["A4"] = "A4"
    fit_to_width: bool = True  # one page wide, as many tall as needed
    margins: Margins = Margins()
    print_area: Rect | None = None
    print_title_rows: tuple[int, int] | None = None  # rows repeated on every page
    row_breaks: tuple[int, ...] = ()  # a page break after each of these rows
    footer_centre: str = ""  # plain text (adapters escape ``&``)
    footer_right: str = "Page &P of &N"  # Excel header/footer codes
    footer_font: Font = Font(size=8)
    gridlines: bool = False  # on screen
    centre_horizontally: bool = True
    tab_colour: str | None = DARK_BLUE


def footer_codes(text: str) -> str:
    """Plain text as Excel header/footer code text: ``&`` doubled."""
    return text.replace("&", "&&")


# ---------------------------------------------------------------- sparklines and charts


@dataclass(frozen=True)
class SparklineLook:
    """How every sparkline is drawn: a line, the latest point marked, gaps for blanks."""

    line: str = DARK_BLUE
    latest: str = "C00000"
    weight: float = 1.25  # points


SPARKLINE_LOOK: Final = SparklineLook()


@dataclass(frozen=True)
class SeriesLook:
    """How a chart line of one role is drawn."""

    colour: str
    dash: Literal["solid", "dash", "sysDot"] = "solid"
    marker: bool = False
    width: float = 1.5  # points


SERIES_LOOKS: Final[Mapping[str, SeriesLook]] = {
    "value": SeriesLook(DARK_BLUE, marker=True, width=2.0),
    "target": SeriesLook("00B050", "dash"),
    "floor": SeriesLook("C00000", "dash"),
    "mean": SeriesLook("7F7F7F"),
    "limit": SeriesLook("7F7F7F", "sysDot", width=1.0),
}
"""The look of each :class:`~kpixl.report.design.ChartSeries` role."""


# ---------------------------------------------------------------- a whole generated sheet


@dataclass(frozen=True)
class SheetLook:
    """A generated sheet resolved to looks: values, each cell's style, merges, print setup.

    ``distinct_styles`` groups the styled cells by style (one cell format each, for a
    writer that keeps a table of them)."""

    name: str
    values: tuple[tuple[CellValue, ...], ...]
    cell_styles: Mapping[tuple[int, int], Style]  # every styled cell (merged areas in full)
    merges: tuple[Rect, ...] = ()
    column_widths: Mapping[int, float] = field(default_factory=dict)
    row_heights: Mapping[int, float] = field(default_factory=dict)
    coloured: tuple[tuple[Rect, str], ...] = ()  # label rules (kind) over these rectangles
    page: PageSetup = PageSetup()
    sparklines: tuple[Sparkline, ...] = ()  # drawn as SPARKLINE_LOOK says
    charts: tuple[LineChart, ...] = ()  # each series drawn as SERIES_LOOKS[role] says
    hidden_columns: tuple[int, ...] = ()
    hidden: bool = False
    """Drawn hidden (Excel's "hidden" sheet state, not "very hidden": Unhide shows it)."""
    after: str | None = None
    """Where a new sheet goes: right after this sheet when the book has it, else last. A
    sheet being replaced keeps its place."""

    @property
    def size(self) -> tuple[int, int]:
        return len(self.values), max((len(row) for row in self.values), default=0)

    def distinct_styles(self) -> dict[Style, list[tuple[int, int]]]:
        """Each style used, with its cells in row order."""
        found: dict[Style, list[tuple[int, int]]] = {}
        for key in sorted(self.cell_styles):
            found.setdefault(self.cell_styles[key], []).append(key)
        return found


@cache
def cell_style(style: str, number_format: str | None = None) -> Style:
    """The look of a design cell of style name ``style`` (unknown names read as ``text``)."""
    return DESIGN_STYLES.get(style, DESIGN_STYLES["text"]).with_number_format(number_format)


def sheet_look(design: SheetDesign) -> SheetLook:
    """Resolve ``design`` to looks. A merged area takes its first cell's style throughout."""
    styled: dict[tuple[int, int], Style] = {
        (c.row, c.col): cell_style(c.style, c.number_format) for c in design.cells
    }
    for first_row, first_col, last_row, last_col in design.merges:
        owner = styled.get((first_row, first_col))
        if owner is not None:
            for row in range(first_row, last_row + 1):
                for col in range(first_col, last_col + 1):
                    styled[row, col] = owner
    rows, cols = design.size
    if design.print_columns is not None:
        cols = min(cols, design.print_columns)
    return SheetLook(
        name=design.name,
        values=tuple(tuple(row) for row in design.grid()),
        cell_styles=styled,
        merges=design.merges,
        column_widths=dict(design.column_widths),
        row_heights=dict(design.row_heights),
        coloured=_label_areas(design),
        page=PageSetup(
            orientation="landscape" if design.landscape else "portrait",
            fit_to_width=design.fit_to_width,
            print_area=(0, 0, rows - 1, cols - 1) if rows and cols else None,
            print_title_rows=design.print_title_rows,
            row_breaks=design.row_breaks,
            footer_centre=design.footer,
        ),
        sparklines=design.sparklines,
        charts=design.charts,
        hidden_columns=design.hidden_columns,
        hidden=design.hidden,
        after=design.after,
    )


_KIND_OF_STYLE: Final[Mapping[str, str]] = {"rag": "any", "trend": "direction", "spc": "spc"}
"""The label rules each coloured style's cells get."""


def _label_areas(design: SheetDesign) -> tuple[tuple[Rect, str], ...]:
    """Every ``rag``, ``trend`` and ``spc`` cell gets its kind's label rules: a label's colours
    come from the rules alone (in Excel and LibreOffice alike), so a label typed there
    recolours too."""
    labels = {(c.row, c.col) for c in design.cells if label_colours(c.value) is not None}
    found: list[tuple[Rect, str]] = []
    for style, kind in _KIND_OF_STYLE.items():
        cells = [(c.row, c.col) for c in design.cells if c.style == style]
        # a rule changes only a cell whose whole text is a label: areas may take in the others
        found += [(rect, kind) for rect in rectangles(cells, _Except(labels))]
    return tuple(found)


@dataclass(frozen=True)
class _Except:
    """Every cell but these."""

    cells: set[tuple[int, int]]

    def __contains__(self, cell: object) -> bool:
        return cell not in self.cells
