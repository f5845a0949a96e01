"""The worksheet functions' tolerance and period-specific thresholds (SPEC 8.4), rule by rule:
``KPI_RAG``'s ``tolerance`` argument and ``KPI_TARGET``'s look-up of a Targets-like range."""

from __future__ import annotations

import pytest

from kpixl.udfs import KPI_RAG

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
