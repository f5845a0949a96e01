"""The Summary's RAG key worded for the rule in force (SPEC 8.4): the Floor Standard key when
KPIs use Floors, "within x% of Target" lines when a tolerance applies instead, both when the
KPIs' rules differ."""

from __future__ import annotations

from datetime import date

import pytest

from kpixl import Indicator, Report, evaluate
from kpixl.core.models import Rag, Thresholds, ThresholdTimeline
from kpixl.report.rag_key import FLOOR_KEY, FLOOR_NOTE, percent_text, rag_key
from kpixl.report.summary import summary_design

OCT = date(2023, 10, 1)
FLOOR_AMBER = "Floor Standard* achieved but Target has not been met"
FLOOR_RED = "Floor Standard* has not been achieved"
WITHIN_10 = "Within 10% of Target but Target has not been met"
BEYOND_10 = "More than 10% away from Target"


def _kpi(ref: str, floor: float | None = None, tolerance: float | None = None) -> Indicator:
    return Indicator(ref=ref, target=0.9, floor=floor, tolerance=tolerance, values={OCT: 0.85})


def _report(*kpis: Indicator, setting: float | None = None, **more: object) -> Report:
    return Report(reporting_month=OCT, indicators=kpis, amber_tolerance=setting, **more)


CASES = [
    ("every KPI has a Floor", _report(_kpi("A", 0.8), _kpi("B", 0.7)), FLOOR_KEY),
    ("no Floor, no tolerance: the reference key", _report(_kpi("A")), FLOOR_KEY),
    (
        "own tolerance",
        _report(_kpi("A", tolerance=0.1)),
        ((Rag.GREEN, FLOOR_KEY[0][1]), (Rag.AMBER, WITHIN_10), (Rag.RED, BEYOND_10)),
    ),
    (
        "the Amber tolerance setting",
        _report(_kpi("A"), setting=0.1),
        ((Rag.GREEN, FLOOR_KEY[0][1]), (Rag.AMBER, WITHIN_10), (Rag.RED, BEYOND_10)),
    ),
    (
        "a Floor wins over the setting",
        _report(_kpi("A", 0.8), setting=0.1),
        FLOOR_KEY,
    ),
    (
        "a Floor wins over its own tolerance",
        _report(_kpi("A", 0.8, tolerance=0.1)),
        FLOOR_KEY,
    ),
    (
        "rules differ: each rule's lines",
        _report(_kpi("A", 0.8), _kpi("B", tolerance=0.1)),
        (
            FLOOR_KEY[0],
            (Rag.AMBER, FLOOR_AMBER),
            (Rag.AMBER, WITHIN_10),
            (Rag.RED, FLOOR_RED),
            (Rag.RED, BEYOND_10),
        ),
    ),
    (
        "two tolerances",
        _report(_kpi("A", tolerance=0.05), _kpi("B", tolerance=0.1)),
        (
            FLOOR_KEY[0],
            (Rag.AMBER, "Within 5% of Target but Target has not been met"),
            (Rag.AMBER, WITHIN_10),
            (Rag.RED, "More than 5% away from Target"),
            (Rag.RED, BEYOND_10),
        ),
    ),
    (
        "a Targets row sets a Floor for the latest period: the Floor rule",
        _report(
            _kpi("A", tolerance=0.1),
            targets={"A": ThresholdTimeline(by_period={OCT: Thresholds(floor=0.8)})},
        ),
        FLOOR_KEY,
    ),
]


@pytest.mark.parametrize(("name", "report", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_key_is_worded_for_the_rules_in_force(
    name: str, report: Report, expected: tuple[tuple[Rag, str], ...]
) -> None:
    assert expected == rag_key(evaluate(report))


@pytest.mark.parametrize(
    ("tolerance", "shown"), [(0.1, "10%"), (0.025, "2.5%"), (0.07, "7%"), (1.0, "100%")]
)
def test_a_tolerance_is_printed_as_a_percent(tolerance: float, shown: str) -> None:
    assert shown == percent_text(tolerance)


def _texts(report: Report) -> list[object]:
    return [cell.value for cell in summary_design(evaluate(report)).cells]


def test_the_summary_prints_both_rules_and_the_floor_note_only_with_floors() -> None:
    mixed = _texts(_report(_kpi("A", 0.8), _kpi("B", tolerance=0.1)))
    assert {FLOOR_AMBER, WITHIN_10, FLOOR_RED, BEYOND_10, FLOOR_NOTE} <= set(mixed)
    only = _texts(_report(_kpi("B"), setting=0.1))
    assert WITHIN_10 in only and FLOOR_AMBER not in only and FLOOR_NOTE not in only
