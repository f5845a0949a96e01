"""Issue 11's ordinary mistakes, each made on the trial workbook (40 indicators, 3 areas):
the message names its sheet, cell and what to do, and no input cell is changed."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kpixl.core.models import Alert, Rag, Severity
from kpixl.errors import WorkbookError
from kpixl.workbook.grid import cell_address
from tests.workbook.mistakes import (
    HEADER_ROW,
    header_col,
    make,
    ref_row,
    set_header,
    set_value,
    trial_made,
)

RB, WS, HO = "Revenues and Benefits", "Waste and Street Scene", "Housing"


def _sub(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def test_the_trial_itself_has_two_warnings_only(tmp_path: Path) -> None:
    made = trial_made(tmp_path)
    assert [p.cell for p in made.problems] == ["I12", "I12"]
    assert len(made.rated()) == 40


@pytest.mark.parametrize(("header", "cell"), [("Ref.", "A6"), ("Indicator Desc", "B6")])
def test_a_misspelt_ref_or_description_header_names_the_cell(
    tmp_path: Path, header: str, cell: str
) -> None:
    original = "Ref" if cell == "A6" else "Indicator description"
    made = make(tmp_path, set_header(HO, original, header))
    found = made.one(HO, cell, "looks like an indicator sheet", Severity.ERROR)
    assert f"it has no {original} header: {cell} holds {header!r}" in found.message
    assert f"Type {original} there" in found.message
    assert not any(ref.startswith("HO") for ref in made.rated())


def test_a_workbook_whose_only_sheets_lost_their_ref_header_says_where(tmp_path: Path) -> None:
    def edit(book: Any) -> None:
        for name in (RB, WS, HO):
            book[name]["A6"] = "Ref."

    with pytest.raises(WorkbookError, match=r"A6: .*no Ref header: A6 holds 'Ref\.'"):
        make(tmp_path, edit)


def test_a_near_miss_header_is_named_once_not_per_row(tmp_path: Path) -> None:
    made = make(tmp_path, set_header(RB, "Target", "Targt"))
    found = made.one(RB, "H6", "'Targt' is not a column kpixl knows — did you mean Target?")
    assert found.severity is Severity.ERROR
    assert "none of the 14 indicators on this sheet has a Target" in found.message
    on_sheet = [p for p in made.problems if p.sheet == RB]
    assert on_sheet == [found]  # no "this KPI has no Target" per row
    assert not any(ref.startswith("RB") and rag[0] for ref, rag in made.rated().items())


def test_a_near_miss_of_a_column_already_there_is_a_warning(tmp_path: Path) -> None:
    made = make(tmp_path, set_header(HO, "Commentary", "Targets"))
    found = made.one(HO, "X6", "did you mean Target?", Severity.WARNING)
    assert "already reads Target from another column" in found.message


@pytest.mark.parametrize("unit", ["Percent", "Percentage", "%age", "pct", " percent "])
def test_spellings_of_percent_are_percent(tmp_path: Path, unit: str) -> None:
    plain = trial_made(_sub(tmp_path, "plain"))
    made = make(tmp_path, set_value(HO, "HO01", "Unit", unit))
    assert made.rated()["HO01"] == plain.rated()["HO01"]
    assert not made.at(HO, "F7")
    dashboard = _dashboard_value(made.out, "HO01", 2)
    assert dashboard is not None


def test_an_unknown_unit_is_a_warning_with_a_suggestion(tmp_path: Path) -> None:
    made = make(tmp_path, set_value(HO, "HO01", "Unit", "Pecent"))
    found = made.one(HO, "F7", "the Unit 'Pecent' is not one kpixl knows", Severity.WARNING)
    assert "Did you mean %?" in found.message
    made = make(tmp_path, set_value(HO, "HO03", "Unit", "Households"), "ok.xlsm")
    assert not made.at(HO, "F9")


def _dashboard_value(path: Path, ref: str, col: int | str) -> object:
    """The Dashboard cell of ``ref``'s row in column ``col`` (an index, or a header text)."""
    ws = load_workbook(path)["Dashboard"]
    headers: tuple[object, ...] = ()
    for row in ws.iter_rows(values_only=True):
        if row[0] == "Ref":
            headers = row
        if row[0] == ref:
            return row[col if isinstance(col, int) else headers.index(col)]
    raise KeyError(ref)


def test_a_text_date_period_header_is_located(tmp_path: Path) -> None:
    made = make(tmp_path, set_header(HO, date(2024, 9, 1), "01/09/2024"))
    found = made.one(HO, "W6", "'01/09/2024' is text, not a date", Severity.ERROR)
    assert "Sep-24" in found.message


def test_an_unreadable_period_header_is_located(tmp_path: Path) -> None:
    made = make(tmp_path, set_header(HO, date(2024, 9, 1), "Q2 2024/25"))
    made.one(HO, "W6", "'Q2 2024/25' is not a month kpixl can read", Severity.ERROR)


def test_a_year_typo_in_a_period_header_is_out_of_order(tmp_path: Path) -> None:
    made = make(tmp_path, set_header(HO, date(2024, 7, 1), datetime(2023, 7, 1)))
    made.one(HO, "U6", "Jul-23 comes after Jun-24", Severity.ERROR)


def test_a_duplicate_period_header_is_located(tmp_path: Path) -> None:
    made = make(tmp_path, set_header(HO, date(2024, 8, 1), datetime(2024, 7, 1)))
    made.one(HO, "V6", "more than one", Severity.ERROR)


def test_merged_period_headers_are_located(tmp_path: Path) -> None:
    def edit(book: Any) -> None:
        ws = book[HO]
        ws.merge_cells(start_row=HEADER_ROW, start_column=20, end_row=HEADER_ROW, end_column=21)

    made = make(tmp_path, edit)
    found = made.one(HO, "U6", "has figures (e.g. U7) but no period header", Severity.ERROR)
    assert "between the Jun-24 and Aug-24 columns" in found.message


def test_a_quarterly_value_in_a_non_quarter_month_is_a_warning(tmp_path: Path) -> None:
    made = make(tmp_path, set_value(HO, "HO02", date(2024, 8, 1), 0.61))
    found = made.one(HO, "V8", "typed in Aug-24", Severity.WARNING)
    assert "Move it to Sep-24" in found.message


def test_two_sheets_with_the_same_service_area_name_both(tmp_path: Path) -> None:
    def edit(book: Any) -> None:
        book[HO]["B1"] = WS

    made = make(tmp_path, edit)
    found = made.one(HO, "B1", f"Sheets {WS!r} and {HO!r} both give the Service Area")
    assert found.severity is Severity.WARNING


def test_previous_year_gets_the_percent_check(tmp_path: Path) -> None:
    made = make(tmp_path, set_value(HO, "HO01", "Previous year", 79))
    made.one(HO, "Q7", "the Previous year is 79, which would be 7,900%", Severity.ERROR)
    assert _dashboard_value(made.out, "HO01", "Prev. Year") == "?"


def test_a_floor_typed_none_is_target_only_on_purpose(tmp_path: Path) -> None:
    made = make(tmp_path, set_value(RB, "RB06", "Floor", "None"))
    assert not made.at(RB, "I12")
    assert made.at(WS, "I12")  # WS06 still warns
    assert "type None as its Floor" in made.at(WS, "I12")[0].message


def test_a_reporting_month_before_the_periods_is_one_error_per_sheet(tmp_path: Path) -> None:
    def edit(book: Any) -> None:
        book["Settings"]["B4"] = datetime(2023, 9, 1)

    made = make(tmp_path, edit)
    others = [p for p in made.problems if p.cell != "I12"]  # the trial's two Floor warnings
    assert [(p.sheet, p.cell) for p in others] == [(RB, None), (WS, None), (HO, None)]
    assert all("is before the first period column" in p.message for p in others)


def test_activity_thresholds_sized_for_a_month_on_a_sum_ytd(tmp_path: Path) -> None:
    made = make(tmp_path, set_value(RB, "RB10", "YTD method", "Sum"))
    ytd_alert = made.rated()["RB10"][2]
    assert ytd_alert is Alert.ABOVE
    found = made.one(RB, "J16", "the alert is on the YTD value (Sum of 6 periods", Severity.WARNING)
    assert "looks sized for one period" in found.message


def test_rag_enum_is_imported() -> None:
    assert Rag.RED


def _unused(ws: Any) -> tuple[int, int]:
    return ref_row(ws, "HO01"), header_col(ws, "Ref")


def _dashboard_rows(path: Path) -> list[tuple[object, ...]]:
    return [tuple(r) for r in load_workbook(path)["Dashboard"].iter_rows(values_only=True)]


def test_a_borrowed_rating_says_which_period_it_is_for(tmp_path: Path) -> None:
    made = make(tmp_path, set_value(HO, "HO02", date(2024, 9, 1), None))
    rows = _dashboard_rows(made.out)
    row = next(r for r in rows if r[0] == "HO02")
    assert row[5] == "†"  # Sep-24 (Q2), the latest quarter shown, has no figure
    assert row[6] in ("GREEN", "AMBER", "RED")
    notes = [r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("† HO02")]
    assert notes == [
        "† HO02: no figure for Sep-24 (Q2); the RAG is for Jun-24 (Q1), the latest period with one."
    ]


def test_an_indicator_a_month_behind_gets_its_own_table(tmp_path: Path) -> None:
    made = make(tmp_path, set_value(HO, "HO01", date(2024, 9, 1), None))
    rows = _dashboard_rows(made.out)
    title = next(i for i, r in enumerate(rows) if str(r[0]).endswith("to Aug-24)"))
    assert (
        rows[title][0]
        == "Key Performance Indicators - Monthly (reported a month behind: to Aug-24)"
    )
    assert rows[title + 1][2:6] == ("May-24", "Jun-24", "Jul-24", "Aug-24")
    assert rows[title + 2][0] == "HO01" and rows[title + 2][5] == 0.986
    assert not any(str(r[0]).startswith("† HO01") for r in rows)


def test_a_rejected_period_value_is_a_question_mark_not_7600_percent(tmp_path: Path) -> None:
    made = make(tmp_path, set_value(HO, "HO01", date(2024, 8, 1), 76))
    made.one(HO, "V7", "the Aug-24 value is 76, which would be 7,600%", Severity.ERROR)
    rows = _dashboard_rows(made.out)
    row = next(r for r in rows if r[0] == "HO01")
    assert row[4] == "?"
    assert any(str(r[0]).startswith("? A figure kpixl could not use") for r in rows)


def _calculated(tmp_path: Path) -> Path:
    """The trial once calculated (its computed columns filled), to make mistakes in."""
    return trial_made(tmp_path).out


@pytest.mark.parametrize(
    ("header", "typed"),
    [("Latest RAG", "Green - on track"), ("YTD value", "see note"), ("Latest period", "last")],
)
def test_typing_over_a_computed_column_is_said(tmp_path: Path, header: str, typed: str) -> None:
    calculated = _calculated(_sub(tmp_path, "first"))

    def edit(book: Any) -> None:
        ws = book[HO]
        ws.cell(ref_row(ws, "HO04"), header_col(ws, header)).value = typed

    made = make(tmp_path, edit, source=calculated)
    col = header_col(load_workbook(made.path)[HO], header)
    cell = cell_address(ref_row(load_workbook(made.path)[HO], "HO04") - 1, col - 1)
    found = made.one(HO, cell, f"{header} is a column kpixl writes", Severity.WARNING)
    assert f"held {typed!r}" in found.message
    assert "replaced by the computed result" in found.message
    kept = trial_made(_sub(tmp_path, "again"))
    assert made.rated()["HO04"] == kept.rated()["HO04"]


def test_kpixls_own_results_are_not_typed_over(tmp_path: Path) -> None:
    calculated = _calculated(_sub(tmp_path, "first"))
    made = make(tmp_path, lambda book: None, source=calculated)
    assert [p.cell for p in made.problems] == ["I12", "I12"]


@pytest.mark.parametrize(
    ("header", "cell", "words"),
    [
        ("Unit", "F6", "This column has entries (e.g. F7 '%') but no header (the Unit column?)"),
        (datetime(2024, 9, 1), "W6", "This column has figures (e.g. W7) but no period header, "
         "right of the Aug-24 column"),
        ("Commentary", "X6", "but no header (the Commentary column?)"),
    ],
)  # fmt: skip
def test_a_cleared_header_over_entries_is_located(
    tmp_path: Path, header: object, cell: str, words: str
) -> None:
    made = make(tmp_path, set_header(HO, header, None))
    made.one(HO, cell, words, Severity.ERROR)


def test_a_shuffled_header_is_a_near_miss(tmp_path: Path) -> None:
    made = make(tmp_path, set_header(HO, "Unit", "Uitn"))
    made.one(HO, "F6", "'Uitn' is not a column kpixl knows — did you mean Unit?", Severity.ERROR)


def _dashboard_cell(path: Path, ref: str, header: str) -> Any:
    ws = load_workbook(path)["Dashboard"]
    headers: list[object] = []
    for row in ws.iter_rows():
        values = [c.value for c in row]
        if values[0] == "Ref":
            headers = values
        if values[0] == ref:
            return row[headers.index(header)]
    raise KeyError(ref)


def _conditional_cells(path: Path) -> set[str]:
    from openpyxl.utils import range_boundaries

    ws = load_workbook(path)["Dashboard"]
    found: set[str] = set()
    for rng in ws.conditional_formatting:
        for part in str(rng.sqref).split():
            lo_col, lo_row, hi_col, hi_row = range_boundaries(part)
            found |= {
                cell_address(r - 1, c - 1)
                for r in range(lo_row, hi_row + 1)
                for c in range(lo_col, hi_col + 1)
            }
    return found


@pytest.mark.parametrize(("polarity", "green"), [("Lower", True), (None, False), ("Higher", False)])
def test_an_alert_on_the_better_side_of_its_polarity_is_green(
    tmp_path: Path, polarity: str | None, green: bool
) -> None:
    def edit(book: Any) -> None:
        set_value(RB, "RB10", date(2024, 9, 1), 100)(book)
        set_value(RB, "RB10", "Polarity", polarity)(book)

    made = make(tmp_path, edit)
    assert made.rated()["RB10"][2] is Alert.BELOW
    cell = _dashboard_cell(made.out, "RB10", "In expected range?")
    assert cell.value == "Below"
    if green:
        assert cell.fill.fgColor.rgb.endswith("C6EFCE")
        assert cell.coordinate not in _conditional_cells(made.out)
    else:
        assert cell.coordinate in _conditional_cells(made.out)


def test_a_near_miss_of_a_computed_column_is_a_warning(tmp_path: Path) -> None:
    made = make(tmp_path, set_header(HO, "Latest RAG", "Latest RAGs"))
    found = made.one(HO, "AA6", "did you mean Latest RAG?", Severity.WARNING)
    assert "kpixl will add its own Latest RAG column" in found.message


def test_a_chart_data_sheet_with_months_and_a_target_is_not_a_lookalike(tmp_path: Path) -> None:
    def edit(book: Any) -> None:
        ws = book.create_sheet("Chart data")
        ws.append(["Month", "Target", datetime(2024, 4, 1), datetime(2024, 5, 1)])
        ws.append([None, 0.9, 0.91, 0.93])

    made = make(tmp_path, edit)
    assert not [p for p in made.problems if p.sheet == "Chart data"]
