"""The Charts sheet design (SPEC 8.5): a chart per KPI grouped by service area, its lines'
numbers held in cells of the sheet right of the printed area."""

from __future__ import annotations

from datetime import date

from kpixl import Indicator, IndicatorType, Report, evaluate, load_sample
from kpixl.core.models import SpcSettings, Thresholds, ThresholdTimeline
from kpixl.core.spc import xmr_limits
from kpixl.report.charts import charts_design
from kpixl.report.design import ChartSeries, LineChart, SheetDesign
from kpixl.report.look import sheet_look

JUL, AUG, SEP, OCT = (date(2023, m, 1) for m in (7, 8, 9, 10))
VALUES: dict[date, float | None] = {JUL: 0.5, AUG: None, SEP: 0.7, OCT: 0.6}


def _design(**extra: object) -> SheetDesign:
    report = Report(
        reporting_month=OCT,
        indicators=(
            Indicator(ref="K1", service_area="B", target=0.6, floor=0.4, values=VALUES),
            Indicator(ref="K2", service_area="A", target=0.6, values={OCT: 0.1}),
            Indicator(ref="K3", service_area="A", target=0.6),  # nothing to chart
            Indicator(ref="A1", service_area="A", type=IndicatorType.ACTIVITY, values=VALUES),
        ),
        **extra,  # type: ignore[arg-type]
    )
    return charts_design(evaluate(report))


def _row(design: SheetDesign, series: ChartSeries) -> list[object]:
    cells = {(c.row, c.col): c.value for c in design.cells}
    r, c1, _, c2 = series.values
    return [cells.get((r, col)) for col in range(c1, c2 + 1)]


def _chart(design: SheetDesign, ref: str) -> LineChart:
    return next(chart for chart in design.charts if chart.title.startswith(ref))


def test_one_chart_per_kpi_with_values_grouped_by_area() -> None:
    design = _design()
    assert ["K1", "K2"] == [chart.title for chart in design.charts]  # areas in report order
    cells = {(c.row, c.col): c.value for c in design.cells}
    headings = sorted((r, v) for (r, c), v in cells.items() if v in ("A", "B") and c == 0)
    assert ["B", "A"] == [v for _, v in headings]


def test_values_target_and_floor_over_the_periods_with_gaps() -> None:
    design = _design()
    chart = _chart(design, "K1")
    by_name = {s.name: _row(design, s) for s in chart.series}
    assert [0.5, None, 0.7, 0.6] == by_name["Value"]
    assert [0.6] * 4 == by_name["Target"]
    assert [0.4] * 4 == by_name["Floor"]
    r, c1, _, c2 = chart.categories
    labels = [
        next(c.value for c in design.cells if (c.row, c.col) == (r, col))
        for col in range(c1, c2 + 1)
    ]
    assert ["Jul-23", "Aug-23", "Sep-23", "Oct-23"] == labels


def test_period_targets_are_drawn_per_period() -> None:
    timeline = ThresholdTimeline(by_period={SEP: Thresholds(target=0.65, floor=0.45)})
    design = _design(targets={"K1": timeline})
    by_name = {s.name: _row(design, s) for s in _chart(design, "K1").series}
    assert [0.6, 0.6, 0.65, 0.6] == by_name["Target"]
    assert [0.4, 0.4, 0.45, 0.4] == by_name["Floor"]


def test_spc_mean_and_limits_when_spc_is_on_with_enough_points() -> None:
    assert {"Value", "Target", "Floor"} == {s.name for s in _chart(_design(), "K1").series}
    assert {"Value", "Target", "Floor"} == {
        s.name for s in _chart(_design(spc=SpcSettings()), "K1").series
    }  # 3 values: fewer than the 15 minimum points
    design = _design(spc=SpcSettings(minimum_points=3))
    by_name = {s.name: _row(design, s) for s in _chart(design, "K1").series}
    limits = xmr_limits([0.5, 0.7, 0.6])
    assert limits is not None
    assert [limits.mean] * 4 == by_name["Mean"]
    assert [limits.upper] * 4 == by_name["Upper process limit"]
    assert [limits.lower] * 4 == by_name["Lower process limit"]


def test_the_data_lies_right_of_the_printed_charts() -> None:
    design = _design()
    look = sheet_look(design)
    assert look.page.print_area is not None
    last_printed = look.page.print_area[3]
    for chart in design.charts:
        assert chart.anchor[1] <= last_printed
        for series in chart.series:
            assert series.values[1] > last_printed


def test_the_sample_prints_two_charts_a_row_each_area_on_a_new_page() -> None:
    design = charts_design(evaluate(load_sample()))
    assert 27 == len(design.charts)
    assert {0, 8} == {chart.anchor[1] for chart in design.charts}
    assert len(design.row_breaks) >= 7  # at least one page per service area
