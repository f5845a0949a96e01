"""The Summary sheet as data: title, RAG key, the KPI summary by service area, RAG counts.

*Contract*: every area header row holds ``Latest RAG`` and ``YTD RAG``; each KPI row below it
starts with ``<Ref>: <Indicator description>`` followed by the two labels.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpixl.core.history import HistoryRow
from kpixl.core.models import NOT_AVAILABLE, Evaluation, Rag, Result
from kpixl.core.periods import financial_year_label, month_year_label
from kpixl.report.design import SheetDesign
from kpixl.report.directions import direction_counts
from kpixl.report.labels import (
    SheetBuilder,
    area_title,
    groups,
    label,
    produced_by,
    rag_counts,
    title_height,
)
from kpixl.report.rag_key import FLOOR_KEY, FLOOR_NOTE, rag_key, rules_in_force
from kpixl.report.summary_history import history_sections
from kpixl.workbook.contract import LATEST_RAG, SUMMARY_SHEET, YTD_RAG

# Column 0 holds "<Ref>: <description>" and area names; 1-2 the RAG labels; 1-5 the counts.
WIDTHS = {0: 78.0, 1: 12.0, 2: 12.0, 3: 10.0, 4: 10.0, 5: 10.0}
LAST_COL = max(WIDTHS)

RAG_KEY = FLOOR_KEY
"""The reference report's key, for KPIs rated by Floor Standards (see :mod:`.rag_key`)."""
KPI_NOTES = (
    "All Key Performance Indicators are provided with RAG (Red/Amber/Green) ratings, based on "
    "their Targets and Floor Standards.",
    "Where relevant, RAG ratings are given for both the latest month and year to date (YTD).",
)
ACTIVITY_NOTES = (
    "Activity Indicators representing demand levels are also included in the report. They are "
    "not given a RAG rating; where appropriate they are tracked within an expected range "
    "represented by Upper and Lower Thresholds. The alert shows whether results are in the "
    "expected range (Yes) or Above or Below it.",
    "Activity indicators without expected thresholds are shown to give context to the Key "
    "Performance Indicators, with a comparison to the previous year.",
)
COUNT_COLUMNS = (*(str(r) for r in Rag), NOT_AVAILABLE, "Total")


def summary_design(
    evaluation: Evaluation, history: Sequence[HistoryRow] | None = None
) -> SheetDesign:
    """The Summary sheet of ``evaluation``, laid out like the reference report's first pages.

    With the book's ``history`` (SPEC 8.3, possibly empty), it ends with "Changes since
    <previous reporting month>" and "Not yet submitted"; without (``kpixl combine``), not."""
    report = evaluation.report
    sheet = SheetBuilder(SUMMARY_SHEET, widths=dict(WIDTHS))
    row = _title(sheet, evaluation)
    row = _guidance(sheet, row + 1, evaluation)
    sheet.keep_together(0, row - 1, keep=row)  # the cover: title and guidance on one page
    summary_start = row + 1
    row = _kpi_summary(sheet, evaluation, summary_start)
    row = _counts(sheet, evaluation, row + 1)
    row = direction_counts(sheet, evaluation, row, LAST_COL)
    if history is not None:
        history_sections(sheet, evaluation, history, LAST_COL)
    return sheet.build(
        row_breaks=(summary_start - 1,),
        print_title_rows=(0, 1),
        landscape=True,
        fit_to_width=True,
        footer=produced_by(report.produced_by),
    )


def _title(sheet: SheetBuilder, evaluation: Evaluation) -> int:
    """Rows 0-3: title, financial year, results month, producer. Returns the next free row."""
    report = evaluation.report
    sheet.span(0, 0, LAST_COL, report.title, "title")
    sheet.heights[0] = title_height(report.title, sheet.width(0, LAST_COL))
    lines = (
        "Financial Year " + financial_year_label(report.reporting_month, report.fy_start_month),
        "Results up to " + month_year_label(report.reporting_month),
        produced_by(report.produced_by),
    )
    for row, text in enumerate(lines, start=1):
        if text:
            sheet.span(row, 0, LAST_COL, text, "subtitle")
    return len(lines) + 1


def _guidance(sheet: SheetBuilder, row: int, evaluation: Evaluation) -> int:
    """The Guidance Notes and the RAG key worded for the rules in force. Returns the next
    free row."""
    sheet.span(row, 0, LAST_COL, "Guidance Notes", "heading")
    row += 1
    sheet.span(row, 0, LAST_COL, "Key Performance Indicators", "label")
    for text in KPI_NOTES:
        row += 1
        sheet.wrapped(row, 0, LAST_COL, text, "wrap")
    row += 2
    sheet.span(row, 0, LAST_COL, "RAG Ratings", "label")
    for rating, meaning in rag_key(evaluation):
        row += 1
        sheet.put(row, 0, meaning, "text")
        sheet.put(row, 1, str(rating), "rag")
    if rules_in_force(evaluation)[0]:
        row += 1
        sheet.wrapped(row, 0, LAST_COL, FLOOR_NOTE, "note")
    row += 2
    sheet.span(row, 0, LAST_COL, "Activity Indicators", "label")
    for text in ACTIVITY_NOTES:
        row += 1
        sheet.wrapped(row, 0, LAST_COL, text, "wrap")
    return row + 1


def _kpi_summary(sheet: SheetBuilder, evaluation: Evaluation, row: int) -> int:
    """The heading and one table per service area with KPIs. Returns the next free row."""
    sheet.span(row, 0, LAST_COL, "Key Performance Indicator Summary", "heading")
    first_table = True
    row += 1
    for name, pairs in groups(evaluation):
        kpis = [(indicator, result) for indicator, result in pairs if indicator.is_kpi]
        if not kpis:
            continue
        top = row - 1 if first_table else row  # the section heading stays with its first table
        row += 1
        header, first_table = row, False
        sheet.keep_together(
            top, header + len(kpis), header - top + 2, (header, header), header + len(kpis)
        )
        sheet.put(row, 0, area_title(name), "area")
        sheet.put(row, 1, LATEST_RAG, "area")
        sheet.put(row, 2, YTD_RAG, "area")
        for indicator, result in kpis:
            row += 1
            text = f"{indicator.ref}: {indicator.description}"
            sheet.put(row, 0, text, "cell")
            sheet.fit(row, text, WIDTHS[0])
            sheet.put(row, 1, label(result.latest_rag), "rag")
            sheet.put(row, 2, label(result.ytd_rag), "rag")
        row += 1
    return row


def _counts(sheet: SheetBuilder, evaluation: Evaluation, row: int) -> int:
    """Two small tables of RAG counts (latest, YTD) per service area and in total. Returns
    the next free row."""
    areas = [
        (name, [result for indicator, result in pairs if indicator.is_kpi])
        for name, pairs in groups(evaluation)
    ]
    areas = [(name, results) for name, results in areas if results]
    for ytd, heading in (
        (False, "RAG counts – latest period"),
        (True, "RAG counts – year to date"),
    ):
        sheet.span(row, 0, LAST_COL, heading, "heading")
        header = row + 1
        total = header + len(areas) + 1
        sheet.keep_together(row, total, 3, (header, header), total)
        row += 1
        sheet.put(row, 0, "Service Area", "header")
        for col, text in enumerate(COUNT_COLUMNS, start=1):
            sheet.put(row, col, text, "header")
        everything: list[Result] = []
        for name, results in [*areas, ("Total", None)]:
            row += 1
            chosen = results if results is not None else everything
            if results is not None:
                everything.extend(results)
            counts = rag_counts(chosen, ytd)
            style = "value" if results is not None else "header"
            sheet.put(row, 0, area_title(name), "cell" if results is not None else "header")
            for col, count in enumerate((*counts.values(), len(chosen)), start=1):
                sheet.put(row, col, count, style, "0")
        row += 2
    return row
