"""The data checks of SPEC section 4, as structured problems with sentences people understand.

The core knows refs, fields and periods; the workbook layer adds the sheet and cell. The
``*_problem`` functions are the catalogue of sentences, so a reader reporting what it saw in a
cell words it exactly as the core would.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

from kpixl.core.columns import DECIMALS_RANGE, INPUTS, Check, Column
from kpixl.core.display import format_value
from kpixl.core.entry_checks import entry_problems
from kpixl.core.models import Frequency, Indicator, Polarity, Problem, Report, Severity, YtdMethod
from kpixl.core.periods import add_months, month_year_label, period_label
from kpixl.core.rules import available, effective_polarity, parse_polarity

STALE_MONTHS = 3
"""A monthly indicator with no value in this many months up to the reporting month is stale."""
STALE_QUARTERS = 2
"""Quarterly, six-monthly and annual indicators: this many of their periods."""
_STALE_AFTER = {
    Frequency.MONTHLY: (STALE_MONTHS, "months"),
    Frequency.QUARTERLY: (STALE_QUARTERS, "quarters"),
    Frequency.SIX_MONTHLY: (STALE_QUARTERS, "half-years"),
    Frequency.ANNUAL: (STALE_QUARTERS, "years"),
}
_STALE_WORDS = "no value in the last"
_BEFORE_WORDS = "is before the first period column"
PERCENT_LIMIT = 1.5
"""A % value above 150% was almost certainly typed as a whole number (65 for 65%)."""


def _error(
    message: str, ref: str | None, field: Column | None = None, period: date | None = None
) -> Problem:
    return Problem(severity=Severity.ERROR, message=message, ref=ref, field=field, period=period)


def _warning(
    message: str, ref: str | None, field: Column | None = None, period: date | None = None
) -> Problem:
    return Problem(severity=Severity.WARNING, message=message, ref=ref, field=field, period=period)


def _where(field: Column, period: date | None) -> str:
    return f"the {period_label(period)} value" if period is not None else f"the {field}"


def text_in_number_problem(
    ref: str | None, field: Column, text: str, period: date | None = None
) -> Problem:
    return _error(
        f"{ref or 'This row'}: {_where(field, period)} is the text {text!r}, but a number belongs "
        "there. Type the number, or * if it is not available.",
        ref,
        field,
        period,
    )


def error_value_problem(
    ref: str | None, field: Column, code: str, period: date | None = None
) -> Problem:
    return _error(
        f"{ref or 'This row'}: {_where(field, period)} is the error {code}, so it cannot be "
        "used. Correct the formula or the cells it uses, or type * if it is not available.",
        ref,
        field,
        period,
    )


def decimals_problem(ref: str | None, text: str) -> Problem:
    low, high = DECIMALS_RANGE
    return _error(
        f"{ref or 'This row'}: Decimals is {text!r}, but it must be a whole number from {low} "
        f"to {high}. Correct it or leave it blank.",
        ref,
        Column.DECIMALS,
    )


def not_finite_problem(
    ref: str | None, field: Column, value: float, period: date | None = None
) -> Problem:
    return _error(
        f"{ref or 'This row'}: {_where(field, period)} is {value}, which is not a usable number.",
        ref,
        field,
        period,
    )


def unknown_choice_problem(
    ref: str | None, field: Column, text: str, choices: Iterable[str]
) -> Problem:
    return _error(
        f"{ref or 'This row'}: {field} {text!r} is not one kpixl knows; use one of "
        f"{', '.join(choices)}.",
        ref,
        field,
    )


def formula_without_value_problem(
    ref: str | None, field: Column, period: date | None = None
) -> Problem:
    return _error(
        f"{ref or 'This row'}: {_where(field, period)} is a formula whose result was never "
        "saved. Open the workbook in Excel, let it calculate, save it and run kpixl again.",
        ref,
        field,
        period,
    )


def duplicate_ref_problem(ref: str) -> Problem:
    return _error(
        f"{ref}: this Ref is used by more than one indicator. Each indicator needs its own Ref.",
        ref,
        Column.REF,
    )


def missing_ref_problem(description: str) -> Problem:
    return _error(
        f"The indicator {description!r} has no Ref, so it cannot be rated or listed. Give it one.",
        None,
        Column.REF,
    )


def tolerance_problem(ref: str | None, value: float) -> Problem | None:
    """A Tolerance (or, without a Ref, the Amber tolerance setting) that is not a fraction
    from 0 to 1; None when it is usable."""
    if math.isfinite(value) and 0 <= value <= 1:
        return None
    what = f"{ref}: the Tolerance" if ref else "The Amber tolerance setting"
    advice = f" For {value:g}% type {value:g}% (or {value / 100:g})." if 1 < value <= 100 else ""
    return _error(
        f"{what} is {value:g}, but a tolerance is a fraction of the Target from 0 to 1 "
        f"(10% = 0.1).{advice}",
        ref,
        Column.TOLERANCE,
    )


def check_indicator(
    indicator: Indicator,
    reporting_month: date,
    fy_start_month: int = 4,
    *,
    amber_tolerance: float | None = None,
) -> list[Problem]:
    """Every problem that one indicator's own figures show (``amber_tolerance``: the setting)."""
    problems: list[Problem] = []
    problems += _non_finite(indicator)
    problems += _percent_as_whole_number(indicator)
    problems += _thresholds(indicator, amber_tolerance)
    problems += _tolerance(indicator)
    problems += _staleness(indicator, reporting_month, fy_start_month)
    problems += entry_problems(indicator, reporting_month, fy_start_month)
    return problems


def check_report(report: Report) -> list[Problem]:
    """Problems of the whole set: duplicate refs and Ratio refs, then each indicator's own."""
    refs = Counter(indicator.ref for indicator in report.indicators)
    problems = [duplicate_ref_problem(ref) for ref, count in refs.items() if count > 1]
    setting = report.amber_tolerance
    if setting is not None and (problem := tolerance_problem(None, setting)) is not None:
        problems.append(problem)
    for indicator in report.indicators:
        problems += _ratio_refs(indicator, refs)
        problems += check_indicator(
            indicator,
            report.reporting_month,
            report.fy_start_month,
            amber_tolerance=report.amber_tolerance,
        )
    return problems


def check_period_coverage(
    periods: Sequence[date], reporting_month: date, sheet: str
) -> list[Problem]:
    """The reporting month must fall within (or just after) a sheet's period columns."""
    if not periods:
        return [
            Problem(
                severity=Severity.ERROR,
                sheet=sheet,
                message=f"Sheet {sheet!r} has no period columns (headers such as Apr-23 or a "
                "date), so there is nothing to rate.",
            )
        ]
    first, last = min(periods), max(periods)
    label = month_year_label(reporting_month)
    if reporting_month < first:
        return [
            Problem(
                severity=Severity.ERROR,
                sheet=sheet,
                message=f"The reporting month ({label}) {_BEFORE_WORDS} of sheet "
                f"{sheet!r} ({period_label(first)}). Check the Reporting month setting.",
            )
        ]
    if reporting_month > add_months(last, 3):
        return [
            Problem(
                severity=Severity.WARNING,
                sheet=sheet,
                message=f"The reporting month ({label}) is after the last period column of sheet "
                f"{sheet!r} ({period_label(last)}). Add columns for the new months.",
            )
        ]
    return []


_CHECKED = {
    check: [c for c in (Column.VALUE, *INPUTS) if check in c.spec.checks] for check in Check
}
"""Per check, the columns it applies to: the period values first, then the table's order."""


def _numbers(indicator: Indicator, check: Check) -> list[tuple[Column, date | None, float]]:
    """The numbers of ``indicator`` that ``check`` applies to (see ``ColumnSpec.checks``)."""
    found: list[tuple[Column, date | None, float]] = []
    for column in _CHECKED[check]:
        if column is Column.VALUE:
            found += [(column, p, v) for p, v in indicator.values.items() if v is not None]
        elif isinstance(value := getattr(indicator, column.spec.attribute), float):
            found.append((column, None, value))
    return found


def is_stale_problem(problem: Problem) -> bool:
    """A "no value in the last N months" warning (see ``_staleness``)."""
    return problem.field is Column.VALUE and _STALE_WORDS in problem.message


def is_before_periods_problem(problem: Problem) -> bool:
    """A sheet whose period columns all come after the reporting month."""
    return _BEFORE_WORDS in problem.message


def _non_finite(indicator: Indicator) -> list[Problem]:
    return [
        not_finite_problem(indicator.ref, field, value, period)
        for field, period, value in _numbers(indicator, Check.FINITE)
        if not math.isfinite(value)
    ]


def _percent_as_whole_number(indicator: Indicator) -> list[Problem]:
    if not indicator.is_percent:
        return []
    problems: list[Problem] = []
    for field, period, value in _numbers(indicator, Check.PERCENT):
        if math.isfinite(value) and abs(value) > PERCENT_LIMIT:
            shown = f"{value:g}"
            problems.append(
                _error(
                    f"{indicator.ref}: {_where(field, period)} is {shown}, which would be "
                    f"{format_value(value, '%')}. For a % indicator type {shown}% (or "
                    f"{value / 100:g}).",
                    indicator.ref,
                    field,
                    period,
                )
            )
    return problems


def usable_tolerance(value: float | None) -> bool:
    """Whether ``value`` is a tolerance kpixl can rate with (a fraction from 0 to 1)."""
    return value is not None and tolerance_problem(None, value) is None


def _tolerance(indicator: Indicator) -> list[Problem]:
    """An unusable Tolerance; a Tolerance beside a Floor, which wins (SPEC 8.4)."""
    if indicator.tolerance is None or not math.isfinite(indicator.tolerance):
        return []  # a non-finite one is reported by the table's FINITE check
    problem = tolerance_problem(indicator.ref, indicator.tolerance)
    if problem is not None:
        return [problem]
    if indicator.is_kpi and indicator.floor is not None:
        return [
            _warning(
                f"{indicator.ref}: this KPI has both a Floor Standard and a Tolerance; it is "
                "rated against the Floor and the Tolerance is not used. Clear one of them.",
                indicator.ref,
                Column.TOLERANCE,
            )
        ]
    return []


def _thresholds(indicator: Indicator, amber_tolerance: float | None = None) -> list[Problem]:
    ref, target, floor = indicator.ref, indicator.target, indicator.floor
    problems: list[Problem] = []
    tolerated = usable_tolerance(indicator.tolerance) or usable_tolerance(amber_tolerance)
    if indicator.is_kpi and target is None:
        problems.append(
            _error(
                f"{ref}: this KPI has no Target, so it cannot be given a RAG rating.",
                ref,
                Column.TARGET,
            )
        )
    elif indicator.is_kpi and floor is None and not tolerated and not indicator.no_floor:
        problems.append(
            _warning(
                f"{ref}: this KPI has no Floor Standard, so it is GREEN when the Target is met "
                "and RED otherwise (never AMBER). If that is intended, type None as its Floor.",
                ref,
                Column.FLOOR,
            )
        )
    if target is not None and floor is not None and math.isfinite(target) and math.isfinite(floor):
        implied = effective_polarity(target, floor)
        given = parse_polarity(indicator.polarity)
        if implied is None and given is None:
            problems.append(
                _error(
                    f"{ref}: Target and Floor are both {format_value(target, indicator.unit)}, so "
                    "kpixl cannot tell whether higher or lower is better. Fill in Polarity "
                    "(Higher or Lower).",
                    ref,
                    Column.POLARITY,
                )
            )
        elif given is not None and implied is not None and given is not implied:
            better = "higher" if given is Polarity.HIGHER else "lower"
            problems.append(
                _error(
                    f"{ref}: Polarity says {better} is better, but the Target "
                    f"({format_value(target, indicator.unit)}) is on the wrong side of the Floor "
                    f"({format_value(floor, indicator.unit)}). Correct one of them.",
                    ref,
                    Column.POLARITY,
                )
            )
    upper, lower = indicator.upper, indicator.lower
    if upper is not None and lower is not None and upper < lower:
        problems.append(
            _error(
                f"{ref}: the Upper threshold ({format_value(upper, indicator.unit)}) is below the "
                f"Lower threshold ({format_value(lower, indicator.unit)}). Swap them.",
                ref,
                Column.UPPER,
            )
        )
    return problems


def _ratio_refs(indicator: Indicator, refs: Counter[str]) -> list[Problem]:
    if indicator.ytd_method is not YtdMethod.RATIO:
        return []
    problems: list[Problem] = []
    for field, other in (
        (Column.NUMERATOR, indicator.numerator),
        (Column.DENOMINATOR, indicator.denominator),
    ):
        if not other:
            problems.append(
                _error(
                    f"{indicator.ref}: YTD method is Ratio but no {field} Ref is given.",
                    indicator.ref,
                    field,
                )
            )
        elif other not in refs:
            problems.append(
                _error(
                    f"{indicator.ref}: the {field} Ref {other!r} is not an indicator in this "
                    "workbook.",
                    indicator.ref,
                    field,
                )
            )
    return problems


def _staleness(indicator: Indicator, reporting_month: date, fy_start_month: int) -> list[Problem]:
    found = available(indicator.values, reporting_month, indicator.frequency, fy_start_month)
    count, unit = _STALE_AFTER[indicator.frequency]
    since = add_months(reporting_month, -count * indicator.frequency.months + 1)
    if any(period >= since for period, _ in found):
        return []
    if found:
        last = f"the last one is {period_label(found[-1][0])}"
    else:
        last = "it has none at all"
    return [
        _warning(
            f"{indicator.ref}: {_STALE_WORDS} {count} {unit} up to "
            f"{month_year_label(reporting_month)}; {last}.",
            indicator.ref,
            Column.VALUE,
        )
    ]
