"""Plan the computed columns of every indicator sheet (SPEC section 3) as a :class:`WritePlan`.

Computed columns already on a sheet stay where they are; absent ones are appended right of the
table's last header, in contract order. Each contiguous run of computed columns is one block,
from the header row (names written) down to the last indicator row, or further when old
results lie below it, so they are cleared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from kpixl.core.columns import Computed, Needs, Shows, computed_in_force
from kpixl.core.models import NOT_AVAILABLE, Indicator, Report, Result
from kpixl.core.periods import period_label
from kpixl.report import look
from kpixl.report.charts import charts_design
from kpixl.report.dashboard import dashboard_design
from kpixl.report.design import SheetDesign
from kpixl.report.history_sheet import history_design
from kpixl.report.summary import summary_design
from kpixl.workbook.calculate import Outcome, cell_position
from kpixl.workbook.contract import DASHBOARD_SHEET
from kpixl.workbook.grid import Block, CellValue
from kpixl.workbook.history import merged_history
from kpixl.workbook.plan import CellFormat, ColouredRange, WritePlan
from kpixl.workbook.reader import IndicatorSheet

__all__ = [
    "computed_columns",
    "number_format",
    "plan_computed",
    "row_values",
    "settings_on",
]

_FORMATTED = tuple(column for column in Computed if column.spec.shows is Shows.FIGURE)
# Members looked up once (an enum member off its class costs ~0.25 µs a time in Python 3.11).
_CHECKS, _RAG, _ALERT = Shows.CHECKS, Shows.RAG, Shows.ALERT
_PERIOD, _WORD, _LABEL = Shows.PERIOD, Shows.WORD, Shows.LABEL
_SHOWN = tuple(
    (column, column.spec.shows, column.spec.attribute, column.spec.needs) for column in Computed
)
_COLOURED = tuple((column, column.spec.colour) for column in Computed if column.spec.colour)


def plan_computed(outcome: Outcome) -> WritePlan:
    """Blocks, number formats and coloured ranges for every indicator sheet's computed columns."""
    read = outcome.read
    on = settings_on(outcome.evaluation.report)
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
        columns = computed_columns(sheet, on)
        first = sheet.header_row + 1
        last = max([sheet.computed_last_row, *sheet.rows, sheet.header_row])
        table: dict[int, dict[Computed, CellValue]] = {}
        for row in sheet.rows:
            indicator, result = by_row[sheet.name, row]
            table[row] = row_values(indicator, result, checks.get((sheet.name, row), ()), on)
            formats += [
                CellFormat(sheet.name, row, columns[column], number_format(indicator))
                for column in _FORMATTED
            ]
        for run in _runs(columns):
            values: list[list[CellValue]] = [[column.value for column in run]]
            for row in range(first, last + 1):
                cells = table.get(row)
                values.append([cells[column] if cells else None for column in run])
            blocks.append(Block(sheet.name, sheet.header_row, columns[run[0]], values))
        if last >= first:
            coloured += [
                ColouredRange(sheet.name, first, columns[column], last, colour.value)
                for column, colour in _COLOURED
                if column in columns
            ]
    return WritePlan(blocks=tuple(blocks), formats=tuple(formats), coloured=tuple(coloured))


def settings_on(report: Report) -> frozenset[Needs]:
    """The settings that computed columns need which are On in ``report``."""
    return frozenset({Needs.SPC} if report.spc is not None else ())


def computed_columns(sheet: IndicatorSheet, on: Collection[Needs] = ()) -> dict[Computed, int]:
    """Computed column -> sheet column: existing ones in place, absent ones appended in order
    (those that need a setting only when it is in ``on``)."""
    columns = dict(sheet.computed)
    next_col = max(sheet.last_column, *columns.values()) + 1 if columns else sheet.last_column + 1
    for column in computed_in_force(on):
        if column not in columns:
            columns[column] = next_col
            next_col += 1
    return columns


def row_values(
    indicator: Indicator,
    result: Result,
    checks: Sequence[str] = (),
    on: Collection[Needs] = (),
) -> dict[Computed, CellValue]:
    """The computed cells of one indicator row, by column (see :class:`Shows`); a column whose
    setting is not in ``on`` is blank."""
    kpi = indicator.is_kpi
    cells: dict[Computed, CellValue] = {}
    for column, shows, attribute, needs in _SHOWN:
        value = getattr(result, attribute) if attribute else None
        cell: CellValue
        if needs is not None and needs not in on:
            cell = None
        elif shows is _LABEL:
            cell = NOT_AVAILABLE if value is None else str(value)
        elif shows is _CHECKS:
            cell = " ".join(checks) or None
        elif shows is _RAG or shows is _ALERT:
            if kpi is (shows is _RAG):
                cell = NOT_AVAILABLE if value is None else str(value)
            else:
                cell = None  # a KPI has no alert, an activity no RAG
        elif value is None:
            cell = None
        elif shows is _PERIOD:
            cell = period_label(value)
        elif shows is _WORD:
            cell = str(value)
        else:
            cell = value
        cells[column] = cell
    return cells


def number_format(indicator: Indicator) -> str:
    """The number format of the indicator's figures: one rule, ``kpixl.report.look``."""
    return look.number_format(indicator.unit, indicator.decimals)


def _runs(columns: dict[Computed, int]) -> list[tuple[Computed, ...]]:
    """Computed columns grouped into runs of adjacent sheet columns, left to right."""
    runs: list[list[Computed]] = []
    previous = -2
    for column, col in sorted(columns.items(), key=lambda item: item[1]):
        if col == previous + 1:
            runs[-1].append(column)
        else:
            runs.append([column])
        previous = col
    return [tuple(run) for run in runs]


def full_plan(outcome: Outcome) -> WritePlan:
    """Everything a calculation writes: the computed columns, then Summary, Dashboard, the
    hidden history (this run's month replaced, placed after Dashboard when new), and the
    Charts sheet when the ``Charts`` setting is Yes."""
    plan = plan_computed(outcome)
    evaluation, history = outcome.evaluation, outcome.history
    designs: tuple[SheetDesign, ...] = (
        summary_design(evaluation, history=history),
        dashboard_design(evaluation),
        history_design(merged_history(history, evaluation), after=DASHBOARD_SHEET),
    )
    if evaluation.report.charts:
        designs += (charts_design(evaluation),)
    return WritePlan(plan.blocks, plan.formats, plan.coloured, designs)
