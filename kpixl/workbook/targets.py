"""Read the optional ``Targets`` sheet (SPEC 8.4): a header row holding ``Ref``, ``Period`` and
any of ``Target``, ``Floor``, ``Upper``, ``Lower``; each row below sets those thresholds for
that Ref in that period. The core turns the rows into timelines and words the problems
(``kpixl.core.targets``); this module reads the cells and puts each problem on its cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from kpixl.core.checks import text_in_number_problem
from kpixl.core.columns import Column
from kpixl.core.models import Problem, Severity, Thresholds, ThresholdTimeline
from kpixl.core.targets import THRESHOLD_FIELDS, TargetRow, read_targets
from kpixl.workbook import contract
from kpixl.workbook.cells import ErrorValue, Mark, month, read_number, text
from kpixl.workbook.grid import SheetGrid, cell_address
from kpixl.workbook.reader import ReadBook

TARGETS_SHEET = contract.TARGETS_SHEET
_COLUMNS = {column.value: column for column in Column}
TARGETS_COLUMNS = ("Ref", "Period", *THRESHOLD_FIELDS)


@dataclass(frozen=True)
class TargetsSheet:
    """What a Targets sheet gives: timelines by Ref and its problems, each on its cell."""

    timelines: dict[str, ThresholdTimeline] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def find_targets_grid(grids: Sequence[SheetGrid]) -> SheetGrid | None:
    """The sheet named Targets (any case, spaces around ignored), if there is one."""
    for grid in grids:
        if grid.name.strip().lower() == TARGETS_SHEET.lower():
            return grid
    return None


def with_targets(book: ReadBook, grids: Sequence[SheetGrid]) -> ReadBook:
    """``book`` with the timelines of its Targets sheet in the report and that sheet's problems
    added; unchanged when the workbook has no Targets sheet."""
    grid = find_targets_grid(grids)
    if grid is None:
        return book
    read = read_targets_sheet(grid, book)
    report = book.report.model_copy(update={"targets": read.timelines})
    return ReadBook(
        report=report,
        problems=(*book.problems, *read.problems),
        sheets=book.sheets,
        locations=book.locations,
        sheet_names=book.sheet_names,
    )


def read_targets_sheet(grid: SheetGrid, book: ReadBook) -> TargetsSheet:
    """The timelines and located problems of the Targets sheet ``grid`` of ``book``."""
    header = targets_header(grid)
    if header is None:
        return TargetsSheet(
            problems=(
                Problem(
                    severity=Severity.WARNING,
                    sheet=grid.name,
                    message=f"Sheet {grid.name!r} has no header row with Ref and Period in its "
                    f"first {contract.HEADER_SEARCH_ROWS} rows, so no period-specific target "
                    "was read. Put the headers Ref, Period, Target, Floor, Upper, Lower above "
                    "the rows.",
                ),
            )
        )
    table = target_rows(grid, header)
    problems = list(table.problems)
    report = book.report
    read = read_targets(table.rows, report.indicators, report.fy_start_month, _period_columns(book))
    problems += located(read.problems, table, grid)
    return TargetsSheet(read.timelines, tuple(problems))


@dataclass(frozen=True)
class TargetRows:
    """The readable rows of a Targets table, the grid row of each, the column of each header
    and the problems of the rows that could not be read (each on its cell)."""

    rows: list[TargetRow]
    grid_rows: list[int]
    columns: dict[str, int]
    problems: list[Problem]


def target_rows(grid: SheetGrid, header: tuple[int, dict[str, int]]) -> TargetRows:
    """Every row under the ``header`` (row index, columns) of a Targets table ``grid``, read
    by the sheet's cell rules: the Targets sheet and the worksheet functions' ``targets``."""
    top, columns = header
    problems: list[Problem] = []
    rows: list[TargetRow] = []
    grid_rows: list[int] = []
    for index in range(top + 1, len(grid.rows)):
        row = _row(grid, index, columns, problems)
        if row is not None:
            rows.append(row)
            grid_rows.append(index)
    return TargetRows(rows, grid_rows, columns, problems)


def located(
    found: Sequence[tuple[int, Problem]], table: TargetRows, grid: SheetGrid
) -> list[Problem]:
    """The core's problems of ``table``'s rows, each put on its cell: a threshold's on its own
    cell, the Ref's on the Ref, the rest on the Period."""
    columns = table.columns
    return [
        _at(problem, grid, table.grid_rows[number], columns.get(problem.field or "Period",
                                                                columns["Ref"]))
        for number, problem in found
    ]  # fmt: skip


def targets_header(grid: SheetGrid) -> tuple[int, dict[str, int]] | None:
    """The header row and the column of each Targets header found in it."""
    wanted = {contract.normalise(name): name for name in TARGETS_COLUMNS}
    for index, row in enumerate(grid.rows[: contract.HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            name = wanted.get(contract.normalise(value)) if isinstance(value, str) else None
            if name is not None:
                columns.setdefault(name, col)
        if "Ref" in columns and "Period" in columns:
            return index, columns
    return None


def _row(
    grid: SheetGrid, index: int, columns: dict[str, int], problems: list[Problem]
) -> TargetRow | None:
    """One Targets row, or None (with its problems added) when it is blank or unreadable."""
    ref = text(grid.value(index, columns["Ref"]))
    used = [grid.value(index, col) for col in columns.values()]
    if ref is None:
        if any(text(value) is not None for value in used):
            problems.append(
                _problem(
                    "Targets: this row has no Ref, so it is not used. Fill in the Ref of the "
                    "indicator it is for.",
                    None,
                    grid,
                    index,
                    columns["Ref"],
                )
            )
        return None
    period_cell = grid.value(index, columns["Period"])
    period = month(period_cell)
    if period is None:
        typed = text(period_cell)
        what = f"the Period {typed!r} is not a month" if typed else "there is no Period"
        problems.append(
            _problem(
                f"Targets: {ref}: {what}, so this row is not used. Type the month, such as "
                "Oct-23 or 01/10/2023 (for a quarterly indicator the quarter-end month).",
                ref,
                grid,
                index,
                columns["Period"],
            )
        )
        return None
    found: dict[str, float | None] = {}
    readable = True
    for name in THRESHOLD_FIELDS:
        if name not in columns:
            continue
        number = read_number(grid.value(index, columns[name]))
        if isinstance(number, str | ErrorValue):
            shown = number if isinstance(number, str) else number.code
            problem = text_in_number_problem(ref, _COLUMNS[name], shown)
            message = f"Targets: {problem.message} This row is not used until then."
            problems.append(_problem(message, ref, grid, index, columns[name], period))
            readable = False
        elif not isinstance(number, Mark):
            found[name.lower()] = number
    if not readable:
        return None
    return TargetRow(ref=ref, period=period, thresholds=Thresholds.model_validate(found))


def _period_columns(book: ReadBook) -> dict[str, set[date]]:
    """Ref -> the period columns of the sheet it is on (all its sheets, if it is on several)."""
    by_sheet = {sheet.name: set(sheet.period_columns.values()) for sheet in book.sheets}
    found: dict[str, set[date]] = {}
    for indicator, (sheet, _) in zip(book.report.indicators, book.locations, strict=True):
        found.setdefault(indicator.ref, set()).update(by_sheet.get(sheet, set()))
    return found


def _problem(
    message: str,
    ref: str | None,
    grid: SheetGrid,
    row: int,
    col: int,
    period: date | None = None,
) -> Problem:
    return Problem(
        severity=Severity.ERROR,
        message=message,
        ref=ref,
        field=None,  # placed on its cell already; never taken for an indicator's column
        period=period,
        sheet=grid.name,
        cell=cell_address(row, col),
    )


def _at(problem: Problem, grid: SheetGrid, row: int, col: int) -> Problem:
    return problem.model_copy(update={"sheet": grid.name, "cell": cell_address(row, col)})
