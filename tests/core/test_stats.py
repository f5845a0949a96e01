"""Student t and the incomplete beta, against closed forms and published table values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpixl.core.stats import fit_line, regularized_incomplete_beta, student_t_two_sided_p


@pytest.mark.parametrize(
    ("a", "b", "x", "expected"),
    [
        (2.0, 1.0, 0.3, 0.3**2),  # I_x(a, 1) = x^a
        (5.5, 1.0, 0.9, 0.9**5.5),
        (1.0, 3.0, 0.2, 1 - 0.8**3),  # I_x(1, b) = 1 - (1 - x)^b
        (4.0, 4.0, 0.5, 0.5),  # symmetric at one half
        (0.5, 0.5, 0.5, 0.5),
        (0.5, 0.5, 0.25, 2 / math.pi * math.asin(0.5)),  # arcsine distribution
        (3.0, 2.0, 0.0, 0.0),
        (3.0, 2.0, 1.0, 1.0),
    ],
)
def test_incomplete_beta_closed_forms(a: float, b: float, x: float, expected: float) -> None:
    assert expected == pytest.approx(regularized_incomplete_beta(a, b, x), abs=1e-12)


@given(
    st.floats(0.1, 50),
    st.floats(0.1, 50),
    st.floats(0.001, 0.999),
)
def test_incomplete_beta_symmetry(a: float, b: float, x: float) -> None:
    forward = regularized_incomplete_beta(a, b, x)
    assert 0.0 <= forward <= 1.0
    assert 1 - regularized_incomplete_beta(b, a, 1 - x) == pytest.approx(forward, abs=1e-10)


@pytest.mark.parametrize(
    ("t", "df", "p"),
    [
        # two-sided 5% and 1% critical values of Student's t (any statistics table)
        (2.2281388519649385, 10, 0.05),
        (2.7764451051977987, 4, 0.05),
        (12.706204736174698, 1, 0.05),
        (4.302652729749464, 2, 0.05),
        (2.042272456301238, 30, 0.05),
        (3.169272667175838, 10, 0.01),
        (4.604094871415897, 4, 0.01),
    ],
)
def test_t_critical_values(t: float, df: int, p: float) -> None:
    assert p == pytest.approx(student_t_two_sided_p(t, df), abs=1e-9)
    assert p == pytest.approx(student_t_two_sided_p(-t, df), abs=1e-9)


@pytest.mark.parametrize(("t", "df"), [(2.228, 10), (2.776, 4), (2.042, 30)])
def test_three_decimal_table_values(t: float, df: int) -> None:
    """The rounded entries of a printed table land within 1e-4 of 5%."""
    assert 0.05 == pytest.approx(student_t_two_sided_p(t, df), abs=1e-4)


@given(st.floats(-1e6, 1e6))
def test_one_degree_of_freedom_is_cauchy(t: float) -> None:
    expected = 1 - 2 / math.pi * math.atan(abs(t))
    assert expected == pytest.approx(student_t_two_sided_p(t, 1), rel=1e-9, abs=1e-13)


@given(st.floats(-1e4, 1e4))
def test_two_degrees_of_freedom_closed_form(t: float) -> None:
    expected = 1 - abs(t) / math.sqrt(2 + t * t)
    assert expected == pytest.approx(student_t_two_sided_p(t, 2), rel=1e-9, abs=1e-13)


def test_large_df_tends_to_the_normal() -> None:
    assert 0.05 == pytest.approx(student_t_two_sided_p(1.959963984540054, 10**7), abs=1e-6)


def test_extremes() -> None:
    assert 1.0 == student_t_two_sided_p(0.0, 5)
    assert 0.0 == student_t_two_sided_p(math.inf, 5)
    assert student_t_two_sided_p(50.0, 10) < 1e-12


def test_fit_line_by_hand() -> None:
    """x = 0..3, y = 1, 3, 2, 4: slope 0.8, SSE 1.8, t = 0.8 / sqrt(0.18), p = 0.2 exactly."""
    fit = fit_line([0, 1, 2, 3], [1, 3, 2, 4])
    assert fit is not None
    assert 0.8 == pytest.approx(fit.slope)
    assert 1.3 == pytest.approx(fit.intercept)
    assert 0.2 == pytest.approx(fit.p_value, abs=1e-12)


def test_fit_line_perfect_and_flat() -> None:
    perfect = fit_line([0, 1, 2, 5], [2, 4, 6, 12])
    assert perfect is not None
    assert (2.0, 0.0) == (pytest.approx(perfect.slope), perfect.p_value)
    flat = fit_line([0, 1, 2, 3], [0.1, 0.1, 0.1, 0.1])
    assert flat is not None
    assert (0.0, 1.0) == (flat.slope, flat.p_value)


@pytest.mark.parametrize(("xs", "ys"), [([0, 1], [1, 2]), ([3, 3, 3], [1, 2, 3]), ([], [])])
def test_fit_line_needs_three_points_and_spread(xs: list[float], ys: list[float]) -> None:
    assert fit_line(xs, ys) is None
