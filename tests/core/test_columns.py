"""The column table: SPEC's names, a consistent table, and every derivation reading it."""

from __future__ import annotations

import math
from datetime import date
from enum import Enum

import pytest
from pydantic import ValidationError

from kpixl import Indicator, IndicatorType, Problem, Report, Result, Severity, evaluate
from kpixl.core.checks import check_indicator
from kpixl.core.columns import (
    AFTER_PERIODS,
    BEFORE_PERIODS,
    INPUTS,
    THRESHOLDS,
    Check,
    Column,
    Computed,
    Kind,
    Needs,
    column_by_key,
    computed_by_key,
    computed_in_force,
)
from kpixl.core.evaluate import rate_indicator
from kpixl.workbook.cells import CHOICES
from kpixl.workbook.contract import choice_options

OCT = date(2023, 10, 1)
SPEC_INPUTS = [
    "Ref",
    "Indicator description",
    "Type",
    "Frequency",
    "Polarity",
    "Unit",
    "Decimals",
    "Target",
    "Floor",
    "Upper",
    "Lower",
    "Tolerance",  # SPEC 8.4
    "YTD method",
    "YTD",
    "Numerator",
    "Denominator",
    "Previous year",
    "Commentary",
]
SPEC_COMPUTED = [
    "Latest period",
    "Latest value",
    "Latest RAG",
    "YTD value",
    "YTD RAG",
    "In expected range?",
    "Direction of travel",
    "Checks",
]
NUMBERS = [c for c in INPUTS if c.spec.kind is Kind.NUMBER]
KPI = Indicator(ref="FN07", unit="%", target=0.9, floor=0.85, values={OCT: 0.88})


def test_headers_are_specs_names_in_template_order() -> None:
    assert SPEC_INPUTS == [c.value for c in INPUTS]
    assert SPEC_COMPUTED == [c.value for c in computed_in_force()]
    spc = [*SPEC_COMPUTED[:-1], "Variation", "Assurance", "Checks"]  # SPEC 8.2, with SPC On
    assert spc == [c.value for c in computed_in_force([Needs.SPC])] == [c.value for c in Computed]
    assert [*BEFORE_PERIODS, *AFTER_PERIODS] == list(INPUTS)
    assert [Column.COMMENTARY] == list(AFTER_PERIODS)
    assert [Column.TARGET, Column.FLOOR, Column.UPPER, Column.LOWER] == list(THRESHOLDS)


@pytest.mark.parametrize("column", list(Column))
def test_every_column_fills_an_indicator_field(column: Column) -> None:
    assert column.spec.attribute in Indicator.model_fields


@pytest.mark.parametrize("column", [c for c in Column if c.spec.checks])
def test_checks_apply_only_to_numbers(column: Column) -> None:
    assert column.spec.kind in (Kind.NUMBER, Kind.PERIOD, Kind.PREVIOUS_YEAR)  # a number or a note


@pytest.mark.parametrize("column", [c for c in Computed if c.spec.attribute])
def test_every_computed_column_shows_a_result_field(column: Computed) -> None:
    assert column.spec.attribute in Result.model_fields


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ref", Column.REF),
        (" indicator  DESCRIPTION ", Column.DESCRIPTION),
        ("Floor Standard", Column.FLOOR),  # the reference report's name for the Floor
        ("ytd method", Column.YTD_METHOD),
        ("Description", None),  # too loose: a sheet may hold both
        ("value", None),  # the period columns have dates as headers
        ("Latest RAG", None),
    ],
)
def test_headers_are_matched_loosely_with_few_aliases(typed: str, expected: Column | None) -> None:
    assert expected is column_by_key(typed)


def test_computed_headers_are_matched_loosely() -> None:
    assert Computed.IN_EXPECTED_RANGE is computed_by_key("in expected range ?")
    assert computed_by_key("Target") is None


@pytest.mark.parametrize("column", [c for c in INPUTS if c.spec.kind is Kind.CHOICE])
def test_a_choice_column_offers_its_fields_enum(column: Column) -> None:
    options = choice_options(column)
    assert options == CHOICES[column.value]  # the cell reader accepts the same options
    annotation = Indicator.model_fields[column.spec.attribute].annotation
    kinds = [a for a in (annotation, *getattr(annotation, "__args__", ())) if isinstance(a, type)]
    enum = next(k for k in kinds if issubclass(k, Enum))
    assert options == tuple(member.value for member in enum)


def test_only_choice_columns_have_options() -> None:
    with pytest.raises(TypeError, match="Target is not a choice column"):
        choice_options(Column.TARGET)


# --- Problem.field is typed ------------------------------------------------------------------


def test_a_problem_field_is_a_column_read_from_its_header() -> None:
    problem = Problem(severity=Severity.ERROR, message="m", field="Target")  # type: ignore[arg-type]
    assert problem.field is Column.TARGET
    assert '"field":"Target"' in problem.model_dump_json()
    assert Column.VALUE is Problem(severity=Severity.ERROR, message="m", field="value").field  # type: ignore[arg-type]


def test_a_problem_field_must_name_a_column() -> None:
    with pytest.raises(ValidationError):
        Problem(severity=Severity.ERROR, message="m", field="Tagret")  # type: ignore[arg-type]


# --- derivations: the checks and evaluate follow the table --------------------------------


@pytest.mark.parametrize("column", [c for c in INPUTS if Check.FINITE in c.spec.checks])
def test_a_non_finite_number_is_a_problem_in_every_checked_column(column: Column) -> None:
    indicator = KPI.model_copy(update={column.spec.attribute: math.inf})
    problems = [p for p in check_indicator(indicator, OCT) if p.field is column]
    assert [f"FN07: the {column.value} is inf, which is not a usable number."] == [
        p.message for p in problems
    ]


@pytest.mark.parametrize("column", [c for c in INPUTS if Check.PERCENT in c.spec.checks])
def test_percent_typed_as_a_whole_number_is_caught_in_every_checked_column(column: Column) -> None:
    indicator = KPI.model_copy(update={column.spec.attribute: 65.0})
    problems = [p for p in check_indicator(indicator, OCT) if p.field is column]
    assert 1 == len(problems)
    assert problems[0].message.startswith(f"FN07: the {column.value} is 65, which would be ")


def test_period_values_are_checked_like_the_columns_that_say_so() -> None:
    indicator = KPI.model_copy(update={"values": {OCT: math.nan, date(2023, 9, 1): 88.0}})
    found = {(p.field, p.period) for p in check_indicator(indicator, OCT)}
    assert {(Column.VALUE, OCT), (Column.VALUE, date(2023, 9, 1))} <= found


@pytest.mark.parametrize("column", NUMBERS)
def test_a_rejected_number_is_rated_as_if_blank(column: Column) -> None:
    values: dict[str, object] = {"target": 0.9, "floor": 0.85, "upper": 0.95, "lower": 0.8}
    values["ytd_entered"] = 0.87
    activity = column.spec.dashboard == "Activity"
    values["type"] = IndicatorType.ACTIVITY if activity else IndicatorType.KPI
    indicator = KPI.model_copy(update={**values, column.spec.attribute: math.nan})
    report = Report(reporting_month=OCT, indicators=(indicator,))
    rated = evaluate(report).results[0]
    blank = KPI.model_copy(update={**values, column.spec.attribute: None})
    expected = rate_indicator(blank, report)
    assert any(p.field is column for p in rated.problems)
    assert expected.model_copy(update={"problems": rated.problems}) == rated
