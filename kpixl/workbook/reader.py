"""Read a workbook, as grids, into a :class:`Report`: the Settings sheet, every indicator sheet,
and each problem seen on the way with its sheet and cell (how cells are read: ``cells``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from kpixl.core.checks import (
    check_indicator,
    check_period_coverage,
    formula_without_value_problem,
    missing_ref_problem,
)
from kpixl.core.columns import (
    Column,
    Computed,
    Kind,
    column_by_key,
    computed_by_key,
)
from kpixl.core.models import (
    Indicator,
    Problem,
    Report,
    ServiceArea,
)
from kpixl.core.periods import is_sensible, month_of, parse_period
from kpixl.errors import WorkbookError
from kpixl.workbook import contract
from kpixl.workbook.area_block import read_area
from kpixl.workbook.cells import NO_FLOOR, default_type, read_input, read_period, text
from kpixl.workbook.computed_cells import typed_over_problems
from kpixl.workbook.grid import CellValue, SheetGrid, cell_address
from kpixl.workbook.headers import (
    blank_header_problems,
    duplicate_header_problem,
    lookalike_problems,
    near_miss,
    near_miss_problem,
    period_like,
    period_order_problems,
    same_area_problem,
    unread_period_problem,
    unusable_period_problem,
)
from kpixl.workbook.settings import Settings, read_settings

__all__ = ["IndicatorSheet", "ReadBook", "read_book"]

# Members looked up once: reading an enum member off its class costs ~0.25 µs in Python 3.11,
# which the per-cell loop would pay several times a cell.
_TARGET = Column.TARGET
_REF, _NUMBER, _TEXT, _DESCRIPTION = Kind.REF, Kind.NUMBER, Kind.TEXT, Kind.DESCRIPTION
_PREVIOUS_YEAR, _DECIMALS = Kind.PREVIOUS_YEAR, Kind.DECIMALS
_SKIPPED = frozenset(name.lower() for name in contract.NOT_INDICATOR_SHEETS)


@dataclass(frozen=True)
class IndicatorSheet:
    """Where things are on one indicator sheet (0-based rows and columns)."""

    name: str
    header_row: int
    columns: dict[Column, int]  # input column -> sheet column
    period_columns: dict[int, date]  # column -> period
    computed: dict[Computed, int]  # computed column -> sheet column, those already there
    rows: tuple[int, ...]  # grid rows holding indicators, in order
    area: str
    last_column: int  # the right-most column used from the header row down
    computed_last_row: int = -1  # the last row where a computed column holds anything
    missed: frozenset[Column] = frozenset()  # columns whose header was misspelt (reported)

    @cached_property
    def column_of_period(self) -> dict[date, int]:
        return {period: col for col, period in self.period_columns.items()}


@dataclass(frozen=True)
class ReadBook:
    """A workbook read: the report, reading problems, and where each indicator sits."""

    report: Report
    problems: tuple[Problem, ...]
    sheets: tuple[IndicatorSheet, ...]
    locations: tuple[tuple[str, int], ...]  # (sheet, grid row) per report.indicators entry
    sheet_names: tuple[str, ...] = ()  # every sheet of the book, in order

    @cached_property
    def _by_ref(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for index, indicator in enumerate(self.report.indicators):
            found.setdefault(indicator.ref, []).append(index)
        return found

    @cached_property
    def _by_name(self) -> dict[str, IndicatorSheet]:
        return {sheet.name: sheet for sheet in self.sheets}

    def locate(self, problem: Problem) -> Problem:
        """``problem`` with its sheet and cell filled from its ref, field and period."""
        indexes = self._candidates(problem)
        return self._place(problem, indexes[0]) if indexes else problem

    def locate_all(self, problems: Iterable[Problem]) -> tuple[Problem, ...]:
        """Locate a whole list. Where a Ref is used twice, the duplicate-Ref problem goes on
        every row with it, and each other problem on the row whose own figures give it."""
        seen: Counter[Problem] = Counter()
        located: list[Problem] = []
        for problem in problems:
            indexes = self._candidates(problem)
            if not indexes:
                located.append(problem)
            elif problem.field is Column.REF and len(indexes) > 1:
                located += [self._place(problem, index) for index in indexes]
            else:
                located.append(self._place(problem, indexes[seen[problem] % len(indexes)]))
                seen[problem] += 1
        return tuple(located)

    def _candidates(self, problem: Problem) -> list[int]:
        """Indexes of the indicators a problem may be about (one, unless the Ref is shared)."""
        if problem.cell or problem.ref is None:
            return []
        indexes = self._by_ref.get(problem.ref, [])
        if len(indexes) < 2 or problem.field is Column.REF:
            return indexes
        month, fy_start = self.report.reporting_month, self.report.fy_start_month
        indicators = self.report.indicators
        tolerance = self.report.amber_tolerance
        own = [
            i
            for i in indexes
            if problem in check_indicator(indicators[i], month, fy_start, amber_tolerance=tolerance)
        ]
        return own or indexes

    def _place(self, problem: Problem, index: int) -> Problem:
        name, row = self.locations[index]
        sheet = self._by_name[name]
        col = sheet.columns[Column.REF]
        if problem.field is Column.VALUE:
            month = problem.period or self.report.reporting_month
            col = sheet.column_of_period.get(month, col)
        elif problem.field is not None:
            col = sheet.columns.get(problem.field, col)
        return problem.model_copy(update={"sheet": name, "cell": cell_address(row, col)})


def read_book(grids: Sequence[SheetGrid], source: str = "") -> ReadBook:
    """Read every indicator sheet and the Settings sheet of a workbook."""
    settings_grid: SheetGrid | None = None
    readers: list[_SheetReader] = []
    problems: list[Problem] = []
    for grid in grids:
        key = grid.name.strip().lower()
        if key == contract.SETTINGS_SHEET.lower():
            settings_grid = settings_grid or grid
        elif key not in _SKIPPED and (header := _header_row(grid)) is not None:
            readers.append(_SheetReader(grid, header))
        elif key not in _SKIPPED:
            problems += lookalike_problems(grid)
    if not readers:
        found = (
            f" {problems[0].sheet}!{problems[0].cell}: {problems[0].message}" if problems else ""
        )
        raise WorkbookError(
            f"{source or 'The workbook'}: no indicator sheets found: a sheet needs a header row "
            f"with Ref and Indicator description in its first {contract.HEADER_SEARCH_ROWS} "
            f"rows{found}"
        )
    indicators: list[Indicator] = []
    locations: list[tuple[str, int]] = []
    for reader in readers:
        reader.read()
        problems += reader.problems
        indicators += reader.indicators
        locations += [(reader.grid.name, row) for row in reader.rows]
    settings = read_settings(settings_grid, _latest_with_figures(indicators))
    problems = settings.problems + problems
    for reader in readers:
        periods = sorted(reader.period_columns.values())
        problems += check_period_coverage(periods, settings.reporting_month, reader.grid.name)
    problems += _same_area_problems(readers)
    report = _report(settings, readers, indicators)
    return ReadBook(
        report=report,
        problems=tuple(problems),
        sheets=tuple(reader.sheet() for reader in readers),
        locations=tuple(locations),
        sheet_names=tuple(grid.name for grid in grids),
    )


def _header_row(grid: SheetGrid) -> int | None:
    for index, row in enumerate(grid.rows[: contract.HEADER_SEARCH_ROWS]):
        keys = {contract.normalise(value) for value in row if isinstance(value, str)}
        if "ref" in keys and "indicatordescription" in keys:
            return index
    return None


def _same_area_problems(readers: Sequence[_SheetReader]) -> list[Problem]:
    """Two sheets naming the same Service Area (a copied tab whose B1 was not changed)."""
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for reader in readers:
        name, sheet = reader.area.name, reader.grid.name
        if name in first:
            problems.append(same_area_problem(first[name], sheet, name, reader.area_cell))
        first.setdefault(name, sheet)
    return problems


def _latest_with_figures(indicators: Sequence[Indicator]) -> date | None:
    months = [p for i in indicators for p, v in i.values.items() if v is not None]
    return max(months, default=None)


def _report(
    settings: Settings, readers: Sequence[_SheetReader], indicators: list[Indicator]
) -> Report:
    areas: dict[str, ServiceArea] = {}
    for reader in readers:
        area = reader.area
        known = areas.get(area.name)
        if known is not None:
            people = known.people + tuple(p for p in area.people if p not in known.people)
            area = known.model_copy(
                update={"department": known.department or area.department, "people": people}
            )
        areas[area.name] = area
    return Report(
        title=settings.title,
        produced_by=settings.produced_by,
        reporting_month=settings.reporting_month,
        fy_start_month=settings.fy_start_month,
        amber_tolerance=settings.amber_tolerance,
        trend=settings.analysis.trend,
        spc=settings.analysis.spc,
        commentary_required_for=settings.analysis.commentary_required_for,
        charts=settings.analysis.charts,
        areas=tuple(areas.values()),
        indicators=tuple(indicators),
    )


@dataclass
class _SheetReader:
    """Reads one indicator sheet: header block, header row, then one indicator per Ref."""

    grid: SheetGrid
    header_row: int
    columns: dict[Column, int] = field(default_factory=dict)
    period_columns: dict[int, date] = field(default_factory=dict)
    computed: dict[Computed, int] = field(default_factory=dict)
    last_column: int = 0
    area: ServiceArea = field(default_factory=lambda: ServiceArea(name=""))
    indicators: list[Indicator] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    area_cell: str = ""  # where the Service Area name is typed
    missed: dict[Column, tuple[int, str]] = field(default_factory=dict)  # misspelt headers

    def sheet(self) -> IndicatorSheet:
        return IndicatorSheet(
            name=self.grid.name,
            header_row=self.header_row,
            columns=self.columns,
            period_columns=self.period_columns,
            computed=self.computed,
            rows=tuple(self.rows),
            area=self.area.name,
            last_column=self.last_column,
            computed_last_row=self._computed_last_row(),
            missed=frozenset(self.missed),
        )

    def _computed_last_row(self) -> int:
        """The last row below the header with a value in a computed column (old results)."""
        cols = sorted(self.computed.values())
        below = range(len(self.grid.rows) - 1, self.header_row, -1) if cols else range(0)
        for index in below:
            row = self.grid.rows[index]
            if any(col < len(row) and row[col] not in (None, "") for col in cols):
                return index
        return self.header_row

    @cached_property
    def _cells(self) -> tuple[tuple[Column, int, Kind, str], ...]:
        """(column, sheet column, kind, Indicator field) of each input column, once a sheet."""
        return tuple((c, col, c.spec.kind, c.spec.attribute) for c, col in self.columns.items())

    def read(self) -> None:
        self.area, self.area_cell = read_area(self.grid, self.header_row)
        self._headers()
        pending: dict[int, set[int]] = {}
        for at_row, at_col in self.grid.formulas_without_value:
            pending.setdefault(at_row, set()).add(at_col)
        ref_col = self.columns[Column.REF]
        description_col = self.columns[Column.DESCRIPTION]
        for index in range(self.header_row + 1, len(self.grid.rows)):
            row = self.grid.rows[index]
            ref = text(row[ref_col]) if ref_col < len(row) else None
            if ref is None:
                description = text(row[description_col]) if description_col < len(row) else None
                if ref_col in pending.get(index, ()):
                    self._add(formula_without_value_problem(None, Column.REF), index, ref_col)
                elif description is not None:
                    self._add(missing_ref_problem(description), index, ref_col)
                continue
            self.indicators.append(self._indicator(ref, index, row, pending.get(index, set())))
            self.rows.append(index)
        self.last_column = max(self.last_column, self._last_used_column())
        self._header_problems()

    def _header_problems(self) -> None:
        """Misspelt headers (one sentence each, however many rows they leave without their
        column) and period headers out of order or missing above figures."""
        name, row = self.grid.name, self.header_row
        for column, (col, value) in self.missed.items():
            present = column in self.columns
            self.problems.append(
                near_miss_problem(name, row, col, value, column, present, len(self.rows))
            )
        self.missed = {c: v for c, v in self.missed.items() if c not in self.columns}
        first, last = min(self.period_columns, default=-1), max(self.period_columns, default=-1)
        for col, value in self._period_like:
            if not self.period_columns or first - 1 <= col <= last + 1:
                self.problems.append(unread_period_problem(name, row, col, value))
        self.problems += period_order_problems(name, row, self.period_columns, self.grid)
        stop = min(self.computed.values(), default=self.last_column + 1)
        self.problems += blank_header_problems(
            name, row, self.columns, self.period_columns, self.grid, stop
        )
        refs = [(r, i.ref) for r, i in zip(self.rows, self.indicators, strict=True)]
        self.problems += typed_over_problems(self.grid, self.computed, refs)

    def _last_used_column(self) -> int:
        """The right-most column holding anything from the header row down: computed columns
        are appended after it, so a note typed beside the table is never overwritten."""
        formulas = [c for r, c in self.grid.formulas_without_value if r >= self.header_row]
        last = max(formulas, default=0)  # a formula never calculated reads as blank
        for row in self.grid.rows[self.header_row :]:
            for col in range(len(row) - 1, last, -1):
                if row[col] not in (None, ""):
                    last = col
                    break
        return last

    def _add(self, problem: Problem, row: int, col: int) -> None:
        cell = cell_address(row, col)
        self.problems.append(problem.model_copy(update={"sheet": self.grid.name, "cell": cell}))

    def _headers(self) -> None:
        seen: dict[object, int] = {}
        self._period_like: list[tuple[int, str]] = []
        for col, value in enumerate(self.grid.rows[self.header_row]):
            key: object
            if isinstance(value, date):
                key = month_of(value)
            elif isinstance(value, str) and value.strip():
                key = column_by_key(value) or computed_by_key(value) or parse_period(value)
                key = key or f"?{contract.normalise(value)}"
            else:
                continue
            self.last_column = col
            if isinstance(key, str) and key.startswith("?"):
                meant = near_miss(value)
                if isinstance(meant, Column) and meant not in self.missed:
                    self.missed[meant] = (col, str(value))
                elif isinstance(meant, Computed) and isinstance(value, str):
                    self.problems.append(
                        near_miss_problem(self.grid.name, self.header_row, col, value, meant,
                                          present=False, rows=0)
                    )  # fmt: skip
                elif isinstance(value, str) and meant is None and period_like(value):
                    self._period_like.append((col, value))
                continue  # an unknown column: kept, ignored
            if isinstance(key, date) and not is_sensible(key):
                self._unusable_period(value, col)
                continue
            if key in seen:
                self._duplicate_header(value, seen[key], col)
                continue
            seen[key] = col
            if isinstance(key, Column):
                self.columns[key] = col
            elif isinstance(key, Computed):
                self.computed[key] = col
            elif isinstance(key, date):
                self.period_columns[col] = key

    def _unusable_period(self, value: CellValue, col: int) -> None:
        self.problems.append(unusable_period_problem(self.grid.name, self.header_row, col, value))

    def _duplicate_header(self, value: CellValue, first: int, col: int) -> None:
        self.problems.append(
            duplicate_header_problem(self.grid.name, self.header_row, first, col, value)
        )

    def _indicator(
        self, ref: str, index: int, row: Sequence[CellValue], pending: set[int]
    ) -> Indicator:
        width = len(row)
        fields: dict[str, object] = {"ref": ref, "service_area": self.area.name}
        target_given = False
        for column, col, kind, attribute in self._cells:
            value = row[col] if col < width else None
            if col in pending:
                self._add(formula_without_value_problem(ref, column), index, col)
                target_given = target_given or column is _TARGET
                continue
            if value is None or kind is _REF:
                continue
            read = read_input(ref, column, value)
            target_given = target_given or (column is _TARGET and read.typed)
            if read.problem is not None:
                self._add(read.problem, index, col)
            elif read.value is NO_FLOOR:
                fields["no_floor"] = True
            elif read.value is not None:
                fields[attribute] = read.value
        if "type" not in fields:
            fields["type"] = default_type(target_given)
        fields["values"] = self._values(ref, index, row, pending)
        return Indicator.model_validate(fields)

    def _values(
        self, ref: str, index: int, row: Sequence[CellValue], pending: set[int]
    ) -> dict[date, float | None]:
        values: dict[date, float | None] = {}
        width = len(row)
        for col, period in self.period_columns.items():
            value = row[col] if col < width else None
            kind = type(value)
            if kind is float or kind is int:
                values[period] = float(value)  # type: ignore[arg-type]
                continue
            if col in pending:
                self._add(formula_without_value_problem(ref, Column.VALUE, period), index, col)
                continue
            read = read_period(ref, value, period)
            if read.problem is not None:
                self._add(read.problem, index, col)
            elif read.typed:
                values[period] = read.value  # type: ignore[assignment]
        return values
