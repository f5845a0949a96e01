"""Period-specific thresholds (SPEC 8.4): which Target, Floor, Upper and Lower are in force in a
period, which period each rating takes them from, and the problems of a Targets sheet.

A :class:`~kpixl.core.models.ThresholdTimeline` maps periods to the thresholds their row sets;
everything it leaves out comes from the indicator row, so an empty timeline rates exactly as
the indicator row alone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from kpixl.core.checks import PERCENT_LIMIT, usable_tolerance
from kpixl.core.columns import column_by_key
from kpixl.core.display import format_value
from kpixl.core.models import (
    Frequency,
    Indicator,
    Problem,
    Severity,
    Thresholds,
    ThresholdTimeline,
)
from kpixl.core.periods import is_period_end, period_label
from kpixl.core.rules import effective_polarity

THRESHOLD_FIELDS = ("Target", "Floor", "Upper", "Lower")
"""The columns a Targets row may set, besides ``Ref`` and ``Period``."""


def thresholds_for(
    indicator: Indicator, timeline: ThresholdTimeline | None, period: date | None
) -> Thresholds:
    """The thresholds in force for ``indicator`` in ``period``: the timeline's row for that
    period where it sets one, the indicator row's value otherwise (and for no period)."""
    default = indicator.thresholds
    if timeline is None or period is None or period not in timeline.by_period:
        return default
    row = timeline.by_period[period]
    return Thresholds(
        target=default.target if row.target is None else row.target,
        floor=default.floor if row.floor is None else row.floor,
        upper=default.upper if row.upper is None else row.upper,
        lower=default.lower if row.lower is None else row.lower,
    )


def tolerance_for(indicator: Indicator, amber_tolerance: float | None) -> float | None:
    """The tolerance a KPI is rated with: its own ``Tolerance``, else the ``Amber tolerance``
    setting when that is usable (an unusable own one was rejected with its problem)."""
    if indicator.tolerance is not None:
        return indicator.tolerance
    return amber_tolerance if usable_tolerance(amber_tolerance) else None


def tolerance_in_force(
    indicator: Indicator, thresholds: Thresholds, amber_tolerance: float | None
) -> float | None:
    """The tolerance that words AMBER for a KPI rated against ``thresholds``: None when the
    Floor rule applies (a Floor in force, no Target, or no tolerance); a Floor always wins."""
    if not indicator.is_kpi or thresholds.target is None or thresholds.floor is not None:
        return None
    return tolerance_for(indicator, amber_tolerance)


@dataclass(frozen=True)
class TargetRow:
    """One row of a Targets sheet as read (the reader reports cells it could not read)."""

    ref: str
    period: date
    thresholds: Thresholds


@dataclass(frozen=True)
class TargetsRead:
    """Timelines by Ref, and the problems of the rows by row index (for the reader to locate)."""

    timelines: dict[str, ThresholdTimeline]
    problems: list[tuple[int, Problem]] = field(default_factory=list)


def _error(message: str, ref: str | None, column: str, period: date | None) -> Problem:
    """A Targets-sheet problem; its field is the indicator column it concerns, if any (the
    Targets reader places it on the row's own cell)."""
    field = column_by_key(column)
    return Problem(severity=Severity.ERROR, message=message, ref=ref, field=field, period=period)


def unknown_target_ref_problem(ref: str, period: date | None = None) -> Problem:
    return _error(
        f"Targets: {ref!r} is not the Ref of any indicator, so this row is not used. Correct "
        "the Ref or delete the row.",
        ref,
        "Ref",
        period,
    )


def duplicate_target_problem(ref: str, period: date) -> Problem:
    return _error(
        f"Targets: {ref} has more than one row for {period_label(period)}, so none of them is "
        "used. Keep one row per Ref and period.",
        ref,
        "Period",
        period,
    )


def target_period_outside_problem(ref: str, period: date) -> Problem:
    return _error(
        f"Targets: {ref} has no period column for {period_label(period)}, so this row is not "
        "used. Correct the Period or add the column.",
        ref,
        "Period",
        period,
    )


def target_period_not_an_end_problem(ref: str, period: date, frequency: Frequency) -> Problem:
    ends = {
        Frequency.QUARTERLY: "a quarter-end month",
        Frequency.SIX_MONTHLY: "a half-year-end month",
        Frequency.ANNUAL: "the year-end month",
    }.get(frequency, "a month")
    return _error(
        f"Targets: {ref} is {frequency.value.lower()}, but {period_label(period)} is not "
        f"{ends}, so this row is not used. Give the Period as {ends}.",
        ref,
        "Period",
        period,
    )


def empty_target_row_problem(ref: str, period: date) -> Problem:
    return Problem(
        severity=Severity.WARNING,
        message=f"Targets: the row for {ref} in {period_label(period)} sets none of "
        f"{', '.join(THRESHOLD_FIELDS)}, so it changes nothing.",
        ref=ref,
        field=None,
        period=period,
    )


def read_targets(
    rows: Sequence[TargetRow],
    indicators: Sequence[Indicator],
    fy_start_month: int = 4,
    period_columns: Mapping[str, Collection[date]] | None = None,
) -> TargetsRead:
    """The timelines the rows give, leaving out every row with a problem.

    ``period_columns`` maps a Ref to the period columns of its sheet; a Ref it leaves out is not
    checked for periods outside the columns.
    """
    by_ref: dict[str, Indicator] = {}
    for indicator in indicators:
        by_ref.setdefault(indicator.ref, indicator)
    columns = period_columns or {}
    seen = Counter((row.ref, row.period) for row in rows)
    problems: list[tuple[int, Problem]] = []
    chosen: dict[str, dict[date, Thresholds]] = {}
    for index, row in enumerate(rows):
        problem = _row_problem(row, by_ref, columns, seen, fy_start_month)
        if problem is not None:
            problems.append((index, problem))
            if problem.severity is Severity.ERROR:
                continue
        chosen.setdefault(row.ref, {})[row.period] = row.thresholds
    timelines = {ref: ThresholdTimeline(by_period=found) for ref, found in chosen.items()}
    return TargetsRead(timelines, problems)


def _row_problem(
    row: TargetRow,
    by_ref: Mapping[str, Indicator],
    columns: Mapping[str, Collection[date]],
    seen: Counter[tuple[str, date]],
    fy_start_month: int,
) -> Problem | None:
    indicator = by_ref.get(row.ref)
    if indicator is None:
        return unknown_target_ref_problem(row.ref, row.period)
    if seen[(row.ref, row.period)] > 1:
        return duplicate_target_problem(row.ref, row.period)
    if row.ref in columns and row.period not in columns[row.ref]:
        return target_period_outside_problem(row.ref, row.period)
    if not is_period_end(row.period, indicator.frequency, fy_start_month):
        return target_period_not_an_end_problem(row.ref, row.period, indicator.frequency)
    if all(getattr(row.thresholds, name) is None for name in Thresholds.model_fields):
        return empty_target_row_problem(row.ref, row.period)
    return _threshold_problem(indicator, row)


def _threshold_problem(indicator: Indicator, row: TargetRow) -> Problem | None:
    """A row whose thresholds, with the indicator row's for what it leaves blank, cannot be
    rated as the indicator row is: a percent typed whole, a Target on the wrong side of the
    Floor, an Upper below the Lower."""
    ref, period, unit = row.ref, row.period, indicator.unit
    where = f"Targets: {ref} in {period_label(period)}"
    for name in THRESHOLD_FIELDS:
        value = getattr(row.thresholds, name.lower())
        if value is not None and not math.isfinite(value):
            message = f"{where}: the {name} is {value}, which is not a usable number."
            return _error(message, ref, name, period)
        if indicator.is_percent and value is not None and abs(value) > PERCENT_LIMIT:
            return _error(
                f"{where}: the {name} is {value:g}, which would be {format_value(value, '%')}. "
                f"For a % indicator type {value:g}% (or {value / 100:g}).",
                ref,
                name,
                period,
            )
    merged = thresholds_for(
        indicator, ThresholdTimeline(by_period={period: row.thresholds}), period
    )
    usual = effective_polarity(indicator.target, indicator.floor, indicator.polarity)
    here = effective_polarity(merged.target, merged.floor, indicator.polarity)
    if indicator.is_kpi and merged.target is not None and merged.floor is not None:
        if here is None or (usual is not None and here is not usual):
            return _error(
                f"{where}: the Target ({format_value(merged.target, unit)}) and the Floor "
                f"({format_value(merged.floor, unit)}) do not say the same way is better as the "
                "indicator row, so this row is not used. Correct the Target or the Floor.",
                ref,
                "Target",
                period,
            )
    if merged.upper is not None and merged.lower is not None and merged.upper < merged.lower:
        return _error(
            f"{where}: the Upper threshold ({format_value(merged.upper, unit)}) is below the "
            f"Lower threshold ({format_value(merged.lower, unit)}), so this row is not used.",
            ref,
            "Upper",
            period,
        )
    return None
