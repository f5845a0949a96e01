"""What Excel hands a worksheet function, before it means anything: the shapes of ranges,
single cells broadcast over ranges, value rows lined up with their periods, and the boundary
that turns any failure into ``#KPI: <reason>`` text in the cell (an unexpected one is also
logged). What a cell *means* is :mod:`kpixl.workbook.cells`, as for the sheet reader. Used by
:mod:`kpixl.udfs`.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from kpixl.core.models import Problem
from kpixl.core.periods import add_months, period_label
from kpixl.workbook.cells import month, month_number, text
from kpixl.workbook.grid import CellValue

ERROR_PREFIX = "#KPI: "
FUNCTION_REF = "This row"
"""The Ref of the indicator a function's arguments make, as its problems name it."""
LOG = logging.getLogger("kpixl.udfs")
LOG_NAME = "kpixl.log"
"""In the home folder: where an unexpected failure's traceback goes when nothing else
configured logging (as inside Excel)."""
_ERROR_CODES = {  # how pywin32 hands over an error cell when xlwings does not convert it
    -2146826281: "#DIV/0!",
    -2146826246: "#N/A",
    -2146826259: "#NAME?",
    -2146826288: "#NULL!",
    -2146826252: "#NUM!",
    -2146826265: "#REF!",
    -2146826273: "#VALUE!",
}
_FIRST_SENTENCE = re.compile(r"""(?:'[^']*'|"[^"]*"|[^'"])*?[.!?](?=\s+[A-Z])""")
"""Up to the first full stop that ends a sentence, outside quoted cell text."""
_F = TypeVar("_F", bound=Callable[..., Any])
Grid = list[list[Any]]


class CellError(Exception):
    """A cell or argument that cannot be used; ``str()`` is the reason after ``#KPI: ``."""


def _failure(reason: object) -> str:
    return f"{ERROR_PREFIX}{reason}"


def excel_cell(raw: object) -> CellValue:
    """A cell as the sheet reader would see it: pywin32's error codes as the error's text."""
    if type(raw) is int and raw in _ERROR_CODES:
        return _ERROR_CODES[raw]
    if raw is None or isinstance(raw, str | int | float | bool | date):
        return raw
    return str(raw)


def short(
    problem: Problem, ref: str = FUNCTION_REF, names: Mapping[date, str] | None = None
) -> str:
    """A problem's first sentence, without ``ref``'s prefix: the ``#KPI:`` text a function gives
    for what the sheet reports at a cell. ``names``: what to call values whose period the user
    never gave (``the value``, ``value 3``) instead of ``the Apr-00 value``."""
    message = problem.message.removeprefix(f"{ref}: ")
    if names and problem.period is not None and problem.period in names:
        label = f"the {period_label(problem.period)} value"
        message = message.replace(label, names[problem.period])
    first = _FIRST_SENTENCE.match(message)
    return first.group(0) if first else message


# --- shapes ------------------------------------------------------------------------------


def _grid(raw: object) -> tuple[Grid, int]:
    """Rows of cells and how many dimensions the argument had (0 scalar, 1 list, 2 rows)."""
    if not isinstance(raw, list | tuple):
        return [[raw]], 0
    if not raw:
        raise CellError("a range is empty")
    nested = [isinstance(row, list | tuple) for row in raw]
    if not any(nested):
        return [list(raw)], 1
    if not all(nested) or len({len(row) for row in raw}) != 1 or not raw[0]:
        raise CellError("a range has rows of different lengths")
    return [list(row) for row in raw], 2


def grid_of(raw: object) -> Grid:
    """An argument as rows of cells (one cell is one row of one)."""
    return _grid(raw)[0]


def _shape(grid: Grid) -> tuple[int, int]:
    return len(grid), len(grid[0])


def single_cell(raw: object, name: str) -> object:
    """The one cell an argument must be (``name`` says which in the refusal)."""
    return _scalar(raw, name)


def _scalar(raw: object, name: str) -> object:
    grid, _ = _grid(raw)
    if _shape(grid) != (1, 1):
        raise CellError(f"{name} must be one cell")
    return grid[0][0]


def omitted(raw: object) -> bool:
    """An optional range left out: None, or one blank cell (``[[None]]`` through xlwings)."""
    return raw is None or (_grid(raw)[0] == [[None]])


def per_row(raw: object, rows: int, name: str) -> list[Any]:
    """One cell for every row, or one per row (a column)."""
    cells = [cell for row in _grid(raw)[0] for cell in row]
    if len(cells) == 1:
        return cells * rows
    if len(cells) != rows:
        raise CellError(f"{name} needs one cell, or one per row of values")
    return cells


def _shaped(results: list[Any], shape: tuple[int, int], ndim: int) -> Any:
    if ndim == 0:
        return results[0]
    if ndim == 1:
        return results
    rows, cols = shape
    return [results[r * cols : (r + 1) * cols] for r in range(rows)]


def remembered(rate: Callable[..., str]) -> Callable[..., str]:
    """``rate`` answering each distinct row of cells once per session: Excel recalculates a
    whole column when one cell changes, and the answer is a pure function of the cells."""

    @functools.lru_cache(maxsize=1 << 16)
    def answer(key: tuple[tuple[CellValue, type], ...]) -> tuple[bool, str]:
        try:
            return True, rate(*(cell for cell, _ in key))
        except CellError as exc:
            return False, str(exc)

    @functools.wraps(rate)
    def cached(*cells: CellValue) -> str:
        done, text = answer(tuple((cell, type(cell)) for cell in cells))  # 1, 1.0, TRUE apart
        if not done:
            raise CellError(text)
        return text

    return cached


def elementwise(rate: Callable[..., str], args: Sequence[object]) -> Any:
    """Apply ``rate`` cell by cell; single cells broadcast, other ranges must match."""
    grids = [_grid(raw) for raw in args]
    shapes = {_shape(grid) for grid, _ in grids} - {(1, 1)}
    if len(shapes) > 1:
        raise CellError("ranges differ in size")
    shape = shapes.pop() if shapes else (1, 1)
    size = shape[0] * shape[1]
    columns = []
    for grid, _ in grids:
        cells = [excel_cell(cell) for row in grid for cell in row]
        columns.append(cells * size if len(cells) == 1 else cells)
    results: list[Any] = []
    for row_cells in zip(*columns, strict=True):
        try:
            results.append(rate(*row_cells))
        except CellError as exc:
            results.append(_failure(exc))
    return _shaped(results, shape, max(ndim for _, ndim in grids))


# --- periods -----------------------------------------------------------------------------


class Series:
    """Value rows lined up with their periods, and the reporting month."""

    def __init__(
        self, values: object, periods: object, reporting_month: object, fy_start_month: int = 1
    ) -> None:
        self.rows, self.ndim = _grid(values)
        self.names: dict[date, str] = {}  # undated values, by position (see ``short``)
        width = len(self.rows[0])
        header: Grid | None = None
        if not omitted(periods):
            header = _grid(periods)[0]
            if width == 1 and len(header[0]) == 1 and len(header) == len(self.rows) > 1:
                self.rows = [[row[0] for row in self.rows]]  # a vertical series: one result
                header = [[row[0] for row in header]]
            if len(header) != 1 or len(header[0]) != len(self.rows[0]):
                raise CellError("periods must be one row as wide as values")
        reporting = _month(_scalar(reporting_month, "reporting_month"), "reporting_month")
        if header is None:
            if reporting is not None:
                raise CellError("reporting_month needs periods")
            self.periods: list[date | None] = self._undated(len(self.rows[0]), fy_start_month)
            self.names = {p: f"value {i}" for i, p in enumerate(self.periods, 1) if p}
        else:
            self.periods = [_month(cell, "period") for cell in header[0]]
        dated = [period for period in self.periods if period is not None]
        if len(set(dated)) != len(dated):
            raise CellError("periods has a month twice")
        if not dated:
            raise CellError("periods has no month")
        self.month = reporting or max(dated)

    @staticmethod
    def _undated(width: int, fy_start_month: int) -> list[date | None]:
        if width > 12:
            raise CellError("more than 12 values: give the periods")
        start = date(2000, fy_start_month, 1)
        return [add_months(start, i) for i in range(width)]

    def cells(self, row: Sequence[object]) -> list[tuple[date, CellValue]]:
        """(period, cell) for one row; columns without a period are skipped."""
        return [
            (period, excel_cell(cell))
            for period, cell in zip(self.periods, row, strict=True)
            if period is not None
        ]

    def aligned(self, raw: object, name: str) -> list[list[Any]]:
        """Another value range (numerator, denominator) row by row, like ``values``."""
        rows = _grid(raw)[0]
        if len(self.rows) == 1 and len(rows[0]) == 1 and len(rows) == len(self.rows[0]) > 1:
            rows = [[row[0] for row in rows]]
        if len(rows[0]) != len(self.rows[0]) or len(rows) not in (1, len(self.rows)):
            raise CellError(f"{name} must be the same size as values")
        return rows * len(self.rows) if len(rows) == 1 else rows

    def results(self, each: Callable[[int], float | str]) -> Any:
        out: list[Any] = []
        for index in range(len(self.rows)):
            try:
                out.append(each(index))
            except CellError as exc:
                out.append(_failure(exc))
        return out[0] if self.ndim < 2 else [[item] for item in out]


def _month(raw: object, name: str) -> date | None:
    """A month read as the Settings sheet reads one; None when blank."""
    raw = excel_cell(raw)
    found = month(raw)
    if found is None and text(raw) is not None:
        raise CellError(f"{name} {text(raw)!r} is not a month")
    return found


def period_of(raw: object, name: str = "period") -> date:
    """A period cell (a date, or text such as Oct-23), which must be given."""
    found = _month(raw, name)
    if found is None:
        raise CellError(f"{name} is blank: give the month of the value")
    return found


def fy_start(raw: object) -> int:
    """The financial year's first month, read as the Settings sheet reads it (4 when blank)."""
    cell = excel_cell(_scalar(raw, "fy_start_month"))
    found = month_number(cell)
    if found is None and text(cell) is not None:
        raise CellError("fy_start_month must be a month: 1 to 12 or its name")
    return found or 4


def _logged_failure(name: str) -> None:
    """Log the current exception (once a file handler, when logging is not configured)."""
    if not LOG.hasHandlers():
        try:
            handler = logging.FileHandler(Path.home() / LOG_NAME, delay=True, encoding="utf-8")
        except (OSError, RuntimeError):  # no home folder: Python's last-resort stderr
            handler = None
        if handler is not None:
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
            LOG.addHandler(handler)
    LOG.exception("%s failed unexpectedly", name)


def boundary(f: _F) -> _F:
    """Whatever goes wrong comes back as ``#KPI: <reason>`` in the cell."""

    @functools.wraps(f)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except CellError as exc:
            return _failure(exc)
        except Exception as exc:  # the UDF boundary: never a traceback in a cell
            _logged_failure(f.__name__)
            return _failure(f"unexpected {type(exc).__name__}")

    return guarded  # type: ignore[return-value]
