"""The hidden ``kpixl history`` sheet as data (SPEC 8.3): a header row, then one row per
reporting month and Ref, months shown as ``Oct-23``. It is an output, like Summary."""

from __future__ import annotations

from collections.abc import Iterable

from kpixl.core.history import HISTORY_COLUMNS, HISTORY_SHEET, HistoryRow, history_cells
from kpixl.report.design import DesignCell, SheetDesign

__all__ = ["MONTH_FORMAT", "history_design"]

MONTH_FORMAT = "mmm-yy"
_MONTH_COLUMNS = frozenset(
    index
    for index, name in enumerate(HISTORY_COLUMNS)
    if name in ("Reporting month", "Latest period")
)
_WIDTHS = {index: max(12.0, len(name) + 2.0) for index, name in enumerate(HISTORY_COLUMNS)}


def history_design(rows: Iterable[HistoryRow], after: str | None = None) -> SheetDesign:
    """The sheet holding ``rows`` (already merged and ordered), hidden; a new one is placed
    right after ``after``."""
    cells = [DesignCell(0, col, name, "header") for col, name in enumerate(HISTORY_COLUMNS)]
    for number, row in enumerate(rows, start=1):
        for col, value in enumerate(history_cells(row)):
            if value is None:
                continue
            month = col in _MONTH_COLUMNS
            style = "value" if month or isinstance(value, float) else "cell"
            cells.append(DesignCell(number, col, value, style, MONTH_FORMAT if month else None))
    return SheetDesign(
        name=HISTORY_SHEET,
        cells=tuple(cells),
        column_widths=dict(_WIDTHS),
        print_title_rows=(0, 0),
        landscape=False,
        hidden=True,
        after=after,
    )
