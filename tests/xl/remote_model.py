"""A workbook file as xlwings' remote-engine payload, and a plain model that replays the actions
``book.json()`` returns, the way Excel (Office.js) would apply them.

Only the actions kpixl emits are known; any other action fails the test that met it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlwings as xw
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from kpixl.workbook.grid import column_letter

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


# ---------------------------------------------------------------- payload


def payload(path: Path) -> dict[str, Any]:
    """The JSON the Office.js client sends for the workbook file at ``path``."""
    wb = load_workbook(path, data_only=True)
    sheets, names = [], []
    for index, ws in enumerate(wb.worksheets):
        rows = [[office_js_value(cell.value) for cell in row] for row in ws.iter_rows()]
        sheet: dict[str, Any] = {
            "name": ws.title,
            "values": rows or [[]],
            "pictures": [],
            "tables": [],
            "charts": [
                {
                    "name": f"kpixl {n}",
                    "chart_type": "Line",
                    "left": 0,
                    "top": 0,
                    "width": 100,
                    "height": 100,
                }
                for n, _ in enumerate(ws._charts, start=1)
            ],  # fmt: skip
            "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
        }
        if ws.max_row > 1 or ws.max_column > 1 or ws.cell(1, 1).value is not None:
            first_col, first_row, _, _ = range_boundaries(ws.dimensions)
            first = f"{column_letter(first_col - 1)}{first_row}"
            last = f"{column_letter(ws.max_column - 1)}{ws.max_row}"
            sheet["used_range_address"] = f"{first}:{last}"
        sheets.append(sheet)
        for name, defined in ws.defined_names.items():
            address = str(defined.attr_text).rsplit("!", 1)[-1].replace("$", "")
            names.append(
                {
                    "name": name,
                    "sheet_index": index,
                    "address": address,
                    "book_scope": False,
                    "scope_sheet_index": index,
                    "scope_sheet_name": ws.title,
                }
            )
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": names,
        "sheets": sheets,
    }


def office_js_value(value: Any) -> Any:
    """Office.js: empty cells are "", dates ISO 8601 in UTC with a Z."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00.000Z"
    return value


# ---------------------------------------------------------------- model


@dataclass(frozen=True)
class Formula:
    """Text that Excel would have taken as a formula (kpixl must never write one)."""

    text: str


Rect = tuple[int, int, int, int]


@dataclass
class ModelSheet:
    """One sheet as Excel would hold it after the actions: values and every cell's look."""

    name: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    number_formats: dict[tuple[int, int], str] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    merges: list[Rect] = field(default_factory=list)
    conditional: list[tuple[Rect, dict[str, Any]]] = field(default_factory=list)
    fonts: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    borders: dict[tuple[int, int], dict[str, dict[str, Any]]] = field(default_factory=dict)
    horizontal: dict[tuple[int, int], str] = field(default_factory=dict)
    vertical: dict[tuple[int, int], str] = field(default_factory=dict)
    wrap: dict[tuple[int, int], bool] = field(default_factory=dict)
    column_widths: dict[int, float] = field(default_factory=dict)
    visible: bool = True
    row_heights: dict[int, float] = field(default_factory=dict)
    print_area: str | None = None
    gridlines: bool = True
    charts: list[dict[str, Any]] = field(default_factory=list)
    """Each chart added: name, type, source sheet and address, anchor, title."""

    def values(self) -> dict[tuple[int, int], Any]:
        return {key: value for key, value in self.cells.items() if value is not None}


def _cells(rect: Rect) -> Iterable[tuple[int, int]]:
    first_row, first_col, last_row, last_col = rect
    for row in range(first_row, last_row + 1):
        for col in range(first_col, last_col + 1):
            yield row, col


def _minus(rect: Rect, hole: Rect) -> list[Rect]:
    """``rect`` without ``hole``: up to four rectangles (how Excel splits a rule's range)."""
    r1, c1, r2, c2 = rect
    h1, k1, h2, k2 = hole
    if h1 > r2 or h2 < r1 or k1 > c2 or k2 < c1:
        return [rect]
    pieces = []
    if r1 < h1:
        pieces.append((r1, c1, h1 - 1, c2))
    if h2 < r2:
        pieces.append((h2 + 1, c1, r2, c2))
    top, bottom = max(r1, h1), min(r2, h2)
    if c1 < k1:
        pieces.append((top, c1, bottom, k1 - 1))
    if k2 < c2:
        pieces.append((top, k2 + 1, bottom, c2))
    return pieces


@dataclass
class ModelBook:
    """Sheets in order, and the message boxes shown."""

    sheets: list[ModelSheet]
    alerts: list[tuple[str, str, str]] = field(default_factory=list)

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> ModelBook:
        sheets = []
        for index, sheet in enumerate(data["sheets"]):
            model = ModelSheet(sheet["name"])
            for r, row in enumerate(sheet["values"]):
                for c, value in enumerate(row):
                    model.cells[r, c] = _read(value)
            model.names = {n["name"] for n in data["names"] if n["scope_sheet_index"] == index}
            model.charts = [dict(chart) for chart in sheet.get("charts", [])]
            model.visible = sheet.get("visibility", "Visible") == "Visible"
            sheets.append(model)
        return cls(sheets)

    def sheet(self, name: str) -> ModelSheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)

    def apply(self, actions: Iterable[dict[str, Any]]) -> None:
        for action in actions:
            handler = getattr(self, f"_do_{action['func']}", None)
            if handler is None:
                raise AssertionError(f"the model does not know the action {action['func']!r}")
            handler(action)

    # -- one method per action kpixl emits
    def _at(self, action: dict[str, Any]) -> ModelSheet:
        position: int = action["sheet_position"]
        return self.sheets[position]

    @staticmethod
    def _rect(action: dict[str, Any]) -> Rect:
        row, col = action["start_row"], action["start_column"]
        return row, col, row + action["row_count"] - 1, col + action["column_count"] - 1

    def _each(self, action: dict[str, Any]) -> Iterable[tuple[int, int]]:
        return _cells(self._rect(action))

    def _do_setValues(self, action: dict[str, Any]) -> None:
        sheet = self._at(action)
        first_row, first_col, last_row, last_col = self._rect(action)
        values = action["values"]
        assert len(values) == last_row - first_row + 1, "setValues: rows differ from range"
        for r, row in enumerate(values):
            assert len(row) == last_col - first_col + 1, "setValues: ragged rows"
            for c, value in enumerate(row):
                sheet.cells[first_row + r, first_col + c] = _typed(value)

    def _do_addSheet(self, action: dict[str, Any]) -> None:
        position, name = action["args"]
        self.sheets.insert(position, ModelSheet(name))

    def _do_setSheetVisibility(self, action: dict[str, Any]) -> None:
        self._at(action).visible = action["args"][0] == "Visible"

    def _do_namesAdd(self, action: dict[str, Any]) -> None:
        self._at(action).names.add(action["args"][0])

    def _do_sheetClear(self, action: dict[str, Any]) -> None:
        old = self._at(action)
        self.sheets[action["sheet_position"]] = ModelSheet(
            old.name,
            names=old.names,
            column_widths=old.column_widths,
            row_heights=old.row_heights,
            charts=old.charts,  # clearing the cells keeps the charts
            visible=old.visible,
        )

    def _do_addChart(self, action: dict[str, Any]) -> None:
        name, kind, sheet, address, *_, plot_by, anchor, _style = action["args"]
        self._at(action).charts.append(
            {"name": name, "type": kind, "source": (sheet, address), "plot_by": plot_by,
             "anchor": anchor, "title": None}
        )  # fmt: skip

    def _do_setChartTitle(self, action: dict[str, Any]) -> None:
        index, title = action["args"]
        self._at(action).charts[index]["title"] = title

    def _do_deleteChart(self, action: dict[str, Any]) -> None:
        del self._at(action).charts[action["args"][0]]

    def _do_setNumberFormat(self, action: dict[str, Any]) -> None:
        sheet = self._at(action)
        for cell in self._each(action):
            sheet.number_formats[cell] = action["args"][0]

    def _do_addConditionalFormat(self, action: dict[str, Any]) -> None:
        self._at(action).conditional.append((self._rect(action), action["args"][0]))

    def _do_clearConditionalFormats(self, action: dict[str, Any]) -> None:
        sheet, hole = self._at(action), self._rect(action)
        sheet.conditional = [
            (piece, rule) for rect, rule in sheet.conditional for piece in _minus(rect, hole)
        ]

    def _do_rangeMerge(self, action: dict[str, Any]) -> None:
        first_row, first_col, last_row, last_col = self._rect(action)
        sheet = self._at(action)
        if _arg(action):  # across: one merge per row
            for row in range(first_row, last_row + 1):
                sheet.merges.append((row, first_col, row, last_col))
        else:
            sheet.merges.append((first_row, first_col, last_row, last_col))

    def _do_setFontProperty(self, action: dict[str, Any]) -> None:
        sheet = self._at(action)
        attribute, value = action["args"]
        for cell in self._each(action):
            sheet.fonts.setdefault(cell, {})[attribute] = value

    def _do_setRangeColor(self, action: dict[str, Any]) -> None:
        sheet = self._at(action)
        for cell in self._each(action):
            sheet.fills[cell] = _arg(action)

    def _do_setWrapText(self, action: dict[str, Any]) -> None:
        sheet = self._at(action)
        for cell in self._each(action):
            sheet.wrap[cell] = _arg(action)

    def _do_setHorizontalAlignment(self, action: dict[str, Any]) -> None:
        sheet = self._at(action)
        for cell in self._each(action):
            sheet.horizontal[cell] = _arg(action)

    def _do_setVerticalAlignment(self, action: dict[str, Any]) -> None:
        sheet = self._at(action)
        for cell in self._each(action):
            sheet.vertical[cell] = _arg(action)

    def _do_setBorderProperty(self, action: dict[str, Any]) -> None:
        """An edge is the outer line of the range; an inside line is the top and bottom (or
        left and right) of the cells it separates."""
        sheet = self._at(action)
        side, attribute, value = action["args"]
        first_row, first_col, last_row, last_col = self._rect(action)
        targets: list[tuple[tuple[int, int], str]] = []
        for row, col in self._each(action):
            if side == "edge_top" and row == first_row:
                targets.append(((row, col), "top"))
            if side == "edge_bottom" and row == last_row:
                targets.append(((row, col), "bottom"))
            if side == "edge_left" and col == first_col:
                targets.append(((row, col), "left"))
            if side == "edge_right" and col == last_col:
                targets.append(((row, col), "right"))
            if side == "inside_horizontal":
                targets += [((row, col), "bottom")] if row < last_row else []
                targets += [((row, col), "top")] if row > first_row else []
            if side == "inside_vertical":
                targets += [((row, col), "right")] if col < last_col else []
                targets += [((row, col), "left")] if col > first_col else []
        for cell, name in targets:
            sheet.borders.setdefault(cell, {}).setdefault(name, {})[attribute] = value

    def _do_setColumnWidth(self, action: dict[str, Any]) -> None:
        sheet = self._at(action)
        first_row, first_col, last_row, last_col = self._rect(action)
        for col in range(first_col, last_col + 1):
            sheet.column_widths[col] = _arg(action)

    def _do_setRowHeight(self, action: dict[str, Any]) -> None:
        sheet = self._at(action)
        first_row, _, last_row, _ = self._rect(action)
        for row in range(first_row, last_row + 1):
            sheet.row_heights[row] = _arg(action)

    def _do_setPrintArea(self, action: dict[str, Any]) -> None:
        self._at(action).print_area = action["args"][0]

    def _do_setShowGridlines(self, action: dict[str, Any]) -> None:
        self._at(action).gridlines = action["args"][0]

    def _do_alert(self, action: dict[str, Any]) -> None:
        prompt, title, _buttons, mode, _callback = action["args"]
        self.alerts.append((prompt, title, mode))


def _arg(action: dict[str, Any]) -> Any:
    """The single argument of an action (xlwings wraps a lone argument in a list)."""
    args = action["args"]
    return args[0] if isinstance(args, list) and len(args) == 1 else args


def _read(value: Any) -> Any:
    """A payload value (what the client read) as a cell value: text stays text."""
    if value == "":
        return None
    if isinstance(value, str) and value.endswith("Z") and "T" in value:
        return datetime.fromisoformat(value[:-1])
    return value


def _typed(value: Any) -> Any:
    """A value as Excel stores it when typed or set through ``Range.values``."""
    if not isinstance(value, str):
        return value
    if value.startswith("'"):
        return value[1:]  # the text prefix: stored as text, apostrophe not part of the value
    if value == "":
        return None
    if value.startswith(("=", "+", "@")) and len(value) > 1:
        return Formula(value)
    if _ISO_DATE.match(value):
        return datetime.fromisoformat(value)
    if _NUMBER.match(value.strip()):
        return float(value)
    return value
