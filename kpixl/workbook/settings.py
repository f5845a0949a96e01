"""Read the Settings sheet: a ``Setting | Value`` table in its first rows (SPEC section 3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kpixl.core.models import Problem, Severity
from kpixl.core.periods import month_of, month_year_label
from kpixl.workbook import contract
from kpixl.workbook.cells import month, month_number, text
from kpixl.workbook.grid import CellValue, SheetGrid, cell_address

DEFAULT_TITLE = "Performance Dashboard"
DEFAULT_FY_START = 4


@dataclass(frozen=True)
class Settings:
    title: str = DEFAULT_TITLE
    produced_by: str = ""
    reporting_month: date = date(2000, 1, 1)
    fy_start_month: int = DEFAULT_FY_START
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
    elif found is None:
        problems.append(_fallback(grid, fallback))
    fy_start = month_number(value(contract.FY_START_MONTH))
    if fy_start is None:
        unreadable(
            contract.FY_START_MONTH,
            "Type a number from 1 to 12 (4 = April); until then April is used.",
        )
    return Settings(
        title=text(value(contract.REPORT_TITLE)) or DEFAULT_TITLE,
        produced_by=text(value(contract.PRODUCED_BY)) or "",
        reporting_month=found or fallback,
        fy_start_month=fy_start or DEFAULT_FY_START,
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
        name = contract.SETTINGS_BY_KEY.get(contract.normalise(grid.value(index, setting_col)))
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


def _fallback(grid: SheetGrid | None, chosen: date) -> Problem:
    label = month_year_label(chosen)
    if grid is None:
        where, fix = "There is no Settings sheet", "Add a Settings sheet with a Reporting month"
    else:
        where, fix = "No Reporting month is set", "Fill in the Reporting month setting"
    return Problem(
        severity=Severity.WARNING,
        sheet=grid.name if grid is not None else None,
        message=f"{where}, so kpixl reports up to {label}, the latest month with figures. "
        f"{fix} to choose the month.",
    )


def _error(grid: SheetGrid | None, cell: str, message: str) -> Problem:
    name = grid.name if grid is not None else None
    return Problem(severity=Severity.ERROR, sheet=name, cell=cell, message=message)
