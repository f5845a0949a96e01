"""The Summary's direction of travel counts (SPEC 8.1), as Kent's executive summary gives them
("11 improving, 21 no clear trend, 7 worsening"): per service area and overall, one small
boxed table after the RAG counts, and the overall sentence above it.
"""

from __future__ import annotations

from collections.abc import Iterable

from kpixl.core.models import NOT_AVAILABLE, Direction, DirectionMethod, Evaluation, Result
from kpixl.report.labels import SheetBuilder, area_title, direction_label, groups

HEADING = "Direction of travel"
COUNT_WIDTH = 10.0
"""Width of a count column the Summary's own widths do not cover."""

_ORDER = {
    DirectionMethod.PREVIOUS_PERIOD: (
        Direction.IMPROVING,
        Direction.NO_CHANGE,
        Direction.WORSENING,
    ),
    DirectionMethod.REGRESSION: (
        Direction.IMPROVING,
        Direction.NO_CLEAR_TREND,
        Direction.WORSENING,
    ),
}
"""The columns of the count table by method: only the directions the method gives a KPI with
a polarity (a KPI's RAG always has one); a count of ``Up``/``Down`` is added when any occurs."""


def direction_columns(method: DirectionMethod, results: Iterable[Result]) -> list[Direction]:
    """The directions counted: the method's three, then Up and Down when any KPI has one."""
    found = {result.direction for result in results}
    extra = [d for d in (Direction.UP, Direction.DOWN) if d in found]
    return [*_ORDER[method], *extra]


def counts(results: Iterable[Result], columns: Iterable[Direction]) -> list[int]:
    """How many results have each direction of ``columns``, then how many have none."""
    chosen = list(results)
    found = [sum(1 for r in chosen if r.direction is d) for d in columns]
    return [*found, sum(1 for r in chosen if r.direction is None)]


def sentence(results: Iterable[Result], columns: Iterable[Direction]) -> str:
    """``11 improving, 21 no clear trend, 7 worsening`` (directions with a count only)."""
    columns = list(columns)
    numbers = counts(results, columns)[: len(columns)]
    parts = [f"{n} {d.value.lower()}" for d, n in zip(columns, numbers, strict=True) if n]
    return ", ".join(parts) or "no direction of travel yet"


def direction_counts(sheet: SheetBuilder, evaluation: Evaluation, row: int, last_col: int) -> int:
    """Heading, the overall sentence and the count table of KPIs. Returns the next free row."""
    method = evaluation.report.trend.method
    areas = [
        (name, [result for indicator, result in pairs if indicator.is_kpi])
        for name, pairs in groups(evaluation)
    ]
    areas = [(name, results) for name, results in areas if results]
    everything = [result for _, results in areas for result in results]
    columns = direction_columns(method, everything)
    headers = [*(direction_label(d) for d in columns), NOT_AVAILABLE, "Total"]
    for col in range(last_col + 1, len(headers) + 1):  # Up and Down: a KPI without polarity
        sheet.widths.setdefault(col, COUNT_WIDTH)
    top = row
    sheet.span(row, 0, last_col, f"{HEADING} – {method.value.lower()}", "heading")
    row += 1
    overall = f"All Key Performance Indicators – {sentence(everything, columns)}."
    sheet.span(row, 0, last_col, overall, "text")  # no colon: not read as "<Ref>: ..."
    row += 1
    header = row
    total = header + len(areas) + 1
    sheet.keep_together(top, total, header - top + 2, (header, header), total)
    sheet.put(row, 0, "Service Area", "header")
    for col, text in enumerate(headers, start=1):
        sheet.put(row, col, text, "header")
        sheet.fit(row, text, sheet.width(col, col) * 0.75)
    for name, results in [*areas, ("Total", everything)]:
        row += 1
        is_total = name == "Total" and results is everything
        style = "header" if is_total else "value"
        sheet.put(row, 0, area_title(name), "header" if is_total else "cell")
        numbers = [*counts(results, columns), len(results)]
        for col, count in enumerate(numbers, start=1):
            sheet.put(row, col, count, style, "0")
    return row + 2
