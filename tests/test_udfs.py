"""The worksheet functions: reference examples, every kind of cell Excel hands over, shapes,
agreement with the core rules, and signatures that match their one source in udf_specs."""

from __future__ import annotations

import inspect
import keyword
import logging
import math
import os
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpixl import (
    Indicator,
    IndicatorType,
    YtdMethod,
    evaluate,
    load_sample,
    rag,
    range_alert,
    udfs,
)
from kpixl.core.rules import (
    effective_polarity,
    parse_polarity,
    ytd,
)
from kpixl.udf_specs import CATEGORY, MODULE, SPECS, UdfSpec
from kpixl.udfs import KPI_ALERT, KPI_DOT, KPI_LATEST, KPI_RAG, KPI_YTD

ROOT = Path(__file__).resolve().parents[1]
OCT = date(2023, 10, 1)
SAMPLE = load_sample()
EVALUATION = evaluate(SAMPLE)
ROWS = [i for i in SAMPLE.indicators if i.values]  # quarterly rows too, with their frequency


def row_of(indicator: Indicator) -> tuple[list[datetime], list[float | str]]:
    """An indicator's periods as Excel dates and its values as cells ("*" not available)."""
    periods = sorted(indicator.values)
    values = [indicator.values[p] for p in periods]
    cells: list[float | str] = ["*" if v is None else v for v in values]
    return [datetime(p.year, p.month, 1) for p in periods], cells


# --- reference examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "floor", "expected"),
    [
        (0.9, 0.9, 0.85, "GREEN"),
        (0.85, 0.90, 0.85, "AMBER"),  # FN11 YTD at the Floor
        (0.43, 0.30, 0.35, "RED"),  # FN06: lower is better, inferred
        (1.00, 1.00, 0.90, "GREEN"),  # FN12 at the Target
        (0.036, 0.05, 0.10, "GREEN"),  # PI01
    ],
)
def test_kpi_rag_reference(value: float, target: float, floor: float, expected: str) -> None:
    assert expected == KPI_RAG(value, target, floor)


@pytest.mark.parametrize(
    ("value", "lower", "upper", "expected"),
    [
        (1040, 840, 1040, "Yes"),  # GL02b YTD at the Upper
        (258260, 243000, 292000, "Yes"),  # CS08
        (93, 80, 90, "Above"),  # HR12
        (79.0, 80, 90, "Below"),
    ],
)
def test_kpi_alert_reference(value: float, lower: float, upper: float, expected: str) -> None:
    assert expected == KPI_ALERT(value, lower, upper)


# --- every kind of cell ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "N/A"),
        ("", "N/A"),
        ("*", "N/A"),
        ("n/a", "N/A"),
        (" N/A ", "N/A"),
        ("-", "N/A"),
        ("#N/A", "#KPI: the value is the error #N/A, so it cannot be used."),  # never hidden
        (-2146826246, "#KPI: the value is the error #N/A, so it cannot be used."),  # pywin32
        ("#DIV/0!", "#KPI: the value is the error #DIV/0!, so it cannot be used."),
        (-2146826281, "#KPI: the value is the error #DIV/0!, so it cannot be used."),
        (
            "#KPI: floor missing",
            "#KPI: the value is the error #KPI: floor missing, so it cannot be used.",
        ),
        ("abc", "#KPI: the value is the text 'abc', but a number belongs there."),
        ("Oct-23", "#KPI: the value is the text 'Oct-23', but a number belongs there."),
        ("Mr. Smith", "#KPI: the value is the text 'Mr. Smith', but a number belongs there."),
        (True, "#KPI: the value is the text 'TRUE', but a number belongs there."),
        (math.nan, "#KPI: the value is nan, which is not a usable number."),
        (math.inf, "#KPI: the value is inf, which is not a usable number."),
        (
            datetime(2023, 10, 1),
            "#KPI: the value is the text '01/10/2023', but a number belongs there.",
        ),
        (1, "GREEN"),
        (0.95, "GREEN"),
        ("65%", "RED"),  # text numbers read as the sheet reads them
        (" 0.95 ", "GREEN"),
        ("87.5%", "AMBER"),
        ("1,234", "GREEN"),
        ("£5", "GREEN"),
    ],
)
def test_kpi_rag_value_cells(value: object, expected: str) -> None:
    assert expected == KPI_RAG(value, 0.9, 0.85)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0.9, None, 0.85), "#KPI: this KPI has no Target, so it cannot be given a RAG rating."),
        ((None, None, 0.85), "#KPI: this KPI has no Target, so it cannot be given a RAG rating."),
        ((0.9, "*", 0.85), "#KPI: this KPI has no Target, so it cannot be given a RAG rating."),
        ((0.9, "#N/A", 0.85), "#KPI: the Target is the error #N/A, so it cannot be used."),
        (
            (0.9, "ninety", 0.85),
            "#KPI: the Target is the text 'ninety', but a number belongs there.",
        ),
        ((0.9, 0.9, "#REF!"), "#KPI: the Floor is the error #REF!, so it cannot be used."),
        ((0.9, math.inf, 0.85), "#KPI: the Target is inf, which is not a usable number."),
        ((0.9, 0.9, math.nan), "#KPI: the Floor is nan, which is not a usable number."),
        ((0.8, 0.9, None), "RED"),  # no Floor: GREEN when the Target is met, otherwise RED
        ((0.9, 0.9, None), "GREEN"),
        (
            (0.9, 0.9, 0.9),
            "#KPI: Target and Floor are both 0.9, so kpixl cannot tell whether "
            "higher or lower is better.",
        ),
        ((0.9, 0.9, 0.9, "Higher"), "GREEN"),
        ((0.32, 0.30, 0.35, "lower"), "AMBER"),
        (
            (0.9, 0.9, 0.85, "sideways"),
            "#KPI: Polarity 'sideways' is not one kpixl knows; use one of Higher, Lower.",
        ),
        (
            (0.9, 0.9, 0.85, 1.0),
            "#KPI: Polarity '1' is not one kpixl knows; use one of Higher, Lower.",
        ),
        (
            (512, 400, 550, "Higher"),
            "#KPI: Polarity says higher is better, but the Target (400) "
            "is on the wrong side of the Floor (550).",
        ),
        ((76, 0.85, 0.75, None, None, "%"), "#KPI: the value is 76, which would be 7,600%."),
        ((0.76, 85, 0.75, None, None, "%"), "#KPI: the Target is 85, which would be 8,500%."),
        ((0.76, 0.85, 0.75, None, None, "%"), "AMBER"),
        ((0.8951, 0.90, 0.85), "AMBER"),
        ((0.8951, 0.90, 0.85, None, 0, "%"), "GREEN"),  # 89.51% shows as 90%
        ((0.8951, 0.90, 0.85, None, 0), "GREEN"),  # without %, 0 decimals rounds to 1
        (
            (0.8951, 0.90, 0.85, None, 11),
            "#KPI: Decimals is '11', but it must be a whole number from 0 to 10.",
        ),
        (
            (0.8951, 0.90, 0.85, None, "two"),
            "#KPI: Decimals is 'two', but it must be a whole number from 0 to 10.",
        ),
        ((0.8951, 0.90, 0.85, None, "0"), "GREEN"),
    ],
)
def test_kpi_rag_thresholds(args: tuple[Any, ...], expected: str) -> None:
    assert expected == KPI_RAG(*args)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((None, 840, 1040), "N/A"),
        (("*", 840, 1040), "N/A"),
        (("lots", 840, 1040), "#KPI: the value is the text 'lots', but a number belongs there."),
        ((900, None, None), "N/A"),  # as the sheet: no thresholds, no alert
        ((900, 1040, 840), "#KPI: the Upper threshold (840) is below the Lower threshold (1,040)."),
        ((0.5, 0.4, 60, "%"), "#KPI: the Upper is 60, which would be 6,000%."),
        (("55%", 0.4, 0.6, "%"), "Yes"),
        ((2000, 840, None), "Yes"),  # one threshold bounds one side only
        ((800, 840, None), "Below"),
        ((2000, None, 1040), "Above"),
        ((900, "#VALUE!", 1040), "#KPI: the Lower is the error #VALUE!, so it cannot be used."),
    ],
)
def test_kpi_alert_cells(args: tuple[Any, ...], expected: str) -> None:
    assert expected == KPI_ALERT(*args)


# --- shapes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "floor", "expected"),
    [
        ([0.9, 0.8, None], 0.9, 0.85, ["GREEN", "RED", "N/A"]),
        ([[0.9], [0.86], ["*"]], 0.9, 0.85, [["GREEN"], ["AMBER"], ["N/A"]]),
        ([[0.9, 0.8], [0.86, 1]], 0.9, 0.85, [["GREEN", "RED"], ["AMBER", "GREEN"]]),
        ([[0.9], [0.32]], [[0.9], [0.30]], [[0.85], [0.35]], [["GREEN"], ["AMBER"]]),
        ([[0.9]], 0.9, 0.85, [["GREEN"]]),  # how xlwings hands over one cell (ndim=2)
        (0.9, [[0.9], [0.95]], 0.85, [["GREEN"], ["AMBER"]]),  # a scalar value broadcasts too
        (
            [[0.9], ["x"], [0.8]],
            0.9,
            0.85,
            [["GREEN"], ["#KPI: the value is the text 'x', but a number belongs there."], ["RED"]],
        ),
    ],
)
def test_kpi_rag_keeps_the_shape(value: Any, target: Any, floor: Any, expected: Any) -> None:
    assert expected == KPI_RAG(value, target, floor)


@pytest.mark.parametrize(
    ("value", "target"),
    [
        ([[0.9], [0.8]], [[0.9], [0.9], [0.9]]),
        ([[0.9], [0.8]], [[0.9, 0.9]]),
        ([0.9, 0.8], [[0.9], [0.9]]),  # a 1-D list is a row, as xlwings writes it
    ],
)
def test_ranges_of_different_sizes(value: Any, target: Any) -> None:
    assert "#KPI: ranges differ in size" == KPI_RAG(value, target, 0.85)
    assert "#KPI: ranges differ in size" == KPI_ALERT(value, target, 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([], "#KPI: a range is empty"),
        ([[0.9], [0.8, 0.7]], "#KPI: a range has rows of different lengths"),
        ([[0.9], 0.8], "#KPI: a range has rows of different lengths"),
    ],
)
def test_malformed_ranges(value: Any, expected: str) -> None:
    assert expected == KPI_RAG(value, 0.9, 0.85)


def test_ten_thousand_rows_in_one_call() -> None:
    values = [[i / 10_000] for i in range(10_000)]
    expected = [[str(rag(v, 0.9, 0.85))] for [v] in values]
    assert expected == KPI_RAG(values, 0.9, 0.85)


@pytest.mark.parametrize(
    ("function", "args", "expected"),
    [
        (KPI_RAG, ([[0.9]], [[0.9]], [[0.85]], [[None]], [[None]], [[None]]), [["GREEN"]]),
        (KPI_ALERT, ([[900]], [[None]], [[1040]]), [["Yes"]]),
        (KPI_YTD, ([[10, 20]], [["Sum"]], *[[[None]]] * 6), [[30]]),
        (KPI_LATEST, ([[10, 20]], [[None]], [[None]]), [[20]]),
        (KPI_DOT, ([[10, 20]], [[None]], [[None]], [[None]]), [["Up"]]),
    ],
)  # fmt: skip
def test_optional_arguments_given_as_blank_cells(
    function: Any, args: tuple[Any, ...], expected: object
) -> None:
    """How xlwings (ndim=2) hands over an optional argument that is an empty cell."""
    assert expected == function(*args)


def test_unexpected_failure_is_text_not_a_traceback_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="kpixl.udfs"):
        got = KPI_LATEST([1], None, None, None, 4, None, "one too many")  # type: ignore[call-arg]
    assert "#KPI: unexpected TypeError" == got
    [record] = caplog.records
    assert "KPI_LATEST failed unexpectedly" == record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is TypeError


def test_a_problem_a_function_reports_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="kpixl.udfs"):
        assert KPI_RAG("x", 0.9, 0.85).startswith("#KPI: ")
    assert [] == caplog.records


# --- KPI_LATEST --------------------------------------------------------------------------

JUL_OCT = ["Jul-23", "Aug-23", "Sep-23", "Oct-23"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (([0.74, 0.71, 0.74, "*"],), 0.74),  # CS06a: October is *, September's value
        (([0.74, 0.71, 0.72, "*"], JUL_OCT, "Oct-23"), 0.72),
        (([0.74, 0.71, 0.72, 0.75], JUL_OCT, "Aug-23"), 0.71),
        (([0.74, 0.71, 0.72, 0.75], JUL_OCT, datetime(2023, 9, 17)), 0.72),
        (([0.74, 0.71, 0.72, 0.75], JUL_OCT, 45200.0), 0.75),  # Excel date number 2023-10-01
        (([0.74, None, None, None],), 0.74),
        (([None, "*", "n/a", "-"],), "N/A"),
        (([None, "*", "n/a", "#N/A"],), "#KPI: value 4 is the error #N/A, so it cannot be used."),
        (([0.74, "late"],), "#KPI: value 2 is the text 'late', but a number belongs there."),
        (([0.74, "#DIV/0!"],), "#KPI: value 2 is the error #DIV/0!, so it cannot be used."),
        (
            ([0.74, "late"], ["Sep-23", "Oct-23"]),
            "#KPI: the Oct-23 value is the text 'late', but a number belongs there.",
        ),
        (([0.5, 0.6, 0.9], ["Aug-23", "Sep-23", "Oct-23"], None, "Quarterly"), 0.6),
        (
            ([0.5, 0.6, 0.9], ["Aug-23", "Sep-23", "Oct-23"], None, "Qtr", "Jan"),
            0.6,
        ),  # Sep ends a quarter
        (([0.5, 0.6, 0.9], ["Aug-23", "Sep-23", "Oct-23"], None, "Qtr", "Feb"), 0.9),  # Oct does
        (([0.5, 0.6, 0.9], ["Aug-23", "Sep-23", "Oct-23"], None, None), 0.9),
        (
            ([0.5, 0.6, 0.9], None, None, "Weekly"),
            "#KPI: Frequency 'Weekly' is not one kpixl knows; use one of Monthly, Quarterly, "
            "Six-monthly, Annual.",
        ),
        (([0.5, 65], None, None, None, 4, "%"), "#KPI: value 2 is 65, which would be 6,500%."),
        (([0.5, "65%"], None, None, None, 4, "%"), 0.65),
        (([0.74, 0.75], None, "Oct-23"), "#KPI: reporting_month needs periods"),
        (([0.74, 0.75], ["Sep-23", "Sep-23"]), "#KPI: periods has a month twice"),
        (([0.74, 0.75], ["Sep-23", "Total"]), "#KPI: period 'Total' is not a month"),
        (([0.74, 0.75], ["Sep-23"]), "#KPI: periods must be one row as wide as values"),
        (([0.74, 0.75], ["Sep-23", None]), 0.74),  # a column without a period is skipped
        (
            ([0.74, 0.75], ["Sep-23", "Oct-23"], "Smarch"),
            "#KPI: reporting_month 'Smarch' is not a month",
        ),
        (
            ([0.74, 0.75], ["Sep-23", "Oct-23"], ["Sep-23", "Oct-23"]),
            "#KPI: reporting_month must be one cell",
        ),
    ],
)
def test_kpi_latest(args: tuple[Any, ...], expected: object) -> None:
    assert expected == KPI_LATEST(*args)


def test_kpi_latest_gives_one_result_per_row() -> None:
    rows = [[0.74, 0.71, 0.74, "*"], [1, 2, None, None], [None, None, None, None]]
    assert [[0.74], [2], ["N/A"]] == KPI_LATEST(rows, [JUL_OCT])


def test_kpi_latest_reads_a_vertical_series_with_vertical_periods() -> None:
    assert [[0.72]] == KPI_LATEST([[0.74], [0.71], [0.72], ["*"]], [[p] for p in JUL_OCT])


@pytest.mark.parametrize("indicator", ROWS, ids=lambda i: i.ref)
def test_kpi_latest_matches_the_batch_path(indicator: Indicator) -> None:
    periods, cells = row_of(indicator)
    result = EVALUATION.result(indicator.ref)
    expected = "N/A" if result.latest_value is None else result.latest_value
    frequency, unit = indicator.frequency.value, indicator.unit
    got = KPI_LATEST([cells], [periods], datetime(2023, 10, 31), frequency, 4, unit)
    assert expected == got[0][0]


# --- KPI_YTD -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["Mean", "Sum", "Latest", "Average", "Total", "Cumulative"])
@pytest.mark.parametrize("indicator", ROWS, ids=lambda i: i.ref)
def test_kpi_ytd_on_the_sample_periods(indicator: Indicator, method: str) -> None:
    periods, cells = row_of(indicator)
    chosen = {"Average": "Mean", "Total": "Sum", "Cumulative": "Latest"}.get(method, method)
    found = ytd(indicator.values, YtdMethod(chosen), OCT, frequency=indicator.frequency)
    got = KPI_YTD(cells, method, periods, "Oct-23", "April", None, None, None, indicator.frequency)
    assert ("N/A" if found is None else found) == got


def _aligned(ref: str | None, periods: list[datetime]) -> list[float | str | None] | None:
    """The value row of the indicator ``ref`` under ``periods``: how a sheet's Ratio Ref reads."""
    other = next((i for i in SAMPLE.indicators if i.ref == ref), None)
    if other is None:
        return None
    found = [other.values.get(p.date(), "") for p in periods]
    return ["*" if v is None else None if v == "" else v for v in found]


@pytest.mark.parametrize("indicator", ROWS, ids=lambda i: i.ref)
def test_kpi_ytd_matches_the_batch_path(indicator: Indicator) -> None:
    periods, cells = row_of(indicator)
    result = EVALUATION.result(indicator.ref)
    method = indicator.ytd_method.value if indicator.ytd_method else None
    expected = "N/A" if result.ytd_value is None else result.ytd_value
    numerator = _aligned(indicator.numerator, periods)
    denominator = _aligned(indicator.denominator, periods)
    frequency, unit = indicator.frequency.value, indicator.unit
    got = KPI_YTD(
        cells,
        method,
        periods,
        OCT,
        4,
        indicator.ytd_entered,
        numerator,
        denominator,
        frequency,
        unit,
    )
    assert expected == got


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (([0.5, 0.6, 0.7], "Mean"), pytest.approx(0.6)),
        (([0.5, "*", 0.7, None], "mean"), pytest.approx(0.6)),
        (([10, 20, 30], "Sum"), 60),
        (([10, 20, 30], "Latest"), 30),
        (([10, 20, 30], "None"), "N/A"),
        (([10, 20, 30], None), "N/A"),  # blank method, nothing entered
        (([10, 20, 30], None, None, None, 4, 55), 55),  # blank method, an entered YTD
        (([10, 20, 30], "Entered", None, None, 4, 55), 55),
        (([10, 20, 30], "Entered", None, None, 4, "*"), "N/A"),
        (
            ([10, 20, 30], "Entered", None, None, 4, "lots"),
            "#KPI: the YTD is the text 'lots', but a number belongs there.",
        ),
        (([None, None], "Ratio", None, None, 4, None, [1, 2], [4, 4]), 0.375),
        (([None, None], "Ratio", None, None, 4, None, [1, 2], [0, 0]), "N/A"),
        (([None, None], "Ratio"), "#KPI: YTD method is Ratio but no Numerator Ref is given."),
        (
            ([None, None], "Ratio", None, None, 4, None, [1, 2, 3], [4, 4, 4]),
            "#KPI: numerator must be the same size as values",
        ),
        (
            ([None, None], "Ratio", None, None, 4, None, [1, "x"], [4, 4]),
            "#KPI: Numerator: value 2 is the text 'x', but a number belongs there.",
        ),
        (([10, 20], "Average"), 15),
        (([10, 20], "Total"), 30),
        (([10, 20], "Cumulative"), 20),
        (
            ([10, 20], "Bogus"),
            "#KPI: YTD method 'Bogus' is not one kpixl knows; use one of Mean, Sum, Latest, "
            "Ratio, Entered, None.",
        ),
        (([10, 20], "Sum", None, None, "April"), 30),
        (([10, 20, 30, 40], "Sum", None, None, 4, None, None, None, "Quarterly"), 0 + 30),
        (
            ([10, 20], "Sum", None, None, 4, 120, None, None, None, "%"),
            "#KPI: the YTD is 120, which would be 12,000%.",
        ),
        (([1] * 13, "Sum"), "#KPI: more than 12 values: give the periods"),
        (
            ([10, 20], "Sum", None, None, 13),
            "#KPI: fy_start_month must be a month: 1 to 12 or its name",
        ),
        (([10, 20], "Sum", None, None, None), 30),  # a blank fy_start_month is April
    ],
)
def test_kpi_ytd(args: tuple[Any, ...], expected: object) -> None:
    assert expected == KPI_YTD(*args)


def test_kpi_ytd_counts_this_financial_year_only() -> None:
    periods = [date(2023, m, 1) for m in range(1, 11)]  # Jan-23 .. Oct-23
    values = list(range(1, 11))
    assert sum(range(4, 11)) == KPI_YTD(values, "Sum", periods, "Oct-23")
    assert sum(range(1, 11)) == KPI_YTD(values, "Sum", periods, "Oct-23", 1)


def test_kpi_ytd_gives_one_result_per_row_with_a_method_per_row() -> None:
    rows = [[10, 20, 30], [1, 2, 3], [5, None, None]]
    methods = [["Sum"], ["Mean"], ["Bogus"]]
    bogus = "YTD method 'Bogus' is not one kpixl knows; use one of Mean, Sum, Latest, Ratio, "
    expected = [[60], [2], [f"#KPI: {bogus}Entered, None."]]
    assert expected == KPI_YTD(rows, methods)
    assert "#KPI: method needs one cell, or one per row of values" == KPI_YTD(rows, [["Sum"]] * 2)


# --- KPI_DOT -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (([1, 2],), "Up"),
        (([2, 1],), "Down"),
        (([2, 2.0],), "No change"),
        (([2, 1], "Lower"), "Improving"),
        (([2, 1], "Higher"), "Worsening"),
        (([0.71, 0.74, "*"], "Higher"), "Improving"),  # CS06a: Sep against Aug
        (([1],), "N/A"),
        (
            ([1, 2], "Up-ish and down"),
            "#KPI: Polarity 'Up-ish and down' is not one kpixl knows; use one of Higher, Lower.",
        ),
        (([1, 2, 3], None, JUL_OCT[:3], "Sep-23", "Quarterly"), "N/A"),  # one quarter end only
        (([1, 2, 3, 4], None, None, None, "Quarterly", 1), "N/A"),  # Jan-Apr: March only
        (([1, 2, 3, 4, 5, 6], None, None, None, "Quarterly", 1), "Up"),  # March, June
        (([1, 2, 3], None, JUL_OCT[:3], "Aug-23"), "Up"),
    ],
)
def test_kpi_dot(args: tuple[Any, ...], expected: str) -> None:
    assert expected == KPI_DOT(*args)


def test_kpi_dot_takes_a_polarity_per_row() -> None:
    assert [["Improving"], ["Worsening"]] == KPI_DOT([[1, 2], [1, 2]], [["Higher"], ["Lower"]])


@pytest.mark.parametrize("indicator", ROWS, ids=lambda i: i.ref)
def test_kpi_dot_matches_the_batch_path(indicator: Indicator) -> None:
    periods, cells = row_of(indicator)
    polarity = None
    if indicator.type is IndicatorType.KPI:
        polarity = effective_polarity(indicator.target, indicator.floor, indicator.polarity)
    direction = EVALUATION.result(indicator.ref).direction
    expected = "N/A" if direction is None else direction.value
    polarity_text = None if polarity is None else polarity.value
    frequency = indicator.frequency.value
    assert expected == KPI_DOT(cells, polarity_text, periods, "Oct-23", frequency)


# --- whole columns in one call, over generated inputs -----------------------------------
# (every kind of cell, against the sheet path itself: tests/test_udf_agreement.py)

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9)
maybe = st.one_of(st.none(), finite)
polarities = st.sampled_from([None, "Higher", "Lower"])


@given(st.lists(st.tuples(maybe, finite, maybe, polarities), min_size=1, max_size=30))
def test_kpi_rag_rates_a_column_by_the_core_rule(
    rows: list[tuple[float | None, float, float | None, Any]],
) -> None:
    got = KPI_RAG(*[[[row[i]] for row in rows] for i in range(4)])
    for (value, target, floor, polarity), [cell] in zip(rows, got, strict=True):
        given_polarity = parse_polarity(polarity)
        implied = None if floor is None else effective_polarity(target, floor)
        refused = (floor is not None and implied is None and given_polarity is None) or (
            None not in (implied, given_polarity) and implied is not given_polarity
        )
        expected = rag(value, target, floor, polarity)
        if refused:  # Target = Floor without a polarity, or a contradicting polarity
            assert cell.startswith("#KPI: ")
        elif value is None:
            assert "N/A" == cell
        else:
            assert expected is not None and expected.value == cell


@given(st.lists(st.tuples(finite, maybe, maybe), min_size=1, max_size=30))
def test_kpi_alert_checks_a_column_by_the_core_rule(
    rows: list[tuple[float, float | None, float | None]],
) -> None:
    got = KPI_ALERT(*[[row[i] for row in rows] for i in range(3)])
    for (value, lower, upper), cell in zip(rows, got, strict=True):
        expected = range_alert(value, lower, upper)
        if lower is not None and upper is not None and upper < lower:
            assert cell.startswith("#KPI: the Upper threshold")
        else:
            assert ("N/A" if expected is None else expected.value) == cell


# --- one source for the signatures -------------------------------------------------------

VBA_RESERVED = {
    "and", "as", "boolean", "byref", "byte", "byval", "call", "case", "const", "currency",
    "date", "declare", "dim", "do", "double", "each", "else", "elseif", "empty", "end", "enum",
    "erase", "error", "event", "exit", "false", "for", "function", "get", "global", "gosub",
    "goto", "if", "implements", "in", "integer", "is", "let", "like", "long", "loop", "lset",
    "me", "mod", "new", "next", "not", "nothing", "null", "on", "option", "optional", "or",
    "paramarray", "preserve", "private", "public", "raiseevent", "redim", "rem", "resume",
    "return", "rset", "select", "set", "single", "static", "step", "stop", "string", "sub",
    "then", "to", "true", "type", "typeof", "until", "variant", "wend", "while", "with",
    "withevents", "xor", "failed",
}  # fmt: skip


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_python_signature_is_the_spec(spec: UdfSpec) -> None:
    function = getattr(udfs, spec.python_name)
    parameters = list(inspect.signature(function).parameters.values())
    assert [a.name for a in spec.args] == [p.name for p in parameters]
    assert [a.default if a.optional else None for a in spec.args] == [
        None if p.default is inspect.Parameter.empty else repr(p.default) for p in parameters
    ]
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters)
    assert spec.description == function.__doc__
    assert spec.name == spec.python_name == function.__name__


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_spec_texts_fit_excel(spec: UdfSpec) -> None:
    assert CATEGORY == spec.category
    assert len(spec.description) <= 255
    for arg in spec.args:
        assert arg.name.isidentifier() and not keyword.iskeyword(arg.name)
        assert arg.name.lower() not in VBA_RESERVED
        assert 0 < len(arg.description) <= 255
    optional = [arg.optional for arg in spec.args]
    assert optional == sorted(optional)  # required arguments come first


def test_specs_cover_every_worksheet_function() -> None:
    assert {s.python_name for s in SPECS} == {n for n in udfs.__all__ if n.startswith("KPI_")}
    assert "kpixl.udfs" == MODULE == udfs.__name__


_XLWINGS_ON_WINDOWS = """
    import io, sys, types
    # xlwings.udfs imports the Windows COM modules at its top; stand them in so its real
    # decorators and wrapper writer run here, then decorate kpixl.udfs with them.
    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["pythoncom"].CoInitialize = lambda: None
    sys.modules["pywintypes"].com_error = Exception
    sys.modules["win32com.client"].Dispatch = lambda *args: None
    import xlwings, xlwings.udfs as xu
    xlwings.func, xlwings.arg, xlwings.ret = xu.xlfunc, xu.xlarg, xu.xlret
    import kpixl.udfs as module
    from kpixl.udf_specs import SPECS
    for spec in SPECS:
        info = getattr(module, spec.python_name).__xlfunc__
        assert info["name"] == spec.name and info["category"] == spec.category, info
        assert info["ret"]["doc"] == spec.description
        for arg, got in zip(spec.args, info["args"], strict=True):
            assert got["name"] == arg.name and got["doc"] == arg.description, got
            assert ("optional" in got) == arg.optional, got
            assert got["options"]["ndim"] == 2 and got["options"]["err_to_str"], got
    book = types.SimpleNamespace(Name="workbook_template.xlsm")
    out = io.StringIO()
    xu.generate_vba_wrapper("kpixl.udfs", module, out, book)
    print(out.getvalue())
"""


def test_xlwings_reads_the_spec_texts_and_writes_the_wrappers() -> None:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_XLWINGS_ON_WINDOWS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    assert (
        "Function KPI_RAG(value, target, floor, Optional polarity, Optional decimals, "
        "Optional unit, Optional tolerance, Optional targets, Optional ref, Optional period)\n"
        '    #If App = "Microsoft Excel" Then\n'
        "        If TypeOf Application.Caller Is Range Then On Error GoTo failed\n"
        '        KPI_RAG = XLPy.CallUDF("kpixl.udfs", "KPI_RAG", Array(value, target, floor, '
        "polarity, decimals, unit, tolerance, targets, ref, period), ThisWorkbook, "
        "Application.Caller)\n"
    ) in done.stdout
    for spec in SPECS:
        assert f"    {spec.name} = Err.Description\nEnd Function\n" in done.stdout


def test_importing_the_udfs_does_not_import_openpyxl() -> None:
    code = "import sys, kpixl.udfs; print('openpyxl' in sys.modules, 'xlwings' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "False True" == done.stdout.strip()


def test_inside_excel_an_unexpected_failure_goes_to_kpixl_log(tmp_path: Path) -> None:
    """Where nothing configures logging (the UDF server), the traceback lands in ~/kpixl.log."""
    code = "from kpixl.udfs import KPI_LATEST; print(KPI_LATEST([1], None, None, None, 4, None, 0))"
    env = {**os.environ, "HOME": str(tmp_path), "USERPROFILE": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert "#KPI: unexpected TypeError" == done.stdout.strip()
    log = (tmp_path / "kpixl.log").read_text(encoding="utf-8")
    assert "kpixl.udfs KPI_LATEST failed unexpectedly" in log
    assert "TypeError: KPI_LATEST() takes" in log


def test_remembered_answers_keep_equal_cells_of_different_kinds_apart() -> None:
    """Answers are remembered per row of cells (recalculating a column is cheap); 1, 1.0 and
    TRUE are equal in Python but not in a worksheet."""
    assert ["GREEN", "GREEN"] == KPI_RAG([1, 1.0], 1, 0.5)
    text = "#KPI: the value is the text 'TRUE', but a number belongs there."
    assert [text, "GREEN", text] == KPI_RAG([True, 1, True], 1, 0.5)
    assert "#KPI: the value is the text '01/10/2023', but a number belongs there." == KPI_RAG(
        datetime(2023, 10, 1), 1, 0.5
    )


@pytest.mark.parametrize(("floor", "expected"), [("None", "RED"), ("n/a", "GREEN")])
def test_kpi_rag_with_a_floor_typed_none_rates_on_the_target_alone(
    floor: str, expected: str
) -> None:
    value = 0.8 if expected == "RED" else 0.95
    assert expected == KPI_RAG(value, 0.9, floor)
