"""Rate a whole report: run the checks, set aside what they reject, apply the rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kpixl.core.checks import check_report
from kpixl.core.columns import Column, Kind
from kpixl.core.models import (
    Assurance,
    Direction,
    Evaluation,
    Indicator,
    IndicatorType,
    Problem,
    Rag,
    Report,
    Result,
    Severity,
    Thresholds,
    ThresholdTimeline,
    Variation,
    YtdMethod,
)
from kpixl.core.rules import (
    effective_polarity,
    latest,
    rag,
    range_alert,
    resolve_ytd_method,
    ytd,
    ytd_periods,
)
from kpixl.core.spc import spc_for
from kpixl.core.targets import thresholds_for, tolerance_for
from kpixl.core.trend import direction_for


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
    *,
    timeline: ThresholdTimeline | None = None,
) -> Result:
    """The computed columns of one indicator (``others`` resolves Ratio refs).

    ``timeline`` (default: the report's for this Ref) gives period-specific thresholds: the
    Latest RAG uses those of the latest rated period, the YTD RAG those of the last period with
    a value that the YTD includes, the alert those of the value it is based on (SPEC 8.4).
    """
    month, fy = report.reporting_month, report.fy_start_month
    if timeline is None:
        timeline = report.targets.get(indicator.ref)
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
    included = ytd_periods(
        indicator.values,
        indicator.ytd_method,
        month,
        frequency=indicator.frequency,
        fy_start_month=fy,
        entered=indicator.ytd_entered,
        numerator=numerator,
        denominator=denominator,
    )
    at_latest = thresholds_for(indicator, timeline, period)
    at_ytd = thresholds_for(indicator, timeline, included[-1] if included else None)
    if indicator.type is IndicatorType.KPI:
        # The indicator row's polarity holds in every period; only without one do a period's
        # own Target and Floor say which way is better.
        polarity = effective_polarity(indicator.target, indicator.floor, indicator.polarity)
        polarity = polarity or effective_polarity(
            at_latest.target, at_latest.floor, indicator.polarity
        )
        tolerance = tolerance_for(indicator, report.amber_tolerance)

        def rate(x: float | None, thresholds: Thresholds) -> Rag | None:
            return rag(
                x,
                thresholds.target,
                thresholds.floor,
                polarity or indicator.polarity,
                decimals=indicator.decimals,
                percent=indicator.is_percent,
                tolerance=tolerance,
            )

        return Result(
            ref=indicator.ref,
            latest_period=period,
            latest_value=value,
            latest_rag=rate(value, at_latest),
            ytd_value=ytd_value,
            ytd_rag=rate(ytd_value, at_ytd),
            latest_thresholds=at_latest,
            ytd_thresholds=at_ytd,
            **_trend_and_variation(indicator, report, at_latest.target),
            problems=problems,
        )
    has_ytd = resolve_ytd_method(indicator.ytd_method, indicator.ytd_entered) is not YtdMethod.NONE
    on_ytd = has_ytd and ytd_value is not None
    basis, used = (ytd_value, at_ytd) if on_ytd else (value, at_latest)
    return Result(
        ref=indicator.ref,
        latest_period=period,
        latest_value=value,
        ytd_value=ytd_value,
        alert=range_alert(basis, used.lower, used.upper),
        alert_basis=basis,
        latest_thresholds=at_latest,
        ytd_thresholds=at_ytd,
        alert_thresholds=used,
        **_trend_and_variation(indicator, report, None),
        problems=problems,
    )


def _trend_and_variation(
    indicator: Indicator, report: Report, target: float | None
) -> dict[str, Direction | Variation | Assurance | None]:
    """Direction of travel by the report's method (SPEC 8.1), and with SPC on, the latest
    point's Variation and the Assurance against ``target`` (the latest period's; SPEC 8.2)."""
    month, fy = report.reporting_month, report.fy_start_month
    found: dict[str, Direction | Variation | Assurance | None] = {
        "direction": direction_for(indicator, month, fy, report.trend)
    }
    if report.spc is not None:
        control = spc_for(indicator, month, fy, report.spc, target=target)
        if control is not None:
            found["variation"] = control.variation
            found["assurance"] = control.assurance
    return found


def _without_rejected(indicator: Indicator, problems: list[Problem]) -> Indicator:
    """Drop the values and numbers (thresholds, YTD) that an error-level check rejected."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    # Only a rejected value drops its period (a Targets row's problem names a period too).
    bad_periods = {p.period for p in errors if p.period is not None and p.field is Column.VALUE}
    bad_fields = {
        p.field.spec.attribute
        for p in errors
        if p.period is None and p.field is not None and p.field.spec.kind is Kind.NUMBER
    }
    if not bad_periods and not bad_fields:
        return indicator
    values = {k: v for k, v in indicator.values.items() if k not in bad_periods}
    return indicator.model_copy(update={"values": values, **dict.fromkeys(bad_fields)})
