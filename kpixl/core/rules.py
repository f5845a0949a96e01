"""The rating rules of SPEC section 2: RAG, activity alert, latest value, YTD, direction.

Every function here is total: any float in (NaN and infinities included) gives a result or
``None``, never an exception. Non-finite numbers are reported by the data checks, not rated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kpixl.core.models import Alert, Direction, Frequency, Polarity, Rag, YtdMethod
from kpixl.core.periods import financial_year_start, is_quarter_end

Number = float | int

_REL_TOL = 1e-12
_ABS_TOL = 1e-12


def is_number(value: object) -> bool:
    """True for a finite int or float (bools are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _at_least(a: float, b: float) -> bool:
    """``a >= b``, treating floating-point noise (0.1 + 0.2 vs 0.3) as equality."""
    return a >= b or math.isclose(a, b, rel_tol=_REL_TOL, abs_tol=_ABS_TOL)


def parse_polarity(polarity: Polarity | str | None) -> Polarity | None:
    """``Higher``/``Lower`` in any case (also ``higher is better``, ``H``/``L``); else None."""
    if polarity is None or isinstance(polarity, Polarity):
        return polarity
    text = str(polarity).strip().lower()
    if text.startswith("h") or text == "up":
        return Polarity.HIGHER
    if text.startswith("l") or text == "down":
        return Polarity.LOWER
    return None


def effective_polarity(
    target: float | None, floor: float | None, polarity: Polarity | str | None = None
) -> Polarity | None:
    """The given polarity, or the one implied by Target and Floor (``t < f``: lower is better)."""
    given = parse_polarity(polarity)
    if given is not None:
        return given
    if target is None or floor is None or not (is_number(target) and is_number(floor)):
        return None
    if target < floor:
        return Polarity.LOWER
    if target > floor:
        return Polarity.HIGHER
    return None


def round_half_up(value: float, decimals: int, percent: bool = False) -> float:
    """Round as the number is displayed: half away from zero, in percent for a % indicator."""
    if not is_number(value):
        return value
    try:
        exact = Decimal(repr(value))
        if percent:
            exact *= 100
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return value
    if percent:
        rounded /= 100
    return float(rounded)


def rag(
    value: float | None,
    target: float | None,
    floor: float | None,
    polarity: Polarity | str | None = None,
    *,
    decimals: int | None = None,
    percent: bool = False,
) -> Rag | None:
    """Rate ``value`` against ``target`` and ``floor``; None when it cannot be rated.

    Boundaries are inclusive (a value at the Floor is AMBER, at the Target GREEN). Without a
    polarity it is inferred from Target and Floor; Target equal to Floor without a polarity
    cannot be rated. With only a Target, the value is GREEN when it meets it, otherwise RED.
    """
    if value is None or target is None or not is_number(value) or not is_number(target):
        return None
    if floor is not None and not is_number(floor):
        return None
    if decimals is not None:
        value = round_half_up(value, decimals, percent)
    direction = effective_polarity(target, floor, polarity)
    if direction is None:
        if floor is not None:
            return None  # Target == Floor and no polarity: ambiguous, reported by the checks
        direction = Polarity.HIGHER
    sign = 1.0 if direction is Polarity.HIGHER else -1.0
    v, t = sign * value, sign * target
    if _at_least(v, t):
        return Rag.GREEN
    if floor is None:
        return Rag.RED
    return Rag.AMBER if _at_least(v, sign * floor) else Rag.RED


def range_alert(value: float | None, lower: float | None, upper: float | None) -> Alert | None:
    """``Yes`` when ``lower <= value <= upper``, else ``Above`` or ``Below``; None unrated.

    One threshold alone bounds one side only. No thresholds, or Upper below Lower: no alert.
    """
    if value is None or not is_number(value):
        return None
    has_lower = lower is not None and is_number(lower)
    has_upper = upper is not None and is_number(upper)
    if not (has_lower or has_upper):
        return None
    if has_lower and has_upper and upper < lower:  # type: ignore[operator]
        return None
    if has_upper and not _at_least(upper, value):  # type: ignore[arg-type]
        return Alert.ABOVE
    if has_lower and not _at_least(value, lower):  # type: ignore[arg-type]
        return Alert.BELOW
    return Alert.YES


def counts(period: date, frequency: Frequency, fy_start_month: int) -> bool:
    """Whether a period is one the indicator reports in (quarterly: quarter ends only)."""
    return frequency is Frequency.MONTHLY or is_quarter_end(period, fy_start_month)


def available(
    values: Mapping[date, float | None],
    reporting_month: date,
    frequency: Frequency = Frequency.MONTHLY,
    fy_start_month: int = 4,
) -> list[tuple[date, float]]:
    """Periods with a finite number, at or before the reporting month, oldest first."""
    return sorted(
        (period, value)
        for period, value in values.items()
        if period <= reporting_month
        and value is not None
        and is_number(value)
        and counts(period, frequency, fy_start_month)
    )


def latest(
    values: Mapping[date, float | None],
    reporting_month: date,
    frequency: Frequency = Frequency.MONTHLY,
    fy_start_month: int = 4,
) -> tuple[date, float] | None:
    """The most recent period at or before the reporting month that has a number."""
    found = available(values, reporting_month, frequency, fy_start_month)
    return found[-1] if found else None


def resolve_ytd_method(method: YtdMethod | None, entered: float | None) -> YtdMethod:
    """A blank method means ``Entered`` when a YTD figure was typed, otherwise ``None``."""
    if method is not None:
        return method
    return YtdMethod.ENTERED if entered is not None else YtdMethod.NONE


def ytd(
    values: Mapping[date, float | None],
    method: YtdMethod | None,
    reporting_month: date,
    *,
    frequency: Frequency = Frequency.MONTHLY,
    fy_start_month: int = 4,
    entered: float | None = None,
    numerator: Mapping[date, float | None] | None = None,
    denominator: Mapping[date, float | None] | None = None,
) -> float | None:
    """Year-to-date value by method, over this financial year up to the reporting month."""
    method = resolve_ytd_method(method, entered)
    if method is YtdMethod.NONE:
        return None
    if method is YtdMethod.ENTERED:
        return entered if entered is not None and is_number(entered) else None
    start = financial_year_start(reporting_month, fy_start_month)
    if method is YtdMethod.RATIO:
        return _ratio(numerator or {}, denominator or {}, start, reporting_month, fy_start_month)
    in_year = [
        value
        for period, value in available(values, reporting_month, frequency, fy_start_month)
        if period >= start
    ]
    if not in_year:
        return None
    if method is YtdMethod.MEAN:
        return math.fsum(in_year) / len(in_year)
    if method is YtdMethod.SUM:
        return math.fsum(in_year)
    return in_year[-1]  # YtdMethod.LATEST: already cumulative


def _ratio(
    numerator: Mapping[date, float | None],
    denominator: Mapping[date, float | None],
    start: date,
    reporting_month: date,
    fy_start_month: int,
) -> float | None:
    """Sum of the numerator over the sum of the denominator, over periods that have both."""
    num = dict(available(numerator, reporting_month, Frequency.MONTHLY, fy_start_month))
    den = dict(available(denominator, reporting_month, Frequency.MONTHLY, fy_start_month))
    periods = [period for period in num if period in den and period >= start]
    total = math.fsum(den[period] for period in periods)
    if not periods or total == 0:
        return None
    return math.fsum(num[period] for period in periods) / total


def direction_of_travel(
    values: Mapping[date, float | None],
    reporting_month: date,
    polarity: Polarity | None,
    frequency: Frequency = Frequency.MONTHLY,
    fy_start_month: int = 4,
) -> Direction | None:
    """Latest value against the previous available one, read through polarity.

    Without a polarity (most activity indicators) the movement is ``Up`` or ``Down``.
    """
    found = available(values, reporting_month, frequency, fy_start_month)
    if len(found) < 2:
        return None
    previous, current = found[-2][1], found[-1][1]
    if math.isclose(previous, current, rel_tol=_REL_TOL, abs_tol=_ABS_TOL):
        return Direction.NO_CHANGE
    rising = current > previous
    if polarity is None:
        return Direction.UP if rising else Direction.DOWN
    if rising == (polarity is Polarity.HIGHER):
        return Direction.IMPROVING
    return Direction.WORSENING
