"""The Summary sheet of the reference report: title, RAG key, KPI summary, RAG counts."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from kpixl import Indicator, IndicatorType, Report, ServiceArea, evaluate, load_sample
from kpixl.report.design import STYLES, DesignCell, SheetDesign
from kpixl.report.summary import summary_design
from tests.core.test_reference import KPI_RAGS, SUMMARY_GROUPS

EVALUATION = evaluate(load_sample())
DESIGN = summary_design(EVALUATION)
DESCRIPTIONS = {i.ref: i.description for i in EVALUATION.report.indicators}
LABELS = ("GREEN", "AMBER", "RED", "N/A")


def _shown(label: str | None) -> str:
    return "N/A" if label is None else label


def _row_of(design: SheetDesign, col: int, value: object) -> int:
    rows = [c.row for c in design.cells if c.col == col and c.value == value]
    assert 1 == len(rows), f"{value!r} found in rows {rows}"
    return rows[0]


def _cell(design: SheetDesign, row: int, col: int) -> DesignCell | None:
    return next((c for c in design.cells if (c.row, c.col) == (row, col)), None)


def _value(design: SheetDesign, row: int, col: int) -> object:
    cell = _cell(design, row, col)
    return None if cell is None else cell.value


def _texts(design: SheetDesign) -> list[object]:
    return [c.value for c in design.cells]


@pytest.mark.parametrize(("ref", "expected"), sorted(KPI_RAGS.items()))
def test_each_kpi_row_starts_with_ref_and_description_then_its_rags(
    ref: str, expected: tuple[str | None, str | None]
) -> None:
    row = _row_of(DESIGN, 0, f"{ref}: {DESCRIPTIONS[ref]}")
    assert (_shown(expected[0]), _shown(expected[1])) == (
        _value(DESIGN, row, 1),
        _value(DESIGN, row, 2),
    )
    assert ("rag", "rag") == tuple(c.style for c in DESIGN.cells if c.row == row and c.col > 0)


@pytest.mark.parametrize(("area", "refs"), SUMMARY_GROUPS.items())
def test_each_area_header_names_the_rag_columns_and_heads_its_kpis(
    area: str, refs: list[str]
) -> None:
    rows = [c.row for c in DESIGN.cells if c.col == 0 and c.value == area]
    row = next(r for r in rows if _value(DESIGN, r, 1) == "Latest RAG")
    assert (area, "Latest RAG", "YTD RAG") == tuple(_value(DESIGN, row, col) for col in range(3))
    below = [_value(DESIGN, row + offset, 0) for offset in range(1, len(refs) + 2)]
    assert [f"{ref}: {DESCRIPTIONS[ref]}" for ref in refs] + [None] == below


def test_areas_follow_the_report_order() -> None:
    header_rows = sorted(c.row for c in DESIGN.cells if c.value == "Latest RAG")
    assert list(SUMMARY_GROUPS) == [_value(DESIGN, row, 0) for row in header_rows]


@pytest.mark.parametrize(
    "text",
    [
        "Performance Dashboard for the Chief Executive's Department and Deputy Chief "
        "Executive's Department",
        "Financial Year 2023/24",
        "Results up to Oct 2023",
        "Produced by Kent Analytics",
        "Guidance Notes",
        "Key Performance Indicator Summary",
    ],
)
def test_the_title_lines_and_headings_are_present(text: str) -> None:
    assert 1 == _texts(DESIGN).count(text)


@pytest.mark.parametrize(
    ("label", "meaning"),
    [
        ("GREEN", "Target has been achieved"),
        ("AMBER", "Floor Standard* achieved but Target has not been met"),
        ("RED", "Floor Standard* has not been achieved"),
    ],
)
def test_the_rag_key_gives_each_label_its_meaning(label: str, meaning: str) -> None:
    row = _row_of(DESIGN, 0, meaning)
    assert "rag" == (_cell(DESIGN, row, 1) or DesignCell(0, 0, None)).style
    assert label == _value(DESIGN, row, 1)


def test_the_floor_standard_footnote_and_activity_guidance_are_present() -> None:
    texts = [str(v) for v in _texts(DESIGN)]
    assert any(t.startswith("*Floor Standards are the minimum performance") for t in texts)
    assert any(t.startswith("Activity Indicators representing demand levels") for t in texts)


def _expected_counts(which: int) -> dict[str, int]:
    counted = Counter(_shown(rags[which]) for rags in KPI_RAGS.values())
    return {label: counted.get(label, 0) for label in LABELS}


@pytest.mark.parametrize(
    ("heading", "which"), [("RAG counts – latest period", 0), ("RAG counts – year to date", 1)]
)
def test_rag_counts_total_every_kpi(heading: str, which: int) -> None:
    start = _row_of(DESIGN, 0, heading)
    header = [_value(DESIGN, start + 1, col) for col in range(6)]
    total = next(r for r in range(start, start + 20) if _value(DESIGN, r, 0) == "Total")
    expected = {**_expected_counts(which), "Total": len(KPI_RAGS)}
    assert expected == {str(header[col]): _value(DESIGN, total, col) for col in range(1, 6)}


@pytest.mark.parametrize(("area", "refs"), SUMMARY_GROUPS.items())
def test_rag_counts_per_area(area: str, refs: list[str]) -> None:
    start = _row_of(DESIGN, 0, "RAG counts – latest period")
    row = next(r for r in range(start, start + 20) if _value(DESIGN, r, 0) == area)
    counted = Counter(_shown(KPI_RAGS[ref][0]) for ref in refs)
    expected = [counted.get(label, 0) for label in LABELS] + [len(refs)]
    assert expected == [_value(DESIGN, row, col) for col in range(1, 6)]


def test_the_kpi_summary_starts_on_a_new_page_and_prints_landscape() -> None:
    heading = _row_of(DESIGN, 0, "Key Performance Indicator Summary")
    assert heading - 1 == DESIGN.row_breaks[0]  # the rest are kpixl's own page breaks
    assert (True, True, "Produced by Kent Analytics") == (
        DESIGN.landscape,
        DESIGN.fit_to_width,
        DESIGN.footer,
    )
    assert sum(DESIGN.column_widths.values()) <= 140  # about one A4 landscape page wide


def test_long_descriptions_get_taller_rows() -> None:
    long_row = _row_of(DESIGN, 0, f"GL02: {DESCRIPTIONS['GL02']}")
    short_row = _row_of(DESIGN, 0, f"CS07: {DESCRIPTIONS['CS07']}")
    assert DESIGN.row_heights.get(long_row, 15.0) > DESIGN.row_heights.get(short_row, 15.0)


def test_cells_are_unique_styled_and_outside_other_merges() -> None:
    places = Counter((c.row, c.col) for c in DESIGN.cells)
    assert [] == [place for place, n in places.items() if n > 1]
    assert set() == {c.style for c in DESIGN.cells} - set(STYLES)
    for first_row, first_col, last_row, last_col in DESIGN.merges:
        inside = [
            c
            for c in DESIGN.cells
            if first_row <= c.row <= last_row
            and first_col <= c.col <= last_col
            and (c.row, c.col) != (first_row, first_col)
        ]
        assert [] == inside


def test_only_areas_with_kpis_are_summarised() -> None:
    report = Report(
        title="Small",
        reporting_month=date(2024, 3, 1),
        areas=(ServiceArea(name="Only activity"), ServiceArea(name="Rated")),
        indicators=(
            Indicator(ref="A1", service_area="Only activity", type=IndicatorType.ACTIVITY),
            Indicator(
                ref="K1",
                description="Rated thing",
                service_area="Rated",
                target=0.9,
                floor=0.8,
                values={date(2024, 3, 1): 0.95},
            ),
        ),
    )
    design = summary_design(evaluate(report))
    assert ["Rated"] == [_value(design, c.row, 0) for c in design.cells if c.value == "YTD RAG"]
    row = _row_of(design, 0, "K1: Rated thing")
    assert ("GREEN", "N/A") == (_value(design, row, 1), _value(design, row, 2))
    assert "" == design.footer
    assert 0 == _texts(design).count("Only activity")
