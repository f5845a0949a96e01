"""The worksheet functions' tolerance and period-specific thresholds (SPEC 8.4), rule by rule:
``KPI_RAG``'s ``tolerance`` argument and ``KPI_TARGET``'s look-up of a Targets-like range."""

from __future__ import annotations

from datetime import datetime

import pytest

from kpixl.udfs import KPI_ALERT, KPI_RAG

TOLERANCE_CASES = [
    # value, target, floor, polarity, tolerance, expected
    (0.81, 0.9, None, None, 0.1, "AMBER"),  # exactly t·(1 − tol)
    (0.80999, 0.9, None, None, 0.1, "RED"),  # just below it
    (0.9, 0.9, None, None, 0.1, "GREEN"),  # at the Target
    (0.85, 0.9, None, None, None, "RED"),  # no tolerance: GREEN or RED
    (0.85, 0.9, None, None, "10%", "AMBER"),  # typed as a percent
    (110, 100, None, "Lower", 0.1, "AMBER"),  # exactly t·(1 + tol), lower is better
    (110.01, 100, None, "Lower", 0.1, "RED"),
    (100, 100, None, "Lower", 0.1, "GREEN"),
    (0.85, 0.9, 0.8, None, 0.01, "AMBER"),  # a Floor wins over the tolerance
    (0.79, 0.9, 0.8, None, 0.5, "RED"),
    (0.85, 0.9, None, None, 0, "RED"),  # a zero tolerance: AMBER only at the Target itself
    (None, 0.9, None, None, 0.1, "N/A"),
]


@pytest.mark.parametrize(
    ("value", "target", "floor", "polarity", "tolerance", "expected"), TOLERANCE_CASES
)
def test_kpi_rag_rates_amber_within_the_tolerance(
    value: object,
    target: float,
    floor: float | None,
    polarity: str | None,
    tolerance: object,
    expected: str,
) -> None:
    assert expected == KPI_RAG(value, target, floor, polarity, None, None, tolerance)


def test_kpi_rag_refuses_a_tolerance_that_is_not_a_fraction() -> None:
    assert KPI_RAG(0.85, 0.9, None, None, None, None, 2) == (
        "#KPI: the Tolerance is 2, but a tolerance is a fraction of the Target from 0 to 1 "
        "(10% = 0.1)."
    )
    assert KPI_RAG(0.85, 0.9, None, None, None, None, "abc") == (
        "#KPI: the Tolerance is the text 'abc', but a number belongs there."
    )


def test_kpi_rag_takes_one_tolerance_per_row() -> None:
    got = KPI_RAG([[0.85], [0.5]], 0.9, None, None, None, None, [[0.1], [0.5]])
    assert [["AMBER"], ["AMBER"]] == got
    assert [["AMBER"], ["RED"]] == KPI_RAG([[0.85], [0.5]], 0.9, None, None, None, None, 0.1)


# A Targets range as Excel hands it over (header row, then rows), with Kent's quarterly
# greenhouse-gas trajectory (tests/core/test_targets.py): lower is better, 10,985 tonnes met
# the Sep-23 target of 11,000 but not the printed Dec-23 target of 10,700.
KENT = [
    ["Ref", "Period", "Target", "Floor", "Upper", "Lower"],
    ["ENV01", datetime(2023, 6, 1), 11_300.0, 12_300.0, None, None],
    ["ENV01", "Sep-23", 11_000.0, 12_000.0, None, None],
    ["OTHER", "Sep-23", 1.0, None, None, None],
]
TARGETS_CASES = [
    # value, period, targets, expected
    (10_985, "Sep-23", KENT, "GREEN"),  # as Kent published it, against Sep-23's own target
    (10_985, "Sep-23", None, "AMBER"),  # the printed target alone cannot reproduce it
    (10_985, datetime(2023, 12, 1), KENT, "AMBER"),  # no row for Dec-23: the printed target
    (11_240, "Jun-23", KENT, "GREEN"),
    (12_250, "Jun-23", KENT, "AMBER"),  # within Jun-23's own Floor of 12,300
    (12_350, "Jun-23", KENT, "RED"),
    (10_985, 45170.0, KENT, "GREEN"),  # the period as a date serial (Sep-23)
]


@pytest.mark.parametrize(("value", "period", "targets", "expected"), TARGETS_CASES)
def test_kpi_rag_rates_against_the_targets_row_of_its_period(
    value: float, period: object, targets: object, expected: str
) -> None:
    args = (value, 10_700, 11_700, "Lower", None, None, None)
    assert expected == KPI_RAG(*args, targets, "ENV01", period)


def test_kpi_rag_rates_a_row_of_periods_each_against_its_own_target() -> None:
    values = [[11_240, 10_985, 10_790]]
    periods = [["Jun-23", "Sep-23", "Dec-23"]]
    got = KPI_RAG(values, 10_700, 11_700, "Lower", None, None, None, KENT, "ENV01", periods)
    assert [["GREEN", "GREEN", "AMBER"]] == got


@pytest.mark.parametrize(
    ("rows", "ref", "period", "expected"),
    [
        (
            [["ENV01", "Sep-23", 11_000.0], ["ENV01", "Sep-23", 10_900.0]],
            "ENV01",
            "Sep-23",
            "#KPI: Targets: ENV01 has more than one row for Sep-23, so none of them is used.",
        ),
        (
            [["ENV01", "Sep-23", "lots"]],
            "ENV01",
            "Sep-23",
            "#KPI: Targets: ENV01: the Target is the text 'lots', but a number belongs there.",
        ),
        (
            [["ENV01", "Sep-23", 13_000.0]],  # a Target above the row's Floor: lower is better
            "ENV01",
            "Sep-23",
            "#KPI: Targets: ENV01 in Sep-23: the Target (13,000) and the Floor (11,700) do not say "
            "the same way is better as the indicator row, so this row is not used.",
        ),
        ([["ENV01", "Sep-23", "lots"]], "ENV01", "Jun-23", "RED"),  # another period's row: unused
        ([["ENV01", "Sep-23", 11_000.0]], None, "Sep-23", "#KPI: ref is blank"),
        ([["ENV01", "Sep-23", 11_000.0]], "ENV01", None, "#KPI: period is blank"),
        ([["ENV01", "Sep-23", 11_000.0]], "ENV01", "soon", "#KPI: period 'soon' is not a month"),
    ],
)
def test_kpi_rag_gives_the_problem_the_sheet_reports_for_its_targets_row(
    rows: list[list[object]], ref: object, period: object, expected: str
) -> None:
    targets = [["Ref", "Period", "Target"], *rows]
    got = KPI_RAG(12_000, 10_700, 11_700, None, None, None, None, targets, ref, period)
    assert isinstance(got, str) and got.startswith(expected)


def test_a_targets_range_needs_its_header_row() -> None:
    got = KPI_RAG(
        0.9, 0.9, 0.8, None, None, None, None, [["ENV01", "Sep-23", 1]], "ENV01", "Sep-23"
    )
    assert got.startswith("#KPI: targets needs a header row with Ref and Period")


ACTIVITY = [
    ["Ref", "Period", "Upper", "Lower"],
    ["A1", "Oct-23", 200, 100],
    ["A1", "Nov-23", 120, None],  # the Lower stays the row's
]


@pytest.mark.parametrize(
    ("value", "period", "expected"),
    [
        (150, "Oct-23", "Yes"),  # inside October's own range
        (150, "Sep-23", "Above"),  # no row: the row's 10 to 20
        (15, "Oct-23", "Below"),
        (121, "Nov-23", "Above"),
        (5, "Nov-23", "Below"),  # the row's Lower of 10
        (None, "Oct-23", "N/A"),
    ],
)
def test_kpi_alert_checks_against_the_targets_row_of_its_period(
    value: object, period: str, expected: str
) -> None:
    assert expected == KPI_ALERT(value, 10, 20, None, ACTIVITY, "A1", period)


def test_kpi_alert_gives_the_problem_of_its_targets_row() -> None:
    swapped = [["Ref", "Period", "Upper", "Lower"], ["A1", "Oct-23", 100, 200]]
    got = KPI_ALERT(150, 10, 20, None, swapped, "A1", "Oct-23")
    assert got == (
        "#KPI: Targets: A1 in Oct-23: the Upper threshold (100) is below the Lower threshold "
        "(200), so this row is not used."
    )
