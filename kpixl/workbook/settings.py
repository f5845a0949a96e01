"""Read the Settings sheet: a ``Setting | Value`` table in its first rows (SPEC section 3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kpixl.core.checks import tolerance_problem
from kpixl.core.models import Problem, Severity
from kpixl.core.periods import month_of, month_year_label
from kpixl.workbook import contract
from kpixl.workbook.analysis_settings import Analysis, read_analysis
from kpixl.workbook.cells import month, month_number, read_number, text
from kpixl.workbook.grid import CellValue, SheetGrid, cell_address

DEFAULT_TITLE = "Performance Dashboard"
DEFAULT_FY_START = 4


@dataclass(frozen=True)
class Settings:
    title: str = DEFAULT_TITLE
    produced_by: str = ""
    reporting_month: date = date(2000, 1, 1)
    fy_start_month: int = DEFAULT_FY_START
    amber_tolerance: float | None = None
    analysis: Analysis = field(default_factory=Analysis)
    problems: list[Problem] = field(default_factory=list)


def read_settings(grid: SheetGrid | None, latest: date | None) -> Settings:
    """The settings of ``grid``; ``latest`` (the latest month with figures) stands in for a
    missing or unreadable Reporting month, with a problem saying so."""
    problems: list[Problem] = []
    cells = _table(grid, problems) if grid is not None else {}

    def value(name: str) -> CellValue:
        return cells[name][1] if name in cells else None

    def unreadable(name: str, advice: str) -> None:
        """A problem at the setting's cell when something is typed there but is unusable."""
        typed = text(value(name))
        if typed is not None:
            problems.append(
                _error(grid, cells[name][0], f"The {name} {typed!r} is not a month. {advice}")
            )

    fallback = latest or month_of(date.today())
    found = month(value(contract.REPORTING_MONTH))
    if found is None and text(value(contract.REPORTING_MONTH)) is not None:
        unreadable(
            contract.REPORTING_MONTH,
            "Type a date in that month, such as 01/10/2023; until then kpixl reports up to "
            f"{month_year_label(fallback)}, the latest month with figures.",
        )
    elif found is None and grid is not None:
        problems.append(_fallback(grid, fallback))
    fy_start = month_number(value(contract.FY_START_MONTH))
    if fy_start is None:
        unreadable(
            contract.FY_START_MONTH,
            "Type a number from 1 to 12 (4 = April); until then April is used.",
        )
    tolerance = _tolerance(grid, cells.get(contract.AMBER_TOLERANCE), problems)
    analysis = read_analysis(grid.name if grid is not None else None, cells)
    problems += analysis.problems
    title = text(value(contract.REPORT_TITLE))
    produced_by = text(value(contract.PRODUCED_BY))
    if grid is None:
        problems.append(_no_sheet(fallback))
    elif _header(grid) is not None:  # without the table, its own warning says it all
        problems += _unnamed(grid, title, produced_by)
    return Settings(
        title=title or DEFAULT_TITLE,
        produced_by=produced_by or "",
        reporting_month=found or fallback,
        fy_start_month=fy_start or DEFAULT_FY_START,
        amber_tolerance=tolerance,
        analysis=analysis,
        problems=problems,
    )


def _table(grid: SheetGrid, problems: list[Problem]) -> dict[str, tuple[str, CellValue]]:
    """Setting -> (cell address of its value, value) from the ``Setting | Value`` table."""
    header = _header(grid)
    if header is None:
        problems.append(
            Problem(
                severity=Severity.WARNING,
                sheet=grid.name,
                message=f"Sheet {grid.name!r} has no table headed 'Setting' and 'Value' in its "
                f"first {contract.HEADER_SEARCH_ROWS} rows, so no setting was read. Put the "
                "headers above the settings.",
            )
        )
        return {}
    top, setting_col, value_col = header
    found: dict[str, tuple[str, CellValue]] = {}
    for index in range(top + 1, len(grid.rows)):
        name = contract.SETTINGS_BY_KEY.get(_key(grid.value(index, setting_col)))
        if name is None or name in found:
            continue
        if (index, value_col) in grid.formulas_without_value:
            problems.append(
                _error(
                    grid,
                    cell_address(index, value_col),
                    f"The {name} is a "
                    "formula whose result was never saved. Open the workbook in "
                    "Excel, let it calculate, save it and run kpixl again.",
                )
            )
        found[name] = (cell_address(index, value_col), grid.value(index, value_col))
    return found


def _header(grid: SheetGrid) -> tuple[int, int, int] | None:
    for index, row in enumerate(grid.rows[: contract.HEADER_SEARCH_ROWS]):
        keys = [contract.normalise(value) for value in row]
        for col, key in enumerate(keys):
            if key in ("setting", "settings") and "value" in keys[col + 1 :]:
                return index, col, keys.index("value", col + 1)
    return None


def _tolerance(
    grid: SheetGrid | None, found: tuple[str, CellValue] | None, problems: list[Problem]
) -> float | None:
    """The Amber tolerance setting as a fraction (``10%`` or 0.1); None when blank or unusable,
    with the problem placed on its cell."""
    if grid is None or found is None:
        return None
    cell, typed = found
    number = read_number(typed)
    if isinstance(number, float):
        problem = tolerance_problem(None, number)
        if problem is None:
            return number
        problems.append(problem.model_copy(update={"sheet": grid.name, "cell": cell}))
    elif isinstance(number, str):
        problems.append(
            _error(
                grid,
                cell,
                f"The {contract.AMBER_TOLERANCE} {number!r} is not a number. Type a fraction of "
                "the Target such as 10% (or 0.1), or leave it blank.",
            )
        )
    return None


def _key(label: CellValue) -> str:
    """A setting's label as compared: ``Reporting Month:`` is ``Reporting month``."""
    return contract.normalise(label).rstrip(":.-")


def _no_sheet(chosen: date) -> Problem:
    """Everything that falls back without a Settings sheet, said once."""
    return Problem(
        severity=Severity.WARNING,
        message=f"There is no sheet named {contract.SETTINGS_SHEET!r}, so kpixl reports up to "
        f"{month_year_label(chosen)} (the latest month with figures), titles the paper "
        f"{DEFAULT_TITLE!r} and names nobody after 'Produced by'. Add (or rename back) the "
        f"{contract.SETTINGS_SHEET} sheet with a Setting | Value table.",
    )


def _fallback(grid: SheetGrid, chosen: date) -> Problem:
    return Problem(
        severity=Severity.WARNING,
        sheet=grid.name,
        message=f"No Reporting month is set, so kpixl reports up to {month_year_label(chosen)}, "
        "the latest month with figures. Fill in the Reporting month setting to choose the month.",
    )


def _unnamed(grid: SheetGrid, title: str | None, produced_by: str | None) -> list[Problem]:
    """Warnings for the paper's own words that fell back to kpixl's defaults."""
    problems = []
    if title is None:
        problems.append(
            Problem(
                severity=Severity.WARNING,
                sheet=grid.name,
                message=f"No {contract.REPORT_TITLE} is set, so the Summary and Dashboard are "
                f"titled {DEFAULT_TITLE!r}. Fill in the {contract.REPORT_TITLE} setting.",
            )
        )
    if produced_by is None:
        problems.append(
            Problem(
                severity=Severity.WARNING,
                sheet=grid.name,
                message=f"No {contract.PRODUCED_BY} is set, so the papers' cover and footer name "
                f"nobody. Fill in the {contract.PRODUCED_BY} setting.",
            )
        )
    return problems


def _error(grid: SheetGrid | None, cell: str, message: str) -> Problem:
    name = grid.name if grid is not None else None
    return Problem(severity=Severity.ERROR, sheet=name, cell=cell, message=message)
