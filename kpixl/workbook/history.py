"""Read the previous history from the ``kpixl history`` sheet's grid (SPEC 8.3), and this
run's rows, merged with it, for the planner to write back."""

from __future__ import annotations

from collections.abc import Sequence

from kpixl.core.columns import normalise
from kpixl.core.history import (
    HISTORY_COLUMNS,
    HISTORY_SHEET,
    HistoryRow,
    history_row,
    history_rows,
    merge_history,
)
from kpixl.core.models import Evaluation
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.ownership import existing_sheet

__all__ = ["merged_history", "read_history", "run_rows"]

_KEYS = tuple(normalise(name) for name in HISTORY_COLUMNS)


def read_history(grids: Sequence[SheetGrid]) -> tuple[HistoryRow, ...]:
    """The rows of the history sheet, if the book has one: its first row names the columns
    (in any order); rows without a reporting month or Ref are skipped. A sheet without that
    header (the template's placeholder, say) holds no history."""
    found = existing_sheet((grid.name for grid in grids), HISTORY_SHEET)
    grid = next((grid for grid in grids if grid.name == found), None)
    if grid is None or not grid.rows:
        return ()
    header = {normalise(str(cell)): col for col, cell in enumerate(grid.rows[0]) if cell}
    if not all(key in header for key in _KEYS):
        return ()
    columns = [header[key] for key in _KEYS]
    rows = (
        history_row([grid.value(row, col) for col in columns]) for row in range(1, len(grid.rows))
    )
    return tuple(row for row in rows if row is not None)


def run_rows(evaluation: Evaluation) -> tuple[HistoryRow, ...]:
    """This run's history rows, with each Ref's SPC variation."""
    variations = {result.ref: result.variation for result in reversed(evaluation.results)}
    return history_rows(evaluation, variations)


def merged_history(history: Sequence[HistoryRow], evaluation: Evaluation) -> tuple[HistoryRow, ...]:
    """The history this run writes: its own reporting month replaced, the rest kept."""
    return merge_history(history, run_rows(evaluation), evaluation.report.reporting_month)
