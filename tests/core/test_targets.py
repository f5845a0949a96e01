"""Period-specific thresholds (SPEC 8.4): the thresholds for a period, which period each rating
takes them from, and the problems of a Targets sheet."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpixl.core.evaluate import evaluate, rate_indicator
from kpixl.core.models import (
    Alert,
    Frequency,
    Indicator,
    IndicatorType,
    Polarity,
    Rag,
    Report,
    Severity,
    Thresholds,
    ThresholdTimeline,
    YtdMethod,
)
from kpixl.core.periods import months
from kpixl.core.rules import latest, rag, range_alert, ytd
from kpixl.core.targets import TargetRow, read_targets, thresholds_for

SEP, OCT = date(2023, 9, 1), date(2023, 10, 1)
ROW = Indicator(ref="CT1", target=0.9, floor=0.8, upper=200.0, lower=100.0)


def _timeline(by_period: dict[date, Thresholds] | None = None) -> ThresholdTimeline:
    return ThresholdTimeline(by_period=by_period or {})


@pytest.mark.parametrize(
    ("timeline", "period", "expected"),
    [
        (None, OCT, Thresholds(target=0.9, floor=0.8, upper=200, lower=100)),
        (_timeline(), OCT, Thresholds(target=0.9, floor=0.8, upper=200, lower=100)),
        # a row sets only what it gives; the rest comes from the indicator row
        (
            _timeline({date(2023, 10, 1): Thresholds(target=0.5)}),
            OCT,
            Thresholds(target=0.5, floor=0.8, upper=200, lower=100),
        ),
        (
            _timeline({date(2023, 10, 1): Thresholds(target=0.5, floor=0.4, upper=9, lower=1)}),
            OCT,
            Thresholds(target=0.5, floor=0.4, upper=9, lower=1),
        ),
        # another period, or no period, uses the indicator row
        (
            _timeline({date(2023, 10, 1): Thresholds(target=0.5)}),
            SEP,
            Thresholds(target=0.9, floor=0.8, upper=200, lower=100),
        ),
        (
            _timeline({date(2023, 10, 1): Thresholds(target=0.5)}),
            None,
            Thresholds(target=0.9, floor=0.8, upper=200, lower=100),
        ),
    ],
)
def test_thresholds_for_period(
    timeline: ThresholdTimeline | None, period: date | None, expected: Thresholds
) -> None:
    assert expected == thresholds_for(ROW, timeline, period)


# Council Tax collection, cumulative, profiled to climb month by month (YTD method Latest).
PROFILE = _timeline(
    {
        date(2023, 8, 1): Thresholds(target=0.55, floor=0.53),
        date(2023, 9, 1): Thresholds(target=0.64, floor=0.62),
        date(2023, 10, 1): Thresholds(target=0.73, floor=0.71),
    }
)
COUNCIL_TAX = Indicator(
    ref="CT1", target=0.97, floor=0.95, ytd_method=YtdMethod.LATEST, unit="%",
    values={date(2023, 8, 1): 0.56, SEP: 0.645},
)  # fmt: skip


@pytest.mark.parametrize(
    ("october", "latest_rag", "ytd_rag", "why"),
    [
        (0.735, Rag.GREEN, Rag.GREEN, "Oct has a value: October's profile (73%)"),
        (0.72, Rag.AMBER, Rag.AMBER, "between October's floor and target"),
        (None, Rag.GREEN, Rag.GREEN, "Oct is *: September's value against September's 64%"),
        ("blank", Rag.GREEN, Rag.GREEN, "Oct is blank: September's value and profile"),
    ],
)
def test_a_trajectory_that_changes_at_the_reporting_month(
    october: float | str | None, latest_rag: Rag, ytd_rag: Rag, why: str
) -> None:
    values = dict(COUNCIL_TAX.values)
    if october != "blank":
        values[OCT] = october  # type: ignore[assignment]
    indicator = COUNCIL_TAX.model_copy(update={"values": values})
    report = Report(reporting_month=OCT, indicators=(indicator,), targets={"CT1": PROFILE})
    result = evaluate(report).result("CT1")
    assert (latest_rag, ytd_rag) == (result.latest_rag, result.ytd_rag), why
    # against the year-end target on the indicator row every month would be RED
    assert Rag.RED == rag(result.latest_value, 0.97, 0.95)


def test_a_ytd_whose_last_period_has_no_value_uses_the_last_period_it_includes() -> None:
    # Monthly mean; the October row raises the target, but October's value is not available,
    # so the YTD (Apr-Sep) is rated against September's thresholds, as is the Latest RAG.
    values: dict[date, float | None] = {m: 0.86 for m in months(date(2023, 4, 1), SEP)}
    values[OCT] = None
    indicator = Indicator(ref="K1", target=0.9, floor=0.8, ytd_method=YtdMethod.MEAN, values=values)
    timeline = _timeline(
        {
            date(2023, 9, 1): Thresholds(target=0.85, floor=0.8),
            date(2023, 10, 1): Thresholds(target=0.95),
        }
    )
    result = rate_indicator(indicator, Report(reporting_month=OCT), timeline=timeline)
    assert (SEP, Rag.GREEN, Rag.GREEN) == (result.latest_period, result.latest_rag, result.ytd_rag)
    assert Thresholds(target=0.85, floor=0.8) == result.ytd_thresholds
    without = rate_indicator(indicator, Report(reporting_month=OCT))
    assert (Rag.AMBER, Rag.AMBER) == (without.latest_rag, without.ytd_rag)


def test_ratio_ytd_uses_the_last_period_with_numerator_and_denominator() -> None:
    num = Indicator(ref="N", type=IndicatorType.ACTIVITY, values={SEP: 45.0, OCT: 50.0})
    den = Indicator(ref="D", type=IndicatorType.ACTIVITY, values={SEP: 50.0})
    kpi = Indicator(
        ref="R1", target=0.95, floor=0.85, ytd_method=YtdMethod.RATIO, numerator="N",
        denominator="D", values={SEP: 0.9, OCT: 0.95},
    )  # fmt: skip
    timeline = _timeline(
        {date(2023, 9, 1): Thresholds(target=0.9), date(2023, 10, 1): Thresholds(target=0.99)}
    )
    result = rate_indicator(
        kpi, Report(reporting_month=OCT), {"N": num, "D": den}, timeline=timeline
    )
    # October has no denominator, so the ratio (45/50) is September's, against September's 90%;
    # the Latest RAG is October's 95% against October's 99%.
    assert (0.9, Rag.GREEN) == (result.ytd_value, result.ytd_rag)
    assert (OCT, Rag.AMBER) == (result.latest_period, result.latest_rag)


@pytest.mark.parametrize(
    ("ytd_method", "expected"),
    [
        (YtdMethod.SUM, Alert.YES),  # YTD 300 (Sep + Oct) against October's 50-320
        (None, Alert.ABOVE),  # no YTD: the latest value 150 against Oct's 50-120
    ],
)
def test_alerts_use_the_thresholds_of_the_value_they_rate(
    ytd_method: YtdMethod | None, expected: Alert
) -> None:
    activity = Indicator(
        ref="A1", type=IndicatorType.ACTIVITY, upper=200.0, lower=100.0, ytd_method=ytd_method,
        values={SEP: 150.0, OCT: 150.0},
    )  # fmt: skip
    timeline = _timeline({date(2023, 10, 1): Thresholds(upper=320.0, lower=50.0)})
    if ytd_method is None:
        timeline = _timeline({date(2023, 10, 1): Thresholds(upper=120.0, lower=50.0)})
    result = rate_indicator(activity, Report(reporting_month=OCT), timeline=timeline)
    assert expected == result.alert


# Kent's Quarterly Performance Report rates a greenhouse-gas KPI (tonnes CO2e, lower is better)
# against a falling quarterly trajectory: the previous quarter's 10,985 tonnes was published
# GREEN against that quarter's own target, and the latest quarter is rated against the target
# printed on the indicator row. 10,985 is Kent's published figure; the other values, targets
# and floors below are ours, built to be consistent with that statement (10,985 meets the
# Sep-23 target of 11,000 but not the printed Dec-23 target of 10,700).
KENT_GHG = Indicator(
    ref="ENV01",
    description="Greenhouse gas emissions from KCC estate (tonnes CO2e)",
    frequency=Frequency.QUARTERLY,
    polarity=Polarity.LOWER,
    target=10_700.0,
    floor=11_700.0,
    values={date(2023, 6, 1): 11_240.0, SEP: 10_985.0, date(2023, 12, 1): 10_790.0},
)
KENT_TRAJECTORY = _timeline(
    {
        date(2023, 6, 1): Thresholds(target=11_300.0, floor=12_300.0),
        date(2023, 9, 1): Thresholds(target=11_000.0, floor=12_000.0),
    }
)


@pytest.mark.parametrize(
    ("reporting_month", "targets", "expected"),
    [
        (date(2023, 9, 1), {"ENV01": KENT_TRAJECTORY}, Rag.GREEN),  # as published in Q2
        (date(2023, 9, 1), {}, Rag.AMBER),  # the printed target alone cannot reproduce it
        (date(2023, 12, 1), {"ENV01": KENT_TRAJECTORY}, Rag.AMBER),  # 10,790 against 10,700
        (date(2023, 6, 1), {"ENV01": KENT_TRAJECTORY}, Rag.GREEN),
    ],
)
def test_kent_greenhouse_gas_trajectory(
    reporting_month: date, targets: dict[str, ThresholdTimeline], expected: Rag
) -> None:
    report = Report(reporting_month=reporting_month, indicators=(KENT_GHG,), targets=targets)
    assert expected == evaluate(report).result("ENV01").latest_rag


def test_kent_latest_thresholds_in_force_are_the_printed_ones() -> None:
    report = Report(
        reporting_month=date(2023, 12, 1),
        indicators=(KENT_GHG,),
        targets={"ENV01": KENT_TRAJECTORY},
    )
    result = evaluate(report).result("ENV01")
    assert Thresholds(target=10_700, floor=11_700) == result.latest_thresholds


# -- the Targets sheet's problems ------------------------------------------------------------

QUARTERLY = Indicator(ref="Q1", frequency=Frequency.QUARTERLY, target=1.0, floor=0.5)
MONTHLY = Indicator(ref="M1", target=1.0, floor=0.5)
PERCENT = Indicator(ref="P1", target=0.95, floor=0.9, unit="%")
ACTIVITY = Indicator(ref="A1", type=IndicatorType.ACTIVITY, upper=20.0, lower=10.0)
INDICATORS = [QUARTERLY, MONTHLY, PERCENT, ACTIVITY]
COLUMNS = {"Q1": set(months(date(2023, 4, 1), date(2024, 3, 1))), "M1": {SEP, OCT}}


def _row(ref: str, period: date, target: float | None = 2.0) -> TargetRow:
    return TargetRow(ref=ref, period=period, thresholds=Thresholds(target=target))


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([_row("M1", OCT)], []),
        ([_row("XX", OCT)], [(0, Severity.ERROR, "Ref", "'XX' is not the Ref of any")]),
        (
            [_row("M1", OCT), _row("M1", OCT, 3.0)],
            [
                (0, Severity.ERROR, None, "more than one row for Oct-23"),
                (1, Severity.ERROR, None, "more than one row for Oct-23"),
            ],
        ),
        ([_row("M1", date(2023, 11, 1))], [(0, Severity.ERROR, None, "no period column")]),
        ([_row("Q1", OCT)], [(0, Severity.ERROR, None, "not a quarter-end month")]),
        ([_row("Q1", date(2023, 12, 1))], []),
        ([_row("M1", SEP, None)], [(0, Severity.WARNING, None, "changes nothing")]),
        # M1 is higher-is-better by its row (Target 1 over Floor 0.5): a Target of 0.4 under
        # that Floor would silently turn it lower-is-better for October
        ([_row("M1", OCT, 0.4)], [(0, Severity.ERROR, "Target", "do not say the same way")]),
        ([_row("P1", OCT, 90.0)], [(0, Severity.ERROR, "Target", "type 90% (or 0.9)")]),
        ([_row("M1", OCT, float("inf"))], [(0, Severity.ERROR, "Target", "not a usable")]),
        (
            [TargetRow("A1", OCT, Thresholds(upper=5.0))],
            [(0, Severity.ERROR, "Upper", "below the Lower threshold")],
        ),
    ],
)
def test_targets_problems(
    rows: list[TargetRow], expected: list[tuple[int, Severity, str | None, str]]
) -> None:
    read = read_targets(rows, INDICATORS, 4, COLUMNS)
    found = [(i, p.severity, p.field, p.message) for i, p in read.problems]
    assert [e[:3] for e in expected] == [f[:3] for f in found]
    assert all(e[3] in f[3] for e, f in zip(expected, found, strict=True))


def test_rows_with_errors_are_left_out_of_the_timelines() -> None:
    rows = [_row("M1", SEP, 5.0), _row("M1", OCT), _row("M1", OCT), _row("XX", OCT)]
    read = read_targets(rows, [QUARTERLY, MONTHLY], 4, COLUMNS)
    assert {"M1": ThresholdTimeline(by_period={SEP: Thresholds(target=5.0)})} == read.timelines


def test_a_targets_problem_does_not_reject_the_indicators_value() -> None:
    rows = [_row("M1", OCT), _row("M1", OCT)]
    problems = [p for _, p in read_targets(rows, [MONTHLY], 4, COLUMNS).problems]
    indicator = MONTHLY.model_copy(update={"values": {OCT: 0.7}})
    evaluation = evaluate(Report(reporting_month=OCT, indicators=(indicator,)), problems)
    assert (0.7, Rag.AMBER) == (
        evaluation.result("M1").latest_value,
        evaluation.result("M1").latest_rag,
    )


# -- with no timelines and no tolerance, every rating is today's (SPEC 2) --------------------

_values = st.dictionaries(
    st.sampled_from(list(months(date(2022, 10, 1), date(2023, 11, 1)))),
    st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
    max_size=14,
)
_threshold = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(
    values=_values,
    target=_threshold,
    floor=_threshold,
    upper=_threshold,
    lower=_threshold,
    polarity=st.sampled_from([None, Polarity.HIGHER, Polarity.LOWER]),
    frequency=st.sampled_from(list(Frequency)),
    kind=st.sampled_from(list(IndicatorType)),
    method=st.sampled_from([None, YtdMethod.MEAN, YtdMethod.SUM, YtdMethod.LATEST]),
    decimals=st.one_of(st.none(), st.integers(0, 3)),
    repeated=st.sets(st.sampled_from(list(months(date(2022, 10, 1), date(2023, 11, 1))))),
)
def test_without_timelines_or_tolerance_every_rating_is_spec_2(
    values: dict[date, float | None],
    target: float | None,
    floor: float | None,
    upper: float | None,
    lower: float | None,
    polarity: Polarity | None,
    frequency: Frequency,
    kind: IndicatorType,
    method: YtdMethod | None,
    decimals: int | None,
    repeated: set[date],
) -> None:
    indicator = Indicator(
        ref="P1", type=kind, frequency=frequency, polarity=polarity, target=target, floor=floor,
        upper=upper, lower=lower, ytd_method=method, decimals=decimals, values=values,
    )  # fmt: skip
    report = Report(reporting_month=OCT, indicators=(indicator,))
    result = rate_indicator(indicator, report)
    found = latest(values, OCT, frequency)
    value = found[1] if found else None
    ytd_value = ytd(values, method, OCT, frequency=frequency)
    if kind is IndicatorType.KPI:
        expected = (
            rag(value, target, floor, polarity, decimals=decimals),
            rag(ytd_value, target, floor, polarity, decimals=decimals),
        )
        assert expected == (result.latest_rag, result.ytd_rag)
    else:
        basis = ytd_value if method is not None and ytd_value is not None else value
        assert range_alert(basis, lower, upper) == result.alert
    # a timeline that repeats the indicator row changes nothing either
    same = ThresholdTimeline(by_period=dict.fromkeys(repeated, indicator.thresholds))
    assert result == rate_indicator(indicator, report, timeline=same)
