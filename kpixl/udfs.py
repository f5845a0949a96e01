"""The worksheet functions ``=KPI_RAG()``, ``=KPI_ALERT()``, ``=KPI_YTD()``, ``=KPI_LATEST()``,
``=KPI_DOT()`` and ``=KPI_SPC()``: thin xlwings UDFs that answer what Calculate RAG's computed
columns would.

Arguments come as xlwings delivers them (``ndim=2``: every cell or range is a list of rows;
blank is None, error cells are text such as ``#N/A``); plain scalars and 1-D lists work too.
Each result is one indicator row made of the arguments (:mod:`kpixl.udf_indicator`: read by
the sheet reader's own cell rules, checked and rated by the core), so a cell the Checks
column would report gives ``#KPI: <its first sentence>`` in its place, never a traceback.
Signatures and texts come from :mod:`kpixl.udf_specs`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import xlwings as xw

from kpixl.core.models import NOT_AVAILABLE, Rag, Result
from kpixl.udf_analysis import analysis
from kpixl.udf_cells import (
    ERROR_PREFIX,
    CellError,
    Series,
    boundary,
    elementwise,
    fy_start,
    omitted,
    per_row,
    period_of,
    remembered,
    single_cell,
)
from kpixl.udf_indicator import ONE_PERIOD, SINGLE, Row, answer
from kpixl.udf_specs import KPI_ALERT as ALERT_SPEC
from kpixl.udf_specs import KPI_DOT as DOT_SPEC
from kpixl.udf_specs import KPI_LATEST as LATEST_SPEC
from kpixl.udf_specs import KPI_RAG as RAG_SPEC
from kpixl.udf_specs import KPI_SPC as SPC_SPEC
from kpixl.udf_specs import KPI_YTD as YTD_SPEC
from kpixl.udf_specs import UdfSpec
from kpixl.udf_targets import TargetsTable, read_table, ref_of
from kpixl.workbook.analysis_settings import Analysis
from kpixl.workbook.grid import CellValue

__all__ = [
    "ERROR_PREFIX",
    "KPI_ALERT",
    "KPI_DOT",
    "KPI_LATEST",
    "KPI_RAG",
    "KPI_SPC",
    "KPI_YTD",
]

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


def _rag(rating: Rag | None) -> str:
    return NOT_AVAILABLE if rating is None else rating.value


def _number(value: float | None) -> float | str:
    return NOT_AVAILABLE if value is None else value


@remembered
def _rag_cell(
    value: CellValue,
    target: CellValue,
    floor: CellValue,
    polarity: CellValue,
    decimals: CellValue,
    unit: CellValue,
    tolerance: CellValue,
) -> str:
    inputs = {"Type": "KPI", "Polarity": polarity, "Unit": unit, "Decimals": decimals}
    thresholds = {"Target": target, "Floor": floor, "Tolerance": tolerance}
    row = Row({**inputs, **thresholds}, [(ONE_PERIOD, value)])
    return _rag(answer([row], ONE_PERIOD, 4, SINGLE).latest_rag)


@remembered
def _alert_cell(value: CellValue, lower: CellValue, upper: CellValue, unit: CellValue) -> str:
    row = Row(
        {"Type": "Activity", "Unit": unit, "Upper": upper, "Lower": lower}, [(ONE_PERIOD, value)]
    )
    alert = answer([row], ONE_PERIOD, 4, SINGLE).alert
    return NOT_AVAILABLE if alert is None else alert.value


def _rag_at(table: TargetsTable, ref: CellValue, period: CellValue, *cells: CellValue) -> str:
    """``_rag_cell`` for the value of ``period``, with the thresholds ``table`` sets for
    ``ref`` in that period."""
    value, target, floor, polarity, decimals, unit, tolerance = cells
    month = period_of(period)
    inputs = {"Type": "KPI", "Polarity": polarity, "Unit": unit, "Decimals": decimals}
    thresholds = {"Target": target, "Floor": floor, "Tolerance": tolerance}
    row = Row({**inputs, **thresholds}, [(month, value)])
    found = answer([row], month, 4, {month: "the value"}, targets=(table, ref_of(ref)))
    return _rag(found.latest_rag)


@_udf(RAG_SPEC)
@boundary
def KPI_RAG(
    value: Any,
    target: Any,
    floor: Any,
    polarity: Any = None,
    decimals: Any = None,
    unit: Any = None,
    tolerance: Any = None,
    targets: Any = None,
    ref: Any = None,
    period: Any = None,
) -> Any:
    cells = [value, target, floor, polarity, decimals, unit, tolerance]
    table = read_table(targets)
    if table is None:
        return elementwise(_rag_cell, cells)
    return elementwise(lambda r, p, *rest: _rag_at(table, r, p, *rest), [ref, period, *cells])


def _alert_at(table: TargetsTable, ref: CellValue, period: CellValue, *cells: CellValue) -> str:
    """``_alert_cell`` for the value of ``period``, with the Upper and Lower ``table`` sets
    for ``ref`` in that period."""
    value, lower, upper, unit = cells
    month = period_of(period)
    row = Row({"Type": "Activity", "Unit": unit, "Upper": upper, "Lower": lower}, [(month, value)])
    alert = answer([row], month, 4, {month: "the value"}, targets=(table, ref_of(ref))).alert
    return NOT_AVAILABLE if alert is None else alert.value


@_udf(ALERT_SPEC)
@boundary
def KPI_ALERT(
    value: Any,
    lower: Any,
    upper: Any,
    unit: Any = None,
    targets: Any = None,
    ref: Any = None,
    period: Any = None,
) -> Any:
    cells = [value, lower, upper, unit]
    table = read_table(targets)
    if table is None:
        return elementwise(_alert_cell, cells)
    return elementwise(lambda r, p, *rest: _alert_at(table, r, p, *rest), [ref, period, *cells])


class _Rows:
    """The value rows of a row function, each with its own per-row inputs, as indicators."""

    def __init__(
        self,
        values: Any,
        periods: Any,
        reporting_month: Any,
        fy_start_month: Any,
        inputs: dict[str, Any],
    ) -> None:
        self.fy = fy_start(fy_start_month)
        self.series = Series(values, periods, reporting_month, self.fy)
        count = len(self.series.rows)
        self.inputs = {
            header: per_row(raw, count, name)
            for header, (name, raw) in inputs.items()
            if not omitted(raw)
        }

    def row(self, index: int, **more: CellValue) -> Row:
        inputs: dict[str, CellValue] = {"Type": "Activity", **more}
        inputs.update({header: cells[index] for header, cells in self.inputs.items()})
        return Row(inputs, self.series.cells(self.series.rows[index]))

    def results(self, each: Callable[[int], float | str]) -> Any:
        return self.series.results(each)

    def answer(self, *rows: Row, settings: Analysis | None = None) -> Result:
        trend, spc = (settings.trend, settings.spc) if settings else (None, None)
        return answer(rows, self.series.month, self.fy, self.series.names, trend=trend, spc=spc)


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
    frequency: Any = None,
    unit: Any = None,
) -> Any:
    table = _Rows(
        values,
        periods,
        reporting_month,
        fy_start_month,
        {
            "YTD method": ("method", method),
            "YTD": ("entered", entered),
            "Frequency": ("frequency", frequency),
            "Unit": ("unit", unit),
        },
    )
    series = table.series
    ratio = {
        name: series.aligned(raw, name.lower())
        for name, raw in (("Numerator", numerator), ("Denominator", denominator))
        if not omitted(raw)
    }

    def each(index: int) -> float | str:
        others = [Row({}, series.cells(rows[index]), ref=name) for name, rows in ratio.items()]
        main = table.row(index, **{name: name for name in ratio})
        return _number(table.answer(main, *others).ytd_value)

    return table.results(each)


@_udf(LATEST_SPEC)
@boundary
def KPI_LATEST(
    values: Any,
    periods: Any = None,
    reporting_month: Any = None,
    frequency: Any = None,
    fy_start_month: Any = 4,
    unit: Any = None,
) -> Any:
    table = _Rows(
        values,
        periods,
        reporting_month,
        fy_start_month,
        {"Frequency": ("frequency", frequency), "Unit": ("unit", unit)},
    )
    return table.results(lambda index: _number(table.answer(table.row(index)).latest_value))


@_udf(DOT_SPEC)
@boundary
def KPI_DOT(
    values: Any,
    polarity: Any = None,
    periods: Any = None,
    reporting_month: Any = None,
    frequency: Any = None,
    fy_start_month: Any = 4,
    unit: Any = None,
    method: Any = None,
    trend_periods: Any = None,
    trend_confidence: Any = None,
) -> Any:
    table = _Rows(
        values,
        periods,
        reporting_month,
        fy_start_month,
        {
            "Polarity": ("polarity", polarity),
            "Frequency": ("frequency", frequency),
            "Unit": ("unit", unit),
        },
    )
    chosen = analysis(
        {"method": method, "trend_periods": trend_periods, "trend_confidence": trend_confidence}
    )

    def each(index: int) -> float | str:
        direction = table.answer(table.row(index), settings=chosen).direction
        return NOT_AVAILABLE if direction is None else direction.value

    return table.results(each)


_SPC_KINDS = {"variation": "variation", "assurance": "assurance"}


@_udf(SPC_SPEC)
@boundary
def KPI_SPC(
    values: Any,
    periods: Any = None,
    reporting_month: Any = None,
    polarity: Any = None,
    target: Any = None,
    kind: Any = None,
    frequency: Any = None,
    fy_start_month: Any = 4,
    unit: Any = None,
    minimum_points: Any = None,
    trend_length: Any = None,
    shift_length: Any = None,
    baseline_points: Any = None,
) -> Any:
    shown = "variation"
    if not omitted(kind):
        word = single_cell(kind, "kind")
        shown = _SPC_KINDS.get(str(word).strip().lower(), "")
        if not shown:
            raise CellError("kind must be Variation or Assurance")
    table = _Rows(
        values,
        periods,
        reporting_month,
        fy_start_month,
        {
            "Polarity": ("polarity", polarity),
            "Target": ("target", target),
            "Frequency": ("frequency", frequency),
            "Unit": ("unit", unit),
        },
    )
    chosen = analysis(
        {
            "minimum_points": minimum_points,
            "trend_length": trend_length,
            "shift_length": shift_length,
            "baseline_points": baseline_points,
        },
        spc=True,
    )

    def each(index: int) -> float | str:
        # Type as the sheet reads a blank one: a KPI when the row has a Target
        result = table.answer(table.row(index, Type=None), settings=chosen)
        label = getattr(result, shown)
        return NOT_AVAILABLE if label is None else str(label)

    return table.results(each)
