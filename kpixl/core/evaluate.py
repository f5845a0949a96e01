"""Rate a whole report: run the checks, set aside what they reject, apply the rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kpixl.core.checks import check_report
from kpixl.core.columns import Kind
from kpixl.core.models import (
    Evaluation,
    Indicator,
    IndicatorType,
    Problem,
    Rag,
    Report,
    Result,
    Severity,
    YtdMethod,
)
from kpixl.core.rules import (
    direction_of_travel,
    effective_polarity,
    latest,
    parse_polarity,
    rag,
    range_alert,
    resolve_ytd_method,
    ytd,
)


def evaluate(report: Report, extra_problems: Iterable[Problem] = ()) -> Evaluation:
    """Rate every indicator of ``report``; ``extra_problems`` come from reading the workbook."""
    problems = [*extra_problems, *check_report(report)]
    by_ref: defaultdict[str | None, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_ref[problem.ref].append(problem)
    cleaned = [
        _without_rejected(indicator, by_ref[indicator.ref]) for indicator in report.indicators
    ]
    first_by_ref: dict[str, Indicator] = {}
    for indicator in cleaned:
        first_by_ref.setdefault(indicator.ref, indicator)
    results = tuple(
        rate_indicator(indicator, report, first_by_ref, tuple(by_ref[indicator.ref]))
        for indicator in cleaned
    )
    return Evaluation(report=report, results=results, problems=tuple(problems))


def rate_indicator(
    indicator: Indicator,
    report: Report,
    others: dict[str, Indicator] | None = None,
    problems: tuple[Problem, ...] = (),
) -> Result:
    """The computed columns of one indicator (``others`` resolves Ratio refs)."""
    month, fy = report.reporting_month, report.fy_start_month
    found = latest(indicator.values, month, indicator.frequency, fy)
    period, value = found if found else (None, None)
    numerator = denominator = None
    if others is not None:
        if indicator.numerator in others:
            numerator = others[indicator.numerator].values
        if indicator.denominator in others:
            denominator = others[indicator.denominator].values
    ytd_value = ytd(
        indicator.values,
        indicator.ytd_method,
        month,
        frequency=indicator.frequency,
        fy_start_month=fy,
        entered=indicator.ytd_entered,
        numerator=numerator,
        denominator=denominator,
    )
    if indicator.type is IndicatorType.KPI:
        polarity = effective_polarity(indicator.target, indicator.floor, indicator.polarity)

        def rate(x: float | None) -> Rag | None:
            return rag(
                x,
                indicator.target,
                indicator.floor,
                indicator.polarity,
                decimals=indicator.decimals,
                percent=indicator.is_percent,
            )

        return Result(
            ref=indicator.ref,
            latest_period=period,
            latest_value=value,
            latest_rag=rate(value),
            ytd_value=ytd_value,
            ytd_rag=rate(ytd_value),
            direction=direction_of_travel(
                indicator.values, month, polarity, indicator.frequency, fy
            ),
            problems=problems,
        )
    has_ytd = resolve_ytd_method(indicator.ytd_method, indicator.ytd_entered) is not YtdMethod.NONE
    basis = ytd_value if has_ytd and ytd_value is not None else value
    return Result(
        ref=indicator.ref,
        latest_period=period,
        latest_value=value,
        ytd_value=ytd_value,
        alert=range_alert(basis, indicator.lower, indicator.upper),
        alert_basis=basis,
        direction=direction_of_travel(
            indicator.values, month, parse_polarity(indicator.polarity), indicator.frequency, fy
        ),
        problems=problems,
    )


def _without_rejected(indicator: Indicator, problems: list[Problem]) -> Indicator:
    """Drop the values and numbers (thresholds, YTD) that an error-level check rejected."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    bad_periods = {p.period for p in errors if p.period is not None}
    bad_fields = {
        p.field.spec.attribute
        for p in errors
        if p.period is None and p.field is not None and p.field.spec.kind is Kind.NUMBER
    }
    if not bad_periods and not bad_fields:
        return indicator
    values = {k: v for k, v in indicator.values.items() if k not in bad_periods}
    return indicator.model_copy(update={"values": values, **dict.fromkeys(bad_fields)})
