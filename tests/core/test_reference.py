"""Every published RAG, YTD RAG and alert of the reference report, from the bundled sample."""

from __future__ import annotations

import pytest

from kpixl import IndicatorType, evaluate, load_sample

# Ref: (Month/Qtr RAG, YTD RAG) as printed in the reference report (N/a printed as None).
KPI_RAGS = {
    "FN06": ("RED", None),
    "FN07": ("RED", "RED"),
    "FN08": ("AMBER", "AMBER"),
    "FN11": ("RED", "AMBER"),
    "FN12": ("GREEN", "AMBER"),
    "FN13": ("GREEN", "GREEN"),
    "FN14": ("GREEN", "GREEN"),
    "GL01": ("GREEN", "GREEN"),
    "GL02": ("RED", "RED"),
    "GL03": ("RED", "RED"),
    "CS01": ("GREEN", "GREEN"),
    "CS04a": ("GREEN", "GREEN"),
    "CS04b": ("AMBER", "AMBER"),
    "CS06a": ("GREEN", "GREEN"),
    "CS06b": ("GREEN", "GREEN"),
    "CS07": ("RED", "RED"),
    "HR09": ("GREEN", "GREEN"),
    "HR25": ("GREEN", "GREEN"),
    "ICT01": ("GREEN", "GREEN"),
    "ICT02": ("AMBER", "GREEN"),
    "ICT03": ("GREEN", "GREEN"),
    "ICT04": ("GREEN", "GREEN"),
    "ICT05": ("GREEN", "GREEN"),
    "PI01": ("GREEN", None),
    "PI05": ("GREEN", "GREEN"),
    "PI06": ("GREEN", "GREEN"),
    "PI07": ("GREEN", "GREEN"),
}

# Ref: "In expected range?" for every activity indicator with thresholds.
ALERTS = {
    "GL02b": "Yes",
    "GL03b": "Above",
    "CS08": "Yes",
    "CS12": "Below",
    "CS13": "Yes",
    "CS14": "Below",
    "HR12": "Above",
    "HR13": "Above",
    "HR16": "Above",
    "HR21": "Above",
    "HR23": "Yes",
}

# The Key Performance Indicator Summary page: service area -> refs in order.
SUMMARY_GROUPS = {
    "Finance": ["FN06", "FN07", "FN08", "FN11", "FN12", "FN13", "FN14"],
    "Governance, Law & Democracy": ["GL01", "GL02", "GL03"],
    "Marketing and Resident Experience": ["CS01", "CS04a", "CS04b", "CS06a", "CS06b", "CS07"],
    "Human Resources and Organisational Development": ["HR09"],
    "Health and Safety": ["HR25"],
    "Technology": ["ICT01", "ICT02", "ICT03", "ICT04", "ICT05"],
    "Infrastructure": ["PI01", "PI05", "PI06", "PI07"],
}

EVALUATION = evaluate(load_sample())


def _label(value: object) -> str | None:
    return None if value is None else str(value)


def test_the_sample_has_every_kpi_and_alert_of_the_report() -> None:
    report = EVALUATION.report
    kpis = [i.ref for i in report.indicators if i.type is IndicatorType.KPI]
    with_thresholds = [
        i.ref
        for i in report.indicators
        if i.type is IndicatorType.ACTIVITY and (i.upper is not None or i.lower is not None)
    ]
    assert sorted(KPI_RAGS) == sorted(kpis)
    assert len(kpis) == 27
    assert sorted(ALERTS) == sorted(with_thresholds)
    assert len(with_thresholds) == 11


@pytest.mark.parametrize(("ref", "expected"), sorted(KPI_RAGS.items()))
def test_month_and_ytd_rag_match_the_report(
    ref: str, expected: tuple[str | None, str | None]
) -> None:
    result = EVALUATION.result(ref)
    assert expected == (_label(result.latest_rag), _label(result.ytd_rag))


@pytest.mark.parametrize(("ref", "expected"), sorted(ALERTS.items()))
def test_in_expected_range_matches_the_report(ref: str, expected: str) -> None:
    assert expected == _label(EVALUATION.result(ref).alert)


def test_activity_without_thresholds_has_no_alert() -> None:
    for indicator, result in EVALUATION.pairs():
        if indicator.type is IndicatorType.ACTIVITY and indicator.ref not in ALERTS:
            assert result.alert is None, indicator.ref


def test_summary_groups_follow_the_report() -> None:
    report = EVALUATION.report
    groups = {
        area: [i.ref for i in report.indicators if i.service_area == area and i.is_kpi]
        for area in report.area_names()
    }
    assert SUMMARY_GROUPS == groups


def test_the_sample_is_clean() -> None:
    assert [] == [str(p) for p in EVALUATION.problems]
