"""Every adapter's result read back into one comparable form: per cell its value, number
format, font, fill, borders and alignment; per sheet its merges, label rules, sizes and page
setup. The in-memory book (kpixl's own adapter) says which cells kpixl styled.

What xlwings' remote engine cannot represent (so the model cannot compare) is listed in
``REMOTE_CANNOT``; the openpyxl file and the in-memory book are compared on all of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from kpixl.report import look
from kpixl.report.rects import cells_of
from kpixl.workbook.grid import cell_address
from kpixl.workbook.memory import MemoryBook, MemorySheet
from tests.xl.remote_model import ModelBook, ModelSheet

Key = tuple[int, int]
Font = tuple[str | None, float | None, bool, bool, str | None]
Borders = tuple[tuple[str, str, str | None], ...]
Rule = tuple[str, str | None, str | None, bool]

REMOTE_CANNOT = (
    "orientation",
    "paper",
    "fit_to_width",
    "margins",
    "print_title_rows",
    "row_breaks",
    "footer",
    "centre_horizontally",
    "tab_colour",
)
"""PageSetup fields with no remote-engine action (Windows desktop Excel sets them via .api)."""


@dataclass(frozen=True)
class CellLook:
    value: Any
    number_format: str | None  # compared only where the cell holds a number
    font: Font | None = None  # None on indicator sheets: kpixl sets only number formats there
    fill: str | None = None
    borders: Borders = ()
    horizontal: str | None = None
    vertical: str | None = None  # Excel's default, bottom, reads as None
    wrap: bool = False


@dataclass
class SheetLooks:
    cells: dict[Key, CellLook] = field(default_factory=dict)
    merges: frozenset[look.Rect] = frozenset()
    rules: dict[Key, frozenset[Rule]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    page: dict[str, Any] = field(default_factory=dict)


Looks = dict[str, SheetLooks]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _colour(value: Any) -> str | None:
    return str(value)[-6:].upper() if value else None


def _vertical(value: str | None) -> str | None:
    value = value.lower() if value else None
    return None if value in (None, "bottom") else value


def _horizontal(value: str | None) -> str | None:
    value = value.lower() if value else None
    return None if value in (None, "general") else value


def _format(value: Any, number_format: str | None) -> str | None:
    return (number_format or look.GENERAL) if _number(value) else None


# ---------------------------------------------------------------- the in-memory book


def chosen(book: MemoryBook) -> dict[str, set[Key]]:
    """The cells to compare: every styled cell of a generated sheet (a merged area by its
    first cell), every number kpixl formatted on the other sheets."""
    keys: dict[str, set[Key]] = {}
    for sheet in book.sheets:
        if sheet.marked:
            covered = {c for m in sheet.merges for c in cells_of(m) if c != (m[0], m[1])}
            keys[sheet.name] = set(sheet.styles) - covered
        else:
            keys[sheet.name] = {
                key
                for key, style in sheet.styles.items()
                if style.number_format != look.GENERAL and _number(sheet.cells.get(key))
            }
    return keys


def _memory_cell(sheet: MemorySheet, key: Key) -> CellLook:
    style, value = sheet.style(*key), sheet.cells.get(key)
    if not sheet.marked:
        return CellLook(value, _format(value, style.number_format))
    f = style.font
    sides = tuple(sorted((n, s.style, s.colour) for n, s in style.borders.sides().items()))
    return CellLook(
        value,
        _format(value, style.number_format),
        (f.name, float(f.size), f.bold, f.italic, f.colour),
        style.fill,
        sides,
        _horizontal(style.horizontal),
        _vertical(style.vertical),
        style.wrap,
    )


def memory_looks(book: MemoryBook) -> Looks:
    found: Looks = {}
    for sheet, keys in zip(book.sheets, chosen(book).values(), strict=True):
        rules: dict[Key, frozenset[Rule]] = {}
        for rect, labels in sheet.conditional:
            for key in cells_of(rect):
                rules[key] = rules.get(key, frozenset()) | {
                    (r.label, r.fill, r.colour, r.bold) for r in labels
                }
        page: dict[str, Any] = {}
        if sheet.page is not None:
            p = sheet.page
            r1, c1, r2, c2 = p.print_area or (0, 0, 0, 0)
            page = {
                "print_area": f"{cell_address(r1, c1)}:{cell_address(r2, c2)}",
                "gridlines": p.gridlines,
                "orientation": p.orientation,
                "paper": 9,
                "fit_to_width": p.fit_to_width,
                "margins": (p.margins.left, p.margins.right, p.margins.top, p.margins.bottom),
                "print_title_rows": p.print_title_rows,
                "row_breaks": p.row_breaks,
                "footer": (look.footer_codes(p.footer_centre), p.footer_right),
                "centre_horizontally": p.centre_horizontally,
                "tab_colour": p.tab_colour,
            }
        found[sheet.name] = SheetLooks(
            cells={key: _memory_cell(sheet, key) for key in keys},
            merges=frozenset(sheet.merges),
            rules=rules,
            widths={**sheet.column_widths, **dict.fromkeys(sheet.hidden_columns, 0.0)}
            if sheet.marked
            else {},  # a hidden column: width 0, as Excel sees it
            heights=dict(sheet.row_heights) if sheet.marked else {},
            page=page,
        )
    return found


# ---------------------------------------------------------------- an openpyxl file


def file_looks(path: Path, keys: dict[str, set[Key]], generated: set[str]) -> Looks:
    wb = load_workbook(path)
    found: Looks = {}
    for ws in wb.worksheets:
        marked = ws.title in generated
        cells = {key: _file_cell(ws, key, marked) for key in keys.get(ws.title, ())}
        rules: dict[Key, frozenset[Rule]] = {}
        for cf in ws.conditional_formatting:
            labels = frozenset(
                (
                    str(rule.formula[0]).strip('"'),
                    _colour(rule.dxf.fill.bgColor.rgb),
                    _colour(rule.dxf.font.color.rgb),
                    bool(rule.dxf.font.b),
                )
                for rule in cf.rules
            )
            for area in cf.sqref.ranges:
                for row in range(area.min_row - 1, area.max_row):
                    for col in range(area.min_col - 1, area.max_col):
                        rules[row, col] = rules.get((row, col), frozenset()) | labels
        merges = frozenset(
            (r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1)
            for r in ws.merged_cells.ranges
        )
        page: dict[str, Any] = {}
        if marked:
            setup, margins = ws.page_setup, ws.page_margins
            titles = ws.print_title_rows
            first, _, last = (titles or "").replace("$", "").partition(":")
            page = {
                "print_area": ws.print_area.rsplit("!", 1)[-1].replace("$", ""),
                "gridlines": ws.sheet_view.showGridLines,
                "orientation": setup.orientation,
                "paper": int(setup.paperSize),
                "fit_to_width": bool(ws.sheet_properties.pageSetUpPr.fitToPage)
                and setup.fitToWidth == 1,
                "margins": (margins.left, margins.right, margins.top, margins.bottom),
                "print_title_rows": (int(first) - 1, int(last) - 1) if titles else None,
                "row_breaks": tuple(brk.id - 1 for brk in ws.row_breaks.brk),
                "footer": (ws.oddFooter.center.text or "", ws.oddFooter.right.text or ""),
                "centre_horizontally": bool(ws.print_options.horizontalCentered),
                "tab_colour": _colour(ws.sheet_properties.tabColor.rgb),
            }
        found[ws.title] = SheetLooks(
            cells=cells,
            merges=merges,
            rules=rules,
            widths={
                col - 1: 0.0 if dim.hidden else dim.width
                for dim in ws.column_dimensions.values()
                if marked and (dim.customWidth or dim.hidden)
                for col in range(dim.min, dim.max + 1)
            },
            heights={
                row - 1: dim.height
                for row, dim in ws.row_dimensions.items()
                if marked and dim.height is not None
            },
            page=page,
        )
    return found


def _file_cell(ws: Any, key: Key, marked: bool) -> CellLook:
    cell = ws.cell(key[0] + 1, key[1] + 1)
    value = cell.value
    if not marked:
        return CellLook(value, _format(value, cell.number_format))
    font = cell.font
    colour = (
        _colour(font.color.rgb) if font.color is not None and font.color.type == "rgb" else None
    )
    sides = tuple(
        sorted(
            (name, side.style, _colour(side.color.rgb) if side.color is not None else None)
            for name in ("left", "right", "top", "bottom")
            if (side := getattr(cell.border, name)) is not None and side.style
        )
    )
    fill = _colour(cell.fill.start_color.rgb) if cell.fill.fill_type == "solid" else None
    return CellLook(
        value,
        _format(value, cell.number_format),
        (font.name, float(font.sz or 11), bool(font.b), bool(font.i), colour),
        fill,
        sides,
        _horizontal(cell.alignment.horizontal),
        _vertical(cell.alignment.vertical),
        bool(cell.alignment.wrap_text),
    )


# ---------------------------------------------------------------- the remote engine's model


_REMOTE_SIDE = {("continuous", "thin"): "thin", ("continuous", "medium"): "medium"}


def model_looks(model: ModelBook, keys: dict[str, set[Key]], generated: set[str]) -> Looks:
    found: Looks = {}
    for sheet in model.sheets:
        marked = sheet.name in generated
        rules: dict[Key, frozenset[Rule]] = {}
        for rect, entry in sheet.conditional:
            rule = (
                str(entry["formula1"]).strip('"'),
                _colour(entry["fill_color"]),
                _colour(entry["font_color"]),
                bool(entry["font_bold"]),
            )
            for key in cells_of(rect):
                rules[key] = rules.get(key, frozenset()) | {rule}
        found[sheet.name] = SheetLooks(
            cells={key: _model_cell(sheet, key, marked) for key in keys.get(sheet.name, ())},
            merges=frozenset(sheet.merges),
            rules=rules,
            widths=dict(sheet.column_widths) if marked else {},
            heights=dict(sheet.row_heights) if marked else {},
            page={"print_area": sheet.print_area, "gridlines": sheet.gridlines} if marked else {},
        )
    return found


def _model_cell(sheet: ModelSheet, key: Key, marked: bool) -> CellLook:
    value = sheet.cells.get(key)
    if not marked:
        return CellLook(value, _format(value, sheet.number_formats.get(key)))
    font = sheet.fonts.get(key, {})
    sides = tuple(
        sorted(
            (
                name,
                _REMOTE_SIDE[side.get("line_style"), side.get("weight", "thin")],
                _colour(side.get("color")),
            )
            for name, side in sheet.borders.get(key, {}).items()
        )
    )
    return CellLook(
        value,
        _format(value, sheet.number_formats.get(key)),
        (
            font.get("name"),
            float(font["size"]) if "size" in font else None,
            bool(font.get("bold")),
            bool(font.get("italic")),
            _colour(font.get("color")),
        ),
        _colour(sheet.fills.get(key)),
        sides,
        _horizontal(sheet.horizontal.get(key)),
        _vertical(sheet.vertical.get(key)),
        bool(sheet.wrap.get(key)),
    )


def remote_view(looks: Looks) -> Looks:
    """``looks`` limited to what the remote engine can represent (page setup: print area and
    gridlines only)."""
    return {
        name: SheetLooks(
            sheet.cells,
            sheet.merges,
            sheet.rules,
            sheet.widths,
            sheet.heights,
            {k: v for k, v in sheet.page.items() if k not in REMOTE_CANNOT},
        )
        for name, sheet in looks.items()
    }
