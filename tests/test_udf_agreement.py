"""One truth for a cell: odd cell values fed to BOTH the sheet path (a real workbook grid through
``calculate`` and the computed columns' ``row_values``) and the worksheet functions give the
same answer, cell for cell: the same rating or value, or — when the row has an error-level
problem among the cells the function takes — that very problem as ``#KPI:`` text.

Nothing is filtered out: text numbers, % text, thousands separators, ``-``, ``*``, Excel error
values, dates and dates as text, booleans, quarterly rows, rounding at the boundary, non-finite
figures, contradicting polarities, % typing errors, YTD aliases, month names, an unreadable
financial year start (the sheet reports it on Settings; the functions refuse it). The Settings
reporting month is always a month (as a date, text or serial for the functions): a sheet
without one falls back to the latest month with figures, which a function cannot know.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpixl.core.models import Problem, Severity, YtdMethod
from kpixl.core.periods import add_months
from kpixl.udf_cells import short
from kpixl.udfs import KPI_ALERT, KPI_DOT, KPI_LATEST, KPI_RAG, KPI_SPC, KPI_YTD
from kpixl.workbook import contract
from kpixl.workbook.calculate import Outcome, calculate, cell_position
from kpixl.workbook.cells import choice
from kpixl.workbook.grid import CellValue, SheetGrid
from kpixl.workbook.planner import row_values, settings_on
from tests.workbook.grids import settings as settings_sheet

ODD_TEXT = [
    "*", "-", "n/a", "N/A", "na", "", " ", "#N/A", "#DIV/0!", "#REF!", "#VALUE!", "65%",
    " 76 % ", "0.95", " 0.95 ", "1,234", "1,23", "£5", "-£5", "+4", "1e3", "abc", "Oct-23",
    "2023-10-01", "01/10/2023", "TRUE", "nan", "inf", "#KPI: the value is text", "#hashtag",
]  # fmt: skip
NON_FINITE = [math.inf, -math.inf, math.nan]


Kinds = tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]
"""The usable cells of a column, and the odd ones."""


def _mostly(kinds: Kinds, clean: bool = False) -> st.SearchStrategy[Any]:
    """Usable cells only (``clean``), or four times in five, so that rows are rated about as
    often as they are refused."""
    valid, odd = kinds
    if clean:
        return valid
    return st.tuples(st.integers(0, 4), valid, odd).map(lambda t: t[2] if t[0] == 0 else t[1])


def _numbers(near: Sequence[float] = ()) -> Kinds:
    """Any number cell: floats (some at a boundary ± a rounding step), text numbers, odd text."""
    steps = [0.0, 0.0049, -0.0049, 0.005, -0.005, 0.00005, -0.00005, 1e-13, -1e-13]
    boundary = st.tuples(st.sampled_from(list(near) or [0.9]), st.sampled_from(steps)).map(
        lambda pair: pair[0] + pair[1]
    )
    valid = st.one_of(
        st.floats(-1.5, 1.5, allow_nan=False),
        boundary,
        boundary,
        st.floats(-1.5, 1.5, allow_nan=False).map(lambda x: f"{x:.4f}"),
        st.floats(-150, 150, allow_nan=False).map(lambda x: f"{x:.1f}%"),
    )
    odd = st.one_of(
        st.none(),
        st.integers(-5, 200),
        st.sampled_from(NON_FINITE),
        st.integers(1000, 99999).map(lambda x: f"{x:,}"),
        st.sampled_from(ODD_TEXT),
        st.booleans(),
        st.sampled_from([datetime(2023, 10, 1), date(2024, 1, 31)]),
    )
    return valid, odd


POLARITIES: Kinds = (
    st.sampled_from([None, "Higher", "Lower", "higher is better", "L", " lower "]),
    st.sampled_from(["sideways", 1.0, "#N/A", "*"]),
)
UNITS: Kinds = (
    st.sampled_from([None, "%", " % ", "Number"]),
    st.sampled_from(["£", "Seconds", "#N/A", 5]),
)
DECIMALS: Kinds = (
    st.sampled_from([None, 0, 1, 2, 1.0, "1"]),
    st.sampled_from([1.5, 11, -1, "two", "#REF!"]),
)
FREQUENCIES: Kinds = (
    st.sampled_from([None, "Monthly", "Quarterly", "quarter", " QTR ", "month"]),
    st.sampled_from(["Weekly", "#N/A"]),
)
METHODS: Kinds = (
    st.sampled_from(
        [None, "Mean", "Sum", "Latest", "Ratio", "Entered", "None", "average", "Total",
         "Cumulative", "Ratio", " ratio "]
    ),
    st.sampled_from(["Bogus", "#N/A", 3]),
)  # fmt: skip
FY_STARTS: Kinds = (
    st.sampled_from([4, 1, 7, 4.0, "April", "Jan", "jul", "7"]),
    st.sampled_from([13, 0, 4.5, "Smarch"]),
)
# Contract order: the sheet lists a row's problems left to right, as the functions rank them.
SINGLE_HEADERS = ["Type", "Polarity", "Unit", "Decimals", "Target", "Floor", "Upper", "Lower"]
ROW_HEADERS = ["Type", "Frequency", "Polarity", "Unit", "YTD method", "YTD", "Numerator"]
ROW_HEADERS += ["Denominator"]


@dataclass
class Case:
    """One workbook: a one-period sheet (a KPI row, an activity row) and a row sheet with a
    row rated over periods and the numerator and denominator rows of its Ratio."""

    month: date
    fy: CellValue
    kpi: dict[str, CellValue]
    activity: dict[str, CellValue]
    single: tuple[CellValue, CellValue]  # the KPI's and the activity's value
    row: dict[str, CellValue]
    periods: list[date]
    cells: list[CellValue]
    numerator: list[CellValue]
    denominator: list[CellValue]
    month_form: CellValue

    def grids(self) -> list[SheetGrid]:
        when = datetime(self.month.year, self.month.month, 1)
        head = ["Ref", "Indicator description"]
        single = [
            [*head, *SINGLE_HEADERS, when],
            ["K1", "kpi", *(self.kpi.get(h) for h in SINGLE_HEADERS), self.single[0]],
            ["A1", "activity", *(self.activity.get(h) for h in SINGLE_HEADERS), self.single[1]],
        ]
        dated = [datetime(p.year, p.month, 1) for p in self.periods]
        rows = [
            [*head, *ROW_HEADERS, *dated],
            ["R1", "row", *(self.row.get(h) for h in ROW_HEADERS), *self.cells],
            ["N1", "numerator", *([None] * len(ROW_HEADERS)), *self.numerator],
            ["D1", "denominator", *([None] * len(ROW_HEADERS)), *self.denominator],
        ]
        return [
            settings_sheet(when, self.fy),
            SheetGrid("Single", single),
            SheetGrid("Rows", rows),
        ]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    clean = draw(st.booleans())

    def cell(kinds: Kinds) -> Any:
        return draw(_mostly(kinds, clean))

    target, floor = cell(_numbers()), cell(_numbers())
    near = [x for x in (target, floor) if isinstance(x, float) and math.isfinite(x)]
    kpi = {
        "Type": "KPI",
        "Polarity": cell(POLARITIES),
        "Unit": cell(UNITS),
        "Decimals": cell(DECIMALS),
        "Target": target,
        "Floor": floor,
    }
    lower, upper = cell(_numbers()), cell(_numbers())
    activity = {"Type": "Activity", "Unit": cell(UNITS), "Lower": lower, "Upper": upper}
    bounds = [x for x in (lower, upper) if isinstance(x, float) and math.isfinite(x)]
    single = (cell(_numbers(near)), cell(_numbers(bounds)))
    width = draw(st.integers(1, 9))
    start = add_months(date(2023, 1, 1), draw(st.integers(0, 6)))
    periods = [add_months(start, i) for i in range(width)]
    month = add_months(start, draw(st.integers(0, width + 1)))
    refs = draw(st.booleans())
    row = {
        "Type": "Activity",
        "Frequency": cell(FREQUENCIES),
        "Polarity": cell(POLARITIES),
        "Unit": cell(UNITS),
        "YTD method": cell(METHODS),
        "YTD": cell(_numbers()),
        "Numerator": "N1" if refs else None,
        "Denominator": "D1" if refs else None,
    }
    values = st.lists(_mostly(_numbers(), clean), min_size=width, max_size=width)
    form = draw(st.sampled_from(["date", "text", "serial"]))
    month_form: CellValue = {
        "date": datetime(month.year, month.month, 1),
        "text": month.strftime("%b-%y"),
        "serial": float((month - date(1899, 12, 30)).days),
    }[form]
    return Case(
        month=month,
        fy=cell(FY_STARTS),
        kpi=kpi,
        activity=activity,
        single=single,
        row=row,
        periods=periods,
        cells=draw(values),
        numerator=draw(values),
        denominator=draw(values),
        month_form=month_form,
    )


class Sheet:
    """What the sheet path answers: computed cells and located problems, by (sheet, Ref)."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.rows: dict[tuple[str, str], tuple[dict[str, CellValue], list[Problem]]] = {}
        read = outcome.read
        for index, (indicator, result) in enumerate(outcome.evaluation.pairs()):
            name, row = read.locations[index]
            problems = [
                p
                for p in outcome.problems
                if p.sheet == name and p.cell and cell_position(p.cell)[0] == row
            ]
            on = settings_on(outcome.evaluation.report)
            self.rows[name, indicator.ref] = (row_values(indicator, result, (), on), problems)

    def answer(
        self,
        sheet: str,
        ref: str,
        column: str,
        fields: set[str],
        others: Sequence[tuple[str, str]] = (),
        names: dict[date, str] | None = None,
    ) -> object:
        """The computed cell, or the first error among ``fields`` of the row, then of the
        ``others`` rows (given as (Ref, the name the function's message gives that row))."""
        cells, problems = self.rows[sheet, ref]
        for own, label, found in [(ref, "", problems)] + [
            (other, f"{name}: ", self.rows[sheet, other][1]) for other, name in others
        ]:
            errors = [
                p for p in found if p.severity is Severity.ERROR and (p.field or "") in fields
            ]
            if errors:
                return "#KPI: " + label + short(errors[0], own, names)
        value = cells[column]
        return "N/A" if value is None else value

    def settings_error(self) -> bool:
        return any(
            p.severity is Severity.ERROR and p.sheet == "Settings" for p in self.outcome.problems
        )


def _same(expected: object, got: object) -> bool:
    if isinstance(expected, float) and isinstance(got, float):
        return expected == got or (math.isnan(expected) and math.isnan(got))
    return expected == got


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_the_functions_answer_what_the_sheet_answers(case: Case) -> None:
    sheet = Sheet(calculate(case.grids()))
    at_month = {case.month: "the value"}

    k = case.kpi
    got = KPI_RAG(case.single[0], k["Target"], k["Floor"], k["Polarity"], k["Decimals"], k["Unit"])
    rag_fields = {"Type", "Polarity", "Unit", "Decimals", "Target", "Floor", "value"}
    expected = sheet.answer("Single", "K1", contract.LATEST_RAG, rag_fields, names=at_month)
    assert expected == got, sheet.rows["Single", "K1"]

    a = case.activity
    got = KPI_ALERT(case.single[1], a["Lower"], a["Upper"], a["Unit"])
    alert_fields = {"Type", "Unit", "Upper", "Lower", "value"}
    expected = sheet.answer(
        "Single", "A1", contract.IN_EXPECTED_RANGE, alert_fields, names=at_month
    )
    assert expected == got, sheet.rows["Single", "A1"]

    r = case.row
    base = (case.cells, case.periods, case.month_form)
    if sheet.settings_error():  # an unreadable financial year start: the functions refuse it
        refusal = "#KPI: fy_start_month must be a month: 1 to 12 or its name"
        assert refusal == KPI_LATEST(*base, r["Frequency"], case.fy, r["Unit"])
        return
    row_fields = {"Type", "Frequency", "Unit", "value"}
    got = KPI_LATEST(*base, r["Frequency"], case.fy, r["Unit"])
    assert _same(sheet.answer("Rows", "R1", contract.LATEST_VALUE, row_fields), got)

    got = KPI_DOT(
        case.cells, r["Polarity"], case.periods, case.month_form, r["Frequency"], case.fy, r["Unit"]
    )
    expected = sheet.answer("Rows", "R1", contract.DIRECTION, row_fields | {"Polarity"})
    assert expected == got

    method = r["YTD method"]
    ratio = isinstance(method, str) and choice("YTD method", method) is YtdMethod.RATIO
    # One blank cell passed as a Ratio range is what Excel hands over for an argument left
    # out, so the function cannot tell them apart: such a range is given as two cells.
    if len(case.periods) == 1 and (case.numerator == [None] or case.denominator == [None]):
        ratio = False
    refs = ratio and r["Numerator"] is not None
    others = [("N1", "Numerator"), ("D1", "Denominator")] if refs else []
    got = KPI_YTD(
        *base[:1],
        method,
        case.periods,
        case.month_form,
        case.fy,
        r["YTD"],
        case.numerator if refs else None,
        case.denominator if refs else None,
        r["Frequency"],
        r["Unit"],
    )
    ytd_fields = row_fields | {"YTD method", "YTD", "Numerator", "Denominator"}
    expected = sheet.answer("Rows", "R1", contract.YTD_VALUE, ytd_fields, others)
    assert _same(expected, got)


# --- direction of travel by method and SPC (SPEC 8.1-8.2): Settings cells against arguments

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


def test_the_issue_examples_agree() -> None:
    """The cases issue 10 found, each now the sheet's answer."""
    assert "GREEN" == KPI_RAG("65%", 0.6, 0.5)
    assert "GREEN" == KPI_RAG(" 0.95 ", 0.9, 0.8)
    assert "GREEN" == KPI_RAG("1,234", 1000, 900)
    assert "GREEN" == KPI_RAG("£5", 5, 4)
    assert "N/A" == KPI_RAG("-", 0.9, 0.8)
    assert 2.0 == KPI_YTD([1, 2, 3], "Average")
    assert 6.0 == KPI_YTD([1, 2, 3], "Total", None, None, "April")
    quarterly = KPI_LATEST([0.5, 0.6, 0.9], ["Aug-23", "Sep-23", "Oct-23"], None, "Quarterly")
    assert 0.6 == quarterly
    assert "#KPI: the value is 76, which would be 7,600%." == KPI_RAG(
        76, 0.85, 0.75, None, None, "%"
    )
    assert KPI_RAG(512, 400, 550, "Higher").startswith("#KPI: Polarity says higher is better")
    assert "#KPI: the value is the error #N/A, so it cannot be used." == KPI_RAG("#N/A", 0.9, 0.8)
