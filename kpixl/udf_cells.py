"""Reading what Excel hands a worksheet function: cleaning one cell, the shapes of ranges,
value rows lined up with their periods, and the boundary that turns any failure into
``#KPI: <reason>`` text in the cell. Used by :mod:`kpixl.udfs`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

from kpixl.core.models import Polarity, YtdMethod
from kpixl.core.periods import add_months, month_of, parse_period
from kpixl.core.rules import parse_polarity

ERROR_PREFIX = "#KPI: "
NOT_AVAILABLE_MARKS = frozenset({"*", "n/a", "na", "#n/a"})
"""Texts (lower case) meaning "not available": the value is not rated, and is skipped."""
EXCEL_ERRORS = frozenset(
    "#DIV/0! #N/A #NAME? #NULL! #NUM! #REF! #VALUE! #SPILL! #CALC! #GETTING_DATA #FIELD! "
    "#BLOCKED! #CONNECT! #BUSY! #UNKNOWN!".split()
)
_ERROR_CODES = {  # how pywin32 hands over an error cell when xlwings does not convert it
    -2146826281: "#DIV/0!",
    -2146826246: "#N/A",
    -2146826259: "#NAME?",
    -2146826288: "#NULL!",
    -2146826252: "#NUM!",
    -2146826265: "#REF!",
    -2146826273: "#VALUE!",
}
_EXCEL_EPOCH = date(1899, 12, 30)
_METHODS = {method.value.lower(): method for method in YtdMethod}
_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T")
Grid = list[list[Any]]


class CellError(Exception):
    """A cell or argument that cannot be used; ``str()`` is the reason after ``#KPI: ``."""


class Bad:
    """A cleaned cell that failed: kept as data so one bad cell spoils only its own result."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def ok(cleaned: _T | Bad) -> _T:
    """The cleaned value, or raise its reason as a :class:`CellError`."""
    if isinstance(cleaned, Bad):
        raise CellError(cleaned.reason)
    return cleaned


def _failure(reason: object) -> str:
    return f"{ERROR_PREFIX}{reason}"


# --- cleaning one cell -------------------------------------------------------------------


def _error_text(raw: object) -> str | None:
    if isinstance(raw, str):
        text = raw.strip()
        return text if text in EXCEL_ERRORS or text.startswith(ERROR_PREFIX.strip()) else None
    if type(raw) is int and raw in _ERROR_CODES:
        return _ERROR_CODES[raw]
    return None


def clean_number(raw: object, subject: str, verb: str = "is") -> float | None | Bad:
    """A finite number; None for blank, ``*``, ``n/a`` or ``#N/A``; else why not."""
    if type(raw) is float:
        return raw if math.isfinite(raw) else Bad(f"{subject} {verb} NaN or infinite")
    if raw is None:
        return None
    error = _error_text(raw)
    if error is not None:
        return None if error == "#N/A" else Bad(f"{subject} {verb} {error}")
    if isinstance(raw, bool):
        return Bad(f"{subject} {verb} TRUE or FALSE, not a number")
    if isinstance(raw, int | float):
        return float(raw) if math.isfinite(raw) else Bad(f"{subject} {verb} NaN or infinite")
    if isinstance(raw, str):
        text = raw.strip().lower()
        return None if not text or text in NOT_AVAILABLE_MARKS else Bad(f"{subject} {verb} text")
    if isinstance(raw, date):
        return Bad(f"{subject} {verb} a date")
    return Bad(f"{subject} {verb} not a number")


def _text(raw: object, name: str) -> str | None | Bad:
    if raw is None or _error_text(raw) == "#N/A":
        return None
    if _error_text(raw) is not None:
        return Bad(f"{name} is {_error_text(raw)}")
    if not isinstance(raw, str):
        return Bad(f"{name} must be text")
    return raw.strip() or None


def clean_polarity(raw: object) -> Polarity | None | Bad:
    text = _text(raw, "polarity")
    if text is None or isinstance(text, Bad):
        return text
    return parse_polarity(text) or Bad("polarity must be Higher or Lower")


def clean_method(raw: object) -> YtdMethod | None | Bad:
    text = _text(raw, "method")
    if text is None or isinstance(text, Bad):
        return text
    return _METHODS.get(text.lower()) or Bad(
        "method must be Mean, Sum, Latest, Ratio, Entered or None"
    )


def clean_decimals(raw: object) -> int | None | Bad:
    number = clean_number(raw, "decimals")
    if number is None or isinstance(number, Bad):
        return number
    if number != int(number) or not 0 <= number <= 10:
        return Bad("decimals must be a whole number from 0 to 10")
    return int(number)


def clean_percent(raw: object) -> bool | Bad:
    text = _text(raw, "unit")
    return text if isinstance(text, Bad) else text == "%"


def _month(raw: object, name: str) -> date | None | Bad:
    """A period from a date, an Excel date number or text such as ``Apr-23``."""
    if raw is None or isinstance(raw, bool):
        return None if raw is None else Bad(f"{name} is not a month")
    if isinstance(raw, date):
        return month_of(raw)
    if isinstance(raw, int | float):
        if math.isfinite(raw) and 1 <= raw < 2958466:
            return month_of(_EXCEL_EPOCH + timedelta(days=int(raw)))
        return Bad(f"{name} is not a month")
    if isinstance(raw, str):
        return (
            None if not raw.strip() else parse_period(raw) or Bad(f"{name} {raw!r} is not a month")
        )
    return Bad(f"{name} is not a month")


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


def _shape(grid: Grid) -> tuple[int, int]:
    return len(grid), len(grid[0])


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


def elementwise(
    rate: Callable[..., str], args: Sequence[tuple[object, Callable[[object], Any]]]
) -> Any:
    """Apply ``rate`` cell by cell; single cells broadcast, other ranges must match."""
    grids = [_grid(raw) for raw, _ in args]
    shapes = {_shape(grid) for grid, _ in grids} - {(1, 1)}
    if len(shapes) > 1:
        raise CellError("ranges differ in size")
    shape = shapes.pop() if shapes else (1, 1)
    size = shape[0] * shape[1]
    columns = []
    for (grid, _), (_, clean) in zip(grids, args, strict=True):
        cleaned = [clean(cell) for row in grid for cell in row]
        columns.append(cleaned * size if len(cleaned) == 1 else cleaned)
    results: list[Any] = []
    for cells in zip(*columns, strict=True):
        try:
            results.append(rate(*cells))
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
        width = len(self.rows[0])
        header: Grid | None = None
        if not omitted(periods):
            header = _grid(periods)[0]
            if width == 1 and len(header[0]) == 1 and len(header) == len(self.rows) > 1:
                self.rows = [[row[0] for row in self.rows]]  # a vertical series: one result
                header = [[row[0] for row in header]]
            if len(header) != 1 or len(header[0]) != len(self.rows[0]):
                raise CellError("periods must be one row as wide as values")
        month = ok(_month(_scalar(reporting_month, "reporting_month"), "reporting_month"))
        if header is None:
            if month is not None:
                raise CellError("reporting_month needs periods")
            self.periods: list[date | None] = self._undated(len(self.rows[0]), fy_start_month)
        else:
            self.periods = [ok(_month(cell, "period")) for cell in header[0]]
        dated = [period for period in self.periods if period is not None]
        if len(set(dated)) != len(dated):
            raise CellError("periods has a month twice")
        if not dated:
            raise CellError("periods has no month")
        self.month = month or max(dated)

    @staticmethod
    def _undated(width: int, fy_start_month: int) -> list[date | None]:
        if width > 12:
            raise CellError("more than 12 values: give the periods")
        start = date(2000, fy_start_month, 1)
        return [add_months(start, i) for i in range(width)]

    def mapping(self, row: Sequence[object], name: str = "values") -> dict[date, float | None]:
        """Period -> value for one row; blank periods are skipped, a bad cell raises."""
        verb = "contain" if name == "values" else "contains"
        return {
            period: ok(clean_number(cell, name, verb))
            for period, cell in zip(self.periods, row, strict=True)
            if period is not None
        }

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


def fy_start(raw: object) -> int:
    number = ok(clean_number(_scalar(raw, "fy_start_month"), "fy_start_month"))
    if number is None:
        return 4
    if number != int(number) or not 1 <= number <= 12:
        raise CellError("fy_start_month must be a month number from 1 to 12")
    return int(number)


def boundary(f: _F) -> _F:
    """Whatever goes wrong comes back as ``#KPI: <reason>`` in the cell."""

    @functools.wraps(f)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except CellError as exc:
            return _failure(exc)
        except Exception as exc:  # the UDF boundary: never a traceback in a cell
            return _failure(f"unexpected {type(exc).__name__}")

    return guarded  # type: ignore[return-value]
