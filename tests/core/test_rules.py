"""The rating rules: boundaries and polarity from the reference report, and their properties."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpixl import Alert, Polarity, Rag, YtdMethod, evaluate, load_sample, rag, range_alert
from kpixl.core.models import Direction, Frequency
from kpixl.core.rules import direction_of_travel, latest, round_half_up, ytd

OCT = date(2023, 10, 1)


@pytest.mark.parametrize(
    ("value", "target", "floor", "polarity", "expected"),
    [
        (0.85, 0.90, 0.85, None, Rag.AMBER),  # FN11 YTD at the Floor
        (1.00, 1.00, 0.90, None, Rag.GREEN),  # FN12 at the Target
        (0.43, 0.30, 0.35, None, Rag.RED),  # FN06: lower is better, inferred
        (0.30, 0.30, 0.35, None, Rag.GREEN),
        (0.35, 0.30, 0.35, None, Rag.AMBER),
        (0.036, 0.05, 0.10, None, Rag.GREEN),  # PI01
        (0.036, 0.05, 0.10, "lower", Rag.GREEN),
        (0.94, 0.95, 0.90, None, Rag.AMBER),  # ICT02
        (0.8499, 0.90, 0.85, None, Rag.RED),
        (0.5, 0.5, 0.5, "Higher", Rag.GREEN),
        (0.49, 0.5, 0.5, "Higher", Rag.RED),
        (0.1 + 0.2, 0.3, 0.2, None, Rag.GREEN),  # floating-point noise is equality
    ],
)
def test_rag(
    value: float, target: float, floor: float, polarity: str | None, expected: Rag
) -> None:
    assert expected == rag(value, target, floor, polarity)


def test_rag_labels_are_exact() -> None:
    assert ["GREEN", "AMBER", "RED"] == [r.value for r in Rag]
    assert "GREEN" == rag(1, 1, 0.5)


def test_target_only_is_green_or_red() -> None:
    assert Rag.GREEN == rag(0.9, 0.9, None)
    assert Rag.RED == rag(0.89, 0.9, None)
    assert Rag.GREEN == rag(0.05, 0.06, None, Polarity.LOWER)


@pytest.mark.parametrize(
    ("value", "target", "floor"), [(None, 0.9, 0.8), (0.9, None, 0.8), (0.9, 0.9, 0.9)]
)
def test_no_rating(value: float | None, target: float | None, floor: float | None) -> None:
    assert rag(value, target, floor) is None


def test_decimals_round_half_up_in_displayed_units() -> None:
    assert 0.86 == round_half_up(0.855, 0, percent=True)
    assert 2.5 == round_half_up(2.45, 1)
    assert Rag.AMBER == rag(0.8496, 0.90, 0.85, decimals=0, percent=True)  # 85% shown
    assert Rag.RED == rag(0.8496, 0.90, 0.85)


@pytest.mark.parametrize(
    ("value", "lower", "upper", "expected"),
    [
        (1040, 840, 1040, Alert.YES),  # GL02b at Upper
        (302, 240, 300, Alert.ABOVE),  # GL03b
        (4471, 4810, 5810, Alert.BELOW),  # CS12
        (840, 840, 1040, Alert.YES),
        (93, None, 90, Alert.ABOVE),
        (93, 95, None, Alert.BELOW),
        (93, None, None, None),
        (None, 1, 2, None),
        (5, 10, 1, None),  # Upper < Lower is a data problem, not an alert
    ],
)
def test_range_alert(
    value: float | None, lower: float | None, upper: float | None, expected: Alert | None
) -> None:
    assert expected == range_alert(value, lower, upper)


def test_latest_skips_not_available_and_later_months() -> None:
    values = {date(2023, 9, 1): 0.74, OCT: None, date(2023, 11, 1): 0.9}
    assert (date(2023, 9, 1), 0.74) == latest(values, OCT)  # CS06a: October is *


def test_quarterly_counts_quarter_ends_only() -> None:
    values = {date(2023, 6, 1): 0.58, date(2023, 9, 1): 0.63, OCT: 0.99}
    assert (date(2023, 9, 1), 0.63) == latest(values, OCT, Frequency.QUARTERLY)


def test_zero_is_a_value() -> None:
    assert (date(2023, 9, 1), 0.0) == latest({date(2023, 9, 1): 0.0}, OCT)


VALUES = {
    date(2023, 3, 1): 100.0,
    date(2023, 4, 1): 1.0,
    date(2023, 5, 1): 2.0,
    date(2023, 6, 1): None,
    date(2023, 7, 1): 6.0,
    date(2023, 11, 1): 50.0,
}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (YtdMethod.MEAN, 3.0),
        (YtdMethod.SUM, 9.0),
        (YtdMethod.LATEST, 6.0),
        (YtdMethod.NONE, None),
        (YtdMethod.ENTERED, 7.5),
        (None, 7.5),
    ],
)
def test_ytd_methods_use_this_financial_year_only(
    method: YtdMethod | None, expected: float | None
) -> None:
    assert expected == ytd(VALUES, method, OCT, entered=7.5)


def test_blank_method_without_entered_ytd_is_none() -> None:
    assert ytd(VALUES, None, OCT) is None


def test_ratio_ytd_sums_numerator_over_denominator() -> None:
    numerator = {date(2023, 4, 1): 9.0, date(2023, 5, 1): 18.0, date(2023, 6, 1): 5.0}
    denominator = {date(2023, 4, 1): 10.0, date(2023, 5, 1): 20.0}
    assert 27 / 30 == ytd({}, YtdMethod.RATIO, OCT, numerator=numerator, denominator=denominator)
    assert (
        ytd({}, YtdMethod.RATIO, OCT, numerator=numerator, denominator={date(2023, 4, 1): 0.0})
        is None
    )


def test_quarterly_ytd_mean_uses_quarter_ends() -> None:
    values = {date(2023, 6, 1): 0.58, date(2023, 7, 1): 0.1, date(2023, 9, 1): 0.63}
    assert math.isclose(0.605, ytd(values, YtdMethod.MEAN, OCT, frequency=Frequency.QUARTERLY) or 0)


def test_fn06_and_pi01_ytd_are_not_available() -> None:
    evaluation = evaluate(load_sample())
    for ref in ("FN06", "PI01"):
        assert (None, None) == (evaluation.result(ref).ytd_value, evaluation.result(ref).ytd_rag)


def test_cs06a_month_rag_is_september() -> None:
    result = evaluate(load_sample()).result("CS06a")
    assert (date(2023, 9, 1), 0.74, Rag.GREEN) == (
        result.latest_period,
        result.latest_value,
        result.latest_rag,
    )


@pytest.mark.parametrize(
    ("previous", "current", "polarity", "expected"),
    [
        (0.24, 0.43, Polarity.LOWER, Direction.WORSENING),
        (0.24, 0.43, Polarity.HIGHER, Direction.IMPROVING),
        (0.5, 0.5, Polarity.HIGHER, Direction.NO_CHANGE),
        (3.0, 1.0, None, Direction.DOWN),
    ],
)
def test_direction_of_travel(
    previous: float, current: float, polarity: Polarity | None, expected: Direction
) -> None:
    values = {date(2023, 8, 1): previous, date(2023, 9, 1): None, OCT: current}
    assert expected == direction_of_travel(values, OCT, polarity)


# ---- properties -------------------------------------------------------------------------

ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)
FINITE = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}


@given(FINITE, FINITE, FINITE, FINITE)
def test_rag_is_monotone_in_the_value(a: float, b: float, target: float, floor: float) -> None:
    low, high = sorted((a, b))
    polarity = Polarity.HIGHER if target >= floor else Polarity.LOWER
    r_low, r_high = rag(low, target, floor, polarity), rag(high, target, floor, polarity)
    assert r_low is not None and r_high is not None
    if polarity is Polarity.HIGHER:
        assert ORDER[r_low] <= ORDER[r_high]
    else:
        assert ORDER[r_low] >= ORDER[r_high]


@given(FINITE, FINITE, FINITE)
def test_rag_mirrors_when_polarity_flips(value: float, target: float, floor: float) -> None:
    higher = rag(value, target, floor, Polarity.HIGHER)
    lower = rag(-value, -target, -floor, Polarity.LOWER)
    assert higher == lower


@given(
    ANY_FLOAT,
    ANY_FLOAT,
    st.one_of(st.none(), ANY_FLOAT),
    st.sampled_from([None, "Higher", "Lower", "x"]),
)
def test_rag_never_raises_and_never_rates_non_finite(
    value: float, target: float, floor: float | None, polarity: str | None
) -> None:
    result = rag(value, target, floor, polarity)
    if not all(math.isfinite(x) for x in (value, target, *([] if floor is None else [floor]))):
        assert result is None


@given(FINITE, FINITE)
def test_missing_value_is_never_rated(target: float, floor: float) -> None:
    assert rag(None, target, floor) is None


@given(ANY_FLOAT, st.one_of(st.none(), ANY_FLOAT), st.one_of(st.none(), ANY_FLOAT))
def test_range_alert_never_raises(value: float, lower: float | None, upper: float | None) -> None:
    result = range_alert(value, lower, upper)
    if not math.isfinite(value):
        assert result is None


@given(FINITE, FINITE, FINITE)
def test_range_alert_is_consistent_with_thresholds(value: float, a: float, b: float) -> None:
    lower, upper = sorted((a, b))

    def near(x: float, y: float) -> bool:  # floating-point noise counts as on the boundary
        return math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12)

    expected = Alert.YES
    if value < lower and not near(value, lower):
        expected = Alert.BELOW
    elif value > upper and not near(value, upper):
        expected = Alert.ABOVE
    assert expected == range_alert(value, lower, upper)
