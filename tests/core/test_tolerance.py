"""Amber by tolerance (SPEC 8.4): a Target, no Floor, and a tolerance make AMBER "within
tolerance of the target"; a Floor always wins over a Tolerance."""

from __future__ import annotations

from datetime import date

import pytest

from kpixl.core.checks import check_indicator, check_report
from kpixl.core.evaluate import evaluate
from kpixl.core.models import Indicator, Polarity, Rag, Report, Severity
from kpixl.core.rules import rag

OCT = date(2023, 10, 1)


@pytest.mark.parametrize(
    ("value", "target", "tolerance", "polarity", "expected"),
    [
        # higher is better: t·(1 − tol) <= v < t is AMBER
        (100, 100, 0.1, None, Rag.GREEN),
        (99.99, 100, 0.1, None, Rag.AMBER),
        (90, 100, 0.1, None, Rag.AMBER),  # exactly at t·(1 − tol)
        (89.99, 100, 0.1, None, Rag.RED),
        (0.81, 0.9, 0.1, None, Rag.AMBER),  # 0.9 × 0.9 is 0.81 only up to floating noise
        (0.9 * (1 - 0.1), 0.9, 0.1, "Higher", Rag.AMBER),
        (0.8099, 0.9, 0.1, None, Rag.RED),
        # lower is better: t < v <= t·(1 + tol) is AMBER
        (0.05, 0.05, 0.1, "Lower", Rag.GREEN),
        (0.0551, 0.05, 0.1, "Lower", Rag.RED),
        (0.055, 0.05, 0.1, "Lower", Rag.AMBER),  # exactly at t·(1 + tol), floating noise
        (0.0501, 0.05, 0.1, Polarity.LOWER, Rag.AMBER),
        (10985, 11000, 0.05, "Lower", Rag.GREEN),
        (11550, 11000, 0.05, "Lower", Rag.AMBER),
        (11551, 11000, 0.05, "Lower", Rag.RED),
        # a zero tolerance leaves no room for AMBER
        (99.99, 100, 0.0, None, Rag.RED),
    ],
)
def test_amber_within_tolerance(
    value: float, target: float, tolerance: float, polarity: str | None, expected: Rag
) -> None:
    assert expected == rag(value, target, None, polarity, tolerance=tolerance)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.84, Rag.RED), (0.85, Rag.AMBER), (0.89, Rag.AMBER)],
)
def test_a_floor_wins_over_a_tolerance(value: float, expected: Rag) -> None:
    # Floor 85% and a 1% tolerance: 0.89 would be RED by the tolerance, the Floor says AMBER.
    assert expected == rag(value, 0.9, 0.85, tolerance=0.01)


def test_rounding_happens_before_the_tolerance_boundary() -> None:
    # 89.96% rounds to 90.0% (one decimal in percent), which is exactly 100% × (1 − 10%)
    assert Rag.AMBER == rag(0.8996, 1.0, None, tolerance=0.1, decimals=1, percent=True)
    assert Rag.RED == rag(0.8994, 1.0, None, tolerance=0.1, decimals=1, percent=True)


def _kpi(**fields: object) -> Indicator:
    base: dict[str, object] = {"ref": "T1", "target": 100.0, "values": {OCT: 95.0}}
    base.update(fields)
    return Indicator.model_validate(base)


@pytest.mark.parametrize(
    ("own", "setting", "expected"),
    [
        (None, None, Rag.RED),  # no tolerance: today's target-only rule
        (0.1, None, Rag.AMBER),  # its own Tolerance
        (None, 0.1, Rag.AMBER),  # the Amber tolerance setting
        (0.01, 0.1, Rag.RED),  # its own Tolerance comes before the setting
        (0.1, 0.01, Rag.AMBER),
    ],
)
def test_own_tolerance_else_the_setting(
    own: float | None, setting: float | None, expected: Rag
) -> None:
    report = Report(reporting_month=OCT, amber_tolerance=setting, indicators=(_kpi(tolerance=own),))
    assert expected == evaluate(report).result("T1").latest_rag


def test_the_setting_does_not_touch_a_kpi_with_a_floor() -> None:
    report = Report(
        reporting_month=OCT, amber_tolerance=0.5, indicators=(_kpi(floor=96.0, polarity="Higher"),)
    )
    assert Rag.RED == evaluate(report).result("T1").latest_rag


def test_floor_and_tolerance_together_give_a_warning() -> None:
    problems = check_indicator(_kpi(floor=90.0, tolerance=0.1), OCT)
    found = [p for p in problems if p.field == "Tolerance"]
    assert [Severity.WARNING] == [p.severity for p in found]
    assert "Floor" in found[0].message and "Tolerance" in found[0].message


def test_no_never_amber_warning_when_a_tolerance_is_in_force() -> None:
    def floor_warnings(report: Report) -> list[str]:
        return [p.message for p in check_report(report) if p.field == "Floor"]

    assert floor_warnings(Report(reporting_month=OCT, indicators=(_kpi(),)))
    assert not floor_warnings(Report(reporting_month=OCT, indicators=(_kpi(tolerance=0.1),)))
    assert not floor_warnings(
        Report(reporting_month=OCT, amber_tolerance=0.1, indicators=(_kpi(),))
    )


@pytest.mark.parametrize("tolerance", [-0.1, 1.5, 10.0, float("nan")])
def test_an_unusable_tolerance_is_an_error_and_not_used(tolerance: float) -> None:
    report = Report(reporting_month=OCT, indicators=(_kpi(tolerance=tolerance),))
    evaluation = evaluate(report)
    assert [Severity.ERROR] == [p.severity for p in evaluation.problems if p.field == "Tolerance"]
    assert Rag.RED == evaluation.result("T1").latest_rag


@pytest.mark.parametrize("setting", [-0.1, 10.0, float("inf")])
def test_an_unusable_setting_is_an_error_and_not_used(setting: float) -> None:
    report = Report(reporting_month=OCT, amber_tolerance=setting, indicators=(_kpi(),))
    evaluation = evaluate(report)
    found = [p for p in evaluation.problems if p.field == "Tolerance"]
    assert [(Severity.ERROR, None)] == [(p.severity, p.ref) for p in found]
    assert "Amber tolerance setting" in found[0].message
    assert Rag.RED == evaluation.result("T1").latest_rag
