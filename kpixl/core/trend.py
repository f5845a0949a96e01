"""Direction of travel (SPEC 8.1): the previous period (SPEC 2) or a regression over a window.

``Regression``: the ordinary least-squares slope of the last ``Trend periods`` available values
at or before the reporting month against months since the window's first value (a gap inside
the window stretches the line), counted only when the two-sided t-test of the slope gives
p < 1 − ``Trend confidence``. Fewer than four values give no direction; a perfect line counts
(p = 0), a constant series never does. Kent publishes the wording ("stable or shows no clear
trend") but not its test: these defaults are kpixl's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from kpixl.core.models import (
    DEFAULT_TREND_CONFIDENCE,
    Direction,
    DirectionMethod,
    Frequency,
    Indicator,
    Polarity,
    TrendSettings,
)
from kpixl.core.periods import months_between
from kpixl.core.polarity import indicator_polarity
from kpixl.core.rules import available, direction_of_travel
from kpixl.core.stats import LineFit, fit_line

MINIMUM_TREND_VALUES = 4
_DEFAULT_PERIODS = {"monthly": 12, "quarterly": 8, "sixmonthly": 6, "halfyearly": 6, "annual": 5}
"""Default ``Trend periods`` by frequency, keyed by the frequency's label without case, spaces
or hyphens (so ``Six-monthly`` and ``Six monthly`` both match)."""


def default_trend_periods(frequency: Frequency | str) -> int:
    """12 monthly, 8 quarterly, 6 six-monthly, 5 annual values."""
    label = frequency.value if isinstance(frequency, Frequency) else str(frequency)
    key = "".join(ch for ch in label.lower() if ch.isalpha())
    try:
        return _DEFAULT_PERIODS[key]
    except KeyError:
        raise ValueError(f"No default Trend periods for the frequency {label!r}") from None


def trend_window(
    values: Mapping[date, float | None],
    reporting_month: date,
    frequency: Frequency = Frequency.MONTHLY,
    fy_start_month: int = 4,
    periods: int | None = None,
) -> list[tuple[date, float]]:
    """The last ``periods`` available values at or before the reporting month, oldest first."""
    count = periods if periods is not None else default_trend_periods(frequency)
    found = available(values, reporting_month, frequency, fy_start_month)
    return found[-count:] if count > 0 else []


def trend_fit(
    values: Mapping[date, float | None],
    reporting_month: date,
    frequency: Frequency = Frequency.MONTHLY,
    fy_start_month: int = 4,
    periods: int | None = None,
) -> LineFit | None:
    """The regression line of the window (slope per month); None below four values."""
    window = trend_window(values, reporting_month, frequency, fy_start_month, periods)
    if len(window) < MINIMUM_TREND_VALUES:
        return None
    first = window[0][0]
    xs = [float(months_between(first, period)) for period, _ in window]
    return fit_line(xs, [value for _, value in window])


def regression_direction(
    values: Mapping[date, float | None],
    reporting_month: date,
    polarity: Polarity | None,
    frequency: Frequency = Frequency.MONTHLY,
    fy_start_month: int = 4,
    *,
    periods: int | None = None,
    confidence: float = DEFAULT_TREND_CONFIDENCE,
) -> Direction | None:
    """``Improving``/``Worsening`` through polarity (``Up``/``Down`` without one) when the
    slope is significant, else ``No clear trend``; None with fewer than four values."""
    fit = trend_fit(values, reporting_month, frequency, fy_start_month, periods)
    if fit is None:
        return None
    if fit.slope == 0.0 or not fit.p_value < 1.0 - confidence:
        return Direction.NO_CLEAR_TREND
    rising = fit.slope > 0.0
    if polarity is None:
        return Direction.UP if rising else Direction.DOWN
    if rising == (polarity is Polarity.HIGHER):
        return Direction.IMPROVING
    return Direction.WORSENING


def direction_for(
    indicator: Indicator,
    reporting_month: date,
    fy_start_month: int = 4,
    settings: TrendSettings | None = None,
) -> Direction | None:
    """An indicator's ``Direction of travel`` by the chosen method, read through the polarity
    its RAG uses (so a target-only KPI is higher-is-better unless its Polarity says not)."""
    settings = settings or TrendSettings()
    polarity = indicator_polarity(indicator)
    if settings.method is DirectionMethod.PREVIOUS_PERIOD:
        return direction_of_travel(
            indicator.values, reporting_month, polarity, indicator.frequency, fy_start_month
        )
    return regression_direction(
        indicator.values,
        reporting_month,
        polarity,
        indicator.frequency,
        fy_start_month,
        periods=settings.periods,
        confidence=settings.confidence,
    )
