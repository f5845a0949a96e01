"""The little statistics the trend rule needs: a least-squares line and Student's t.

No scipy for one distribution: the two-sided p-value of Student's t is the regularised
incomplete beta function ``I_x(df/2, 1/2)`` with ``x = df / (df + t²)``, evaluated by its
continued fraction (modified Lentz), as in Numerical Recipes §6.4.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from kpixl.core.models import _Model

_EPS = 1e-15
_TINY = 1e-300
_MAX_TERMS = 10_000
_NOISE = 1e-12
"""Relative and absolute tolerance below which two numbers are the same (as the RAG rules)."""


def regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """``I_x(a, b)`` for ``a, b > 0`` and ``0 <= x <= 1``."""
    if not (a > 0 and b > 0 and 0.0 <= x <= 1.0):
        raise ValueError(f"I_x(a, b) needs a, b > 0 and 0 <= x <= 1, not a={a}, b={b}, x={x}")
    return _ibeta(a, b, x, 1.0 - x)


def _ibeta(a: float, b: float, x: float, y: float) -> float:
    """``I_x(a, b)`` given ``y = 1 - x`` computed without cancellation by the caller."""
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _continued_fraction(b, a, y) / b


def _continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of ``I_x(a, b)``, by the modified Lentz method."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = _nonzero(1.0 - qab * x / qap)
    d = 1.0 / d
    h = d
    for m in range(1, _MAX_TERMS + 1):
        m2 = 2 * m
        even = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 / _nonzero(1.0 + even * d)
        c = _nonzero(1.0 + even / c)
        h *= d * c
        odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 / _nonzero(1.0 + odd * d)
        c = _nonzero(1.0 + odd / c)
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            break
    return h


def _nonzero(value: float) -> float:
    return value if abs(value) >= _TINY else _TINY


def student_t_two_sided_p(t: float, df: float) -> float:
    """``P(|T| >= |t|)`` for Student's t with ``df`` degrees of freedom."""
    if not df > 0:
        raise ValueError(f"Student's t needs df > 0, not {df}")
    if math.isnan(t):
        return math.nan
    if math.isinf(t):
        return 0.0
    t2 = t * t
    return min(1.0, _ibeta(df / 2.0, 0.5, df / (df + t2), t2 / (df + t2)))


class LineFit(_Model):
    """An ordinary least-squares line ``y = intercept + slope·x`` and its slope's t-test."""

    n: int
    slope: float
    intercept: float
    t_statistic: float
    p_value: float
    """Two-sided p-value of the slope (``n - 2`` degrees of freedom): 0 for a perfect line,
    1 for a constant series."""


def fit_line(xs: Sequence[float], ys: Sequence[float]) -> LineFit | None:
    """The least-squares line through the points; None below three points or with no spread
    in ``x``. ``y`` values equal to within floating-point noise count as a constant series.

    The fit runs on ``y`` divided by a power of two (exact) into [-2, 2]: the t-test does not
    depend on the scale, and any finite values give a result rather than an overflow.
    """
    n = len(xs)
    if n != len(ys):
        raise ValueError("fit_line needs as many x as y values")
    if n < 3:
        return None
    x_bar = math.fsum(xs) / n
    sxx = math.fsum((x - x_bar) * (x - x_bar) for x in xs)
    if sxx == 0.0:
        return None
    scale = math.ldexp(1.0, math.frexp(max(abs(y) for y in ys))[1] - 1)  # exact: a power of 2
    if math.isclose(max(ys), min(ys), rel_tol=_NOISE, abs_tol=_NOISE):
        y_mean = math.fsum(y / n for y in ys)
        return LineFit(n=n, slope=0.0, intercept=y_mean, t_statistic=0.0, p_value=1.0)
    zs = [y / scale for y in ys]
    z_bar = math.fsum(zs) / n
    slope = math.fsum((x - x_bar) * (z - z_bar) for x, z in zip(xs, zs, strict=True)) / sxx
    intercept = z_bar - slope * x_bar
    residuals = [z - intercept - slope * x for x, z in zip(xs, zs, strict=True)]
    sse = math.fsum(r * r for r in residuals)
    df = n - 2
    standard_error = math.sqrt(sse / df) / math.sqrt(sxx)
    if standard_error == 0.0:  # a perfect line (or residuals below the smallest float)
        t = math.copysign(math.inf, slope) if slope else 0.0
    else:
        t = slope / standard_error
    p = 1.0 if t == 0.0 else student_t_two_sided_p(t, df)
    return LineFit(n=n, slope=slope * scale, intercept=intercept * scale, t_statistic=t, p_value=p)
