"""A worksheet function's arguments as one indicator row, answered as the sheet answers it.

The arguments are read as the cells of an indicator row (:mod:`kpixl.workbook.cells`, exactly
as the sheet reader reads them), checked by the core's own checks (``check_report``) and rated
by the core's own ``rate_indicator``. The answer is what the computed column would hold, or,
when the row has an error-level problem, that problem's first sentence as ``#KPI:`` text —
the first in the sheet's column order, as the Checks column lists it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kpixl.core.checks import check_report
from kpixl.core.evaluate import rate_indicator
from kpixl.core.models import (
    Indicator,
    Problem,
    Report,
    Result,
    Severity,
    SpcSettings,
    TrendSettings,
)
from kpixl.udf_cells import FUNCTION_REF, CellError, short
from kpixl.udf_targets import TargetsTable
from kpixl.workbook import contract
from kpixl.workbook.cells import NO_FLOOR, default_type, read_input, read_period
from kpixl.workbook.grid import CellValue

__all__ = ["ONE_PERIOD", "SINGLE", "Row", "answer"]

ONE_PERIOD = date(2000, 1, 1)
"""The period a single value (``KPI_RAG``, ``KPI_ALERT``) is read at."""
SINGLE = {ONE_PERIOD: "the value"}
_COLUMN_ORDER = {contract.normalise(header): i for i, header in enumerate(contract.INPUT_COLUMNS)}
_VALUES = len(_COLUMN_ORDER)  # period columns come after every input column


@dataclass
class Row:
    """One indicator row: input cells by contract header, and (period, cell) pairs."""

    inputs: Mapping[str, CellValue]
    values: Sequence[tuple[date, CellValue]] = ()
    ref: str = FUNCTION_REF
    problems: list[Problem] = field(default_factory=list)

    def indicator(self) -> Indicator:
        """The core indicator these cells make; what cannot be read goes to ``problems``."""
        key = tuple((header, raw, type(raw)) for header, raw in self.inputs.items())
        definition, problems = _definition(self.ref, key)
        self.problems += problems
        values: dict[date, float | None] = {}
        for period, raw in self.values:
            if raw is None:
                continue
            read = read_period(self.ref, raw, period)
            if read.problem is not None:
                self.problems.append(read.problem)
            elif read.typed:
                values[period] = read.value  # type: ignore[assignment]
        return definition.model_copy(update={"values": values})


@functools.lru_cache(maxsize=4096)
def _definition(
    ref: str, inputs: tuple[tuple[str, CellValue, type], ...]
) -> tuple[Indicator, tuple[Problem, ...]]:
    """An indicator without values from its input cells (a column of rows shares one)."""
    fields: dict[str, Any] = {"ref": ref}
    problems: list[Problem] = []
    target_typed = False
    for header, raw, _ in inputs:  # the type keeps 1, 1.0 and TRUE apart in the cache
        if raw is None:
            continue
        read = read_input(ref, header, raw)
        target_typed = target_typed or (header == "Target" and read.typed)
        if read.problem is not None:
            problems.append(read.problem)
        elif read.value is NO_FLOOR:
            fields["no_floor"] = True  # a KPI rated against its Target alone on purpose
        elif read.value is not None:
            fields[contract.INPUT_COLUMNS[header]] = read.value
    fields.setdefault("type", default_type(target_typed))
    return Indicator.model_construct(**fields), tuple(problems)  # fields already typed


@functools.lru_cache(maxsize=64)
def _report(
    reporting_month: date,
    fy_start_month: int,
    trend: TrendSettings | None = None,
    spc: SpcSettings | None = None,
) -> Report:
    return Report(
        reporting_month=reporting_month,
        fy_start_month=fy_start_month,
        trend=trend or TrendSettings(),
        spc=spc,
    )


def _rank(problem: Problem) -> tuple[int, date]:
    """Where the sheet would put a problem in its row: its column, left to right."""
    if problem.field == "value" and problem.period is not None:
        return _VALUES, problem.period
    return _COLUMN_ORDER.get(contract.normalise(problem.field), 0), ONE_PERIOD


def answer(
    rows: Sequence[Row],
    reporting_month: date,
    fy_start_month: int,
    names: Mapping[date, str] | None = None,
    targets: tuple[TargetsTable, str] | None = None,
    *,
    trend: TrendSettings | None = None,
    spc: SpcSettings | None = None,
) -> Result:
    """The computed columns of ``rows[0]`` (the others are its Ratio numerator and
    denominator), or raise the first error of any row as a :class:`CellError` (``names``: see
    :func:`kpixl.udf_cells.short`). ``targets``: a Targets-like range and the Ref ``rows[0]``
    has there, whose rows for its periods are used (or whose errors are raised) as the sheet
    uses the Targets sheet. ``trend`` and ``spc``: the Settings sheet's analysis settings
    (default: Previous period, SPC Off)."""
    indicators = tuple(row.indicator() for row in rows)
    base = _report(reporting_month, fy_start_month, trend, spc)
    report = base.model_copy(update={"indicators": indicators})
    checked = check_report(report)
    for row in rows:
        found = row.problems + [p for p in checked if p.ref == row.ref]
        errors = sorted((p for p in found if p.severity is Severity.ERROR), key=_rank)
        if errors:
            raise CellError(short(errors[0], names=names))
    timeline = None
    if targets is not None:
        table, ref = targets
        periods = [period for period, _ in rows[0].values]
        timeline = table.timeline(ref, indicators[0], periods, fy_start_month)
    others = {indicator.ref: indicator for indicator in indicators}
    return rate_indicator(indicators[0], report, others, timeline=timeline)
