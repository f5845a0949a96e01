"""``kpixl combine IN... -o OUT.xlsx``: one corporate Summary and Dashboard over several
workbooks, each a service's own, plus a ``Sources`` sheet (SPEC section 8.6).

Each workbook is read and rated on its own through the same pipeline as ``kpixl check`` (its
own checks and Ratio refs), then the ratings are put side by side:

* **Service areas keep their names.** When two workbooks have an area of the same name, they
  are two services (each directorate has its own Finance team), not one: each is kept apart
  and named ``<area> (<file name>)``, with its own header, director and cabinet member.
* **Title and Produced by** come from the first workbook unless given.
* **Reporting month**: the latest of the workbooks. A workbook set to an earlier month gets a
  warning naming the file with the latest month, and is rated up to the latest month too (its
  grids in memory with that month typed in), so "Results up to" is true of every row. Another
  financial year start gets a warning likewise; the first file's is used.
* **A Ref in two workbooks**: both rows are kept, rated and shown; each file gets an error at
  its Ref cell naming the other file, sheet and cell.

Inputs are only read, never written. A bad input (unreadable, not a workbook, no indicator
sheets) stops the run with every bad file named and nothing written (exit 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from kpixl.core.columns import Column
from kpixl.core.history import HistoryRow
from kpixl.core.models import (
    Evaluation,
    Indicator,
    Problem,
    Report,
    Result,
    ServiceArea,
    Severity,
)
from kpixl.core.periods import month_year_label
from kpixl.errors import KpixlError, WorkbookError
from kpixl.report.dashboard import dashboard_design
from kpixl.report.design import SheetDesign
from kpixl.report.sources import SOURCES_SHEET, Source, sources_design
from kpixl.report.summary import summary_design
from kpixl.workbook import contract, files, report_file, safety, xlsx_io
from kpixl.workbook.calculate import Outcome, calculate, cell_position
from kpixl.workbook.grid import CellValue, SheetGrid, cell_address

__all__ = [
    "Combined",
    "Source",
    "SourceBook",
    "combine",
    "combine_files",
    "combined_designs",
    "read_inputs",
]

COMBINED_SHEETS = (contract.SUMMARY_SHEET, contract.DASHBOARD_SHEET, SOURCES_SHEET)


@dataclass(frozen=True)
class Combined:
    """The combined evaluation (all areas, in file order) and each file with its problems."""

    evaluation: Evaluation
    sources: tuple[Source, ...]
    history: tuple[HistoryRow, ...] = ()
    """Every file's ``kpixl history`` rows together: the Summary's changes are corporate."""

    @property
    def problems(self) -> tuple[tuple[str, Problem], ...]:
        return tuple((s.label, p) for s in self.sources for p in s.problems)

    @property
    def exit_code(self) -> int:
        """0 when no file has a problem, 1 otherwise (the output is written either way)."""
        return 1 if self.problems else 0


@dataclass(frozen=True)
class SourceBook:
    """One workbook read and rated, with where its Reporting month and year start are set."""

    label: str
    outcome: Outcome
    grids: tuple[SheetGrid, ...]
    month_cell: tuple[str, str | None]  # (Settings sheet, cell of its Reporting month)
    fy_cell: tuple[str, str | None]

    @property
    def reporting_month(self) -> date:
        return self.outcome.evaluation.report.reporting_month


def combine_files(
    paths: Sequence[Path], out: Path, *, title: str | None = None, producer: str | None = None
) -> Combined:
    """Read every workbook in ``paths``, combine them, and write ``out`` (a new .xlsx)."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise WorkbookError(f"{out.name}: the combined report is a new .xlsx file; name it .xlsx.")
    resolved = {Path(path).resolve() for path in paths}
    if out.resolve() in resolved:
        raise WorkbookError(
            f"{out.name} is one of the workbooks being combined: kpixl never writes its inputs, "
            "so choose another name for the output."
        )
    report_file.refuse_foreign_output(out)  # before the reading, which takes the time
    combined = combine(read_inputs(paths), title=title, producer=producer)
    designs = combined_designs(combined)
    book = report_file.new_workbook(designs)
    lines = {design.name: design.sparklines for design in designs}
    files.write_atomically(
        out, lambda tmp: xlsx_io.write_with_sparklines(tmp, book.save, lines), backup=False
    )
    return combined


def read_inputs(paths: Sequence[Path]) -> list[SourceBook]:
    """Read and rate each workbook; one WorkbookError naming every file that cannot be used."""
    if not paths:
        raise WorkbookError("Give at least one workbook to combine.")
    labels = _labels([Path(path) for path in paths])
    seen: dict[Path, str] = {}
    inputs: list[SourceBook] = []
    failures: list[str] = []
    for path, label in zip(paths, labels, strict=True):
        path = Path(path)
        key = path.resolve()
        if key in seen:
            also = "" if seen[key] == label else f" (also as {seen[key]})"
            failures.append(f"{label} is given twice{also}: give each workbook once")
            continue
        seen[key] = label
        try:
            inputs.append(_read(path, label))
        except KpixlError as exc:
            failures.append(str(exc).rstrip("."))
    if failures:
        lead = (
            "nothing was written"
            if len(paths) == 1
            else (
                f"{len(failures)} of {len(paths)} workbooks cannot be used, so nothing was written"
            )
        )
        raise WorkbookError(f"{lead}: " + "; ".join(failures) + ".")
    return inputs


def _read(path: Path, label: str) -> SourceBook:
    safety.preflight(path)
    loaded = xlsx_io.load(path)
    outcome = calculate(loaded.grids, source=label)
    settings = next(
        (g for g in loaded.grids if g.name.strip().lower() == contract.SETTINGS_SHEET.lower()),
        None,
    )
    cells = report_file.setting_cells(settings) if settings is not None else {}
    sheet = settings.name if settings is not None else contract.SETTINGS_SHEET

    def where(name: str) -> tuple[str, str | None]:
        return sheet, cells.get(name)

    return SourceBook(
        label,
        outcome,
        tuple(loaded.grids),
        where(contract.REPORTING_MONTH),
        where(contract.FY_START_MONTH),
    )


def _labels(paths: Sequence[Path]) -> list[str]:
    """How each file is named in messages: its name, or its path when two share a name."""
    names = [path.name for path in paths]
    return [str(path) if names.count(path.name) > 1 else path.name for path in paths]


def combine(
    inputs: Sequence[SourceBook], *, title: str | None = None, producer: str | None = None
) -> Combined:
    """Put the files' ratings side by side and add the cross-file problems."""
    if not inputs:
        raise WorkbookError("Give at least one workbook to combine.")
    extra: dict[str, list[Problem]] = {i.label: [] for i in inputs}
    month, fy_start = _settings_problems(inputs, extra)
    own_months = {item.label: item.reporting_month for item in inputs}
    inputs = [_rated_at(item, month) for item in inputs]
    _duplicate_refs(inputs, extra)
    renamed = _area_names(inputs)
    areas: list[ServiceArea] = []
    indicators: list[Indicator] = []
    results: list[Result] = []
    for item in inputs:
        evaluation = item.outcome.evaluation
        names = renamed[item.label]
        report = evaluation.report
        areas += [
            report.area(name).model_copy(update={"name": names.get(name, name)})
            for name in report.area_names()
        ]
        indicators += [
            i.model_copy(update={"service_area": names[i.service_area]})
            if i.service_area in names
            else i
            for i in report.indicators
        ]
        results += evaluation.results
    first = inputs[0].outcome.evaluation.report
    report = Report(
        title=title or first.title,
        produced_by=first.produced_by if producer is None else producer,
        reporting_month=month,
        fy_start_month=fy_start,
        areas=tuple(areas),
        indicators=tuple(indicators),
    )
    sources = tuple(
        Source(
            i.label,
            i.outcome.evaluation,
            (*i.outcome.problems, *extra[i.label]),
            own_months[i.label],
        )
        for i in inputs
    )
    every = tuple(problem for source in sources for problem in source.problems)
    history = tuple(row for item in inputs for row in item.outcome.history)
    evaluation = Evaluation(report=report, results=tuple(results), problems=every)
    return Combined(evaluation, sources, history)


def combined_designs(combined: Combined) -> tuple[SheetDesign, ...]:
    """Summary, Dashboard and Sources, in that order."""
    evaluation = combined.evaluation
    report = evaluation.report
    return (
        summary_design(evaluation, history=combined.history),
        dashboard_design(evaluation),
        sources_design(report.title, report.produced_by, combined.sources),
    )


def _rated_at(item: SourceBook, month: date) -> SourceBook:
    """``item`` rated up to ``month``: its grids (in memory; the file is only read) with that
    Reporting month typed in, through the same ``calculate``. Unchanged when it already is,
    or when it has no Reporting month cell to set."""
    sheet, cell = item.month_cell
    if cell is None or item.reporting_month == month:
        return item
    row, col = cell_position(cell)
    typed = datetime(month.year, month.month, 1)
    grids = tuple(_with_value(g, row, col, typed) if g.name == sheet else g for g in item.grids)
    return replace(item, outcome=calculate(grids, source=item.label), grids=grids)


def _with_value(grid: SheetGrid, row: int, col: int, value: CellValue) -> SheetGrid:
    rows = [list(line) for line in grid.rows]
    rows[row] += [None] * (col + 1 - len(rows[row]))
    rows[row][col] = value
    return replace(grid, rows=rows)


def _duplicate_refs(inputs: Sequence[SourceBook], extra: dict[str, list[Problem]]) -> None:
    """A Ref in two files: an error on each file's Ref cell, naming the other file and cell."""
    first: dict[str, tuple[str, str, str]] = {}  # ref -> (file, sheet, cell) where first seen
    for item in inputs:
        read = item.outcome.read
        columns = {sheet.name: sheet.columns[Column.REF] for sheet in read.sheets}
        mine: dict[str, tuple[str, str]] = {}
        for indicator, (sheet, row) in zip(read.report.indicators, read.locations, strict=True):
            mine.setdefault(indicator.ref, (sheet, cell_address(row, columns[sheet])))
        for ref, (sheet, cell) in mine.items():
            other = first.get(ref)
            if other is None:
                first[ref] = (item.label, sheet, cell)
                continue
            other_file, other_sheet, other_cell = other
            extra[item.label].append(
                _duplicate(ref, sheet, cell, other_file, other_sheet, other_cell)
            )
            extra[other_file].append(
                _duplicate(ref, other_sheet, other_cell, item.label, sheet, cell)
            )


def _duplicate(
    ref: str, sheet: str, cell: str, file: str, other_sheet: str, other_cell: str
) -> Problem:
    return Problem(
        severity=Severity.ERROR,
        ref=ref,
        field="Ref",
        sheet=sheet,
        cell=cell,
        message=f"{ref}: this Ref is also used in {file} (sheet {other_sheet!r}, cell "
        f"{other_cell}). The combined report shows both, but each indicator needs a Ref of its "
        "own across the council: agree with that service which one changes.",
    )


def _settings_problems(
    inputs: Sequence[SourceBook], extra: dict[str, list[Problem]]
) -> tuple[date, int]:
    """The combined Reporting month (the latest) and financial year start (the first file's),
    with a warning on each file that differs, naming the file it differs from."""
    reports = [item.outcome.evaluation.report for item in inputs]
    latest = max(range(len(inputs)), key=lambda index: reports[index].reporting_month)
    month = reports[latest].reporting_month
    fy_start = reports[0].fy_start_month
    for item, report in zip(inputs, reports, strict=True):
        own, newest = month_year_label(report.reporting_month), month_year_label(month)
        if report.reporting_month != month:
            sheet, cell = item.month_cell
            rated = (
                f"the combined report rates it up to {newest} too (each figure the latest at "
                "or before it)"
                if cell is not None
                else f"this workbook is rated up to {own}, the latest month with figures"
            )
            extra[item.label].append(
                Problem(
                    severity=Severity.WARNING,
                    sheet=sheet,
                    cell=cell,
                    message=f"The Reporting month here is {own}, but {inputs[latest].label} "
                    f"reports up to {newest}: {rated}. Set the same Reporting month in every "
                    "workbook.",
                )
            )
        if report.fy_start_month != fy_start:
            sheet, cell = item.fy_cell
            extra[item.label].append(
                Problem(
                    severity=Severity.WARNING,
                    sheet=sheet,
                    cell=cell,
                    message=f"The Financial year start month here is {report.fy_start_month}, "
                    f"but {inputs[0].label} starts its year in month {fy_start}, which the "
                    "combined report uses for its headings. Set the same month in every workbook.",
                )
            )
    return month, fy_start


def _area_names(inputs: Sequence[SourceBook]) -> dict[str, dict[str, str]]:
    """Per file, area name -> its name in the combined report (only the ones that change)."""
    owners: dict[str, list[str]] = {}
    for item in inputs:
        for name in item.outcome.evaluation.report.area_names():
            owners.setdefault(name, []).append(item.label)
    renamed: dict[str, dict[str, str]] = {item.label: {} for item in inputs}
    for name, labels in owners.items():
        if len(set(labels)) > 1:
            for label in labels:
                renamed[label][name] = f"{name or 'Other indicators'} ({label})"
    return renamed


def is_combined_report(path: Path) -> bool:
    """Whether ``path`` is a report ``combine`` wrote: its sheets, each made by kpixl."""
    try:
        sheets = report_file.generated_sheets(path)
    except KpixlError:
        return False
    return sorted(sheets) == sorted(COMBINED_SHEETS) and all(sheets.values())
