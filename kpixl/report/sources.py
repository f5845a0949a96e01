"""The ``Sources`` sheet of a combined report as data: which workbooks it was built from.

One row per workbook (its reporting month, service areas, KPIs rated, latest RAG counts,
activity indicators checked, errors and warnings) and a total, then every problem found, each
with its file, sheet and cell, so the analyst can send it to the right service lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kpixl.core.models import NOT_AVAILABLE, Evaluation, Problem, Rag, Severity
from kpixl.core.periods import month_year_label
from kpixl.report.design import SheetDesign
from kpixl.report.labels import SheetBuilder, area_title, produced_by, rag_counts, title_height

SOURCES_SHEET = "Sources"

COUNT_HEADERS = (
    "File",
    "Reporting month",
    "Service areas",
    "KPIs",
    "KPIs rated",
    *(str(r) for r in Rag),
    NOT_AVAILABLE,
    "Activity indicators",
    "In range checked",
    "Errors",
    "Warnings",
)
PROBLEM_HEADERS = ("File", "Severity", "Sheet", "Cell", "Ref", "Problem")
"""The problems table, one column each (in the widths of the table above), the last spanning."""
WIDTHS = {0: 28.0, 1: 11.0, 2: 40.0, **{col: 9.0 for col in range(3, len(COUNT_HEADERS))}}
LAST_COL = len(COUNT_HEADERS) - 1
HEADER_HEIGHT = 28.0
"""Two lines of bold 10 pt: ``Reporting month`` and ``Activity indicators`` wrap."""
_MESSAGE_LAST_COL = LAST_COL


@dataclass(frozen=True)
class Source:
    """One workbook of a combined report: its name, its own rating and its problems."""

    label: str
    evaluation: Evaluation
    problems: tuple[Problem, ...]
    reporting_month: date
    """The file's own Reporting month (it may have been rated up to a later one)."""

    def counts(self) -> tuple[int | str, ...]:
        """The figures of this file's row, in ``COUNT_HEADERS`` order from ``KPIs``."""
        pairs = self.evaluation.pairs()
        kpis = [result for indicator, result in pairs if indicator.is_kpi]
        activity = [result for indicator, result in pairs if not indicator.is_kpi]
        rated = sum(result.latest_rag is not None for result in kpis)
        errors = sum(problem.severity is Severity.ERROR for problem in self.problems)
        return (
            len(kpis),
            rated,
            *rag_counts(kpis).values(),
            len(activity),
            sum(result.alert is not None for result in activity),
            errors,
            len(self.problems) - errors,
        )


def sources_design(title: str, producer: str, sources: Sequence[Source]) -> SheetDesign:
    """The Sources sheet: a row per workbook and a total, then every problem located."""
    sheet = SheetBuilder(SOURCES_SHEET, widths=dict(WIDTHS))
    sheet.span(0, 0, LAST_COL, f"{title} – sources", "title")
    sheet.heights[0] = title_height(f"{title} – sources", sheet.width(0, LAST_COL))
    plural = "workbook" if len(sources) == 1 else "workbooks"
    sheet.span(1, 0, LAST_COL, f"Combined from {len(sources)} {plural}", "subtitle")
    row = 3
    for col, text in enumerate(COUNT_HEADERS):
        sheet.put(row, col, text, "header")
    sheet.heights[row] = HEADER_HEIGHT
    totals = [0] * (len(COUNT_HEADERS) - 3)
    for source in sources:
        row += 1
        report = source.evaluation.report
        areas = "; ".join(area_title(name) for name in report.area_names())
        sheet.put(row, 0, source.label, "cell")
        sheet.put(row, 1, month_year_label(source.reporting_month), "cell")
        sheet.put(row, 2, areas, "cell")
        sheet.fit(row, areas, WIDTHS[2])
        for offset, count in enumerate(source.counts()):
            sheet.put(row, 3 + offset, count, "value", "0")
            totals[offset] += int(count)
    row += 1
    sheet.put(row, 0, "Total", "header")
    sheet.put(row, 1, "", "header")
    sheet.put(row, 2, "", "header")
    for offset, total in enumerate(totals):
        sheet.put(row, 3 + offset, total, "header", "0")
    _problems(sheet, sources, row + 2)
    return sheet.build(landscape=True, fit_to_width=True, footer=produced_by(producer))


def _problems(sheet: SheetBuilder, sources: Sequence[Source], row: int) -> int:
    """Every problem of every file, in file order. Returns the next free row."""
    found = [(source.label, problem) for source in sources for problem in source.problems]
    sheet.span(row, 0, LAST_COL, "Problems found", "heading")
    row += 1
    if not found:
        sheet.span(row, 0, LAST_COL, "None: every workbook read without a problem.", "text")
        return row + 1
    for col, text in enumerate(PROBLEM_HEADERS[:-1]):
        sheet.put(row, col, text, "header")
    sheet.span(row, 5, _MESSAGE_LAST_COL, PROBLEM_HEADERS[-1], "header")
    message_width = sheet.width(5, _MESSAGE_LAST_COL)
    for label, problem in found:
        row += 1
        fields = (label, str(problem.severity), problem.sheet, problem.cell, problem.ref)
        for col, field in enumerate(fields):
            sheet.put(row, col, field or "", "cell")
        sheet.span(row, 5, _MESSAGE_LAST_COL, problem.message, "cell")
        sheet.fit(row, problem.message, message_width)
    return row + 1
