"""Checks of ordinary entry slips (issue 11) that a rating would otherwise hide: a Unit kpixl
does not know, a value typed in a month the indicator does not report in, an activity range
sized for a month while the alert is on a year-to-date total."""

from __future__ import annotations

import difflib
import math
from datetime import date

from kpixl.core.columns import Column
from kpixl.core.display import format_value
from kpixl.core.models import Frequency, Indicator, Problem, Severity, YtdMethod
from kpixl.core.periods import add_months, is_period_end, period_label
from kpixl.core.rules import resolve_ytd_method, ytd, ytd_periods
from kpixl.core.units import KNOWN_UNITS, is_known_unit

__all__ = ["activity_basis_problems", "entry_problems", "off_period_problems", "unit_problems"]


def _warning(message: str, ref: str, field: Column, period: date | None = None) -> Problem:
    return Problem(severity=Severity.WARNING, message=message, ref=ref, field=field, period=period)


def entry_problems(
    indicator: Indicator, reporting_month: date, fy_start_month: int
) -> list[Problem]:
    return [
        *unit_problems(indicator),
        *off_period_problems(indicator, reporting_month, fy_start_month),
        *activity_basis_problems(indicator, reporting_month, fy_start_month),
    ]


def unit_problems(indicator: Indicator) -> list[Problem]:
    """A Unit that is neither a spelling of percent nor a unit kpixl knows."""
    if is_known_unit(indicator.unit):
        return []
    unit = (indicator.unit or "").strip()
    close = difflib.get_close_matches(
        unit.lower(), [*(u.lower() for u in KNOWN_UNITS), "percent"], 1, 0.7
    )
    if close:
        meant = (
            "%" if close[0] == "percent" else next(u for u in KNOWN_UNITS if u.lower() == close[0])
        )
        hint = f" Did you mean {meant}?"
    else:
        hint = ""
    return [
        _warning(
            f"{indicator.ref}: the Unit {unit!r} is not one kpixl knows, so the figures are shown "
            f"as plain numbers (a percentage needs the Unit %).{hint} Correct it, or leave it "
            "if the figures really are counted in it.",
            indicator.ref,
            Column.UNIT,
        )
    ]


def off_period_problems(
    indicator: Indicator, reporting_month: date, fy_start_month: int
) -> list[Problem]:
    """A quarterly (six-monthly, annual) indicator's number typed in a month that does not
    end one of its periods: it is never used, so a figure meant for the quarter is lost."""
    frequency = indicator.frequency
    if frequency is Frequency.MONTHLY:
        return []
    problems = []
    for period, value in indicator.values.items():
        if (
            value is None
            or period > reporting_month
            or is_period_end(period, frequency, fy_start_month)
        ):
            continue
        end = period
        while not is_period_end(end, frequency, fy_start_month):
            end = add_months(end, 1)
        problems.append(
            _warning(
                f"{indicator.ref}: {format_value(value, indicator.unit)} is typed in "
                f"{period_label(period)}, but this {frequency.value.lower()} indicator reports "
                f"only at period ends, so it is not used. Move it to {period_label(end)}, or "
                "correct the Frequency.",
                indicator.ref,
                Column.VALUE,
                period,
            )
        )
    return problems


def activity_basis_problems(
    indicator: Indicator, reporting_month: date, fy_start_month: int
) -> list[Problem]:
    """An activity alert on a Sum YTD whose range fits the months, not the total: the monthly
    average is in range but the YTD is not, so the alert says Above with every month fine."""
    lower, upper = indicator.lower, indicator.upper
    if indicator.is_kpi or (lower is None and upper is None):
        return []
    method = resolve_ytd_method(indicator.ytd_method, indicator.ytd_entered)
    if method not in (YtdMethod.SUM, YtdMethod.ENTERED):
        return []
    kwargs = {"frequency": indicator.frequency, "fy_start_month": fy_start_month,
              "entered": indicator.ytd_entered}  # fmt: skip
    total = ytd(indicator.values, method, reporting_month, **kwargs)  # type: ignore[arg-type]
    periods = ytd_periods(indicator.values, method, reporting_month, **kwargs)  # type: ignore[arg-type]
    if total is None or len(periods) < 2 or not math.isfinite(total):
        return []
    average = total / len(periods)

    def inside(x: float) -> bool:
        return (lower is None or x >= lower) and (upper is None or x <= upper)

    if inside(total) or not inside(average):
        return []
    unit = indicator.unit
    shown = " to ".join(format_value(x, unit) for x in (lower, upper) if x is not None)
    return [
        _warning(
            f"{indicator.ref}: the alert is on the YTD value ({method.value} of "
            f"{len(periods)} periods: {format_value(total, unit)}), but the expected range "
            f"({shown}) looks sized for one period: the average period "
            f"({format_value(average, unit)}) is in range. Give the range for the YTD, or set "
            "YTD method to Mean or Latest to alert on a period's value.",
            indicator.ref,
            Column.UPPER if upper is not None else Column.LOWER,
        )
    ]
