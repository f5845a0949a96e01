"""Plan the computed columns of every indicator sheet (SPEC section 3) as a :class:`WritePlan`.

Computed columns already on a sheet stay where they are; absent ones are appended right of the
table's last header, in contract order. Each contiguous run of computed columns is one block,
from the header row (names written) down to the last indicator row, or further when old
results lie below it, so they are cleared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from kpixl.core.models import NOT_AVAILABLE, Indicator, Rag, Result
from kpixl.core.periods import period_label
from kpixl.report import look
from kpixl.report.dashboard import dashboard_design
from kpixl.report.summary import summary_design
from kpixl.workbook import contract
from kpixl.workbook.calculate import Outcome, cell_position
from kpixl.workbook.grid import Block, CellValue
from kpixl.workbook.plan import CellFormat, ColouredRange, WritePlan
from kpixl.workbook.reader import IndicatorSheet

__all__ = ["computed_columns", "number_format", "plan_computed", "row_values"]

_COLOURED = {
    contract.LATEST_RAG: "rag",
    contract.YTD_RAG: "rag",
    contract.IN_EXPECTED_RANGE: "alert",
}
_FORMATTED = (contract.LATEST_VALUE, contract.YTD_VALUE)


def plan_computed(outcome: Outcome) -> WritePlan:
    """Blocks, number formats and coloured ranges for every indicator sheet's computed columns."""
    read = outcome.read
    pairs = outcome.evaluation.pairs()
    by_row = {where: pairs[index] for index, where in enumerate(read.locations)}
    checks: defaultdict[tuple[str, int], list[str]] = defaultdict(list)
    for problem in outcome.problems:
        if problem.sheet and problem.cell:
            checks[problem.sheet, cell_position(problem.cell)[0]].append(problem.message)
    blocks: list[Block] = []
    formats: list[CellFormat] = []
    coloured: list[ColouredRange] = []
    for sheet in read.sheets:
        columns = computed_columns(sheet)
        first = sheet.header_row + 1
        last = max([sheet.computed_last_row, *sheet.rows, sheet.header_row])
        table: dict[int, dict[str, CellValue]] = {}
        for row in sheet.rows:
            indicator, result = by_row[sheet.name, row]
            table[row] = row_values(indicator, result, checks.get((sheet.name, row), ()))
            formats += [
                CellFormat(sheet.name, row, columns[header], number_format(indicator))
                for header in _FORMATTED
            ]
        for run in _runs(columns):
            values: list[list[CellValue]] = [list(run)]
            for row in range(first, last + 1):
                cells = table.get(row)
                values.append([cells[header] if cells else None for header in run])
            blocks.append(Block(sheet.name, sheet.header_row, columns[run[0]], values))
        if last >= first:
            coloured += [
                ColouredRange(sheet.name, first, columns[header], last, kind)
                for header, kind in _COLOURED.items()
            ]
    return WritePlan(blocks=tuple(blocks), formats=tuple(formats), coloured=tuple(coloured))


def computed_columns(sheet: IndicatorSheet) -> dict[str, int]:
    """Computed header -> column: existing ones in place, absent ones appended in order."""
    columns = dict(sheet.computed)
    next_col = max(sheet.last_column, *columns.values()) + 1 if columns else sheet.last_column + 1
    for header in contract.COMPUTED_COLUMNS:
        if header not in columns:
            columns[header] = next_col
            next_col += 1
    return columns


def row_values(
    indicator: Indicator, result: Result, checks: Sequence[str] = ()
) -> dict[str, CellValue]:
    """The computed cells of one indicator row, by header."""
    kpi = indicator.is_kpi
    alert: CellValue = None
    if not kpi:
        alert = result.alert.value if result.alert else NOT_AVAILABLE
    return {
        contract.LATEST_PERIOD: period_label(result.latest_period)
        if result.latest_period
        else None,
        contract.LATEST_VALUE: result.latest_value,
        contract.LATEST_RAG: _rag(kpi, result.latest_rag),
        contract.YTD_VALUE: result.ytd_value,
        contract.YTD_RAG: _rag(kpi, result.ytd_rag),
        contract.IN_EXPECTED_RANGE: alert,
        contract.DIRECTION: result.direction.value if result.direction else None,
        contract.CHECKS: " ".join(checks) or None,
    }


def number_format(indicator: Indicator) -> str:
    """The number format of the indicator's figures: one rule, ``kpixl.report.look``."""
    return look.number_format(indicator.unit, indicator.decimals)


def _rag(kpi: bool, rag: Rag | None) -> CellValue:
    if not kpi:
        return None
    return rag.value if rag is not None else NOT_AVAILABLE


def _runs(columns: dict[str, int]) -> list[tuple[str, ...]]:
    """Headers grouped into runs of adjacent columns, left to right."""
    runs: list[list[str]] = []
    previous = -2
    for header, col in sorted(columns.items(), key=lambda item: item[1]):
        if col == previous + 1:
            runs[-1].append(header)
        else:
            runs.append([header])
        previous = col
    return [tuple(run) for run in runs]


def full_plan(outcome: Outcome) -> WritePlan:
    """Everything a calculation writes: the computed columns, then Summary and Dashboard."""
    plan = plan_computed(outcome)
    designs = (summary_design(outcome.evaluation), dashboard_design(outcome.evaluation))
    return WritePlan(plan.blocks, plan.formats, plan.coloured, designs)
