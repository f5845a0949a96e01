"""A worksheet as plain values: what every adapter (openpyxl file, live xlwings book) reads
into, and what the reader and planner work on. Rows and columns are 0-based (A1 is (0, 0))."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

CellValue = str | float | int | bool | datetime | date | None


@dataclass(frozen=True)
class SheetGrid:
    """The values of one worksheet from A1, as Excel shows them (cached formula results).

    ``formulas_without_value`` lists the cells holding a formula whose result was never
    saved (a file written by a program that does not calculate): their value reads as None.
    """

    name: str
    rows: Sequence[Sequence[CellValue]]
    formulas_without_value: frozenset[tuple[int, int]] = frozenset()
    hidden: bool = False

    def value(self, row: int, col: int) -> CellValue:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass(frozen=True)
class Block:
    """A rectangle of values to write in one call, its top-left corner at (row, col)."""

    sheet: str
    row: int
    col: int
    values: Sequence[Sequence[CellValue]] = field(default_factory=list)


def column_letter(col: int) -> str:
    """0-based column index to Excel letters: 0 -> A, 26 -> AA."""
    letters = ""
    col += 1
    while col:
        col, remainder = divmod(col - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_address(row: int, col: int) -> str:
    """0-based (row, col) to an A1 address."""
    return f"{column_letter(col)}{row + 1}"
