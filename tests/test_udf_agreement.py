"""One truth for a cell: odd cell values fed to BOTH the sheet path (a real workbook grid through
``calculate`` and the computed columns' ``row_values``) and the worksheet functions give the
same answer, cell for cell: the same rating or value, or — when the row has an error-level
problem among the cells the function takes — that very problem as ``#KPI:`` text.

Nothing is filtered out: text numbers, % text, thousands separators, ``-``, ``*``, Excel error
values, dates and dates as text, booleans, quarterly rows, rounding at the boundary, non-finite
figures, contradicting polarities, % typing errors, YTD aliases, month names, an unreadable
financial year start (the sheet reports it on Settings; the functions refuse it), odd
tolerances (SPEC 8.4), and a Targets sheet whose rows (right, wrong and unknown Refs, the
reporting month or others, odd cells, duplicates) ``KPI_RAG`` and ``KPI_ALERT`` are given as
their ``targets`` range: they answer with the rows the sheet uses, or the error the sheet
reports for that Ref's row in that period. The Settings
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
from kpixl.udfs import KPI_ALERT, KPI_DOT, KPI_LATEST, KPI_RAG, KPI_YTD
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
TOLERANCES: Kinds = (
    st.sampled_from([None, None, 0.1, 0.05, 0, 1, "10%", " 0.2 ", 0.1 + 1e-13]),
    st.sampled_from([1.5, -0.1, 10, "ten", "#N/A", math.nan, "*"]),
)
FY_STARTS: Kinds = (
    st.sampled_from([4, 1, 7, 4.0, "April", "Jan", "jul", "7"]),
    st.sampled_from([13, 0, 4.5, "Smarch"]),
)
# Contract order: the sheet lists a row's problems left to right, as the functions rank them.
SINGLE_HEADERS = ["Type", "Polarity", "Unit", "Decimals", "Target", "Floor", "Upper", "Lower"]
SINGLE_HEADERS += ["Tolerance"]
ROW_HEADERS = ["Type", "Frequency", "Polarity", "Unit", "YTD method", "YTD", "Numerator"]
ROW_HEADERS += ["Denominator"]
TARGETS_HEADERS = ("Ref", "Period", "Target", "Floor", "Upper", "Lower")


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
    targets: list[list[CellValue]]  # rows under Ref, Period, Target, Floor; [] no Targets sheet

    def targets_range(self) -> list[list[CellValue]] | None:
        return [list(TARGETS_HEADERS), *self.targets] if self.targets else None

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
        grids = [
            settings_sheet(when, self.fy),
            SheetGrid("Single", single),
            SheetGrid("Rows", rows),
        ]
        table = self.targets_range()
        return grids if table is None else [*grids, SheetGrid("Targets", table)]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    clean = draw(st.booleans())

    def cell(kinds: Kinds) -> Any:
        return draw(_mostly(kinds, clean))

    target, floor = cell(_numbers()), cell(_numbers())
    near = [x for x in (target, floor) if isinstance(x, float) and math.isfinite(x)]
    near += [x * f for x in near for f in (0.9, 1.1, 0.95, 1.05)]  # tolerance boundaries
    kpi = {
        "Type": "KPI",
        "Polarity": cell(POLARITIES),
        "Unit": cell(UNITS),
        "Decimals": cell(DECIMALS),
        "Target": target,
        "Floor": floor,
        "Tolerance": cell(TOLERANCES),
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
    target_refs = st.sampled_from(["K1", "K1", "K1", "A1", "A1", "k1", "X9", None])
    target_periods = st.sampled_from(
        [
            datetime(month.year, month.month, 1),
            month.strftime("%b-%y"),
            datetime(2022, 1, 1),
            "soon",
            None,
        ]
    )
    near_target = _numbers([x for x in (target, floor) if isinstance(x, float)])
    near_bounds = _numbers([x for x in (lower, upper) if isinstance(x, float)])
    targets = draw(
        st.lists(
            st.tuples(
                target_refs,
                target_periods,
                _mostly(near_target, clean),
                _mostly(near_target, clean),
                _mostly(near_bounds, clean),
                _mostly(near_bounds, clean),
            ).map(list),
            max_size=3,
        )
    )
    return Case(
        targets=targets,
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
        at: date | None = None,
    ) -> object:
        """The computed cell, or the first error among ``fields`` of the row, then of the
        ``others`` rows (given as (Ref, the name the function's message gives that row)), then
        (``at``: a period) of the Targets sheet's rows for ``ref`` in that period."""
        cells, problems = self.rows[sheet, ref]
        for own, label, found in [(ref, "", problems)] + [
            (other, f"{name}: ", self.rows[sheet, other][1]) for other, name in others
        ]:
            errors = [
                p for p in found if p.severity is Severity.ERROR and (p.field or "") in fields
            ]
            if errors:
                return "#KPI: " + label + short(errors[0], own, names)
        if at is not None:  # every error of the Targets rows for ref in that period
            errors = [
                p for p in self.outcome.problems if p.sheet == "Targets" and p.ref == ref
                and p.period == at and p.severity is Severity.ERROR
            ]  # fmt: skip
            if errors:
                return "#KPI: " + short(errors[0], ref)
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
    rated = (case.single[0], k["Target"], k["Floor"], k["Polarity"], k["Decimals"], k["Unit"])
    rag_fields = {"Type", "Polarity", "Unit", "Decimals", "Target", "Floor", "Tolerance", "value"}
    table = case.targets_range()
    if table is None:
        got = KPI_RAG(*rated, k["Tolerance"])
        expected = sheet.answer("Single", "K1", contract.LATEST_RAG, rag_fields, names=at_month)
    else:  # the same value, rated with the Targets rows for its period
        got = KPI_RAG(*rated, k["Tolerance"], table, "K1", case.month_form)
        expected = sheet.answer(
            "Single", "K1", contract.LATEST_RAG, rag_fields, names=at_month, at=case.month
        )
    assert expected == got, (sheet.rows["Single", "K1"], sheet.outcome.problems)

    a = case.activity
    alert_fields = {"Type", "Unit", "Upper", "Lower", "value"}
    checked = (case.single[1], a["Lower"], a["Upper"], a["Unit"])
    if table is None:
        got = KPI_ALERT(*checked)
    else:  # with the Upper and Lower of the Targets rows for its period
        got = KPI_ALERT(*checked, table, "A1", case.month_form)
    expected = sheet.answer(
        "Single", "A1", contract.IN_EXPECTED_RANGE, alert_fields, names=at_month, at=case.month
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
