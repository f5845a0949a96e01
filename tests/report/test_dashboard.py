"""The Dashboard sheet of the reference report, found by cell contents rather than places."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

import pytest

from kpixl import (
    Frequency,
    Indicator,
    IndicatorType,
    Person,
    Report,
    ServiceArea,
    evaluate,
    load_sample,
)
from kpixl.report.dashboard import dashboard_design
from kpixl.report.design import STYLES, DesignCell, SheetDesign
from kpixl.report.labels import CHARS_PER_WIDTH, LINE_POINTS
from tests.core.test_reference import ALERTS, KPI_RAGS

REPORT = load_sample()
EVALUATION = evaluate(REPORT)
DESIGN = dashboard_design(EVALUATION)
CELLS = {(c.row, c.col): c for c in DESIGN.cells}
INDICATORS = {i.ref: i for i in REPORT.indicators}


def _value(row: int, col: int, design: SheetDesign = DESIGN) -> object:
    cell = next((c for c in design.cells if (c.row, c.col) == (row, col)), None)
    return None if cell is None else cell.value


def _data_row(ref: str, design: SheetDesign = DESIGN) -> int:
    rows = [c.row for c in design.cells if c.col == 0 and c.value == ref]
    assert 1 == len(rows), f"{ref} in rows {rows}"
    return rows[0]


def _header_row(ref: str, design: SheetDesign = DESIGN) -> int:
    row = _data_row(ref, design)
    while _value(row, 0, design) != "Ref":
        row -= 1
    return row


def _headers(ref: str, design: SheetDesign = DESIGN) -> list[object]:
    row = _header_row(ref, design)
    return [c.value for c in sorted(design.cells, key=lambda c: c.col) if c.row == row]


def _under(ref: str, header: str, design: SheetDesign = DESIGN) -> DesignCell:
    col = _headers(ref, design).index(header)
    return next(c for c in design.cells if (c.row, c.col) == (_data_row(ref, design), col))


AREA_PEOPLE = [
    (area.name, [(person.role, person.name) for person in area.people]) for area in REPORT.areas
]


@pytest.mark.parametrize(("area", "people"), AREA_PEOPLE)
def test_each_area_header_shows_its_name_and_people_under_their_roles(
    area: str, people: list[tuple[str, str]]
) -> None:
    rows = [c.row for c in DESIGN.cells if c.value == area and c.style == "area"]
    assert 1 == len(rows)
    labels = {c.value: c.col for c in DESIGN.cells if c.row == rows[0] - 1}
    values = {c.col: c.value for c in DESIGN.cells if c.row == rows[0]}
    assert area == values[labels["Service Area"]]
    assert people == [(role, values[labels[role]]) for role, _ in people]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("FN06", ["Jul-23", "Aug-23", "Sep-23", "Oct-23"]),
        ("FN07b", ["Jul-23", "Aug-23", "Sep-23", "Oct-23"]),
        ("GL01", ["Jun-23", "Jul-23", "Aug-23", "Sep-23"]),
        ("GL02b", ["Jun-23", "Jul-23", "Aug-23", "Sep-23"]),
        ("CS01", ["Jul-23", "Aug-23", "Sep-23", "Oct-23"]),
        ("CS07", ["Dec-22 (Q3)", "Mar-23 (Q4)", "Jun-23 (Q1)", "Sep-23 (Q2)"]),
        ("HR09", ["Jun-23", "Jul-23", "Aug-23", "Sep-23"]),
        ("HR25", ["Dec-22 (Q3)", "Mar-23 (Q4)", "Jun-23 (Q1)", "Sep-23 (Q2)"]),
        ("PI01", ["Jun-23", "Jul-23", "Aug-23", "Sep-23"]),  # a month behind: its own table
    ],
)
def test_each_table_shows_the_four_periods_up_to_its_latest_entry(
    ref: str, expected: list[str]
) -> None:
    assert expected == _headers(ref)[2:6]


@pytest.mark.parametrize(
    ("ref", "expected", "number_format"),
    [
        ("FN06", [0.25, 0.29, 0.24, 0.43], "0%"),
        ("ICT04", [0.999, 1.0, 0.999, 1.0], "0.0%"),
        ("CS07", [0.73, 0.71, 0.58, 0.63], "0%"),
        ("CS08", [35408, 37866, 40335, 37347], "#,##0"),
        ("PI01", [0.0, 0.013, 0.012, 0.036], "0.0%"),
    ],
)
def test_period_values_carry_the_number_format_of_their_unit(
    ref: str, expected: list[float | None], number_format: str
) -> None:
    row = _data_row(ref)
    cells = [CELLS[row, col] for col in range(2, 6)]
    assert expected == [c.value for c in cells]
    assert [number_format] * 4 == [c.number_format for c in cells]


@pytest.mark.parametrize(("ref", "expected"), sorted(KPI_RAGS.items()))
def test_month_and_ytd_rag_columns_match_the_report(
    ref: str, expected: tuple[str | None, str | None]
) -> None:
    rag_header = "Qtr RAG" if INDICATORS[ref].frequency is Frequency.QUARTERLY else "Month RAG"
    month, ytd = _under(ref, rag_header), _under(ref, "YTD RAG")
    assert tuple("N/A" if e is None else e for e in expected) == (month.value, ytd.value)
    assert ("rag", "rag") == (month.style, ytd.style)


@pytest.mark.parametrize(("ref", "expected"), sorted(ALERTS.items()))
def test_every_activity_alert_is_shown(ref: str, expected: str) -> None:
    cell = _under(ref, "In expected range?")
    assert (expected, "rag") == (cell.value, cell.style)


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (
            "FN06",
            ["Month RAG", "YTD", "YTD RAG", "Direction", "Target", "Floor", "Prev. Year", "Trend"],
        ),
        (
            "CS07",
            ["Qtr RAG", "YTD", "YTD RAG", "Direction", "Target", "Floor", "Prev. Year", "Trend"],
        ),
        ("GL02b", ["YTD", "In expected range?", "Upper", "Lower", "Prev. Yr YTD", "Trend"]),
        ("FN07b", ["YTD", "Prev. Yr YTD", "Trend"]),
        ("ICT01b", ["YTD", "Prev. Yr YTD", "Trend"]),
    ],
)
def test_columns_after_the_periods(ref: str, expected: list[str]) -> None:
    assert expected == _headers(ref)[6:]


@pytest.mark.parametrize(
    ("ref", "header", "expected"),
    [
        ("FN06", "YTD", "N/A"),
        ("FN07", "Prev. Year", "Revised indicator"),
        ("FN08", "Prev. Year", 0.99),
        ("CS08", "YTD", 258260),
        ("CS08", "Upper", 292000),
        ("CS08", "Lower", 243000),
        ("CS13", "Prev. Yr YTD", "N/A"),
        ("GL01b", "In expected range?", "N/A"),
        ("GL01b", "Upper", None),
    ],
)
def test_ytd_thresholds_and_previous_year(ref: str, header: str, expected: object) -> None:
    assert expected == _under(ref, header).value


def test_not_available_entries_show_a_star_and_one_footnote_under_their_table() -> None:
    stars = sorted((c.row, c.col) for c in DESIGN.cells if c.value == "*")
    assert [(_data_row("CS06a"), 5), (_data_row("CS06b"), 5)] == stars
    notes = [c.row for c in DESIGN.cells if c.value == "* Not available at time of reporting"]
    assert [_data_row("CS06b") + 1] == notes
    assert "note" == CELLS[notes[0], 0].style


def _commentary_cells(ref: str) -> list[DesignCell]:
    return sorted(
        (c for c in DESIGN.cells if str(c.value).startswith(f"{ref} – ")), key=lambda c: c.row
    )


@pytest.mark.parametrize(
    "ref", [i.ref for i in REPORT.indicators if i.commentary], ids=lambda ref: str(ref)
)
def test_commentary_is_a_merged_wrapped_row_tall_enough_for_its_text(ref: str) -> None:
    cells = _commentary_cells(ref)
    assert 1 == len(cells)
    cell = cells[0]
    assert "wrap" == cell.style
    merge = next(m for m in DESIGN.merges if m[:2] == (cell.row, 0))
    assert len(_headers(ref)) - 1 == merge[3]
    width = sum(DESIGN.column_widths[col] for col in range(merge[3] + 1))
    at_least = LINE_POINTS * math.ceil(len(str(cell.value)) / (width * CHARS_PER_WIDTH))
    assert DESIGN.row_heights.get(cell.row, LINE_POINTS) >= at_least
    assert cell.row > _data_row(ref)


def test_fn06_commentary_reads_like_the_report() -> None:
    [cell] = _commentary_cells("FN06")
    assert str(cell.value).startswith("FN06 – The increase was driven by 4 large invoices")


def test_commentary_with_two_paragraphs_takes_two_rows() -> None:
    [first] = _commentary_cells("CS07")
    second = CELLS[first.row + 1, 0]
    assert str(second.value).startswith("The focus on older cases")
    merged = [m for m in DESIGN.merges if m[0] == first.row + 1 and m[1] == 0]
    assert merged and merged[0][3] >= 12  # across the KPI table, Ref to Trend


def _area_rows() -> list[int]:
    return sorted(c.row for c in DESIGN.cells if c.value == "Service Area")


def test_a_page_break_comes_before_each_area_after_the_first() -> None:
    starts = _area_rows()
    for start in starts[1:]:  # the last break before each area's header block
        brk = max(b for b in DESIGN.row_breaks if b < start)
        between = [c for c in DESIGN.cells if brk < c.row < start]
        assert all(c.style == "heading" for c in between), between
    assert DESIGN.row_breaks == tuple(sorted(set(DESIGN.row_breaks)))
    assert all(b + 1 not in DESIGN.row_breaks for b in DESIGN.row_breaks)  # no empty page


@pytest.mark.parametrize(
    ("department", "first_area"),
    [
        ("Chief Executive's Department", "Finance"),
        ("Deputy Chief Executive's Department", "Marketing and Resident Experience"),
    ],
)
def test_departments_head_their_first_area(department: str, first_area: str) -> None:
    rows = [c.row for c in DESIGN.cells if c.value == department]
    assert 1 == len(rows)
    following = min(r for r in _area_rows() if r > rows[0])
    assert first_area == _value(following + 1, 0)


def test_print_setup() -> None:
    assert (True, True, "Produced by Kent Analytics") == (
        DESIGN.landscape,
        DESIGN.fit_to_width,
        DESIGN.footer,
    )
    assert DESIGN.print_title_rows is not None
    assert REPORT.title == _value(DESIGN.print_title_rows[0], 0)
    assert sum(DESIGN.column_widths.values()) <= 150  # about one A4 landscape page wide


def test_long_descriptions_get_taller_rows() -> None:
    assert "cell" == CELLS[_data_row("GL02"), 1].style
    assert DESIGN.row_heights[_data_row("GL02")] > DESIGN.row_heights.get(_data_row("GL01b"), 15)


def test_no_two_cells_share_a_place_and_merges_do_not_overlap() -> None:
    places = Counter((c.row, c.col) for c in DESIGN.cells)
    assert [] == [place for place, n in places.items() if n > 1]
    assert set() == {c.style for c in DESIGN.cells} - set(STYLES)
    covered: Counter[tuple[int, int]] = Counter()
    for first_row, first_col, last_row, last_col in DESIGN.merges:
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                covered[row, col] += 1
                if (row, col) != (first_row, first_col):
                    assert (row, col) not in CELLS
    assert [] == [place for place, n in covered.items() if n > 1]


def test_five_periods_show_june_to_october_for_marketing_activity() -> None:
    design = dashboard_design(EVALUATION, periods_shown=5)
    assert ["Jun-23", "Jul-23", "Aug-23", "Sep-23", "Oct-23"] == _headers("CS08", design)[2:7]


def test_periods_shown_must_be_positive() -> None:
    with pytest.raises(ValueError, match="periods_shown"):
        dashboard_design(EVALUATION, periods_shown=0)


def _small(values: dict[date, float | None], frequency: Frequency) -> SheetDesign:
    report = Report(
        title="Small",
        reporting_month=date(2023, 10, 1),
        areas=(ServiceArea(name="Area"),),
        indicators=(
            Indicator(
                ref="K1",
                service_area="Area",
                frequency=frequency,
                unit="%",
                target=0.9,
                floor=0.8,
                values=values,
            ),
            Indicator(ref="A1", service_area="Area", type=IndicatorType.ACTIVITY),
        ),
    )
    return dashboard_design(evaluate(report))


@pytest.mark.parametrize(
    ("values", "frequency", "expected"),
    [
        ({}, Frequency.MONTHLY, ["Jul-23", "Aug-23", "Sep-23", "Oct-23"]),
        ({}, Frequency.QUARTERLY, ["Dec-22 (Q3)", "Mar-23 (Q4)", "Jun-23 (Q1)", "Sep-23 (Q2)"]),
        ({date(2023, 6, 1): 0.9}, Frequency.MONTHLY, ["Mar-23", "Apr-23", "May-23", "Jun-23"]),
        ({date(2023, 11, 1): 0.9}, Frequency.MONTHLY, ["Jul-23", "Aug-23", "Sep-23", "Oct-23"]),
        ({date(2023, 8, 1): None}, Frequency.MONTHLY, ["May-23", "Jun-23", "Jul-23", "Aug-23"]),
    ],
)
def test_periods_end_at_the_latest_entry_at_or_before_the_reporting_month(
    values: dict[date, float | None], frequency: Frequency, expected: list[str]
) -> None:
    assert expected == _headers("K1", _small(values, frequency))[2:6]


def test_more_people_than_columns_continue_on_the_next_rows() -> None:
    people = tuple(Person(role=f"Role {n}", name=f"Person {n}") for n in range(20))
    report = Report(
        title="Many",
        reporting_month=date(2023, 10, 1),
        areas=(ServiceArea(name="Area", people=people),),
        indicators=(Indicator(ref="A1", service_area="Area", type=IndicatorType.ACTIVITY),),
    )
    design = dashboard_design(evaluate(report))
    names = sorted((c.row, c.col, c.value) for c in design.cells if str(c.value).startswith("Pe"))
    assert [f"Person {n}" for n in range(20)] == [value for _, _, value in names]
    assert 2 == len({row for row, _, _ in names})
    first = names[0][0]
    last_col = design.size[1] - 1  # one person a column, from column 2 to the last
    per_row = last_col - 1
    assert [(first, 2), (first, last_col), (first + 2, 2)] == [
        (row, col) for row, col, _ in (names[0], names[per_row - 1], names[per_row])
    ]


def test_an_area_without_people_or_department_still_has_its_header() -> None:
    design = _small({}, Frequency.MONTHLY)
    label_row = next(c.row for c in design.cells if c.value == "Service Area")
    assert "Area" == _value(label_row + 1, 0, design)
    assert () == design.row_breaks
    assert "" == design.footer
