"""The worksheet functions ``=KPI_RAG()``, ``=KPI_ALERT()``, ``=KPI_YTD()``, ``=KPI_LATEST()``
and ``=KPI_DOT()``: thin xlwings UDFs over the very rule functions the batch path uses.

Arguments come as xlwings delivers them (``ndim=2``: every cell or range is a list of rows;
blank is None, error cells are text such as ``#N/A``); plain scalars and 1-D lists work too.
A cell that cannot be used gives ``#KPI: <reason>`` in its place, never a traceback.
Signatures and texts come from :mod:`kpixl.udf_specs`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import xlwings as xw

from kpixl.core.models import NOT_AVAILABLE, Polarity, YtdMethod
from kpixl.core.rules import direction_of_travel, latest, rag, range_alert, ytd
from kpixl.udf_cells import (
    ERROR_PREFIX,
    Bad,
    CellError,
    Series,
    boundary,
    clean_decimals,
    clean_method,
    clean_number,
    clean_percent,
    clean_polarity,
    elementwise,
    fy_start,
    ok,
    omitted,
    per_row,
)
from kpixl.udf_specs import KPI_ALERT as ALERT_SPEC
from kpixl.udf_specs import KPI_DOT as DOT_SPEC
from kpixl.udf_specs import KPI_LATEST as LATEST_SPEC
from kpixl.udf_specs import KPI_RAG as RAG_SPEC
from kpixl.udf_specs import KPI_YTD as YTD_SPEC
from kpixl.udf_specs import UdfSpec

__all__ = ["ERROR_PREFIX", "KPI_ALERT", "KPI_DOT", "KPI_LATEST", "KPI_RAG", "KPI_YTD"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _udf(spec: UdfSpec) -> Callable[[_F], _F]:
    """Apply ``xw.func``/``xw.arg`` with the texts of ``spec``; errors become ``#KPI:`` text."""

    def decorate(f: _F) -> _F:
        f.__doc__ = spec.description
        for arg in spec.args:
            f = xw.arg(arg.name, ndim=2, err_to_str=True, doc=arg.description)(f)
        return xw.func(category=spec.category)(f)

    return decorate


# --- the worksheet functions -------------------------------------------------------------


def _rag_cell(
    value: float | None | Bad,
    target: float | None | Bad,
    floor: float | None | Bad,
    polarity: Polarity | None | Bad,
    decimals: int | None | Bad,
    percent: bool | Bad,
) -> str:
    t, f, p, d, pc = ok(target), ok(floor), ok(polarity), ok(decimals), ok(percent)
    if t is None:
        raise CellError("target missing")
    v = ok(value)
    if v is None:
        return NOT_AVAILABLE
    rating = rag(v, t, f, p, decimals=d, percent=pc)
    if rating is None:
        raise CellError("target equals floor: give a polarity")
    return rating.value


def _alert_cell(
    value: float | None | Bad, lower: float | None | Bad, upper: float | None | Bad
) -> str:
    lo, up = ok(lower), ok(upper)
    if lo is None and up is None:
        raise CellError("lower and upper missing")
    if lo is not None and up is not None and up < lo:
        raise CellError("upper is below lower")
    v = ok(value)
    if v is None:
        return NOT_AVAILABLE
    alert = range_alert(v, lo, up)
    return NOT_AVAILABLE if alert is None else alert.value


@_udf(RAG_SPEC)
@boundary
def KPI_RAG(
    value: Any,
    target: Any,
    floor: Any,
    polarity: Any = None,
    decimals: Any = None,
    unit: Any = None,
) -> Any:
    return elementwise(
        _rag_cell,
        [
            (value, lambda c: clean_number(c, "value")),
            (target, lambda c: clean_number(c, "target")),
            (floor, lambda c: clean_number(c, "floor")),
            (polarity, clean_polarity),
            (decimals, clean_decimals),
            (unit, clean_percent),
        ],
    )


@_udf(ALERT_SPEC)
@boundary
def KPI_ALERT(value: Any, lower: Any, upper: Any) -> Any:
    return elementwise(
        _alert_cell,
        [
            (value, lambda c: clean_number(c, "value")),
            (lower, lambda c: clean_number(c, "lower")),
            (upper, lambda c: clean_number(c, "upper")),
        ],
    )


@_udf(YTD_SPEC)
@boundary
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
    fy = fy_start(fy_start_month)
    series = Series(values, periods, reporting_month, fy)
    methods = per_row(method, len(series.rows), "method")
    typed = per_row(entered, len(series.rows), "entered")
    nums = None if omitted(numerator) else series.aligned(numerator, "numerator")
    dens = None if omitted(denominator) else series.aligned(denominator, "denominator")

    def each(row: int) -> float | str:
        chosen = ok(clean_method(methods[row]))
        if chosen is YtdMethod.RATIO and (nums is None or dens is None):
            raise CellError("Ratio needs numerator and denominator")
        result = ytd(
            series.mapping(series.rows[row]),
            chosen,
            series.month,
            fy_start_month=fy,
            entered=ok(clean_number(typed[row], "entered")),
            numerator=None if nums is None else series.mapping(nums[row], "numerator"),
            denominator=None if dens is None else series.mapping(dens[row], "denominator"),
        )
        return NOT_AVAILABLE if result is None else result

    return series.results(each)


@_udf(LATEST_SPEC)
@boundary
def KPI_LATEST(values: Any, periods: Any = None, reporting_month: Any = None) -> Any:
    series = Series(values, periods, reporting_month)

    def each(row: int) -> float | str:
        found = latest(series.mapping(series.rows[row]), series.month)
        return NOT_AVAILABLE if found is None else found[1]

    return series.results(each)


@_udf(DOT_SPEC)
@boundary
def KPI_DOT(
    values: Any, polarity: Any = None, periods: Any = None, reporting_month: Any = None
) -> Any:
    series = Series(values, periods, reporting_month)
    polarities = per_row(polarity, len(series.rows), "polarity")

    def each(row: int) -> float | str:
        chosen = ok(clean_polarity(polarities[row]))
        found = direction_of_travel(series.mapping(series.rows[row]), series.month, chosen)
        return NOT_AVAILABLE if found is None else found.value

    return series.results(each)
