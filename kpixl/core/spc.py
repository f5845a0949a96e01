"""Statistical process control as NHS England's "Making Data Count" does it (SPEC 8.2).

An XmR chart over an indicator's available values: the mean, the moving ranges
``|x_i - x_(i-1)|`` and their mean MR-bar (no outlier screening, as the MDC Excel tool), process
limits ``mean ± 2.66·MR-bar`` (three sigma) and near limits ``mean ± 1.773·MR-bar`` (two sigma).
Each special-cause rule is one function giving, for every point, the sides (``high``/``low``)
of the patterns it is part of:

1. ``beyond_limit``: a point beyond a process limit;
2. ``trend_run``: ``length`` (default 7) points each strictly above (or below) the one before:
   the run counts its starting point, as NHSRplotthedots' ``ptd_seven_point_trend`` (1:7 is a
   trend of seven points and six rises); every point of the run is flagged;
3. ``two_of_three``: two of three consecutive points beyond the same near limit (beyond the
   process limit included), the two flagged; opposite sides never pair;
4. ``shift_run``: ``length`` (default 7) consecutive points on the same side of the mean; a
   point on the mean breaks the run.

"Beyond" is strict, and a value equal to a limit to within floating-point noise is on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from enum import StrEnum

from kpixl.core.models import Assurance, Indicator, Polarity, SpcSettings, Variation, _Model
from kpixl.core.polarity import indicator_polarity
from kpixl.core.rules import _at_least, available

PROCESS_LIMIT = 2.66
NEAR_LIMIT = 1.773


class Side(StrEnum):
    HIGH = "high"
    LOW = "low"


Sides = frozenset[Side]
_NONE: Sides = frozenset()


class XmrLimits(_Model):
    mean: float
    mr_bar: float
    lower: float
    upper: float
    near_lower: float
    near_upper: float


class SpcResult(_Model):
    limits: XmrLimits
    points: tuple[Sides, ...]
    """For each value, the sides of the special-cause patterns it is part of."""
    variation: Variation
    assurance: Assurance | None = None


def _beyond(value: float, limit: float) -> bool:
    """``value > limit``, floating-point noise counting as equal."""
    return not _at_least(limit, value)


def xmr_limits(values: Sequence[float], baseline_points: int | None = None) -> XmrLimits | None:
    """Mean, MR-bar and limits of the values (of the first ``baseline_points`` when given);
    None with fewer than two values to compute them from."""
    base = list(values if baseline_points is None else values[:baseline_points])
    if len(base) < 2:
        return None
    n = len(base)
    ranges = [abs(b - a) for a, b in zip(base, base[1:], strict=False)]
    try:
        mean, mr_bar = math.fsum(base) / n, math.fsum(ranges) / (n - 1)
    except OverflowError:  # values near the float limit: divide each term first
        mean = math.fsum(v / n for v in base)
        mr_bar = math.fsum(r / (n - 1) for r in ranges)
    return XmrLimits(
        mean=mean,
        mr_bar=mr_bar,
        lower=mean - PROCESS_LIMIT * mr_bar,
        upper=mean + PROCESS_LIMIT * mr_bar,
        near_lower=mean - NEAR_LIMIT * mr_bar,
        near_upper=mean + NEAR_LIMIT * mr_bar,
    )


def beyond_limit(values: Sequence[float], limits: XmrLimits) -> tuple[Sides, ...]:
    """Rule 1: each point above the upper process limit (high) or below the lower (low)."""
    return tuple(
        frozenset({Side.HIGH})
        if _beyond(v, limits.upper)
        else frozenset({Side.LOW})
        if _beyond(limits.lower, v)
        else _NONE
        for v in values
    )


def _flag_runs(
    flags: list[set[Side]], linked: Callable[[int], bool], length: int, side: Side
) -> None:
    """Add ``side`` to every point of each maximal run of at least ``length`` points, where
    ``linked(i)`` says point ``i`` continues the run of point ``i - 1``."""
    start = 0
    for i in range(1, len(flags) + 1):
        if i < len(flags) and linked(i):
            continue
        if i - start >= length:
            for j in range(start, i):
                flags[j].add(side)
        start = i


def trend_run(values: Sequence[float], length: int = 7) -> tuple[Sides, ...]:
    """Rule 2: every point of a run of ``length`` points each strictly above (high) or below
    (low) the one before; the run's first point counts (NHSRplotthedots: 1:7 is a trend)."""
    flags: list[set[Side]] = [set() for _ in values]
    _flag_runs(flags, lambda i: _beyond(values[i], values[i - 1]), length, Side.HIGH)
    _flag_runs(flags, lambda i: _beyond(values[i - 1], values[i]), length, Side.LOW)
    return tuple(frozenset(f) for f in flags)


def two_of_three(values: Sequence[float], limits: XmrLimits) -> tuple[Sides, ...]:
    """Rule 3: two (or three) of three consecutive points beyond the same near limit; the
    points beyond it are flagged, on that limit's side."""
    flags: list[set[Side]] = [set() for _ in values]
    high = [_beyond(v, limits.near_upper) for v in values]
    low = [_beyond(limits.near_lower, v) for v in values]
    for side, beyond in ((Side.HIGH, high), (Side.LOW, low)):
        for start in range(len(values)):
            hits = [i for i in range(start, min(start + 3, len(values))) if beyond[i]]
            if len(hits) >= 2:
                for i in hits:
                    flags[i].add(side)
    return tuple(frozenset(f) for f in flags)


def shift_run(values: Sequence[float], mean: float, length: int = 7) -> tuple[Sides, ...]:
    """Rule 4: every point of a run of ``length`` consecutive points above (high) or below
    (low) the mean; a point on the mean belongs to no run."""
    flags: list[set[Side]] = [set() for _ in values]
    high = [_beyond(v, mean) for v in values]
    low = [_beyond(mean, v) for v in values]
    for side, member in ((Side.HIGH, high), (Side.LOW, low)):
        run: list[int] = []
        for i, inside in enumerate([*member, False]):
            if inside:
                run.append(i)
                continue
            if len(run) >= length:
                for j in run:
                    flags[j].add(side)
            run = []
    return tuple(frozenset(f) for f in flags)


def special_causes(
    values: Sequence[float], limits: XmrLimits, settings: SpcSettings | None = None
) -> tuple[Sides, ...]:
    """The four rules together: for each point, every side a pattern flags it on."""
    settings = settings or SpcSettings()
    rules = (
        beyond_limit(values, limits),
        trend_run(values, settings.trend_length),
        two_of_three(values, limits),
        shift_run(values, limits.mean, settings.shift_length),
    )
    return tuple(frozenset().union(*sides) for sides in zip(*rules, strict=True))


def classify(sides: Sides, polarity: Polarity | None, above_mean: bool) -> Variation:
    """``Variation`` of one point. Improvement wins over concern (the MDC tool's choice);
    without a polarity a point in patterns on both sides takes the side of the mean it is on."""
    if not sides:
        return Variation.COMMON_CAUSE
    if polarity is None:
        if len(sides) > 1:
            return Variation.NEUTRAL_HIGH if above_mean else Variation.NEUTRAL_LOW
        return Variation.NEUTRAL_HIGH if Side.HIGH in sides else Variation.NEUTRAL_LOW
    good = Side.HIGH if polarity is Polarity.HIGHER else Side.LOW
    if good in sides:
        return Variation.IMPROVEMENT_HIGH if good is Side.HIGH else Variation.IMPROVEMENT_LOW
    return Variation.CONCERN_LOW if good is Side.HIGH else Variation.CONCERN_HIGH


def assurance(
    limits: XmrLimits, target: float | None, polarity: Polarity | None
) -> Assurance | None:
    """Higher is better: Target below the lower process limit ``Consistently passing``, above
    the upper ``Consistently failing``, else ``Hit and miss``; mirrored for lower is better."""
    if target is None or polarity is None:
        return None
    below, above = _beyond(limits.lower, target), _beyond(target, limits.upper)
    if polarity is Polarity.LOWER:
        below, above = above, below
    if below:
        return Assurance.PASSING
    if above:
        return Assurance.FAILING
    return Assurance.HIT_AND_MISS


def spc(
    values: Sequence[float],
    polarity: Polarity | None = None,
    target: float | None = None,
    settings: SpcSettings | None = None,
) -> SpcResult | None:
    """The XmR chart of ``values`` (oldest first) and the classification of the latest point;
    None with fewer than ``minimum_points`` values."""
    settings = settings or SpcSettings()
    if len(values) < settings.minimum_points:
        return None
    limits = xmr_limits(values, settings.baseline_points)
    if limits is None:
        return None
    points = special_causes(values, limits, settings)
    return SpcResult(
        limits=limits,
        points=points,
        variation=classify(points[-1], polarity, values[-1] >= limits.mean),
        assurance=assurance(limits, target, polarity),
    )


def spc_for(
    indicator: Indicator,
    reporting_month: date,
    fy_start_month: int = 4,
    settings: SpcSettings | None = None,
    target: float | None = None,
) -> SpcResult | None:
    """``Variation`` and ``Assurance`` of an indicator over its available values up to the
    reporting month, through the polarity its RAG uses. Assurance is for KPIs only, against
    ``target`` when given (SPEC 8.4: the latest period's), else the indicator's Target."""
    found = available(indicator.values, reporting_month, indicator.frequency, fy_start_month)
    goal = (target if target is not None else indicator.target) if indicator.is_kpi else None
    return spc([v for _, v in found], indicator_polarity(indicator), goal, settings)
