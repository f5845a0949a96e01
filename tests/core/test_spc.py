"""SPC XmR charts and the four NHS "Making Data Count" rules (SPEC 8.2).

Cases marked NHSRplotthedots reproduce nhs-r-community/NHSRplotthedots (R package that mimics
the MDC Excel tool); each names the file it comes from. Its definition of a trend counts the
starting point: ``ptd_seven_point_trend(1:7)`` is a trend (seven points, six rises), and so is
kpixl's ``SPC trend length`` 7. Two deliberate differences, both from SPEC 8.2's text: kpixl's
two-of-three rule counts points beyond the process limit too (NHSRplotthedots'
``close_to_limits`` excludes them) and does not require the third point on the same side.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpixl.core.models import Assurance, Indicator, Polarity, Variation
from kpixl.core.spc import (
    Side,
    SpcSettings,
    XmrLimits,
    assurance,
    beyond_limit,
    classify,
    shift_run,
    spc,
    spc_for,
    trend_run,
    two_of_three,
    xmr_limits,
)

H, L, _ = Side.HIGH, Side.LOW, None
# mean 0, near limits +-2, process limits +-3: easy numbers for the rule tables
UNIT = XmrLimits(mean=0.0, mr_bar=3 / 2.66, lower=-3.0, upper=3.0, near_lower=-2.0, near_upper=2.0)

# set.seed(123); rnorm(20) in R, as NHSRplotthedots' tests use
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def sides(expected: Sequence[Side | None]) -> tuple[frozenset[Side], ...]:
    """A rule table's H / L / _ column as the rules give it: the sides of each point."""
    return tuple(frozenset() if s is None else frozenset({s}) for s in expected)


def ups(n: int) -> list[float]:
    return [float(i) for i in range(1, n + 1)]


# --- limits -----------------------------------------------------------------------------


def test_limits_by_hand() -> None:
    """1, 3, 2, 4: mean 2.5, moving ranges 2, 1, 2, MR-bar 5/3."""
    limits = xmr_limits([1.0, 3.0, 2.0, 4.0])
    assert limits is not None
    mr = 5 / 3
    assert (2.5, mr) == (limits.mean, pytest.approx(limits.mr_bar))
    assert (2.5 - 2.66 * mr, 2.5 + 2.66 * mr) == pytest.approx((limits.lower, limits.upper))
    assert (2.5 - 1.773 * mr, 2.5 + 1.773 * mr) == pytest.approx(
        (limits.near_lower, limits.near_upper)
    )


@pytest.mark.parametrize(
    ("values", "mean", "lower", "upper"),
    [
        # nhs-r-community/NHSRplotthedots
        # tests/testthat/_snaps/ptd_spc_standard.md (and _snaps/ptd_spc.md)
        (RNORM_123, 0.142, -3.01, 3.29),
        # nhs-r-community/NHSRplotthedots
        # tests/testthat/_snaps/ptd_spc.md, facet 0 and facet 1 (10 + 10)
        (RNORM_123[:10], 0.0746, -2.60, 2.75),
        (RNORM_123[10:], 0.209, -3.28, 3.70),
    ],
)
def test_limits_reproduce_nhsrplotthedots(
    values: list[float], mean: float, lower: float, upper: float
) -> None:
    limits = xmr_limits(values)
    assert limits is not None
    assert (mean, lower, upper) == (
        pytest.approx(limits.mean, abs=5e-4),
        pytest.approx(limits.lower, abs=5e-3),
        pytest.approx(limits.upper, abs=5e-3),
    )


def test_baseline_points_fix_the_limits() -> None:
    """The limits of the first 10 points only, as fix_after_n_points in
    nhs-r-community/NHSRplotthedots R/ptd_spc_standard.R."""
    assert xmr_limits(RNORM_123[:10]) == xmr_limits(RNORM_123, baseline_points=10)
    assert xmr_limits(RNORM_123) != xmr_limits(RNORM_123, baseline_points=10)


@pytest.mark.parametrize(("values", "baseline"), [([], None), ([1.0], None), ([1.0, 2.0], 1)])
def test_limits_need_two_points(values: list[float], baseline: int | None) -> None:
    assert xmr_limits(values, baseline) is None


# --- rule 1: a point beyond a process limit ----------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0.0, 3.1, -3.1], [_, H, L]),
        ([3.0, -3.0], [_, _]),  # exactly on a limit is not beyond it
        ([2.9, 100.0, -2.9], [_, H, _]),
        ([], []),
    ],
)
def test_beyond_limit(values: list[float], expected: list[Side | None]) -> None:
    assert sides(expected) == beyond_limit(values, UNIT)


def test_on_a_computed_limit_is_not_beyond_it() -> None:
    values = [1.0, 3.0, 2.0, 4.0]
    limits = xmr_limits(values)
    assert limits is not None
    assert sides([_, _]) == beyond_limit([limits.upper, limits.lower], limits)


# --- rule 2: a trend ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # nhs-r-community/NHSRplotthedots
        # tests/testthat/test-ptd_calculate_point_type.R, ptd_seven_point_trend
        # (which marks the end of a trend; ptd_part_of_seven_trend then marks all its points)
        (ups(6), [_] * 6),
        ([1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0], [_] * 7),  # an equal step breaks it
        (ups(7), [H] * 7),  # seven points, six rises: a trend
        ([2.0, *ups(7), 3.0], [_, *[H] * 7, _]),
        (ups(7)[::-1], [L] * 7),
        ([2.0, *ups(7)[::-1], 3.0], [_, *[L] * 7, _]),
        # beyond the package's table
        (ups(9), [H] * 9),  # every point of a longer run
        ([], []),
    ],
)
def test_trend_run(values: list[float], expected: list[Side | None]) -> None:
    assert sides(expected) == trend_run(values)


def test_trend_length_is_a_setting() -> None:
    assert sides([H] * 5) == trend_run(ups(5), length=5)
    assert sides([_] * 5) == trend_run(ups(5), length=6)


def test_a_peak_ends_a_rise_and_starts_a_fall() -> None:
    values = [*ups(7), *ups(6)[::-1]]
    assert (*sides([H] * 6), frozenset({H, L}), *sides([L] * 6)) == trend_run(values)


# --- rule 3: two of three beyond a near limit ----------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # nhs-r-community/NHSRplotthedots
        # tests/testthat/test-ptd_calculate_point_type.R, ptd_two_in_three and
        # ptd_part_of_two_in_three: 1 = close to a limit; only the close points are flagged
        ([2.5, 0.0, 2.5], [H, _, H]),
        ([0.0, 2.5, 2.5], [_, H, H]),
        ([2.5, 2.5, 0.0], [H, H, _]),
        ([0.0, 0.0, 2.5, 0.0, 2.5, 0.0, 0.0], [_, _, H, _, H, _, _]),
        ([2.5, 0.0, 0.0, 2.5], [_, _, _, _]),
        ([2.5, 0.0, 0.0, 2.5, 2.5], [_, _, _, H, H]),
        ([-2.5, 0.0, -2.1], [L, _, L]),
        # opposite sides never count (its issue #143)
        ([2.5, -2.5, 0.0], [_, _, _]),
        # beyond the process limit counts as beyond the near limit (SPEC 8.2)
        ([3.5, 2.5, 0.0], [H, H, _]),
        # exactly on the near limit is not beyond it
        ([2.0, 2.5, 0.0], [_, _, _]),
        ([2.5], [_]),
    ],
)
def test_two_of_three(values: list[float], expected: list[Side | None]) -> None:
    assert sides(expected) == two_of_three(values, UNIT)


# --- rule 4: a shift ----------------------------------------------------------------------


def around(signs: Sequence[int]) -> list[float]:
    """Values above (1), on (0) or below (-1) a mean of zero."""
    return [float(s) for s in signs]


@pytest.mark.parametrize(
    ("signs", "expected"),
    [
        # nhs-r-community/NHSRplotthedots
        # tests/testthat/test-ptd_calculate_point_type.R, ptd_seven_point_one_side_mean and
        # ptd_part_of_seven_trend
        ([1] * 6, [_] * 6),
        ([1] * 6 + [-1], [_] * 7),
        ([1] * 8 + [-1], [H] * 8 + [_]),
        ([-1] * 8 + [1], [L] * 8 + [_]),
        ([-1] + [1] * 8 + [-1], [_] + [H] * 8 + [_]),
        ([1] + [-1] * 8 + [1], [_] + [L] * 8 + [_]),
        # exactly seven; a point on the mean breaks the run
        ([1] * 7, [H] * 7),
        ([1] * 3 + [0] + [1] * 3, [_] * 7),
        ([1] * 3 + [0] + [1] * 7, [_] * 4 + [H] * 7),
        ([], []),
    ],
)
def test_shift_run(signs: list[int], expected: list[Side | None]) -> None:
    assert sides(expected) == shift_run(around(signs), 0.0)


def test_shift_length_is_a_setting() -> None:
    assert sides([L] * 4) == shift_run([1.0] * 4, 2.0, length=4)
    assert sides([_] * 4) == shift_run([1.0] * 4, 2.0, length=5)


# --- classification -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sides", "polarity", "above_mean", "expected"),
    [
        (set(), Polarity.HIGHER, True, Variation.COMMON_CAUSE),
        (set(), None, False, Variation.COMMON_CAUSE),
        ({H}, Polarity.HIGHER, True, Variation.IMPROVEMENT_HIGH),
        ({L}, Polarity.HIGHER, False, Variation.CONCERN_LOW),
        ({H}, Polarity.LOWER, True, Variation.CONCERN_HIGH),
        ({L}, Polarity.LOWER, False, Variation.IMPROVEMENT_LOW),
        ({H}, None, True, Variation.NEUTRAL_HIGH),
        ({L}, None, True, Variation.NEUTRAL_LOW),
        # in an improving and a concerning pattern at once: improvement wins
        ({H, L}, Polarity.HIGHER, False, Variation.IMPROVEMENT_HIGH),
        ({H, L}, Polarity.LOWER, True, Variation.IMPROVEMENT_LOW),
        # without a polarity, the side of the mean the point is on
        ({H, L}, None, True, Variation.NEUTRAL_HIGH),
        ({H, L}, None, False, Variation.NEUTRAL_LOW),
    ],
)
def test_classify(
    sides: set[Side], polarity: Polarity | None, above_mean: bool, expected: Variation
) -> None:
    assert expected == classify(frozenset(sides), polarity, above_mean)


def test_variation_labels_are_exact() -> None:
    assert [
        "Common cause",
        "Improvement (high)",
        "Improvement (low)",
        "Concern (high)",
        "Concern (low)",
        "Neutral (high)",
        "Neutral (low)",
    ] == [v.value for v in Variation]
    assert ["Consistently passing", "Consistently failing", "Hit and miss"] == [
        a.value for a in Assurance
    ]


# --- assurance ----------------------------------------------------------------------------


def limits(lower: float, upper: float) -> XmrLimits:
    mean = (lower + upper) / 2
    return XmrLimits(
        mean=mean, mr_bar=1.0, lower=lower, upper=upper, near_lower=lower, near_upper=upper
    )


@pytest.mark.parametrize(
    ("lower", "upper", "polarity", "expected"),
    [
        # nhs-r-community/NHSRplotthedots
        # tests/testthat/test-ptd_calculate_assurance_type.R, target 4
        (1.0, 3.0, Polarity.HIGHER, Assurance.FAILING),
        (5.0, 7.0, Polarity.HIGHER, Assurance.PASSING),
        (1.0, 5.0, Polarity.HIGHER, Assurance.HIT_AND_MISS),
        (1.0, 3.0, Polarity.LOWER, Assurance.PASSING),
        (5.0, 7.0, Polarity.LOWER, Assurance.FAILING),
        (1.0, 5.0, Polarity.LOWER, Assurance.HIT_AND_MISS),
        (1.0, 5.0, None, None),  # neutral: no assurance
        # a Target exactly on a limit is hit and miss
        (4.0, 7.0, Polarity.HIGHER, Assurance.HIT_AND_MISS),
        (1.0, 4.0, Polarity.HIGHER, Assurance.HIT_AND_MISS),
        (4.0, 7.0, Polarity.LOWER, Assurance.HIT_AND_MISS),
    ],
)
def test_assurance(
    lower: float, upper: float, polarity: Polarity | None, expected: Assurance | None
) -> None:
    assert expected == assurance(limits(lower, upper), 4.0, polarity)


def test_no_target_no_assurance() -> None:
    assert assurance(limits(1.0, 3.0), None, Polarity.HIGHER) is None


# --- the whole chart ----------------------------------------------------------------------


def test_fewer_than_minimum_points_is_not_rated() -> None:
    assert spc(ups(14)) is None
    assert spc(ups(15)) is not None  # exactly the minimum
    assert spc(ups(4), settings=SpcSettings(minimum_points=4)) is not None


def test_nhsrplotthedots_random_series_is_all_common_cause() -> None:
    """nhs-r-community/NHSRplotthedots tests/testthat/_snaps/ptd_spc.md: 20 common cause,
    0 special cause."""
    result = spc(RNORM_123, Polarity.HIGHER, target=0.5)
    assert result is not None
    assert (frozenset(),) * 20 == result.points
    assert Variation.COMMON_CAUSE == result.variation
    assert Assurance.HIT_AND_MISS == result.assurance


def test_nhsrplotthedots_outlier_without_screening() -> None:
    """nhs-r-community/NHSRplotthedots vignettes/deviations.Rmd: the MDC tool's limits
    (screen_outliers = FALSE) keep the outlier in MR-bar; the 10 is still beyond the upper
    limit, and every other point is common cause."""
    values = [1.0, 2.0, 1.0, 2.0, 10.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0]
    values.append(1.0)
    result = spc(values, Polarity.HIGHER)
    assert result is not None
    assert (35 / 18, 32 / 17) == pytest.approx((result.limits.mean, result.limits.mr_bar))
    assert frozenset({H}) == result.points[4]
    assert [frozenset()] * 17 == [p for i, p in enumerate(result.points) if i != 4]
    assert Variation.COMMON_CAUSE == result.variation


def test_nhsrplotthedots_two_near_limits_on_opposite_sides() -> None:
    """nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_spc_standard.R:
    symmetric data with 5.5 and -5.5 as the last two points: both common cause."""
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    result = spc(values, Polarity.HIGHER)
    assert result is not None
    assert (frozenset(), frozenset()) == result.points[-2:]
    assert Variation.COMMON_CAUSE == result.variation


def test_improvement_wins_over_concern() -> None:
    """Eight 10s then 1..7: the last point ends a rising trend (high) and a shift below the
    mean (low)."""
    values = [10.0] * 8 + ups(7)
    result = spc(values, Polarity.HIGHER)
    assert result is not None
    assert frozenset({H, L}) == result.points[-1]
    assert Variation.IMPROVEMENT_HIGH == result.variation
    lower = spc(values, Polarity.LOWER)
    assert lower is not None
    assert Variation.IMPROVEMENT_LOW == lower.variation


def test_spc_for_an_indicator() -> None:
    from datetime import date

    from kpixl.core.periods import add_months

    oct23 = date(2023, 10, 1)
    values: dict[date, float | None] = {add_months(oct23, -i): 0.5 for i in range(1, 16)}
    values[oct23] = 0.9  # far above fifteen months of 50%
    values[add_months(oct23, 1)] = 0.1  # after the reporting month: left out
    kpi = Indicator(ref="K", target=0.6, floor=0.4, values=values)
    result = spc_for(kpi, oct23)
    assert result is not None
    assert 16 == len(result.points)
    assert Variation.IMPROVEMENT_HIGH == result.variation
    assert spc_for(kpi.model_copy(update={"values": {oct23: 1.0}}), oct23) is None


# --- properties ---------------------------------------------------------------------------

series = st.lists(st.floats(-1e3, 1e3, allow_subnormal=False), min_size=15, max_size=40)
polarities = st.sampled_from([Polarity.HIGHER, Polarity.LOWER, None])
_MIRROR = {
    Variation.COMMON_CAUSE: Variation.COMMON_CAUSE,
    Variation.IMPROVEMENT_HIGH: Variation.IMPROVEMENT_LOW,
    Variation.IMPROVEMENT_LOW: Variation.IMPROVEMENT_HIGH,
    Variation.CONCERN_HIGH: Variation.CONCERN_LOW,
    Variation.CONCERN_LOW: Variation.CONCERN_HIGH,
    Variation.NEUTRAL_HIGH: Variation.NEUTRAL_LOW,
    Variation.NEUTRAL_LOW: Variation.NEUTRAL_HIGH,
}
_FLIP = {Polarity.HIGHER: Polarity.LOWER, Polarity.LOWER: Polarity.HIGHER, None: None}


@given(st.floats(-1e6, 1e6), st.integers(15, 40), polarities)
def test_constant_series_is_common_cause(value: float, n: int, polarity: Polarity | None) -> None:
    result = spc([value] * n, polarity)
    assert result is not None
    assert Variation.COMMON_CAUSE == result.variation


@given(series, polarities)
def test_mirrored_polarity_mirrors_the_classification(
    values: list[float], polarity: Polarity | None
) -> None:
    """The series upside down, read with the opposite polarity, is the mirror image."""
    straight = spc(values, polarity)
    mirrored = spc([-v for v in values], _FLIP[polarity])
    assert straight is not None and mirrored is not None
    assert _MIRROR[straight.variation] == mirrored.variation
    flip = {H: L, L: H}
    assert [frozenset(flip[s] for s in p) for p in straight.points] == list(mirrored.points)


@given(series, polarities)
def test_a_far_outlier_at_the_end_is_beyond_the_limit(
    values: list[float], polarity: Polarity | None
) -> None:
    spread = max(values) - min(values) + 1.0
    full = [*values, max(values) + 100 * spread * len(values)]
    result = spc(full, polarity)
    assert result is not None
    assert H in result.points[-1]
    # beyond the limits that include the outlier itself
    assert frozenset({H}) == beyond_limit(full, result.limits)[-1]
    expected = {
        Polarity.HIGHER: Variation.IMPROVEMENT_HIGH,
        Polarity.LOWER: Variation.CONCERN_HIGH,
        None: Variation.NEUTRAL_HIGH,
    }[polarity]
    assert expected == result.variation


@given(st.lists(st.floats(-1.7e308, 1.7e308), min_size=15, max_size=30), polarities)
def test_any_finite_values_give_a_classification(
    values: list[float], polarity: Polarity | None
) -> None:
    result = spc(values, polarity, target=0.0)
    assert result is not None
    assert result.variation in Variation
