"""SPEC 8.5: every Dashboard table ends with a ``Trend`` column holding a sparkline over the
indicator's last 12 available values, read from helper cells in its own row."""

from __future__ import annotations

from datetime import date

from kpixl import Frequency, Indicator, IndicatorType, Report, evaluate, load_sample
from kpixl.core.periods import add_months
from kpixl.report.dashboard import TREND, dashboard_design
from kpixl.report.design import SheetDesign
from kpixl.report.look import sheet_look

MONTH = date(2023, 10, 1)


def _design(values: dict[date, float | None]) -> SheetDesign:
    report = Report(
        reporting_month=MONTH,
        indicators=(
            Indicator(ref="K1", service_area="Area", unit="%", target=0.9, values=values),
            Indicator(ref="A1", service_area="Area", type=IndicatorType.ACTIVITY, values=values),
        ),
    )
    return dashboard_design(evaluate(report))


def _cells(design: SheetDesign) -> dict[tuple[int, int], object]:
    return {(c.row, c.col): c.value for c in design.cells}


def test_every_table_ends_with_trend() -> None:
    design = dashboard_design(evaluate(load_sample()))
    cells = _cells(design)
    headers = [(r, c) for (r, c), v in cells.items() if v == "Ref" and c == 0]
    assert len(headers) > 5
    for row, _ in headers:
        last = max(c for (r, c), v in cells.items() if r == row and v is not None)
        assert TREND == cells[row, last]


def test_a_sparkline_reads_the_last_twelve_available_values_in_its_own_row() -> None:
    values: dict[date, float | None] = {add_months(MONTH, -back): back / 100 for back in range(20)}
    values[add_months(MONTH, -3)] = None  # not available: skipped, not a gap
    values[add_months(MONTH, 1)] = 0.5  # after the reporting month: not shown
    design = _design(values)
    cells = _cells(design)
    assert 2 == len(design.sparklines)
    expected = [v for _, v in sorted(values.items()) if v is not None and _ <= MONTH][-12:]
    for line in design.sparklines:
        first_row, first_col, last_row, last_col = line.data
        assert first_row == last_row == line.row
        assert expected == [cells[line.row, col] for col in range(first_col, last_col + 1)]
        header = max(r for (r, c), v in cells.items() if v == TREND and r < line.row)
        assert TREND == cells[header, line.col]


def test_helper_cells_are_hidden_and_do_not_print() -> None:
    design = _design({add_months(MONTH, -back): 1.0 for back in range(3)})
    look = sheet_look(design)
    data_cols = {col for s in design.sparklines for col in range(s.data[1], s.data[3] + 1)}
    assert data_cols <= set(look.hidden_columns)
    assert look.page.print_area is not None
    assert look.page.print_area[3] < min(data_cols)
    assert all(s.col <= look.page.print_area[3] for s in design.sparklines)


def test_an_indicator_without_values_has_an_empty_trend_cell() -> None:
    design = _design({})
    assert () == design.sparklines
    assert () == design.hidden_columns


def test_quarterly_sparklines_take_quarter_ends_only() -> None:
    values = {add_months(MONTH, -back): float(back) for back in range(24)}
    report = Report(
        reporting_month=MONTH,
        indicators=(
            Indicator(
                ref="Q1", service_area="A", frequency=Frequency.QUARTERLY, target=1, values=values
            ),
        ),
    )
    design = dashboard_design(evaluate(report))
    (line,) = design.sparklines
    cells = _cells(design)
    shown = [cells[line.row, c] for c in range(line.data[1], line.data[3] + 1)]
    assert [22.0, 19.0, 16.0, 13.0, 10.0, 7.0, 4.0, 1.0] == shown  # Dec-21 ... Sep-23
