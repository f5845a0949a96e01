"""Small workbooks as grids, in the contract layout, for the reader and planner tests.

The indicator sheet ``Finance`` has its header block in rows 1-2, a blank row 3 and the header
row in row 4 (0-based row 3), so the first indicator is on Excel row 5. Columns::

    A Ref  B Indicator description  C Type  D Unit  E Target  F Floor  G Upper  H Lower
    I Aug-23  J Sep-23  K Oct-23  L Commentary
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from kpixl.workbook.grid import CellValue, SheetGrid

OCT = date(2023, 10, 1)
AUG, SEP = date(2023, 8, 1), date(2023, 9, 1)
HEADER_ROW = 3
FIRST_ROW = 4  # 0-based row of the first indicator (Excel row 5)

SETTINGS = SheetGrid(
    "Settings",
    [
        ["Setting", "Value"],
        ["Report title", "Test dashboard"],
        ["Produced by", "Kent Analytics"],
        ["Reporting month", datetime(2023, 10, 15)],
        ["Financial year start month", 4],
    ],
)
ABOVE: list[list[CellValue]] = [["Service Area", "Finance"], ["Director", "Zena Cooke"], []]
HEADER: list[CellValue] = [
    "Ref",
    "Indicator description",
    "Type",
    "Unit",
    "Target",
    "Floor",
    "Upper",
    "Lower",
    datetime(2023, 8, 1),
    datetime(2023, 9, 1),
    datetime(2023, 10, 1),
    "Commentary",
]
KPI: list[CellValue] = ["FN07", "Invoices paid", "KPI", "%", 0.9, 0.85, None, None, 0.8, 0.86, 0.91]
ACTIVITY: list[CellValue] = ["FN01", "Debts", "Activity", "Number", None, None, 200, 100, 150, 160]


def settings(month: CellValue = datetime(2023, 10, 15), fy_start: CellValue = 4) -> SheetGrid:
    rows = [list(row) for row in SETTINGS.rows]
    rows[3][1], rows[4][1] = month, fy_start
    return SheetGrid("Settings", rows)


def sheet(
    *rows: Sequence[CellValue],
    name: str = "Finance",
    header: Sequence[CellValue] = HEADER,
    above: Sequence[Sequence[CellValue]] = ABOVE,
    pending: frozenset[tuple[int, int]] = frozenset(),
) -> SheetGrid:
    """An indicator sheet: the rows above, the header row, then ``rows``."""
    return SheetGrid(name, [*map(list, above), list(header), *map(list, rows)], pending)


def book(*rows: Sequence[CellValue], **options: object) -> list[SheetGrid]:
    """Settings plus one ``Finance`` sheet holding ``rows`` (default: one KPI, one activity)."""
    return [SETTINGS, sheet(*(rows or (KPI, ACTIVITY)), **options)]  # type: ignore[arg-type]


def changed(row: Sequence[CellValue], **cells: CellValue) -> list[CellValue]:
    """``row`` with cells replaced by column letter: ``changed(KPI, K="abc")``."""
    result = list(row)
    for letter, value in cells.items():
        col = ord(letter) - ord("A")
        result += [None] * (col + 1 - len(result))
        result[col] = value
    return result
