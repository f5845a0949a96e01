"""A worksheet function's ``targets`` argument: a Targets-like range (a header row holding
Ref, Period and any of Target, Floor, Upper, Lower, with rows below), read exactly as the
Targets sheet is read (:mod:`kpixl.workbook.targets`) and checked by the core's own rules
(:func:`kpixl.core.targets.read_targets`), so a function rates with the thresholds the sheet
would use for that Ref in that period, or gives the problem the sheet reports for that row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kpixl.core.models import Indicator, Severity, ThresholdTimeline
from kpixl.core.targets import read_targets
from kpixl.udf_cells import CellError, excel_cell, grid_of, omitted, short
from kpixl.workbook.calculate import cell_position
from kpixl.workbook.cells import text
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.targets import (
    TARGETS_SHEET,
    TargetRows,
    located,
    target_rows,
    targets_header,
)

__all__ = ["TargetsTable", "read_table"]


@dataclass(frozen=True)
class TargetsTable:
    """A ``targets`` range as a grid, and its rows as the Targets sheet reads them."""

    grid: SheetGrid
    table: TargetRows

    def timeline(
        self, ref: str, indicator: Indicator, periods: Sequence[date], fy_start_month: int
    ) -> ThresholdTimeline | None:
        """The thresholds ``indicator`` (called ``ref`` in the range) has in ``periods``, or
        raise the first error the sheet would report for a row of ``ref`` in one of them (the
        sheet's order: by cell)."""
        wanted = set(periods)
        rows = self.table.rows
        chosen = [i for i, row in enumerate(rows) if row.ref == ref and row.period in wanted]
        named = indicator.model_copy(update={"ref": ref})
        read = read_targets([rows[i] for i in chosen], [named], fy_start_month, {ref: wanted})
        found = located([(chosen[n], p) for n, p in read.problems], self.table, self.grid)
        found += [p for p in self.table.problems if p.ref == ref and p.period in wanted]
        errors = [p for p in found if p.severity is Severity.ERROR]
        if errors:
            first = min(errors, key=lambda p: cell_position(p.cell or "A1"))
            raise CellError(short(first, ref))
        return read.timelines.get(ref)


def read_table(raw: object) -> TargetsTable | None:
    """The ``targets`` argument read as a Targets sheet; None when it is left out."""
    if omitted(raw):
        return None
    cells = [[excel_cell(cell) for cell in row] for row in grid_of(raw)]
    grid = SheetGrid(TARGETS_SHEET, cells)
    header = targets_header(grid)
    if header is None:
        raise CellError("targets needs a header row with Ref and Period (and Target, Floor...)")
    return TargetsTable(grid, target_rows(grid, header))


def ref_of(raw: object) -> str:
    """The Ref a function looks up in ``targets``: the cell's text."""
    found = text(excel_cell(raw))
    if found is None:
        raise CellError("ref is blank: give the Ref the targets rows name")
    return found
