"""Reading grids into a report: sheets, headers, cells, settings, and every reading problem."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kpixl import Frequency, IndicatorType, Person, Polarity, Problem, Severity, YtdMethod, evaluate
from kpixl.core.checks import duplicate_ref_problem, text_in_number_problem
from kpixl.errors import WorkbookError
from kpixl.sample import load_sample
from kpixl.workbook.calculate import calculate
from kpixl.workbook.cells import ErrorValue, Mark, number_from_text, read_number
from kpixl.workbook.grid import CellValue, SheetGrid
from kpixl.workbook.layout_from_report import report_to_grids, sheet_name
from kpixl.workbook.reader import read_book
from tests.core.test_reference import ALERTS, KPI_RAGS
from tests.workbook.grids import (
    ABOVE,
    ACTIVITY,
    AUG,
    HEADER,
    KPI,
    OCT,
    SEP,
    SETTINGS,
    book,
    changed,
    settings,
    sheet,
)

SAMPLE = load_sample()


def located(problems: tuple[Problem, ...]) -> list[tuple[str, str]]:
    return [(p.location, p.message) for p in problems]


# ------------------------------------------------------------------ the reference, round trip


def test_the_sample_laid_out_reads_back_as_the_same_report() -> None:
    read = read_book(report_to_grids(SAMPLE))
    assert (SAMPLE, ()) == (read.report, read.problems)


@pytest.mark.parametrize(("ref", "expected"), sorted(KPI_RAGS.items()))
def test_reference_rags_come_out_of_the_workbook(
    ref: str, expected: tuple[str | None, str | None]
) -> None:
    result = calculate(report_to_grids(SAMPLE)).evaluation.result(ref)
    rags = (result.latest_rag, result.ytd_rag)
    assert expected == tuple(None if r is None else r.value for r in rags)


@pytest.mark.parametrize(("ref", "expected"), sorted(ALERTS.items()))
def test_reference_alerts_come_out_of_the_workbook(ref: str, expected: str) -> None:
    alert = calculate(report_to_grids(SAMPLE)).evaluation.result(ref).alert
    assert expected == (alert.value if alert else None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Finance", "Finance"),
        ("Marketing and Resident Experience", "Marketing and Resident"),
        ("Human Resources and Organisational Development", "Human Resources"),
        ("Q1/Q2 [draft]: costs?", "Q1 Q2 draft costs"),
        ("settings", "settings (2)"),
    ],
)
def test_sheet_names_are_valid_and_unique(name: str, expected: str) -> None:
    assert expected == sheet_name(name, {"settings"})


# ------------------------------------------------------------------ sheets and header block


@pytest.mark.parametrize("name", ["Summary", "DASHBOARD", "Guidance", "xlwings.conf", "settings"])
def test_generated_and_support_sheets_are_never_indicator_sheets(name: str) -> None:
    read = read_book([SETTINGS, sheet(KPI, name=name), sheet(KPI, name="Finance")])
    assert ["Finance"] == [s.name for s in read.sheets]


@pytest.mark.parametrize(("blank_rows", "found"), [(16, True), (17, False)])
def test_the_header_row_must_be_in_the_first_20_rows(blank_rows: int, found: bool) -> None:
    grid = sheet(KPI, above=[*ABOVE, *[[]] * blank_rows])  # header on 0-based row 3 + blanks
    read = read_book([SETTINGS, grid, sheet(KPI, name="Other")])
    assert found == ("Finance" in [s.name for s in read.sheets])


def test_no_indicator_sheet_names_the_file() -> None:
    with pytest.raises(WorkbookError) as raised:
        read_book([SETTINGS, SheetGrid("Notes", [["Ref", "Description"]])], "budget.xlsm")
    assert (
        "budget.xlsm: no indicator sheets found: a sheet needs a header row with Ref and "
        "Indicator description in its first 20 rows"
    ) == str(raised.value)


def test_header_block_labels_are_matched_loosely() -> None:
    above: list[list[CellValue]] = [
        ["Performance of the service"],
        ["Service Area:", None, "  Health and Safety "],
        ["department", "Deputy Chief Executive's Department", "Cabinet Member", "Dylan Jeffrey"],
        ["Interim Head of Service", "Maria Kelly"],
        [],
    ]
    area = read_book([SETTINGS, sheet(KPI, name="H&S", above=above)]).report.areas[0]
    assert ("Health and Safety", "Deputy Chief Executive's Department") == (
        area.name,
        area.department,
    )
    assert (
        Person(role="Cabinet Member", name="Dylan Jeffrey"),
        Person(role="Interim Head of Service", name="Maria Kelly"),
    ) == area.people


def test_without_service_area_the_sheet_name_is_used() -> None:
    read = read_book([SETTINGS, sheet(KPI, name="Technology", above=[])])
    assert ("Technology", "Technology") == (read.report.areas[0].name, read.sheets[0].area)
    assert "Technology" == read.report.indicators[0].service_area


def test_sheets_with_the_same_service_area_merge_into_one_area() -> None:
    second: list[list[CellValue]] = [["Service Area", "Finance"], ["Cabinet Member", "P Oakford"]]
    read = read_book([sheet(KPI), sheet(ACTIVITY, name="Finance 2", above=second)])
    assert ["Finance"] == [a.name for a in read.report.areas]
    assert ["Director", "Cabinet Member"] == [p.role for p in read.report.areas[0].people]
    assert [("Finance", 4), ("Finance 2", 3)] == list(read.locations)


# ------------------------------------------------------------------ header row


def test_headers_match_case_and_space_insensitively_in_any_order() -> None:
    header = [" ref ", "Polarity", "INDICATORDESCRIPTION", "ytd  method", "Oct-23", "TARGET",
              "floor", "Type", "Notes", "Decimals", "YTD", "Previous Year",
              "latest rag"]  # fmt: skip
    row: list[CellValue] = ["FN06", "Lower", "Debt", "entered", 0.43, 0.3, 0.35, "kpi", "ignored",
                            1, 0.2, "n/a"]  # fmt: skip
    read = read_book([SETTINGS, sheet(row, header=header)])
    indicator = read.report.indicators[0]
    assert (
        "FN06", "Debt", Polarity.LOWER, YtdMethod.ENTERED, 0.3, 0.35, IndicatorType.KPI, 1, 0.2,
        "n/a", {OCT: 0.43},
    ) == (
        indicator.ref, indicator.description, indicator.polarity, indicator.ytd_method,
        indicator.target, indicator.floor, indicator.type, indicator.decimals,
        indicator.ytd_entered, indicator.previous_year, indicator.values,
    )  # fmt: skip
    assert ({"Latest RAG": 12}, 12) == (read.sheets[0].computed, read.sheets[0].last_column)


@pytest.mark.parametrize(
    ("header", "period"),
    [
        ("Apr-23", date(2023, 4, 1)),
        ("Apr 2023", date(2023, 4, 1)),
        ("April 2023", date(2023, 4, 1)),
        ("Dec-22 (Q3)", date(2022, 12, 1)),
        (datetime(2023, 6, 30), date(2023, 6, 1)),
        (date(2023, 2, 14), date(2023, 2, 1)),
    ],
)
def test_period_headers(header: CellValue, period: date) -> None:
    read = read_book([SETTINGS, sheet(["X1", "x", 5], header=["Ref", "Indicator description",
                                                                header])])  # fmt: skip
    assert ({2: period}, {period: 5.0}) == (
        read.sheets[0].period_columns,
        read.report.indicators[0].values,
    )


@pytest.mark.parametrize(
    ("duplicate", "message"),
    [
        ("target", "Sheet 'Finance' has more than one 'target' column (E4 and M4); kpixl reads "
         "only the first. Delete or rename the other."),
        ("Oct-23", "Sheet 'Finance' has more than one 'Oct-23' column (K4 and M4); kpixl reads "
         "only the first. Delete or rename the other."),
    ],
)  # fmt: skip
def test_a_duplicate_header_is_a_problem_and_the_first_column_counts(
    duplicate: str, message: str
) -> None:
    read = read_book([SETTINGS, sheet(changed(KPI, M=1), header=[*HEADER, duplicate])])
    assert [("Finance!M4", message)] == located(read.problems)
    assert (0.9, 0.91) == (read.report.indicators[0].target, read.report.indicators[0].values[OCT])


def test_unknown_headers_repeated_are_no_problem() -> None:
    read = read_book([SETTINGS, sheet(KPI, header=[*HEADER, "Notes", "Notes"])])
    assert [] == located(read.problems)


# ------------------------------------------------------------------ rows and cells


def test_empty_rows_do_not_end_the_table() -> None:
    read = read_book(book(KPI, [], [None, None, "  "], ACTIVITY))
    assert ((4, 7), ("FN07", "FN01")) == (
        read.sheets[0].rows,
        tuple(i.ref for i in read.report.indicators),
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (0, 0.0),
        (0.25, 0.25),
        (7, 7.0),
        ("*", None),
        ("n/a", None),
        ("N/A", None),
        ("na", None),
        ("-", None),
        ("65", 65.0),
        (" 12 ", 12.0),
        ("1,234", 1234.0),
        ("65%", 0.65),
        ("12.5 %", 0.125),
        ("-£1,234.5", -1234.5),
    ],
)
def test_period_values(typed: CellValue, expected: float | None) -> None:
    read = read_book(book(changed(ACTIVITY, K=typed)))
    assert ({AUG: 150.0, SEP: 160.0, OCT: expected}, ()) == (
        read.report.indicators[0].values,
        read.problems,
    )


def test_a_blank_period_is_absent() -> None:
    assert {AUG: 150.0, SEP: 160.0} == read_book(book()).report.indicators[1].values


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (None, Mark.BLANK),
        ("   ", Mark.BLANK),
        (True, "TRUE"),
        ("1,23", "1,23"),
        ("1.2.3", "1.2.3"),
        ("nan", "nan"),
        ("inf", "inf"),
        ("%", "%"),
        (datetime(2023, 10, 1), "01/10/2023"),
        ("#N/A", ErrorValue("#N/A")),
        (" #DIV/0! ", ErrorValue("#DIV/0!")),
        ("#KPI: the value is 76", ErrorValue("#KPI: the value is 76")),
        ("#hashtag", "#hashtag"),
    ],
)
def test_what_is_not_a_number(typed: CellValue, expected: float | Mark | ErrorValue | str) -> None:
    assert expected == read_number(typed)


@pytest.mark.parametrize(("typed", "expected"), [("1e3", 1000.0), (".5", 0.5), ("+4", 4.0)])
def test_number_text_forms(typed: str, expected: float) -> None:
    assert expected == number_from_text(typed)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"C": None}, (IndicatorType.KPI, Frequency.MONTHLY)),  # Target given
        ({"C": None, "E": None, "F": None}, (IndicatorType.ACTIVITY, Frequency.MONTHLY)),
        ({"C": " activity "}, (IndicatorType.ACTIVITY, Frequency.MONTHLY)),
    ],
)
def test_type_and_frequency_defaults(
    cells: dict[str, CellValue], expected: tuple[object, ...]
) -> None:
    indicator = read_book(book(changed(KPI, **cells))).report.indicators[0]
    assert expected == (indicator.type, indicator.frequency)


def test_frequency_and_text_columns() -> None:
    header = ["Ref", "Indicator description", "Frequency", "Unit", "Numerator", "Commentary",
              "Previous year", "Decimals"]  # fmt: skip
    row: list[CellValue] = [101.0, "Calls", "QUARTERLY", " % ", "CS01", "  Better  ", "0.5", 2.0]
    indicator = read_book([SETTINGS, sheet(row, header=header)]).report.indicators[0]
    assert ("101", Frequency.QUARTERLY, "%", "CS01", "Better", 0.5, 2) == (
        indicator.ref, indicator.frequency, indicator.unit, indicator.numerator,
        indicator.commentary, indicator.previous_year, indicator.decimals,
    )  # fmt: skip


# ------------------------------------------------------------------ every reading problem

_CHOICE = "is not one kpixl knows; use one of"


@pytest.mark.parametrize(
    ("cells", "location", "message"),
    [
        ({"K": "abc"}, "Finance!K5", "FN07: the Oct-23 value is the text 'abc', but a number "
         "belongs there. Type the number, or * if it is not available."),
        ({"E": "ninety"}, "Finance!E5", "FN07: the Target is the text 'ninety', but a number "
         "belongs there. Type the number, or * if it is not available."),
        ({"C": "Key"}, "Finance!C5", f"FN07: Type 'Key' {_CHOICE} KPI, Activity."),
        ({"A": None}, "Finance!A5", "The indicator 'Invoices paid' has no Ref, so it cannot be "
         "rated or listed. Give it one."),
    ],
)  # fmt: skip
def test_cell_problems_name_sheet_and_cell(
    cells: dict[str, CellValue], location: str, message: str
) -> None:
    assert [(location, message)] == located(read_book(book(changed(KPI, **cells))).problems)


@pytest.mark.parametrize(
    ("column", "typed", "location", "message"),
    [
        ("Frequency", "weekly", "Finance!M5", f"FN07: Frequency 'weekly' {_CHOICE} Monthly, "
         "Quarterly, Six-monthly, Annual."),
        ("Polarity", "sideways", "Finance!M5", f"FN07: Polarity 'sideways' {_CHOICE} Higher, "
         "Lower."),
        ("YTD method", "median", "Finance!M5", f"FN07: YTD method 'median' {_CHOICE} Mean, Sum, "
         "Latest, Ratio, Entered, None."),
        ("Decimals", 1.5, "Finance!M5", "FN07: Decimals is '1.5', but it must be a whole number "
         "from 0 to 10. Correct it or leave it blank."),
        ("Decimals", 11, "Finance!M5", "FN07: Decimals is '11', but it must be a whole number "
         "from 0 to 10. Correct it or leave it blank."),
    ],
)  # fmt: skip
def test_problems_in_extra_columns(
    column: str, typed: CellValue, location: str, message: str
) -> None:
    grids = [SETTINGS, sheet(changed(KPI, M=typed), header=[*HEADER, column])]
    assert [(location, message)] == located(read_book(grids).problems)


def test_formulas_without_a_saved_value() -> None:
    pending = frozenset({(4, 9), (4, 4)})  # J5 (Sep value) and E5 (Target)
    row = changed(KPI, J=None, E=None)
    read = read_book([SETTINGS, sheet(row, ACTIVITY, pending=pending)])
    assert [
        ("Finance!E5", "FN07: the Target is a formula whose result was never saved. Open the "
         "workbook in Excel, let it calculate, save it and run kpixl again."),
        ("Finance!J5", "FN07: the Sep-23 value is a formula whose result was never saved. Open "
         "the workbook in Excel, let it calculate, save it and run kpixl again."),
    ] == located(read.problems)  # fmt: skip
    assert IndicatorType.KPI == read.report.indicators[0].type


def test_a_ref_formula_without_a_saved_value() -> None:
    read = read_book([SETTINGS, sheet(changed(KPI, A=None), ACTIVITY, pending=frozenset({(4, 0)}))])
    assert ["FN01"] == [i.ref for i in read.report.indicators]
    assert [
        ("Finance!A5", "This row: the Ref is a formula whose result was never saved. Open the "
         "workbook in Excel, let it calculate, save it and run kpixl again."),
    ] == located(read.problems)  # fmt: skip


@pytest.mark.parametrize(("target", "expected"), [("-", IndicatorType.ACTIVITY),
                                                  ("n/a", IndicatorType.ACTIVITY),
                                                  ("0.9", IndicatorType.KPI)])  # fmt: skip
def test_a_not_available_mark_is_no_target(target: str, expected: IndicatorType) -> None:
    indicator = read_book(book(changed(KPI, C=None, E=target))).report.indicators[0]
    assert expected == indicator.type


# ------------------------------------------------------------------ settings


@pytest.mark.parametrize(
    "typed",
    [datetime(2023, 10, 31), date(2023, 10, 1), "Oct 2023", "Oct-23", "October 2023",
     "2023-10-15", "15/10/2023", 45214],
)  # fmt: skip
def test_reporting_month_forms(typed: CellValue) -> None:
    read = read_book([settings(month=typed), sheet(KPI)])
    assert (OCT, ()) == (read.report.reporting_month, read.problems)


@pytest.mark.parametrize(("typed", "expected"), [(4, 4), (1.0, 1), ("April", 4), ("jan", 1),
                                                  ("10", 10)])  # fmt: skip
def test_financial_year_start_forms(typed: CellValue, expected: int) -> None:
    read = read_book([settings(fy_start=typed), sheet(KPI)])
    assert (expected, ()) == (read.report.fy_start_month, read.problems)


def test_settings_table_anywhere_in_the_first_rows() -> None:
    grid = SheetGrid(
        "SETTINGS",
        [["Read me first"], [], [None, "setting", None, " Value "],
         [None, "Reporting Month", None, datetime(2023, 9, 1)], [None, "Report title", None, "T"],
         [None, "Produced by", None, "Me"]],
    )  # fmt: skip
    report = read_book([sheet(KPI), grid]).report
    assert (date(2023, 9, 1), "T", "Me", 4) == (
        report.reporting_month,
        report.title,
        report.produced_by,
        report.fy_start_month,
    )


@pytest.mark.parametrize(
    ("grids", "expected"),
    [
        ([sheet(KPI)], [("", "There is no sheet named 'Settings', so kpixl reports up to Oct "
          "2023 (the latest month with figures), titles the paper 'Performance Dashboard' and "
          "names nobody after 'Produced by'. Add (or rename back) the Settings sheet with a "
          "Setting | Value table.")]),
        ([settings(month=None), sheet(KPI)], [("Settings", "No Reporting month is set, so kpixl "
          "reports up to Oct 2023, the latest month with figures. Fill in the Reporting month "
          "setting to choose the month.")]),
        ([settings(month="soon"), sheet(KPI)], [("Settings!B4", "The Reporting month 'soon' is "
          "not a month. Type a date in that month, such as 01/10/2023; until then kpixl reports "
          "up to Oct 2023, the latest month with figures.")]),
        ([settings(fy_start=13), sheet(KPI)], [("Settings!B5", "The Financial year start month "
          "'13' is not a month. Type a number from 1 to 12 (4 = April); until then April is "
          "used.")]),
        ([SheetGrid("Settings", [["Reporting month", datetime(2023, 10, 1)]]), sheet(KPI)],
         [("Settings", "Sheet 'Settings' has no table headed 'Setting' and 'Value' in its first "
           "20 rows, so no setting was read. Put the headers above the settings."),
          ("Settings", "No Reporting month is set, so kpixl reports up to Oct 2023, the latest "
           "month with figures. Fill in the Reporting month setting to choose the month.")]),
        ([SheetGrid("Settings", settings(month=None).rows, frozenset({(3, 1)})), sheet(KPI)],
         [("Settings!B4", "The Reporting month is a formula whose result was never saved. Open "
           "the workbook in Excel, let it calculate, save it and run kpixl again."),
          ("Settings", "No Reporting month is set, so kpixl reports up to Oct 2023, the latest "
           "month with figures. Fill in the Reporting month setting to choose the month.")]),
    ],
)  # fmt: skip
def test_settings_problems(grids: list[SheetGrid], expected: list[tuple[str, str]]) -> None:
    read = read_book(grids)
    assert (expected, OCT) == (located(read.problems), read.report.reporting_month)


@pytest.mark.parametrize(
    ("label", "value", "expected"),
    [
        ("Report title", None, "No Report title is set, so the Summary and Dashboard are titled "
         "'Performance Dashboard'. Fill in the Report title setting."),
        ("Produced by", None, "No Produced by is set, so the papers' cover and footer name "
         "nobody. Fill in the Produced by setting."),
    ],
)  # fmt: skip
def test_settings_that_fall_back_are_named(label: str, value: CellValue, expected: str) -> None:
    rows = [list(r) for r in settings().rows]
    for row in rows:
        if row and row[0] == label:
            row[1] = value
    read = read_book([SheetGrid("Settings", rows), sheet(KPI)])
    assert [("Settings", expected)] == located(read.problems)


def test_a_setting_label_with_a_colon_is_read() -> None:
    rows = [[("Reporting Month:" if r and r[0] == "Reporting month" else r[0]), *r[1:]]
            for r in settings(month=datetime(2023, 9, 1)).rows]  # fmt: skip
    read = read_book([SheetGrid("Settings", rows), sheet(KPI)])
    assert (date(2023, 9, 1), ()) == (read.report.reporting_month, read.problems)


def test_without_a_reporting_month_the_latest_month_with_a_number_is_used() -> None:
    rows = [changed(KPI, K="*"), changed(ACTIVITY, K=None)]
    assert SEP == read_book([sheet(*rows)]).report.reporting_month


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (datetime(2023, 7, 1), ("ERROR", "The reporting month (Jul 2023) is before the first "
                                "period column of sheet 'Finance' (Aug-23). Check the Reporting "
                                "month setting.")),
        (datetime(2024, 2, 1), ("WARNING", "The reporting month (Feb 2024) is after the last "
                                "period column of sheet 'Finance' (Oct-23). Add columns for the "
                                "new months.")),
    ],
)  # fmt: skip
def test_period_coverage_is_checked_per_sheet(month: datetime, expected: tuple[str, str]) -> None:
    problems = read_book([settings(month=month), sheet(KPI)]).problems
    assert [(expected[0].lower(), "Finance", None, expected[1])] == [
        (p.severity.value, p.sheet, p.cell, p.message) for p in problems
    ]


# ------------------------------------------------------------------ locate


@pytest.mark.parametrize(
    ("problem", "cell"),
    [
        (text_in_number_problem("FN07", "value", "x", SEP), "J5"),
        (text_in_number_problem("FN07", "value", "x"), "K5"),  # the reporting month's cell
        (text_in_number_problem("FN07", "value", "x", date(2023, 1, 1)), "A5"),  # no column
        (text_in_number_problem("FN07", "Floor", "x"), "F5"),
        (text_in_number_problem("FN01", "Upper", "x"), "G6"),
        (text_in_number_problem("FN01", "YTD", "x"), "A6"),  # no YTD column: the Ref cell
        (text_in_number_problem("FN01", "Polarity", "x"), "A6"),
        (text_in_number_problem("FN01", "Ref", "x"), "A6"),
    ],
)
def test_locate_fills_sheet_and_cell(problem: Problem, cell: str) -> None:
    assert f"Finance!{cell}" == read_book(book()).locate(problem).location


@pytest.mark.parametrize(
    "problem",
    [
        Problem(severity=Severity.ERROR, message="m"),
        text_in_number_problem("XX99", "Target", "x"),
        Problem(severity=Severity.ERROR, message="m", ref="FN07", sheet="Finance", cell="Z9"),
    ],
)
def test_locate_leaves_what_it_cannot_place(problem: Problem) -> None:
    assert problem == read_book(book()).locate(problem)


def test_a_duplicate_ref_is_placed_on_every_row_that_has_it() -> None:
    read = read_book(book(KPI, changed(ACTIVITY, A="FN07")))
    assert ["Finance!A5", "Finance!A6"] == [
        p.location for p in read.locate_all([duplicate_ref_problem("FN07")])
    ]


def test_a_shared_ref_problem_goes_on_the_row_whose_figures_give_it() -> None:
    no_floor = changed(KPI, F=None)
    read = read_book(book(KPI, no_floor, no_floor))  # the second and third FN07 lack a Floor
    problems = [p for p in evaluate(read.report).problems if p.field == "Floor"]
    assert ["Finance!F6", "Finance!F7"] == [p.location for p in read.locate_all(problems)]
    assert "Finance!F6" == read.locate(problems[0]).location


@pytest.mark.parametrize(
    ("typed", "expected", "messages"),
    [
        ("10%", 0.1, []),
        (0.05, 0.05, []),
        (None, None, []),
        (10, None, [("Settings!B6", "The Amber tolerance setting is 10, but a tolerance is a "
                     "fraction of the Target from 0 to 1 (10% = 0.1). For 10% type 10% "
                     "(or 0.1).")]),
        ("some", None, [("Settings!B6", "The Amber tolerance 'some' is not a number. Type a "
                         "fraction of the Target such as 10% (or 0.1), or leave it blank.")]),
    ],
)  # fmt: skip
def test_amber_tolerance_setting(
    typed: CellValue, expected: float | None, messages: list[tuple[str, str]]
) -> None:
    rows = [*settings().rows, ["Amber tolerance", typed]]
    read = read_book([SheetGrid("Settings", rows), sheet(KPI)])
    assert (expected, messages) == (read.report.amber_tolerance, located(read.problems))


@pytest.mark.parametrize(
    ("cells", "cell", "message"),
    [
        ({"K": "#N/A"}, "K5", "FN07: the Oct-23 value is the error #N/A, so it cannot be used. "
         "Correct the formula or the cells it uses, or type * if it is not available."),
        ({"E": "#REF!"}, "E5", "FN07: the Target is the error #REF!, so it cannot be used. "
         "Correct the formula or the cells it uses, or type * if it is not available."),
        ({"D": "#VALUE!"}, "D5", "FN07: the Unit is the error #VALUE!, so it cannot be used. "
         "Correct the formula or the cells it uses, or type * if it is not available."),
    ],
)  # fmt: skip
def test_an_error_value_is_a_problem_at_its_cell_not_not_available(
    cells: dict[str, CellValue], cell: str, message: str
) -> None:
    outcome = calculate(book(changed(KPI, **cells)))
    assert (f"Finance!{cell}", message) in located(outcome.problems)
