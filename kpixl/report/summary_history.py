"""The Summary's history sections (SPEC 8.3): "Changes since <month>" and "Not yet
submitted", drawn after the count tables as boxed tables that each keep together on paper."""

from __future__ import annotations

from collections.abc import Sequence

from kpixl.core.history import (
    AlertChange,
    AreaOutstanding,
    Changes,
    HistoryRow,
    RagChange,
    changes_since,
    not_yet_submitted,
)
from kpixl.core.models import Evaluation
from kpixl.core.periods import month_year_label, period_label
from kpixl.report.labels import SheetBuilder, area_title, label
from kpixl.workbook.history import run_rows

__all__ = ["NO_EARLIER_RUN", "history_sections"]

NO_EARLIER_RUN = "No earlier run is recorded; changes will show from next month's run."
"""No ``: `` in the Summary's first column outside KPI rows: the contract reads
``<Ref>: <description>`` there as a KPI row."""
NO_CHANGES = "No RAG rating, expected range or indicator has changed since {month}."
ALL_SUBMITTED = "Every indicator has a value for its latest due period."
NOT_YET_SUBMITTED = "Not yet submitted"


def history_sections(
    sheet: SheetBuilder, evaluation: Evaluation, history: Sequence[HistoryRow], last_col: int
) -> int:
    """Both sections from the first free row of ``sheet``; returns the next free row."""
    report = evaluation.report
    row = _next_free_row(sheet) + 1
    changes = changes_since(history, run_rows(evaluation), report.reporting_month)
    row = _changes(sheet, evaluation, changes, row, last_col)
    return _outstanding(sheet, not_yet_submitted(report), row + 1, last_col)


def _next_free_row(sheet: SheetBuilder) -> int:
    used = [row for row, _ in sheet.cells] + [merge[2] for merge in sheet.merges]
    return max(used, default=-1) + 1


def _changes(
    sheet: SheetBuilder, evaluation: Evaluation, changes: Changes | None, row: int, last_col: int
) -> int:
    if changes is None:
        sheet.span(row, 0, last_col, "Changes since the previous run", "heading")
        sheet.span(row + 1, 0, last_col, NO_EARLIER_RUN, "text")
        sheet.keep_together(row, row + 1, 2)
        return row + 2
    month = month_year_label(changes.since)
    heading = f"Changes since {month}"
    if changes.is_empty:
        sheet.span(row, 0, last_col, heading, "heading")
        sheet.span(row + 1, 0, last_col, NO_CHANGES.format(month=month), "text")
        sheet.keep_together(row, row + 1, 2)
        return row + 2
    described = {indicator.ref: indicator.description for indicator in evaluation.report.indicators}

    def text(ref: str) -> str:
        description = described.get(ref)
        return _text(ref, description)

    tables: list[tuple[str, Sequence[RagChange | AlertChange]]] = [
        ("Newly RED", changes.newly_red),
        ("Newly GREEN (recovered)", changes.newly_green),
        ("Other RAG changes", changes.other_rag),
        ("Activity moved out of its expected range", changes.out_of_range),
        ("Activity back in its expected range", changes.into_range),
    ]
    top: int | None = row
    sheet.span(row, 0, last_col, heading, "heading")
    row += 1
    for title, moves in tables:
        if moves:
            rows = [(text(move.ref), label(move.before), label(move.after)) for move in moves]
            row = _table(sheet, top, row, (f"{title} ({len(moves)})", "Was", "Now"), rows, "rag")
            top = None
    for title, refs in (
        (f"New since {month}", changes.new),
        (f"Gone since {month}", changes.gone),
    ):
        if refs:
            row = _table(sheet, top, row, (f"{title} ({len(refs)})",), [(text(r),) for r in refs])
            top = None
    return row


def _outstanding(
    sheet: SheetBuilder, areas: Sequence[AreaOutstanding], row: int, last_col: int
) -> int:
    top: int | None = row
    sheet.span(row, 0, last_col, NOT_YET_SUBMITTED, "heading")
    row += 1
    if not areas:
        sheet.span(row, 0, last_col, ALL_SUBMITTED, "text")
        sheet.keep_together(row - 1, row, 2)
        return row + 1
    for area in areas:
        name = area_title(area.area)
        if area.contact is not None:
            name += f" – {area.contact.name}, {area.contact.role}"
        rows = [
            (_text(item.ref, item.description), period_label(item.due)) for item in area.indicators
        ]
        row = _table(sheet, top, row, (name, "Due"), rows)
        top = None
    return row


def _text(ref: str, description: str | None) -> str:
    """``FN06 – Description``: never ``Ref: description``, which the contract keeps for the
    KPI rows of the RAG tables above (a reader of those takes such a row as one)."""
    return f"{ref} – {description}" if description else ref


def _table(
    sheet: SheetBuilder,
    top: int | None,
    row: int,
    header: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    style: str = "value",
) -> int:
    """A boxed table: a band row ``header``, then ``rows`` (text, then labels); ``top`` is the
    section heading's row when this is the section's first table (they stay together);
    the cells after the text take ``style`` (``rag`` colours RAG and alert labels).
    Returns the next free row (one blank row below the table)."""
    row += 1
    band = row
    first = band - 1 if top is None else top
    last = band + len(rows)
    sheet.keep_together(first, last, band - first + 2, (band, band), last)
    for col, text in enumerate(header):
        sheet.put(band, col, text, "area")
    for cells in rows:
        row += 1
        sheet.put(row, 0, cells[0], "cell")
        sheet.fit(row, cells[0], sheet.widths.get(0, 8.43))
        for col, text in enumerate(cells[1:], start=1):
            sheet.put(row, col, text, style)
    return row + 1
