"""Direction of travel by regression (SPEC 8.1), written from the rule text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpixl.core.models import Direction, Frequency, Indicator, IndicatorType, Polarity
from kpixl.core.periods import add_months
from kpixl.core.polarity import indicator_polarity, rating_polarity
from kpixl.core.rules import direction_of_travel
from kpixl.core.trend import (
    DirectionMethod,
    TrendSettings,
    default_trend_periods,
    direction_for,
    regression_direction,
    trend_fit,
)

OCT = date(2023, 10, 1)
RISING = [float(i) for i in range(12)]
PI_DIGITS = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0, 8.0]
NOISY_RISE = [1.0, 3.0, 2.0, 4.0]  # slope 0.8, two-sided p = 0.2 exactly (test_stats)


def ending_at(month: date, ys: Sequence[float | None], step: int = 1) -> dict[date, float | None]:
    """``ys`` as consecutive periods (every ``step`` months) whose last is ``month``."""
    start = add_months(month, -step * (len(ys) - 1))
    return {add_months(start, step * i): y for i, y in enumerate(ys)}


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        (Frequency.MONTHLY, 12),
        (Frequency.QUARTERLY, 8),
        ("Monthly", 12),
        ("Quarterly", 8),
        ("Six-monthly", 6),
        ("Annual", 5),
    ],
)
def test_default_trend_periods(frequency: Frequency | str, expected: int) -> None:
    assert expected == default_trend_periods(frequency)


@pytest.mark.parametrize(
    ("ys", "polarity", "expected"),
    [
        (RISING, Polarity.HIGHER, Direction.IMPROVING),
        (RISING, Polarity.LOWER, Direction.WORSENING),
        (RISING, None, Direction.UP),
        (RISING[::-1], Polarity.HIGHER, Direction.WORSENING),
        (RISING[::-1], Polarity.LOWER, Direction.IMPROVING),
        (RISING[::-1], None, Direction.DOWN),
        ([5.0] * 12, Polarity.HIGHER, Direction.NO_CLEAR_TREND),  # constant: no trend
        ([0.1] * 12, None, Direction.NO_CLEAR_TREND),  # constant whose mean is not exact
        ([0.1 + 0.2, 0.3, 0.3, 0.1 + 0.2], None, Direction.NO_CLEAR_TREND),  # float noise
        ([0.1 * i for i in range(12)], None, Direction.UP),  # a perfect line counts
        ([1.0, 2.0, 3.0, 4.0], Polarity.HIGHER, Direction.IMPROVING),  # n = 4 is enough
        ([1.0, 2.0, 3.0], Polarity.HIGHER, None),  # fewer than 4 values: no direction
        ([], None, None),
        (NOISY_RISE, None, Direction.NO_CLEAR_TREND),  # p = 0.2 is not below 0.05
        (PI_DIGITS, None, Direction.NO_CLEAR_TREND),  # t = 1.81, df = 10: p = 0.10
    ],
)
def test_regression_direction(
    ys: list[float], polarity: Polarity | None, expected: Direction | None
) -> None:
    assert expected == regression_direction(ending_at(OCT, ys), OCT, polarity)


@pytest.mark.parametrize(
    ("confidence", "expected"),
    [(0.75, Direction.UP), (0.85, Direction.NO_CLEAR_TREND), (0.95, Direction.NO_CLEAR_TREND)],
)
def test_trend_confidence(confidence: float, expected: Direction) -> None:
    """p = 0.2 counts when p < 1 - confidence, i.e. at 75% but not at 85% or 95%."""
    assert expected == regression_direction(
        ending_at(OCT, NOISY_RISE), OCT, None, confidence=confidence
    )


def test_window_is_the_last_trend_periods_available_values() -> None:
    """Twelve months falling then twelve rising: the default window sees only the rise."""
    ys = RISING[::-1] + RISING
    values = ending_at(OCT, ys)
    assert Direction.UP == regression_direction(values, OCT, None)
    assert Direction.UP == regression_direction(values, OCT, None, periods=12)
    assert Direction.NO_CLEAR_TREND == regression_direction(values, OCT, None, periods=24)


def test_values_after_the_reporting_month_and_not_available_are_left_out() -> None:
    values = ending_at(OCT, [1.0, None, 2.0, 3.0, None, 4.0])
    values[add_months(OCT, 1)] = -100.0
    values[add_months(OCT, 2)] = -200.0
    fit = trend_fit(values, OCT)
    assert fit is not None
    assert 4 == fit.n
    assert Direction.UP == regression_direction(values, OCT, None)


def test_window_counts_available_values_not_months() -> None:
    """Trend periods 4 over 1, 2, *, *, 3, 4 uses all four numbers, not the last four months."""
    values = ending_at(OCT, [1.0, 2.0, None, None, 3.0, 4.0])
    fit = trend_fit(values, OCT, periods=4)
    assert fit is not None
    assert 4 == fit.n


def test_a_gap_stretches_the_line() -> None:
    """Positions are months since the window's first value: 0, 1, 2, 3 and 10."""
    values = {add_months(OCT, m - 10): float(m) for m in (0, 1, 2, 3, 10)}
    fit = trend_fit(values, OCT)
    assert fit is not None
    assert 1.0 == pytest.approx(fit.slope)  # by position (0..4) it would be 2.2 per step
    assert 0.0 == fit.p_value


def test_quarterly_uses_quarter_ends_and_slope_per_month() -> None:
    values = ending_at(date(2023, 9, 1), [float(i) for i in range(10)], step=3)
    values[date(2023, 8, 1)] = 99.0  # not a quarter end: ignored
    fit = trend_fit(values, OCT, Frequency.QUARTERLY)
    assert fit is not None
    assert (8, pytest.approx(1 / 3)) == (fit.n, fit.slope)
    assert Direction.UP == regression_direction(values, OCT, None, Frequency.QUARTERLY)


@given(st.floats(-1e6, 1e6), st.integers(4, 24))
def test_constant_series_never_trends(value: float, n: int) -> None:
    assert Direction.NO_CLEAR_TREND == regression_direction(
        ending_at(OCT, [value] * n), OCT, Polarity.HIGHER, periods=n
    )


@given(st.floats(-1e3, 1e3), st.floats(0.01, 1e3), st.integers(4, 24))
def test_a_perfect_line_always_counts(start: float, step: float, n: int) -> None:
    ys = [start + step * i for i in range(n)]
    assert Direction.IMPROVING == regression_direction(
        ending_at(OCT, ys), OCT, Polarity.HIGHER, periods=n
    )


@pytest.mark.parametrize(
    ("target", "floor", "polarity", "expected"),
    [
        (0.9, None, None, Polarity.HIGHER),  # target only: higher is better, as the RAG rates
        (0.05, None, "Lower", Polarity.LOWER),
        (0.30, 0.35, None, Polarity.LOWER),
        (0.90, 0.85, None, Polarity.HIGHER),
        (0.5, 0.5, None, None),  # Target = Floor without Polarity: not rated
        (0.5, 0.5, "Higher", Polarity.HIGHER),
        (None, None, None, None),
        (None, None, "lower", Polarity.LOWER),
    ],
)
def test_rating_polarity(
    target: float | None, floor: float | None, polarity: str | None, expected: Polarity | None
) -> None:
    assert expected == rating_polarity(target, floor, polarity)


def test_indicator_polarity_kpi_and_activity() -> None:
    assert Polarity.HIGHER == indicator_polarity(Indicator(ref="K", target=0.9))
    activity = Indicator(ref="A", type=IndicatorType.ACTIVITY, upper=10, lower=5)
    assert indicator_polarity(activity) is None
    assert Polarity.LOWER == indicator_polarity(activity.model_copy(update={"polarity": "Lower"}))


def test_direction_for_dispatches_on_the_method() -> None:
    values = ending_at(OCT, [1.0, 2.0, 3.0, 4.0, 5.0, 3.0])
    kpi = Indicator(ref="K", target=4.0, values=values)
    assert Direction.WORSENING == direction_for(kpi, OCT)  # previous period, target-only KPI
    assert direction_of_travel(values, OCT, Polarity.HIGHER) == direction_for(kpi, OCT)
    regression = TrendSettings(method=DirectionMethod.REGRESSION)
    assert Direction.NO_CLEAR_TREND == direction_for(kpi, OCT, settings=regression)
    steady = kpi.model_copy(update={"values": ending_at(OCT, RISING)})
    assert Direction.IMPROVING == direction_for(steady, OCT, settings=regression)


def test_method_labels_are_exact() -> None:
    assert ["Previous period", "Regression"] == [m.value for m in DirectionMethod]
    assert "No clear trend" == Direction.NO_CLEAR_TREND.value


@pytest.mark.parametrize("bad", [{"periods": 0}, {"confidence": 0.0}, {"confidence": 1.0}])
def test_settings_are_checked(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        TrendSettings.model_validate(bad)


@given(st.lists(st.floats(-1.7e308, 1.7e308), min_size=4, max_size=24))
def test_any_finite_values_give_a_direction(ys: list[float]) -> None:
    assert regression_direction(ending_at(OCT, ys), OCT, None, periods=24) in Direction
