"""The hidden ``kpixl history`` sheet as data (SPEC 8.3): a header row, then one row per
reporting month and Ref. It is kpixl's record, an output like Summary: months are written
as kpixl writes periods everywhere (``Oct-23``, text, read back by ``history_row``) and the
body is plain, so drawing it costs the same few calls however long the history grows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kpixl.core.history import HISTORY_COLUMNS, HISTORY_SHEET, HistoryRow, history_cells
from kpixl.core.periods import period_label
from kpixl.report.design import DesignCell, SheetDesign

__all__ = ["history_design"]

_WIDTHS = {index: max(10.0, len(name) + 2.0) for index, name in enumerate(HISTORY_COLUMNS)}


def history_design(rows: Iterable[HistoryRow], after: str | None = None) -> SheetDesign:
    """The sheet holding ``rows`` (already merged and ordered), hidden; a new one is placed
    right after ``after``."""
    cells = [DesignCell(0, col, name, "header") for col, name in enumerate(HISTORY_COLUMNS)]
    for number, row in enumerate(rows, start=1):
        for col, value in enumerate(history_cells(row)):
            if value is not None:
                shown = period_label(value) if isinstance(value, date) else value
                cells.append(DesignCell(number, col, shown, "text"))
    return SheetDesign(
        name=HISTORY_SHEET,
        cells=tuple(cells),
        column_widths=dict(_WIDTHS),
        print_title_rows=(0, 0),
        landscape=False,
        hidden=True,
        after=after,
    )
