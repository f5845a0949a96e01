"""Each data check, triggered, with the sentence it produces."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kpixl import Indicator, Report, Severity, YtdMethod, evaluate
from kpixl.core.checks import (
    check_period_coverage,
    duplicate_ref_problem,
    formula_without_value_problem,
    text_in_number_problem,
    unknown_choice_problem,
)

OCT = date(2023, 10, 1)
RECENT = {date(2023, 9, 1): 0.8, OCT: 0.82}


def kpi(**fields: Any) -> Indicator:
    base: dict[str, Any] = {
        "ref": "FN07",
        "unit": "%",
        "target": 0.9,
        "floor": 0.85,
        "values": RECENT,
    }
    return Indicator(**{**base, **fields})


def messages(*indicators: Indicator) -> list[str]:
    report = Report(reporting_month=OCT, indicators=indicators)
    return [p.message for p in evaluate(report).problems]


@pytest.mark.parametrize(
    ("indicator", "message"),
    [
        (
            kpi(values={OCT: 65.0}),
            "FN07: the Oct-23 value is 65, which would be 6,500%. "
            "For a % indicator type 65% (or 0.65).",
        ),
        (
            kpi(target=None, floor=None),
            "FN07: this KPI has no Target, so it cannot be given a RAG rating.",
        ),
        (
            kpi(floor=None),
            "FN07: this KPI has no Floor Standard, so it is GREEN when the Target is met and RED "
            "otherwise (never AMBER). If that is intended, type None as its Floor.",
        ),
        (
            kpi(polarity="Lower"),
            "FN07: Polarity says lower is better, but the Target (90%) is on the wrong side of the "
            "Floor (85%). Correct one of them.",
        ),
        (
            kpi(floor=0.9),
            "FN07: Target and Floor are both 90%, so kpixl cannot tell whether higher or lower is "
            "better. Fill in Polarity (Higher or Lower).",
        ),
        (
            kpi(type="Activity", target=None, floor=None, upper=10.0, lower=20.0, unit="Number"),
            "FN07: the Upper threshold (10) is below the Lower threshold (20). Swap them.",
        ),
        (
            kpi(ytd_method=YtdMethod.RATIO, numerator="FN07a"),
            "FN07: the Numerator Ref 'FN07a' is not an indicator in this workbook.",
        ),
        (
            kpi(values={date(2023, 5, 1): 0.9}),
            "FN07: no value in the last 3 months up to Oct 2023; the last one is May-23.",
        ),
        (kpi(values={}), "FN07: no value in the last 3 months up to Oct 2023; it has none at all."),
        (
            kpi(values={**RECENT, date(2023, 8, 1): float("nan")}),
            "FN07: the Aug-23 value is nan, which is not a usable number.",
        ),
    ],
)
def test_check_sentence(indicator: Indicator, message: str) -> None:
    assert message in messages(indicator)


def test_ratio_without_denominator() -> None:
    assert "FN07: YTD method is Ratio but no Denominator Ref is given." in messages(
        kpi(ytd_method=YtdMethod.RATIO, numerator="FN07")
    )


def test_duplicate_ref_is_reported_once_and_both_rows_are_rated() -> None:
    report = Report(reporting_month=OCT, indicators=(kpi(), kpi(values={OCT: 0.95})))
    evaluation = evaluate(report)
    assert [duplicate_ref_problem("FN07")] == list(evaluation.problems)
    assert ["RED", "GREEN"] == [str(r.latest_rag) for r in evaluation.results]


def test_rejected_value_is_not_rated_but_the_row_is() -> None:
    report = Report(
        reporting_month=OCT, indicators=(kpi(values={date(2023, 9, 1): 0.95, OCT: 91.0}),)
    )
    result = evaluate(report).results[0]
    assert (date(2023, 9, 1), "GREEN") == (result.latest_period, str(result.latest_rag))
    assert [Severity.ERROR] == [p.severity for p in result.problems]


def test_rejected_target_gives_no_rating() -> None:
    report = Report(reporting_month=OCT, indicators=(kpi(target=90.0, floor=0.85),))
    assert evaluate(report).results[0].latest_rag is None


def test_reader_sentences() -> None:
    assert (
        "FN07: the Oct-23 value is the text 'sixty', but a number belongs there. Type the number, "
        "or * if it is not available."
        == text_in_number_problem("FN07", "value", "sixty", OCT).message
    )
    assert (
        "FN07: YTD method 'Median' is not one kpixl knows; use one of Mean, Sum."
        == unknown_choice_problem("FN07", "YTD method", "Median", ["Mean", "Sum"]).message
    )
    assert formula_without_value_problem("FN07", "Target").message.startswith(
        "FN07: the Target is a formula whose result was never saved."
    )


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        (
            [],
            "Sheet 'Finance' has no period columns (headers such as Apr-23 or a date), so there "
            "is nothing to rate.",
        ),
        (
            [date(2023, 11, 1)],
            "The reporting month (Oct 2023) is before the first period column "
            "of sheet 'Finance' (Nov-23). Check the Reporting month setting.",
        ),
        (
            [date(2023, 6, 1)],
            "The reporting month (Oct 2023) is after the last period column of "
            "sheet 'Finance' (Jun-23). Add columns for the new months.",
        ),
    ],
)
def test_period_coverage(periods: list[date], message: str) -> None:
    assert [message] == [p.message for p in check_period_coverage(periods, OCT, "Finance")]


def test_period_coverage_allows_a_lagging_sheet() -> None:
    assert [] == check_period_coverage([date(2023, 6, 1), date(2023, 9, 1)], OCT, "Finance")
