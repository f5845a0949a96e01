"""The worksheet functions ``=KPI_RAG()``, ``=KPI_ALERT()``, ``=KPI_YTD()``, ``=KPI_LATEST()``
and ``=KPI_DOT()``: thin xlwings UDFs over the very rule functions the batch path uses.

Arguments come as xlwings delivers them (``ndim=2``: every cell or range is a list of rows;
blank is None, error cells are text such as ``#N/A``); plain scalars and 1-D lists work too.
A cell that cannot be used gives ``#KPI: <reason>`` in its place, never a traceback.
Signatures and texts come from :mod:`kpixl.udf_specs`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

import xlwings as xw

from kpixl.core.models import NOT_AVAILABLE, Polarity, YtdMethod
from kpixl.core.periods import add_months, month_of, parse_period
from kpixl.core.rules import direction_of_travel, latest, parse_polarity, rag, range_alert, ytd
from kpixl.udf_specs import KPI_ALERT as ALERT_SPEC
from kpixl.udf_specs import KPI_DOT as DOT_SPEC
from kpixl.udf_specs import KPI_LATEST as LATEST_SPEC
from kpixl.udf_specs import KPI_RAG as RAG_SPEC
from kpixl.udf_specs import KPI_YTD as YTD_SPEC
from kpixl.udf_specs import UdfSpec

__all__ = ["ERROR_PREFIX", "KPI_ALERT", "KPI_DOT", "KPI_LATEST", "KPI_RAG", "KPI_YTD"]

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


class _CellError(Exception):
    """A cell or argument that cannot be used; ``str()`` is the reason after ``#KPI: ``."""


class _Bad:
    """A cleaned cell that failed: kept as data so one bad cell spoils only its own result."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _ok(cleaned: _T | _Bad) -> _T:
    if isinstance(cleaned, _Bad):
        raise _CellError(cleaned.reason)
    return cleaned


def _udf(spec: UdfSpec) -> Callable[[_F], _F]:
    """Apply ``xw.func``/``xw.arg`` with the texts of ``spec``; errors become ``#KPI:`` text."""

    def decorate(f: _F) -> _F:
        f.__doc__ = spec.description
        for arg in spec.args:
            f = xw.arg(arg.name, ndim=2, err_to_str=True, doc=arg.description)(f)
        return xw.func(category=spec.category)(f)

    return decorate


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


def _number(raw: object, subject: str, verb: str = "is") -> float | None | _Bad:
    """A finite number; None for blank, ``*``, ``n/a`` or ``#N/A``; else why not."""
    if type(raw) is float:
        return raw if math.isfinite(raw) else _Bad(f"{subject} {verb} NaN or infinite")
    if raw is None:
        return None
    error = _error_text(raw)
    if error is not None:
        return None if error == "#N/A" else _Bad(f"{subject} {verb} {error}")
    if isinstance(raw, bool):
        return _Bad(f"{subject} {verb} TRUE or FALSE, not a number")
    if isinstance(raw, int | float):
        return float(raw) if math.isfinite(raw) else _Bad(f"{subject} {verb} NaN or infinite")
    if isinstance(raw, str):
        text = raw.strip().lower()
        return None if not text or text in NOT_AVAILABLE_MARKS else _Bad(f"{subject} {verb} text")
    if isinstance(raw, date):
        return _Bad(f"{subject} {verb} a date")
    return _Bad(f"{subject} {verb} not a number")


def _text(raw: object, name: str) -> str | None | _Bad:
    if raw is None or _error_text(raw) == "#N/A":
        return None
    if _error_text(raw) is not None:
        return _Bad(f"{name} is {_error_text(raw)}")
    if not isinstance(raw, str):
        return _Bad(f"{name} must be text")
    return raw.strip() or None


def _polarity(raw: object) -> Polarity | None | _Bad:
    text = _text(raw, "polarity")
    if text is None or isinstance(text, _Bad):
        return text
    return parse_polarity(text) or _Bad("polarity must be Higher or Lower")


def _method(raw: object) -> YtdMethod | None | _Bad:
    text = _text(raw, "method")
    if text is None or isinstance(text, _Bad):
        return text
    return _METHODS.get(text.lower()) or _Bad(
        "method must be Mean, Sum, Latest, Ratio, Entered or None"
    )


def _decimals(raw: object) -> int | None | _Bad:
    number = _number(raw, "decimals")
    if number is None or isinstance(number, _Bad):
        return number
    if number != int(number) or not 0 <= number <= 10:
        return _Bad("decimals must be a whole number from 0 to 10")
    return int(number)


def _percent(raw: object) -> bool | _Bad:
    text = _text(raw, "unit")
    return text if isinstance(text, _Bad) else text == "%"


def _month(raw: object, name: str) -> date | None | _Bad:
    """A period from a date, an Excel date number or text such as ``Apr-23``."""
    if raw is None or isinstance(raw, bool):
        return None if raw is None else _Bad(f"{name} is not a month")
    if isinstance(raw, date):
        return month_of(raw)
    if isinstance(raw, int | float):
        if math.isfinite(raw) and 1 <= raw < 2958466:
            return month_of(_EXCEL_EPOCH + timedelta(days=int(raw)))
        return _Bad(f"{name} is not a month")
    if isinstance(raw, str):
        return (
            None if not raw.strip() else parse_period(raw) or _Bad(f"{name} {raw!r} is not a month")
        )
    return _Bad(f"{name} is not a month")


# --- shapes ------------------------------------------------------------------------------


def _grid(raw: object) -> tuple[Grid, int]:
    """Rows of cells and how many dimensions the argument had (0 scalar, 1 list, 2 rows)."""
    if not isinstance(raw, list | tuple):
        return [[raw]], 0
    if not raw:
        raise _CellError("a range is empty")
    nested = [isinstance(row, list | tuple) for row in raw]
    if not any(nested):
        return [list(raw)], 1
    if not all(nested) or len({len(row) for row in raw}) != 1 or not raw[0]:
        raise _CellError("a range has rows of different lengths")
    return [list(row) for row in raw], 2


def _shape(grid: Grid) -> tuple[int, int]:
    return len(grid), len(grid[0])


def _scalar(raw: object, name: str) -> object:
    grid, _ = _grid(raw)
    if _shape(grid) != (1, 1):
        raise _CellError(f"{name} must be one cell")
    return grid[0][0]


def _omitted(raw: object) -> bool:
    """An optional range left out: None, or one blank cell (``[[None]]`` through xlwings)."""
    return raw is None or (_grid(raw)[0] == [[None]])


def _per_row(raw: object, rows: int, name: str) -> list[Any]:
    """One cell for every row, or one per row (a column)."""
    cells = [cell for row in _grid(raw)[0] for cell in row]
    if len(cells) == 1:
        return cells * rows
    if len(cells) != rows:
        raise _CellError(f"{name} needs one cell, or one per row of values")
    return cells


def _shaped(results: list[Any], shape: tuple[int, int], ndim: int) -> Any:
    if ndim == 0:
        return results[0]
    if ndim == 1:
        return results
    rows, cols = shape
    return [results[r * cols : (r + 1) * cols] for r in range(rows)]


def _elementwise(
    rate: Callable[..., str], args: Sequence[tuple[object, Callable[[object], Any]]]
) -> Any:
    """Apply ``rate`` cell by cell; single cells broadcast, other ranges must match."""
    grids = [_grid(raw) for raw, _ in args]
    shapes = {_shape(grid) for grid, _ in grids} - {(1, 1)}
    if len(shapes) > 1:
        raise _CellError("ranges differ in size")
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
        except _CellError as exc:
            results.append(_failure(exc))
    return _shaped(results, shape, max(ndim for _, ndim in grids))


# --- periods -----------------------------------------------------------------------------


class _Series:
    """Value rows lined up with their periods, and the reporting month."""

    def __init__(
        self, values: object, periods: object, reporting_month: object, fy_start_month: int = 1
    ) -> None:
        self.rows, self.ndim = _grid(values)
        width = len(self.rows[0])
        header: Grid | None = None
        if not _omitted(periods):
            header = _grid(periods)[0]
            if width == 1 and len(header[0]) == 1 and len(header) == len(self.rows) > 1:
                self.rows = [[row[0] for row in self.rows]]  # a vertical series: one result
                header = [[row[0] for row in header]]
            if len(header) != 1 or len(header[0]) != len(self.rows[0]):
                raise _CellError("periods must be one row as wide as values")
        month = _ok(_month(_scalar(reporting_month, "reporting_month"), "reporting_month"))
        if header is None:
            if month is not None:
                raise _CellError("reporting_month needs periods")
            self.periods: list[date | None] = self._undated(len(self.rows[0]), fy_start_month)
        else:
            self.periods = [_ok(_month(cell, "period")) for cell in header[0]]
        dated = [period for period in self.periods if period is not None]
        if len(set(dated)) != len(dated):
            raise _CellError("periods has a month twice")
        if not dated:
            raise _CellError("periods has no month")
        self.month = month or max(dated)

    @staticmethod
    def _undated(width: int, fy_start_month: int) -> list[date | None]:
        if width > 12:
            raise _CellError("more than 12 values: give the periods")
        start = date(2000, fy_start_month, 1)
        return [add_months(start, i) for i in range(width)]

    def mapping(self, row: Sequence[object], name: str = "values") -> dict[date, float | None]:
        """Period -> value for one row; blank periods are skipped, a bad cell raises."""
        verb = "contain" if name == "values" else "contains"
        return {
            period: _ok(_number(cell, name, verb))
            for period, cell in zip(self.periods, row, strict=True)
            if period is not None
        }

    def aligned(self, raw: object, name: str) -> list[list[Any]]:
        """Another value range (numerator, denominator) row by row, like ``values``."""
        rows = _grid(raw)[0]
        if len(self.rows) == 1 and len(rows[0]) == 1 and len(rows) == len(self.rows[0]) > 1:
            rows = [[row[0] for row in rows]]
        if len(rows[0]) != len(self.rows[0]) or len(rows) not in (1, len(self.rows)):
            raise _CellError(f"{name} must be the same size as values")
        return rows * len(self.rows) if len(rows) == 1 else rows

    def results(self, each: Callable[[int], float | str]) -> Any:
        out: list[Any] = []
        for index in range(len(self.rows)):
            try:
                out.append(each(index))
            except _CellError as exc:
                out.append(_failure(exc))
        return out[0] if self.ndim < 2 else [[item] for item in out]


def _fy_start(raw: object) -> int:
    number = _ok(_number(_scalar(raw, "fy_start_month"), "fy_start_month"))
    if number is None:
        return 4
    if number != int(number) or not 1 <= number <= 12:
        raise _CellError("fy_start_month must be a month number from 1 to 12")
    return int(number)


def _boundary(f: _F) -> _F:
    """Whatever goes wrong comes back as ``#KPI: <reason>`` in the cell."""

    @functools.wraps(f)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except _CellError as exc:
            return _failure(exc)
        except Exception as exc:  # the UDF boundary: never a traceback in a cell
            return _failure(f"unexpected {type(exc).__name__}")

    return guarded  # type: ignore[return-value]


# --- the worksheet functions -------------------------------------------------------------


def _rag_cell(
    value: float | None | _Bad,
    target: float | None | _Bad,
    floor: float | None | _Bad,
    polarity: Polarity | None | _Bad,
    decimals: int | None | _Bad,
    percent: bool | _Bad,
) -> str:
    t, f, p, d, pc = _ok(target), _ok(floor), _ok(polarity), _ok(decimals), _ok(percent)
    if t is None:
        raise _CellError("target missing")
    v = _ok(value)
    if v is None:
        return NOT_AVAILABLE
    rating = rag(v, t, f, p, decimals=d, percent=pc)
    if rating is None:
        raise _CellError("target equals floor: give a polarity")
    return rating.value


def _alert_cell(
    value: float | None | _Bad, lower: float | None | _Bad, upper: float | None | _Bad
) -> str:
    lo, up = _ok(lower), _ok(upper)
    if lo is None and up is None:
        raise _CellError("lower and upper missing")
    if lo is not None and up is not None and up < lo:
        raise _CellError("upper is below lower")
    v = _ok(value)
    if v is None:
        return NOT_AVAILABLE
    alert = range_alert(v, lo, up)
    return NOT_AVAILABLE if alert is None else alert.value


@_udf(RAG_SPEC)
@_boundary
def KPI_RAG(
    value: Any,
    target: Any,
    floor: Any,
    polarity: Any = None,
    decimals: Any = None,
    unit: Any = None,
) -> Any:
    return _elementwise(
        _rag_cell,
        [
            (value, lambda c: _number(c, "value")),
            (target, lambda c: _number(c, "target")),
            (floor, lambda c: _number(c, "floor")),
            (polarity, _polarity),
            (decimals, _decimals),
            (unit, _percent),
        ],
    )


@_udf(ALERT_SPEC)
@_boundary
def KPI_ALERT(value: Any, lower: Any, upper: Any) -> Any:
    return _elementwise(
        _alert_cell,
        [
            (value, lambda c: _number(c, "value")),
            (lower, lambda c: _number(c, "lower")),
            (upper, lambda c: _number(c, "upper")),
        ],
    )


@_udf(YTD_SPEC)
@_boundary
def KPI_YTD(
    values: Any,
    method: Any,
    periods: Any = None,
    reporting_month: Any = None,
    fy_start_month: Any = 4,
    entered: Any = None,
    numerator: Any = None,
    denominator: Any = None,
) -> Any:
    fy = _fy_start(fy_start_month)
    series = _Series(values, periods, reporting_month, fy)
    methods = _per_row(method, len(series.rows), "method")
    typed = _per_row(entered, len(series.rows), "entered")
    nums = None if _omitted(numerator) else series.aligned(numerator, "numerator")
    dens = None if _omitted(denominator) else series.aligned(denominator, "denominator")

    def each(row: int) -> float | str:
        chosen = _ok(_method(methods[row]))
        if chosen is YtdMethod.RATIO and (nums is None or dens is None):
            raise _CellError("Ratio needs numerator and denominator")
        result = ytd(
            series.mapping(series.rows[row]),
            chosen,
            series.month,
            fy_start_month=fy,
            entered=_ok(_number(typed[row], "entered")),
            numerator=None if nums is None else series.mapping(nums[row], "numerator"),
            denominator=None if dens is None else series.mapping(dens[row], "denominator"),
        )
        return NOT_AVAILABLE if result is None else result

    return series.results(each)


@_udf(LATEST_SPEC)
@_boundary
def KPI_LATEST(values: Any, periods: Any = None, reporting_month: Any = None) -> Any:
    series = _Series(values, periods, reporting_month)

    def each(row: int) -> float | str:
        found = latest(series.mapping(series.rows[row]), series.month)
        return NOT_AVAILABLE if found is None else found[1]

    return series.results(each)


@_udf(DOT_SPEC)
@_boundary
def KPI_DOT(
    values: Any, polarity: Any = None, periods: Any = None, reporting_month: Any = None
) -> Any:
    series = _Series(values, periods, reporting_month)
    polarities = _per_row(polarity, len(series.rows), "polarity")

    def each(row: int) -> float | str:
        chosen = _ok(_polarity(polarities[row]))
        found = direction_of_travel(series.mapping(series.rows[row]), series.month, chosen)
        return NOT_AVAILABLE if found is None else found.value

    return series.results(each)
