"""The neutral look (``kpixl.report.look``) translated to calls on a live xlwings sheet.

Calls grow with sheets and distinct styles, not with cells: cells are grouped by each property
they share (font name, bold, fill, borders, alignment, number format...), each group is
covered by few rectangles (``kpixl.report.rects``), and where Excel takes a multi-area address
(desktop Excel for Windows) a whole group goes in one call, ``sheet.range("A1:B2,D5:E9")`` (up
to 255 characters, Excel's limit for an address; longer ones through a temporary name, whose
reference may be 8,192 characters long). Other engines take one call per rectangle: xlwings'
remote engine reads only the first area of a multi-area address (a union of cells such as
``"A1,C1"`` lands on A1 alone; one of ranges, ``"A1:A3,C1:C3"``, is refused). macOS Excel is
given rectangles too (its AppleScript bridge is not known to take unions). ``Canvas.tally``
counts both forms wherever kpixl runs.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import xlwings as xw

from kpixl.report.look import (
    DEFAULT_FONT,
    GENERAL,
    Borders,
    LabelRule,
    SheetLook,
    Style,
    label_rules,
)
from kpixl.report.rects import Rect, consecutive, rectangles
from kpixl.workbook.grid import cell_address

ADDRESS_LIMIT = 255
"""Excel refuses longer address strings in ``Range(...)``."""

_WEIGHTS = {"thin": "thin", "medium": "medium", "thick": "thick", "hair": "hairline"}
_LINES = {"dashed": "dash", "dotted": "dot", "double": "double"}
_EDGES = {"left": "edge_left", "right": "edge_right", "top": "edge_top", "bottom": "edge_bottom"}
_INSIDE = {"left": "inside_vertical", "top": "inside_horizontal"}


def takes_unions(book: xw.Book) -> bool:
    """Whether one call may carry a multi-area address (desktop Excel for Windows)."""
    return sys.platform == "win32" and book.app.engine.name == "excel"


@dataclass
class Tally:
    """Write calls made on this engine, and what the same work costs in multi-area calls
    (desktop Excel for Windows), so both can be measured wherever kpixl runs; number-format
    calls also on their own (``formats``, ``union_formats``)."""

    calls: int = 0
    union_calls: int = 0
    formats: int = 0
    union_formats: int = 0

    def add(self, calls: int, union_calls: int | None = None, formats: bool = False) -> None:
        union = calls if union_calls is None else union_calls
        self.calls += calls
        self.union_calls += union
        if formats:
            self.formats += calls
            self.union_formats += union


@dataclass
class Canvas:
    """One sheet being written: its ranges, by rectangles or multi-area pieces."""

    sheet: xw.Sheet
    unions: bool
    tally: Tally = field(default_factory=Tally)

    def areas(
        self, rects: Sequence[Rect], per_range: int = 1, formats: bool = False
    ) -> Iterator[xw.Range]:
        """Ranges covering ``rects``; ``per_range`` calls will be made on each.

        In multi-area form an address longer than Excel takes in ``Range(...)`` goes through
        a temporary sheet-scoped name (a name's reference may be a formula's length long):
        two calls more, to add the name and to delete it after use.
        """
        pieces = union_pieces(self.sheet.name, rects)
        union = sum(per_range + (2 if named else 0) for _, named in pieces)
        if not self.unions:
            self.tally.add(per_range * len(rects), union, formats)
            for rect in rects:
                yield _range(self.sheet, rect)
            return
        self.tally.add(union, formats=formats)
        for address, named in pieces:
            if not named:
                yield self.sheet.range(address)
                continue
            name = self.sheet.names.add(AREA_NAME, "=" + address)
            try:
                yield self.sheet.range(AREA_NAME)
            finally:
                name.delete()

    def one(self, rect: Rect, per_range: int = 1) -> xw.Range:
        self.tally.add(per_range)
        return _range(self.sheet, rect)


AREA_NAME: Final = "kpixl_areas"
NAME_LIMIT: Final = 8192
"""Excel's limit on the length of a formula, which a name's reference is."""


def union_pieces(sheet: str, rects: Sequence[Rect]) -> list[tuple[str, bool]]:
    """Multi-area addresses covering ``rects``: one plain address when it fits Excel's
    ``ADDRESS_LIMIT``, else sheet-qualified references of up to ``NAME_LIMIT`` characters,
    each to be reached through a temporary name (``True``)."""
    plain = ",".join(address(rect) for rect in rects)
    if len(plain) <= ADDRESS_LIMIT:
        return [(plain, False)] if rects else []
    prefix = "'" + sheet.replace("'", "''") + "'!"
    pieces: list[tuple[str, bool]] = []
    for rect in rects:
        area = prefix + address(rect)
        if pieces and len(pieces[-1][0]) + 1 + len(area) <= NAME_LIMIT - 1:
            pieces[-1] = (pieces[-1][0] + "," + area, True)
        else:
            pieces.append((area, True))
    return pieces


def address(rect: Rect) -> str:
    first_row, first_col, last_row, last_col = rect
    first, last = cell_address(first_row, first_col), cell_address(last_row, last_col)
    return first if first == last else f"{first}:{last}"


def _range(sheet: xw.Sheet, rect: Rect) -> xw.Range:
    first_row, first_col, last_row, last_col = rect
    return sheet.range((first_row + 1, first_col + 1), (last_row + 1, last_col + 1))


# ---------------------------------------------------------------- styles


BASE_FONT: Final = DEFAULT_FONT
BASE_VERTICAL: Final = "center"
"""Set on a generated sheet's whole area first, in three calls; cells then differ from it."""


def properties(style: Style) -> Iterator[tuple[str, Any]]:
    """The properties a cell of a generated sheet (whose whole area first gets ``BASE_FONT``
    and ``BASE_VERTICAL``) needs set to look like ``style``."""
    font = style.font
    if font.name != BASE_FONT.name:
        yield "font.name", font.name
    if font.size != BASE_FONT.size:
        yield "font.size", font.size
    if font.bold:
        yield "font.bold", True
    if font.italic:
        yield "font.italic", True
    if font.colour:
        yield "font.color", f"#{font.colour}"
    if style.fill:
        yield "fill", f"#{style.fill}"
    if style.borders.sides():
        yield "borders", style.borders
    if style.horizontal:
        yield "horizontal", style.horizontal
    if (style.vertical or "bottom") != BASE_VERTICAL:
        yield "vertical", style.vertical or "bottom"
    if style.wrap:
        yield "wrap", True
    if style.number_format != GENERAL:
        yield "number_format", style.number_format


def paint(
    canvas: Canvas,
    styles: dict[tuple[int, int], Style],
    free: Collection[tuple[int, int]] = (),
    not_numbers: Collection[tuple[int, int]] = (),
) -> None:
    """Give each cell its style: one group of calls per (property, value).

    Groups may bridge ``free`` cells (empty, unstyled: invisible there) and, for number
    formats, cells holding no number.
    """
    wanted: defaultdict[tuple[str, Any], list[tuple[int, int]]] = defaultdict(list)
    for key, style in styles.items():
        for prop, value in properties(style):
            wanted[prop, value].append(key)
    bridge_numbers = set(free) | set(not_numbers)
    for (prop, value), cells in wanted.items():
        if prop == "borders":
            _borders(canvas, value, cells)
            continue
        gaps: Collection[tuple[int, int]] = free
        if prop == "number_format":
            gaps = bridge_numbers
        elif prop == "fill":
            gaps = ()
        rects = rectangles(cells, gaps)
        for target in canvas.areas(rects, formats=prop == "number_format"):
            set_property(target, prop, value)


def set_property(target: xw.Range, prop: str, value: Any) -> None:
    if prop == "number_format":
        target.number_format = value
    elif prop == "fill":
        target.color = value
    elif prop == "wrap":
        target.wrap_text = value
    elif prop == "horizontal":
        target.horizontal_alignment = value
    elif prop == "vertical":
        target.vertical_alignment = value
    else:  # font.name, font.size, font.bold, font.italic, font.color
        setattr(target.font, prop.split(".", 1)[1], value)


def _borders(canvas: Canvas, borders: Borders, cells: list[tuple[int, int]]) -> None:
    """Every cell gets exactly its own sides: a rectangle whose cells differ left and right (or
    top and bottom) is cut into columns (or rows) so inside lines are drawn only where both
    neighbours have them."""
    sides = borders.sides()
    rects = rectangles(cells)
    if sides.get("left") != sides.get("right"):
        rects = [(r1, c, r2, c) for r1, c1, r2, c2 in rects for c in range(c1, c2 + 1)]
    if sides.get("top") != sides.get("bottom"):
        rects = [(r, c1, r, c2) for r1, c1, r2, c2 in rects for r in range(r1, r2 + 1)]
    by_shape: defaultdict[tuple[bool, bool], list[Rect]] = defaultdict(list)
    for rect in rects:
        by_shape[rect[2] > rect[0], rect[3] > rect[1]].append(rect)
    side = next(iter(sides.values()))  # kpixl's styles draw one kind of line per style
    weight = _WEIGHTS.get(side.style, "thin")
    line: dict[str, Any] = {
        "line_style": _LINES.get(side.style, "continuous"),
        "color": f"#{side.colour}",
    }
    if weight != "thin":  # a continuous line is thin unless told otherwise
        line["weight"] = weight
    for (tall, wide), group in by_shape.items():
        which = [_EDGES[name] for name in sides]
        if tall and "top" in sides:
            which.append(_INSIDE["top"])
        if wide and "left" in sides:
            which.append(_INSIDE["left"])
        for target in canvas.areas(group, per_range=len(which) * len(line)):
            target.borders.set(which, **line)


# ---------------------------------------------------------------- label rules


def add_label_rules(canvas: Canvas, rects: Sequence[Rect], rules: Iterable[LabelRule]) -> None:
    """One ``cell value = "<label>"`` rule per label on each (multi-area) range."""
    rules = tuple(rules)
    for target in canvas.areas(rects, per_range=len(rules)):
        for rule in rules:
            target.conditional_formats.add_cell_value(
                "equal_to",
                f'"{rule.label}"',
                fill_color=f"#{rule.fill}",
                font_color=f"#{rule.colour}",
                font_bold=rule.bold,
            )


def clear_rules(canvas: Canvas, rects: Sequence[Rect]) -> None:
    """Remove every conditional format from the cells of ``rects`` (rules elsewhere stay)."""
    for target in canvas.areas(rects):
        target.conditional_formats.clear()


# ---------------------------------------------------------------- a generated sheet


def draw_look(canvas: Canvas, look: SheetLook, grid: list[list[Any]]) -> None:
    """Values in one call, then styles, merges, sizes and label rules (page setup:
    ``kpixl.workbook.xlwings_page``)."""
    rows, cols = look.size
    if rows == 0 or cols == 0:
        return
    canvas.one((0, 0, 0, 0)).value = grid
    whole = canvas.one((0, 0, rows - 1, cols - 1), per_range=3)
    whole.font.name, whole.font.size = BASE_FONT.name, BASE_FONT.size
    whole.vertical_alignment = BASE_VERTICAL
    styled = dict(look.cell_styles)
    free = {
        (r, c)
        for r in range(rows)
        for c in range(cols)
        if (r, c) not in styled and look.values[r][c] is None
    }
    not_numbers = {key for key in styled if not _is_number(look.values[key[0]][key[1]])}
    paint(canvas, styled, free, not_numbers)
    merge(canvas, look.merges)
    for width, columns in _by_value(look.column_widths).items():
        bands = [(0, first, 0, last) for first, last in consecutive(columns)]
        for target in canvas.areas(bands):
            target.column_width = width
    hidden = [(0, first, 0, last) for first, last in consecutive(sorted(look.hidden_columns))]
    for target in canvas.areas(hidden):
        target.column_width = 0  # Excel hides a column of width 0
    for height, indices in _by_value(look.row_heights).items():
        bands = [(first, 0, last, 0) for first, last in consecutive(indices)]
        for target in canvas.areas(bands):
            target.row_height = height
    by_kind: defaultdict[str, list[Rect]] = defaultdict(list)
    for rect, kind in look.coloured:
        by_kind[kind].append(rect)
    for kind, rects in by_kind.items():
        add_label_rules(canvas, rects, label_rules(kind))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _by_value(sizes: Mapping[int, float]) -> dict[float, list[int]]:
    found: defaultdict[float, list[int]] = defaultdict(list)
    for index, size in sizes.items():
        found[size].append(index)
    return dict(found)


def merge(canvas: Canvas, merges: Sequence[Rect]) -> None:
    """Merge; one-row merges in one call per group of equal column spans (``across``: each
    row of each area becomes its own merge), taller merges one by one."""
    spans: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    tall: list[Rect] = []
    for rect in merges:
        if rect[0] == rect[2]:
            spans[rect[1], rect[3]].append(rect[0])
        else:
            tall.append(rect)
    across = [
        (first, first_col, last, last_col)
        for (first_col, last_col), rows in spans.items()
        for first, last in consecutive(rows)
    ]
    for target in canvas.areas(sorted(across)):
        target.merge(across=True)
    for rect in tall:
        canvas.one(rect).merge(across=False)
