"""The plain-text summary printed by ``kpixl demo``."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from kpixl import evaluate, load_sample
from kpixl.report.terminal import render_table
from tests.core.test_reference import ALERTS, KPI_RAGS, SUMMARY_GROUPS

EVALUATION = evaluate(load_sample())
PLAIN = render_table(EVALUATION)
COLOURED = render_table(EVALUATION, colour=True)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _line(ref: str, text: str = PLAIN) -> list[str]:
    lines = [line.split() for line in text.splitlines() if line.split()[:1] == [ref]]
    assert 1 == len(lines), ref
    return lines[0]


def _shown(label: str | None) -> str:
    return "N/A" if label is None else label


@pytest.mark.parametrize(("ref", "expected"), sorted(KPI_RAGS.items()))
def test_each_kpi_line_ends_with_its_latest_and_ytd_rag(
    ref: str, expected: tuple[str | None, str | None]
) -> None:
    assert [_shown(expected[0]), _shown(expected[1])] == _line(ref)[-2:]


@pytest.mark.parametrize(("ref", "expected"), sorted(ALERTS.items()))
def test_each_activity_alert_is_listed(ref: str, expected: str) -> None:
    assert expected == _line(ref)[-1]


def test_areas_appear_in_report_order() -> None:
    lines = PLAIN.splitlines()
    assert list(SUMMARY_GROUPS) == [line for line in lines if line in SUMMARY_GROUPS]


@pytest.mark.parametrize(("heading", "which"), [("Latest RAG:", 0), ("YTD RAG:", 1)])
def test_totals_count_every_kpi(heading: str, which: int) -> None:
    counted = Counter(_shown(rags[which]) for rags in KPI_RAGS.values())
    expected = (
        f"{heading:<12}GREEN {counted['GREEN']}  AMBER {counted['AMBER']}  "
        f"RED {counted['RED']}  N/A {counted['N/A']}  (of {len(KPI_RAGS)})"
    )
    assert [expected] == [line for line in PLAIN.splitlines() if line.startswith(heading)]


def test_header_lines() -> None:
    assert ["Results up to Oct 2023", "Produced by Kent Analytics"] == PLAIN.splitlines()[1:3]


def test_plain_text_has_no_escape_codes_and_fits_a_terminal() -> None:
    assert "\x1b" not in PLAIN
    assert max(len(line) for line in PLAIN.splitlines()[3:]) <= 100
    assert "FN13    Percentage of working days average credit rating for inte..." in PLAIN


def test_colour_adds_only_escape_codes() -> None:
    assert "\x1b[31mRED\x1b[0m" in COLOURED
    assert PLAIN == ANSI.sub("", COLOURED)
