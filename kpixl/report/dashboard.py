"""The Dashboard sheet as data: per service area a header block, KPI and activity tables with
their last periods, commentary beneath each table, and a page break after the area.

Each table shows the ``periods_shown`` periods ending at the latest period (at or before the
reporting month) in which any of its indicators has a value or a ``*``; quarterly, six-monthly
and annual tables show the quarter, half-year or year ends only.

Every table ends with a ``Trend`` column (SPEC 8.5): a sparkline over the indicator's last
``TREND_POINTS`` available values, which it reads from a hidden block of helper cells in the
indicator's own row, right of the printed area (one column gap, ``TREND_POINTS`` wide).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpixl.core.columns import Column
from kpixl.core.models import (
    NOT_AVAILABLE,
    Alert,
    Evaluation,
    Frequency,
    Indicator,
    IndicatorType,
    Polarity,
    Result,
    Severity,
    Thresholds,
)
from kpixl.core.periods import (
    add_months,
    financial_year_label,
    month_year_label,
    period_end_label,
    period_label,
)
from kpixl.core.rules import available, counts, parse_polarity
from kpixl.report.design import SheetDesign, Sparkline
from kpixl.report.key import dashboard_key
from kpixl.report.labels import (
    SheetBuilder,
    area_title,
    direction_label,
    groups,
    label,
    number_format,
    paragraphs,
    produced_by,
    title_height,
)
from kpixl.workbook.contract import DASHBOARD_SHEET, IN_EXPECTED_RANGE

Pair = tuple[Indicator, Result]

NOT_AVAILABLE_MARK = "*"
NOT_AVAILABLE_NOTE = "* Not available at time of reporting"
BORROWED_MARK = "†"
REJECTED_MARK = "?"
REJECTED_NOTE = (
    "? A figure kpixl could not use (see the Checks column on the indicator's sheet); "
    "ratings leave it out"
)
REF_WIDTH, DESCRIPTION_WIDTH, PERIOD_WIDTH = 7.0, 34.0, 9.0
SPC_DESCRIPTION_WIDTH = 28.0
"""With SPC On the description gives up room to Variation and Assurance."""
KPI_COLUMNS = tuple(c for c in Column if c.spec.dashboard == IndicatorType.KPI)
"""Input columns the KPI tables show after YTD RAG (Target, Floor), in table order."""
ACTIVITY_COLUMNS = tuple(c for c in Column if c.spec.dashboard == IndicatorType.ACTIVITY)
"""Input columns the activity tables with a range show after the alert (Upper, Lower)."""
RATING_WIDTHS = (9.0, 9.0, 9.0)
"""Widths of the KPI table's Month RAG, YTD and YTD RAG."""
MARK_WIDTH = 10.0
"""Width of the Direction column, and with SPC On of Variation and Assurance (SPEC 8.1-8.2)."""
DIRECTION_HEADER, VARIATION_HEADER, ASSURANCE_HEADER = "Direction", "Variation", "Assurance"
# Widths of the columns right of the periods (KPI table: RAG, YTD, YTD RAG, Direction,
# [Variation, Assurance], Target, Floor, Prev).
TAIL_WIDTHS = (*RATING_WIDTHS, MARK_WIDTH, *(8.0,) * len(KPI_COLUMNS), 10.0)
RAG_HEADERS = {
    Frequency.MONTHLY: "Month RAG",
    Frequency.QUARTERLY: "Qtr RAG",
    Frequency.SIX_MONTHLY: "Half-year RAG",
    Frequency.ANNUAL: "Year RAG",
}
"""The header over the latest period's RAG, by frequency."""
BOLD_WIDTH = 0.75
"""Share of a column's prose width that bold header text gets."""
TREND = "Trend"
"""The last column of every table: a sparkline (SPEC 8.5 contract name)."""
TREND_WIDTH = 10.0
TREND_POINTS = 12
"""How many of the latest available values a sparkline shows."""


@dataclass(frozen=True)
class Table:
    """One table of a service area: KPIs or activity indicators of one frequency."""

    title: str
    pairs: list[Pair]
    frequency: Frequency
    kpi: bool
    periods: list[date]
    fy_start_month: int = 4
    helper_col: int = 0
    """The first column of the hidden block the Trend sparklines read."""
    spc: bool = False  # SPC On: Variation and Assurance beside the RAG (SPEC 8.2)


def dashboard_design(evaluation: Evaluation, periods_shown: int = 4) -> SheetDesign:
    """The Dashboard sheet of ``evaluation``, laid out like the reference report."""
    if periods_shown < 1:
        raise ValueError("periods_shown must be at least 1")
    report = evaluation.report
    spc = report.spc is not None
    description = SPC_DESCRIPTION_WIDTH if spc else DESCRIPTION_WIDTH
    widths = [REF_WIDTH, description, *[PERIOD_WIDTH] * periods_shown, *_tail_widths(spc)]
    widths.append(TREND_WIDTH)
    helper_col = len(widths) + 1
    sheet = SheetBuilder(DASHBOARD_SHEET, widths=dict(enumerate(widths)))
    last_col = len(widths) - 1
    sparklines: list[Sparkline] = []
    sheet.span(0, 0, last_col, report.title, "title")
    sheet.heights[0] = title_height(report.title, sheet.width(0, last_col))
    year = financial_year_label(report.reporting_month, report.fy_start_month)
    subtitle = f"Financial Year {year} – Results up to {month_year_label(report.reporting_month)}"
    sheet.span(1, 0, last_col, subtitle, "subtitle")
    row, department, breaks = 3, None, []
    for index, (name, pairs) in enumerate(groups(evaluation)):
        if index:
            breaks.append(row - 1)
        area_top = row
        area = report.area(name)
        if area.department and area.department != department:
            department = area.department
            sheet.span(row, 0, last_col, department, "heading")
            row += 2
        row = _area_header(sheet, name, evaluation, row, last_col)
        for number, table in enumerate(_tables(pairs, evaluation, periods_shown, helper_col)):
            # the area's header block stays with its first table's headings and first row
            row = _table(sheet, table, row + 1, area_top if number == 0 else None, sparklines)
        row += 1
    row = dashboard_key(sheet, row, last_col, report)
    return sheet.build(
        row_breaks=tuple(breaks),
        print_title_rows=(0, 2),
        landscape=True,
        fit_to_width=True,
        footer=produced_by(report.produced_by),
        sparklines=tuple(sparklines),
        hidden_columns=tuple(range(helper_col, helper_col + TREND_POINTS)) if sparklines else (),
        print_columns=last_col + 1,
    )


def _tail_widths(spc: bool) -> tuple[float, ...]:
    """The widths right of the periods: with SPC On, Variation and Assurance after Direction."""
    if not spc:
        return TAIL_WIDTHS
    at = len(RATING_WIDTHS) + 1
    return (*TAIL_WIDTHS[:at], MARK_WIDTH, MARK_WIDTH, *TAIL_WIDTHS[at:])


def _area_header(
    sheet: SheetBuilder, name: str, evaluation: Evaluation, row: int, last_col: int
) -> int:
    """``Service Area | <role> | <role>`` labels over their values. Returns the next row.

    The name sits over Ref and description; the people share the other columns, and more
    people than columns continue on a second pair of rows.
    """
    people = [(person.role, person.name) for person in evaluation.report.area(name).people]
    per_row = last_col - 1
    chunks = [people[i : i + per_row] for i in range(0, len(people), per_row)] or [[]]
    for number, chunk in enumerate(chunks):
        if number == 0:
            sheet.span(row, 0, 1, "Service Area", "label")
            sheet.span(row + 1, 0, 1, area_title(name), "area")
        for (role, value), (first, last) in zip(chunk, _slots(len(chunk), last_col), strict=True):
            sheet.span(row, first, last, role, "label")
            sheet.span(row + 1, first, last, value, "area")
        row += 2
    return row


def _slots(count: int, last_col: int) -> list[tuple[int, int]]:
    """``count`` nearly equal column ranges covering columns 2 to ``last_col``."""
    if count == 0:
        return []
    size, extra = divmod(last_col - 1, count)
    slots, first = [], 2
    for index in range(count):
        last = first + size - 1 + (1 if index < extra else 0)
        slots.append((first, last))
        first = last + 1
    return slots


def _tables(
    pairs: list[Pair], evaluation: Evaluation, periods_shown: int, helper_col: int = 0
) -> list[Table]:
    """KPI tables then activity tables, split by frequency (titled by it only when both exist)."""
    report = evaluation.report
    tables = []
    for kpi, title in ((True, "Key Performance Indicators"), (False, "Activity Indicators")):
        chosen = [pair for pair in pairs if pair[0].is_kpi is kpi]
        frequencies = [f for f in Frequency if any(i.frequency is f for i, _ in chosen)]
        for frequency in frequencies:
            members = [pair for pair in chosen if pair[0].frequency is frequency]
            full = f"{title} - {frequency}" if len(frequencies) > 1 else title
            periods = _periods(
                [i for i, _ in members],
                report.reporting_month,
                frequency,
                report.fy_start_month,
                periods_shown,
            )
            full = f"{title} - {frequency}" if len(frequencies) > 1 else title
            lagging = [pair for pair in members if _lags(pair[0], periods[-1], frequency)]
            current = [pair for pair in members if pair not in lagging]
            spc = report.spc is not None
            fy = report.fy_start_month
            if current:
                tables.append(
                    Table(full, current, frequency, kpi, periods, fy, helper_col, spc=spc)
                )
            if lagging:
                end = add_months(periods[-1], -1)
                behind = [add_months(end, -back) for back in reversed(range(periods_shown))]
                lag_title = f"{full} (reported a month behind: to {period_label(end)})"
                tables.append(
                    Table(lag_title, lagging, frequency, kpi, behind, fy, helper_col, spc=spc)
                )
    return tables


def _lags(indicator: Indicator, end: date, frequency: Frequency) -> bool:
    """A monthly indicator reported a month behind (the seed's PI01): nothing entered for the
    table's last month, but an entry for the month before. It gets a table of its own periods,
    so its figures and rating line up with the month they are for."""
    if frequency is not Frequency.MONTHLY:
        return False
    return end not in indicator.values and add_months(end, -1) in indicator.values


def _periods(
    indicators: list[Indicator],
    reporting_month: date,
    frequency: Frequency,
    fy_start_month: int,
    shown: int,
) -> list[date]:
    """The ``shown`` periods ending at the latest one with an entry, oldest first."""
    step = frequency.months
    entered = [
        period
        for indicator in indicators
        for period in indicator.values
        if period <= reporting_month and counts(period, frequency, fy_start_month)
    ]
    end = max(entered, default=None)
    if end is None:
        end = reporting_month
        while not counts(end, frequency, fy_start_month):
            end = add_months(end, -1)
    return [add_months(end, -step * back) for back in reversed(range(shown))]


def _table(
    sheet: SheetBuilder,
    table: Table,
    row: int,
    top: int | None = None,
    sparklines: list[Sparkline] | None = None,
) -> int:
    """Title, header, one row per indicator, footnote and commentary. Returns the next row.

    On paper the rows from ``top`` (default: the title) to the first indicator stay together,
    and a table split between pages repeats its column headings."""
    fy = table.fy_start_month
    headers = [
        "Ref",
        "Indicator description",
        *(period_end_label(p, table.frequency, fy) for p in table.periods),
    ]
    with_range = any(
        _in_force(i, t, column) is not None
        for i, r in table.pairs
        for t in (i.thresholds, r.alert_thresholds or i.thresholds)
        for column in ACTIVITY_COLUMNS
    )
    if table.kpi:
        rag_header = RAG_HEADERS[table.frequency]
        beside = [DIRECTION_HEADER, *((VARIATION_HEADER, ASSURANCE_HEADER) if table.spc else ())]
        headers += [rag_header, "YTD", "YTD RAG", *beside, *(c.value for c in KPI_COLUMNS)]
        headers.append("Prev. Year")
    elif with_range:
        headers += ["YTD", IN_EXPECTED_RANGE, *(c.value for c in ACTIVITY_COLUMNS), "Prev. Yr YTD"]
    else:
        headers += ["YTD", "Prev. Yr YTD"]
    headers.append(TREND)
    last_col = len(headers) - 1
    top = row if top is None else top
    sheet.span(row, 0, last_col, table.title, "heading")
    row += 1
    header = row
    for col, text in enumerate(headers):
        sheet.put(row, col, text, "header")
        sheet.fit(row, text, sheet.width(col, col) * BOLD_WIDTH)
    marks: set[str] = set()
    for indicator, result in table.pairs:
        row += 1
        marks |= _row(sheet, row, indicator, result, table, with_range)
        sheet.put(row, last_col, None, "value")
        line = _trend(sheet, row, last_col, indicator, table)
        if line is not None and sparklines is not None:
            sparklines.append(line)
    for mark, note in ((NOT_AVAILABLE_MARK, NOT_AVAILABLE_NOTE), (REJECTED_MARK, REJECTED_NOTE)):
        if mark in marks:
            row += 1
            sheet.span(row, 0, last_col, note, "note")
    for indicator, result in table.pairs:
        rated = _borrowed(result, table)
        if rated is not None:
            row += 1
            what = "RAG" if table.kpi else "alert"
            last = table.periods[-1]
            shown = period_end_label(last, table.frequency, fy)
            mark = NOT_AVAILABLE_MARK if last in indicator.values else BORROWED_MARK
            note = (
                f"{mark} {indicator.ref}: no figure for {shown}; the {what} is for "
                f"{period_end_label(rated, table.frequency, fy)}, the latest period with one."
            )
            sheet.span(row, 0, last_col, note, "note")
    last_figures = row
    for indicator, _ in table.pairs:
        for number, text in enumerate(paragraphs(indicator.commentary or "")):
            row += 1
            shown = f"{indicator.ref} – {text}" if number == 0 else text
            sheet.wrapped(row, 0, last_col, shown, "wrap")
    sheet.keep_together(top, row, header - top + 2, (header, header), last_figures)
    return row + 1


def _row(
    sheet: SheetBuilder,
    row: int,
    indicator: Indicator,
    result: Result,
    table: Table,
    with_range: bool,
) -> set[str]:
    """One indicator's row; the marks it shows (``*`` not available, ``?`` rejected)."""
    fmt = number_format(indicator)
    sheet.put(row, 0, indicator.ref, "cell")
    sheet.put(row, 1, indicator.description, "cell")
    sheet.fit(row, indicator.description, sheet.width(1, 1))
    marks: set[str] = set()
    rejected = rejected_figures(result)
    col = 2
    for period in table.periods:
        if (Column.VALUE, period) in rejected:
            sheet.put(row, col, REJECTED_MARK, "value")
            marks.add(REJECTED_MARK)
        elif period in indicator.values and indicator.values[period] is None:
            sheet.put(row, col, NOT_AVAILABLE_MARK, "value")
            marks.add(NOT_AVAILABLE_MARK)
        elif period == table.periods[-1] and _borrowed(result, table) is not None:
            sheet.put(row, col, BORROWED_MARK, "value")
        else:
            sheet.put(row, col, indicator.values.get(period), "value", fmt)
        col += 1

    def figure(
        value: float | str | None, blank: str | None = NOT_AVAILABLE, column: Column | None = None
    ) -> None:
        nonlocal col
        if column is not None and (column, None) in rejected:
            sheet.put(row, col, REJECTED_MARK, "value")
            marks.add(REJECTED_MARK)
        elif value is None or isinstance(value, str):
            if value is None:
                sheet.put(row, col, blank, "value")
            else:
                sheet.put(row, col, value, "cell")
                sheet.fit(row, value, sheet.width(col, col))
        else:
            sheet.put(row, col, value, "value", fmt)
        col += 1

    def rating(text: str, style: str = "rag") -> None:
        nonlocal col
        sheet.put(row, col, text, style)
        if style not in ("rag", "good"):  # a wrapped mark (9 pt): its row tall enough
            sheet.fit(row, text, sheet.width(col, col))
        col += 1

    if table.kpi:
        rating(label(result.latest_rag))
        figure(result.ytd_value)
        rating(label(result.ytd_rag))
        rating(direction_label(result.direction), "trend")
        if table.spc:
            rating(label(result.variation), "spc")
            rating(label(result.assurance), "spc")
        in_force = result.latest_thresholds or indicator.thresholds  # SPEC 8.4
        for column in KPI_COLUMNS:
            figure(_in_force(indicator, in_force, column), None, column)
    else:
        figure(result.ytd_value)
        if with_range:
            rating(label(result.alert), "good" if _on_better_side(indicator, result) else "rag")
            in_force = result.alert_thresholds or indicator.thresholds
            for column in ACTIVITY_COLUMNS:
                figure(_in_force(indicator, in_force, column), None, column)
    figure(indicator.previous_year, column=Column.PREVIOUS_YEAR)
    return marks


def _on_better_side(indicator: Indicator, result: Result) -> bool:
    """An activity alert on the side its Polarity says is better (CS14: below range is good)."""
    polarity = parse_polarity(indicator.polarity)
    better = {Polarity.LOWER: Alert.BELOW, Polarity.HIGHER: Alert.ABOVE}
    return polarity is not None and result.alert is better[polarity]


def _borrowed(result: Result, table: Table) -> date | None:
    """The period a row's rating is for, when it is not the table's latest period column (a
    RAG beside blank cells is last period's, and the paper must say so); None otherwise."""
    rated = result.latest_period
    if rated is None or not table.periods or rated >= table.periods[-1]:
        return None
    if table.kpi:
        return rated if result.latest_rag is not None else None
    on_latest = result.alert is not None and result.alert_basis == result.latest_value
    return rated if on_latest and result.ytd_value is None else None


def rejected_figures(result: Result) -> set[tuple[Column, date | None]]:
    """(column, period) of each figure an error-level check rejected: the Dashboard shows
    ``?`` there, never the rejected number (76 for a % KPI printed as 7600%)."""
    return {
        (p.field, p.period if p.field is Column.VALUE else None)
        for p in result.problems
        if p.severity is Severity.ERROR and p.field is not None
    }


def _trend(
    sheet: SheetBuilder, row: int, col: int, indicator: Indicator, table: Table
) -> Sparkline | None:
    """The helper cells of one row (its last ``TREND_POINTS`` available values, oldest first,
    up to the table's last period) and the sparkline in ``col`` over them; None without values."""
    if not table.periods:
        return None
    end, fy = table.periods[-1], table.fy_start_month
    found = [value for _, value in available(indicator.values, end, table.frequency, fy)]
    points = found[-TREND_POINTS:]
    if not points:
        return None
    fmt = number_format(indicator)
    for offset, value in enumerate(points):
        sheet.put(row, table.helper_col + offset, value, "text", fmt)
    last = table.helper_col + len(points) - 1
    return Sparkline(row, col, (row, table.helper_col, row, last))


def _in_force(indicator: Indicator, in_force: Thresholds, column: Column) -> float | None:
    """A column's figure as it applies: a period-specific threshold from ``in_force`` (SPEC
    8.4), any other column from the indicator row."""
    attribute = column.spec.attribute
    source = in_force if attribute in Thresholds.model_fields else indicator
    value = getattr(source, attribute)
    return value if isinstance(value, float | int) else None
