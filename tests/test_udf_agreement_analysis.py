"""One truth for a cell, continued for the analysis settings (SPEC 8.1-8.2): a sheet with SPC
On and random ``Direction of travel method``, ``Trend periods``, ``Trend confidence`` and SPC
lengths on its Settings sheet, against ``=KPI_DOT(..., method, trend_periods,
trend_confidence)`` and ``=KPI_SPC(...)`` given the same cells as arguments: the same label,
or the same ``#KPI:`` problem (see ``tests/test_udf_agreement.py``, whose strategies and
sheet reader this reuses). A Settings cell the sheet cannot use is reported there and its
default used; the functions refuse it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpixl.core.periods import add_months
from kpixl.udfs import KPI_DOT, KPI_SPC
from kpixl.workbook import contract
from kpixl.workbook.calculate import calculate
from kpixl.workbook.grid import CellValue, SheetGrid
from tests.test_udf_agreement import (
    FREQUENCIES,
    POLARITIES,
    UNITS,
    Kinds,
    Sheet,
    _mostly,
    _numbers,
)
from tests.workbook.grids import settings as settings_sheet

ANALYSIS: dict[str, tuple[str, Kinds]] = {
    # argument -> (the Settings sheet's setting, its usable and its odd cells)
    "method": ("Direction of travel method", (
        st.sampled_from([None, "Previous period", "Regression", " regression ", "REGRESSION"]),
        st.sampled_from(["Bogus", 3]),
    )),
    "trend_periods": ("Trend periods", (
        st.sampled_from([None, 4, 5, 6, 12, "5"]), st.sampled_from([3, 2.5, "x"]),
    )),
    "trend_confidence": ("Trend confidence", (
        st.sampled_from([None, 0.95, "90%", 0.8, 80]), st.sampled_from([1.5, "x", 0]),
    )),
    "minimum_points": ("SPC minimum points", (
        st.sampled_from([None, 2, 3, 5, 15]), st.sampled_from([1, "x"]),
    )),
    "trend_length": ("SPC trend length", (
        st.sampled_from([None, 2, 3, 7]), st.sampled_from([1]),
    )),
    "shift_length": ("SPC shift length", (
        st.sampled_from([None, 1, 2, 7]), st.sampled_from([0]),
    )),
    "baseline_points": ("SPC baseline points", (
        st.sampled_from([None, 2, 5]), st.sampled_from([1]),
    )),
}  # fmt: skip
TREND = ("method", "trend_periods", "trend_confidence")
SPC_LENGTHS = ("minimum_points", "trend_length", "shift_length", "baseline_points")
SPC_HEADERS = ["Type", "Frequency", "Polarity", "Unit", "Target"]


@dataclass
class AnalysisCase:
    """A sheet with SPC On and analysis settings, an activity row (for KPI_DOT) and a row whose
    Type is left blank (a KPI when it has a Target, for KPI_SPC), over up to 24 months."""

    month: date
    chosen: dict[str, CellValue]
    row: dict[str, CellValue]
    periods: list[date]
    dot_cells: list[CellValue]
    spc_cells: list[CellValue]

    def grids(self) -> list[SheetGrid]:
        when = datetime(self.month.year, self.month.month, 1)
        base = settings_sheet(when, 4)
        extra = [[ANALYSIS[name][0], value] for name, value in self.chosen.items()]
        settings_grid = SheetGrid("Settings", [*base.rows, ["SPC", "On"], *extra])
        dated = [datetime(p.year, p.month, 1) for p in self.periods]
        head = ["Ref", "Indicator description"]
        activity = {**self.row, "Type": "Activity", "Target": None}
        rows = [
            [*head, *SPC_HEADERS, *dated],
            ["R1", "dot", *(activity.get(h) for h in SPC_HEADERS), *self.dot_cells],
            ["S1", "spc", *(self.row.get(h) for h in SPC_HEADERS), *self.spc_cells],
        ]
        return [settings_grid, SheetGrid("Rows", rows)]


@st.composite
def analysis_cases(draw: st.DrawFn) -> AnalysisCase:
    clean = draw(st.booleans())

    def cell(kinds: Kinds) -> Any:
        return draw(_mostly(kinds, clean))

    chosen = {name: cell(kinds) for name, (_, kinds) in ANALYSIS.items()}
    width = draw(st.integers(1, 24))
    start = add_months(date(2022, 1, 1), draw(st.integers(0, 6)))
    periods = [add_months(start, i) for i in range(width)]
    month = add_months(start, draw(st.integers(0, width + 1)))
    shape = draw(st.sampled_from(["noise", "rising", "falling", "flat"]))

    def series() -> list[CellValue]:
        drawn = draw(st.lists(_mostly(_numbers(), clean), min_size=width, max_size=width))
        if shape == "noise":
            return drawn
        step = {"rising": 0.05, "falling": -0.05, "flat": 0.0}[shape]
        return [0.5 + step * i if isinstance(v, float) else v for i, v in enumerate(drawn)]

    row = {
        "Frequency": cell(FREQUENCIES),
        "Polarity": cell(POLARITIES),
        "Unit": cell(UNITS),
        "Target": cell(_numbers()) if draw(st.booleans()) else None,
    }
    return AnalysisCase(month, chosen, row, periods, series(), series())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(analysis_cases())
def test_kpi_dot_by_method_and_kpi_spc_answer_what_the_sheet_answers(case: AnalysisCase) -> None:
    sheet = Sheet(calculate(case.grids()))
    r, when = case.row, datetime(case.month.year, case.month.month, 1)
    trend = [case.chosen[name] for name in TREND]
    lengths = [case.chosen[name] for name in SPC_LENGTHS]
    dot = KPI_DOT(case.dot_cells, r["Polarity"], case.periods, when, r["Frequency"], 4,
                  r["Unit"], *trend)  # fmt: skip
    spc = {
        kind: KPI_SPC(
            case.spc_cells,
            case.periods,
            when,
            r["Polarity"],
            r["Target"],
            kind,
            r["Frequency"],
            4,
            r["Unit"],
            *lengths,
        )  # fmt: skip
        for kind in ("Variation", "Assurance")
    }
    if sheet.settings_error():  # the sheet reports the setting and uses its default
        refused = [a for a in (dot, *spc.values()) if str(a).startswith("#KPI: ")]
        assert refused, (dot, spc)
        return
    fields = {"Type", "Frequency", "Unit", "Polarity", "value"}
    assert sheet.answer("Rows", "R1", contract.DIRECTION, fields) == dot
    for kind, got in spc.items():
        expected = sheet.answer("Rows", "S1", kind, fields | {"Target"})
        assert expected == got, (kind, sheet.rows["Rows", "S1"])


def test_kpi_spc_and_kpi_dot_examples() -> None:
    periods = [add_months(date(2022, 1, 1), i) for i in range(20)]
    steady = [10.0, 11.0] * 10
    assert "Common cause" == KPI_SPC(steady, periods)
    assert "Improvement (high)" == KPI_SPC([*steady[:-1], 30.0], periods, None, "Higher")
    assert "Concern (high)" == KPI_SPC([*steady[:-1], 30.0], periods, None, "Lower")
    assert "Consistently passing" == KPI_SPC(steady, periods, None, "Higher", 5, "Assurance")
    assert "N/A" == KPI_SPC(steady[:14], periods[:14])  # fewer than 15 points
    assert "Common cause" == KPI_SPC(steady[:14], periods[:14], minimum_points=14)
    assert "#KPI: kind must be Variation or Assurance" == KPI_SPC(steady, periods, kind="RAG")
    rising = [float(i) for i in range(12)]
    assert "Improving" == KPI_DOT(rising, "Higher", periods[:12], method="Regression")
    assert "No clear trend" == KPI_DOT(steady[:12], "Higher", periods[:12], method="Regression")
    assert KPI_DOT(rising, None, periods[:12], method="sideways").startswith("#KPI: method ")
