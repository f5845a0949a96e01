"""The Dashboard prints the thresholds in force (SPEC 8.4), not the indicator row's."""

from __future__ import annotations

from datetime import date

from kpixl.core.evaluate import evaluate
from kpixl.core.models import Indicator, IndicatorType, Report, Thresholds, ThresholdTimeline
from kpixl.report.dashboard import dashboard_design


def test_dashboard_prints_the_thresholds_in_force() -> None:
    kpi = Indicator(
        ref="K1", description="Profiled KPI", target=0.97, floor=0.95,
        values={date(2023, 9, 1): 0.645},
    )  # fmt: skip
    activity = Indicator(
        ref="A1", description="Profiled activity", type=IndicatorType.ACTIVITY,
        values={date(2023, 9, 1): 150.0},
    )  # fmt: skip
    sep = date(2023, 9, 1)
    report = Report(
        reporting_month=date(2023, 10, 1),
        indicators=(kpi, activity),
        targets={
            "K1": ThresholdTimeline(by_period={sep: Thresholds(target=0.64, floor=0.62)}),
            "A1": ThresholdTimeline(by_period={sep: Thresholds(upper=160.0, lower=140.0)}),
        },
    )
    design = dashboard_design(evaluate(report))
    numbers = {cell.value for cell in design.cells if isinstance(cell.value, float)}
    assert {0.64, 0.62, 160.0, 140.0} <= numbers
    assert not {0.97, 0.95} & numbers
    assert "Upper" in {cell.value for cell in design.cells}
