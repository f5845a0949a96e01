"""The Charts sheet as data (SPEC 8.5): one small line chart per KPI, grouped by service area.

Each chart shows the KPI's values over its periods up to the reporting month (a blank or ``*``
period is a gap), its Target and Floor as lines (the thresholds in force in each period when
the Targets sheet sets them: SPEC 8.4), and, when SPC is on, the mean and process limits of
its available values as the SPC columns compute them (none below ``SPC minimum points``).
Two charts sit side by side on a printed row, and a service area starts a new page. The
numbers the charts draw live in cells on the same sheet, right of the printed area, in the
rows of their own chart: a row of period labels and one row per line.
"""

from __future__ import annotations

from datetime import date

from kpixl.core.models import Evaluation, Indicator
from kpixl.core.periods import financial_year_label, month_year_label, period_end_label
from kpixl.core.rules import available, counts
from kpixl.core.spc import spc_for
from kpixl.core.targets import thresholds_for
from kpixl.report.design import ChartSeries, LineChart, SheetDesign
from kpixl.report.labels import SheetBuilder, area_title, groups, number_format, produced_by
from kpixl.workbook.contract import CHARTS_SHEET
from kpixl.workbook.grid import CellValue

__all__ = ["CHART_ROWS", "PER_ROW", "charts_design"]

PER_ROW = 2
"""Charts side by side."""
CHART_COLUMNS = 8
"""Sheet columns under one chart."""
COLUMN_WIDTH = 9.0
CHART_ROWS = 15
"""Sheet rows (of the default 15 points) under one chart, with a blank row beneath."""
CHART_WIDTH_CM, CHART_HEIGHT_CM = 14.0, 7.2
TITLE_CHARS = 70


def charts_design(evaluation: Evaluation) -> SheetDesign:
    """The Charts sheet of ``evaluation``: every KPI with at least one available value."""
    report = evaluation.report
    last_col = PER_ROW * CHART_COLUMNS - 1
    data_col = last_col + 2
    kpis = [i for i, _ in evaluation.pairs() if i.is_kpi]
    width = 1 + max((len(_periods(i, evaluation)) for i in kpis), default=0)
    widths = dict.fromkeys(range(last_col + 1), COLUMN_WIDTH)
    sheet = SheetBuilder(CHARTS_SHEET, widths=widths)
    sheet.span(0, 0, last_col, f"{report.title} – Charts", "title")
    year = financial_year_label(report.reporting_month, report.fy_start_month)
    subtitle = f"Financial Year {year} – Results up to {month_year_label(report.reporting_month)}"
    sheet.span(1, 0, last_col, subtitle, "subtitle")
    charts: list[LineChart] = []
    breaks: list[int] = []
    row = 3
    for name, pairs in groups(evaluation):
        shown = [i for i, _ in pairs if i.is_kpi and available_values(i, evaluation)]
        if not shown:
            continue
        if charts:
            breaks.append(row - 1)
        sheet.span(row, 0, last_col, area_title(name), "heading")
        row += 1
        for start in range(0, len(shown), PER_ROW):
            for slot, indicator in enumerate(shown[start : start + PER_ROW]):
                anchor = (row, slot * CHART_COLUMNS)
                charts.append(
                    _chart(sheet, indicator, evaluation, anchor, data_col + slot * (width + 1))
                )
            sheet.keep_together(row - 1 if start == 0 else row, row + CHART_ROWS - 1, CHART_ROWS)
            row += CHART_ROWS
    if not charts:
        sheet.span(3, 0, last_col, "No KPI has a value to chart yet.", "note")
    return sheet.build(
        row_breaks=tuple(breaks),
        print_title_rows=(0, 1),
        landscape=True,
        fit_to_width=True,
        footer=produced_by(report.produced_by),
        charts=tuple(charts),
        print_columns=last_col + 1,
    )


def available_values(indicator: Indicator, evaluation: Evaluation) -> list[float]:
    """The KPI's available values up to the reporting month, oldest first."""
    report = evaluation.report
    found = available(
        indicator.values, report.reporting_month, indicator.frequency, report.fy_start_month
    )
    return [value for _, value in found]


def _periods(indicator: Indicator, evaluation: Evaluation) -> list[date]:
    """The KPI's periods (of its frequency) from its first entry to the reporting month."""
    report = evaluation.report
    return sorted(
        period
        for period in indicator.values
        if period <= report.reporting_month
        and counts(period, indicator.frequency, report.fy_start_month)
    )


def _chart(
    sheet: SheetBuilder,
    indicator: Indicator,
    evaluation: Evaluation,
    anchor: tuple[int, int],
    col: int,
) -> LineChart:
    """One KPI's chart at ``anchor``, its data block at ``(anchor row, col)``."""
    report = evaluation.report
    periods = _periods(indicator, evaluation)
    timeline = report.targets.get(indicator.ref)
    in_force = [thresholds_for(indicator, timeline, period) for period in periods]
    lines: list[tuple[str, str, list[float | None]]] = [
        ("Value", "value", [_number(indicator.values.get(p)) for p in periods]),
        ("Target", "target", [t.target for t in in_force]),
        ("Floor", "floor", [t.floor for t in in_force]),
    ]
    if report.spc is not None:
        found = spc_for(indicator, report.reporting_month, report.fy_start_month, report.spc)
        if found is not None:  # None: fewer values than the SPC minimum points
            limits = found.limits
            lines += [
                ("Mean", "mean", [limits.mean] * len(periods)),
                ("Upper process limit", "limit", [limits.upper] * len(periods)),
                ("Lower process limit", "limit", [limits.lower] * len(periods)),
            ]
    lines = [line for line in lines if any(v is not None for v in line[2])]
    row, fy, fmt = anchor[0], report.fy_start_month, number_format(indicator)
    sheet.put(row, col, indicator.ref, "label")
    for offset, period in enumerate(periods, start=1):
        sheet.put(row, col + offset, period_end_label(period, indicator.frequency, fy), "text")
    series = []
    for number, (name, role, values) in enumerate(lines, start=1):
        sheet.put(row + number, col, name, "text")
        for offset, value in enumerate(values, start=1):
            cell: CellValue = value
            sheet.put(row + number, col + offset, cell, "text", fmt)
        series.append(
            ChartSeries(name, (row + number, col + 1, row + number, col + len(periods)), role)
        )
    title = f"{indicator.ref} {indicator.description or ''}".strip()
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    return LineChart(
        title=title,
        anchor=anchor,
        categories=(row, col + 1, row, col + len(periods)),
        series=tuple(series),
        width_cm=CHART_WIDTH_CM,
        height_cm=CHART_HEIGHT_CM,
        number_format=fmt,
    )


def _number(value: float | None) -> float | None:
    return value if isinstance(value, float | int) else None
