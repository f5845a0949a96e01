"""Carrying a WritePlan into an openpyxl workbook and drawing generated sheets."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill

from kpixl.errors import WorkbookError
from kpixl.report import palette
from kpixl.report.design import DesignCell, SheetDesign
from kpixl.workbook import styles, xlsx_io, xlsx_render
from kpixl.workbook.contract import GENERATED_MARK
from kpixl.workbook.grid import Block, CellValue
from kpixl.workbook.plan import CellFormat, ColouredRange, WritePlan

HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")


def indicator_book() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Finance"
    for col, text in enumerate(["Ref", "Indicator description", "Target"], start=1):
        cell = ws.cell(1, col, text)
        cell.font, cell.fill = Font(bold=True, color="1F3864"), HEADER_FILL
    for row in range(2, 6):
        ws.cell(row, 1, f"FN0{row}")
    return wb


def saved(wb: Workbook, tmp_path: Path) -> Any:
    """``wb`` after a save and a fresh load: what Excel would open."""
    path = tmp_path / "out.xlsx"
    wb.save(path)
    return load_workbook(path, rich_text=True)


def rules_on(ws: Any) -> list[tuple[str, str]]:
    return sorted(
        (str(cf.sqref), rule.formula[0]) for cf in ws.conditional_formatting for rule in cf.rules
    )


# --- computed columns -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("=1+1", True),
        ("+A1", True),
        ("-2", True),
        ("@SUM(A1)", True),
        ("#N/A", False),
        ("GREEN", False),
        ('=HYPERLINK("http://x","y")', True),
    ],
)
def test_text_is_written_as_text_never_a_formula(tmp_path: Path, text: str, quoted: bool) -> None:
    wb = indicator_book()

    xlsx_render.apply_plan(wb, WritePlan(blocks=(Block("Finance", 1, 3, [[text]]),)))

    cell = saved(wb, tmp_path)["Finance"]["D2"]
    assert (text, "s", quoted) == (cell.value, cell.data_type, cell.quotePrefix)


@pytest.mark.parametrize(
    ("value", "expected", "data_type"),
    [
        (0.65, 0.65, "n"),
        (258260, 258260, "n"),
        (True, True, "b"),
        (datetime(2023, 10, 1), datetime(2023, 10, 1), "d"),
        (None, None, "n"),
        (float("nan"), None, "n"),
        ("Oct-23", "Oct-23", "s"),
    ],
)
def test_values_keep_their_type(
    tmp_path: Path, value: CellValue, expected: CellValue, data_type: str
) -> None:
    wb = indicator_book()

    xlsx_render.apply_plan(wb, WritePlan(blocks=(Block("Finance", 1, 3, [[value]]),)))

    cell = saved(wb, tmp_path)["Finance"]["D2"]
    assert (expected, data_type) == (cell.value, "d" if cell.is_date else cell.data_type)


def test_number_formats_are_applied(tmp_path: Path) -> None:
    wb = indicator_book()
    plan = WritePlan(
        blocks=(Block("Finance", 1, 3, [[0.5], [1234]]),),
        formats=(CellFormat("Finance", 1, 3, "0%"), CellFormat("Finance", 2, 3, "#,##0")),
    )

    xlsx_render.apply_plan(wb, plan)

    ws = saved(wb, tmp_path)["Finance"]
    assert ["0%", "#,##0"] == [ws["D2"].number_format, ws["D3"].number_format]


def test_new_computed_header_takes_the_table_header_style(tmp_path: Path) -> None:
    wb = indicator_book()
    plan = WritePlan(blocks=(Block("Finance", 0, 3, [["Latest RAG", "In expected range?"]]),))

    xlsx_render.apply_plan(wb, plan)

    ws = saved(wb, tmp_path)["Finance"]
    for address in ("D1", "E1"):
        assert (True, "00DDEBF7") == (ws[address].font.b, ws[address].fill.start_color.rgb)
    assert len("In expected range?") + 3 == ws.column_dimensions["E"].width


def test_existing_computed_header_keeps_its_own_style(tmp_path: Path) -> None:
    wb = indicator_book()
    wb["Finance"]["D1"] = "Latest RAG"
    wb["Finance"]["D1"].font = Font(italic=True)

    xlsx_render.apply_plan(wb, WritePlan(blocks=(Block("Finance", 0, 3, [["Latest RAG"]]),)))

    cell = saved(wb, tmp_path)["Finance"]["D1"]
    assert (True, False) == (cell.font.i, bool(cell.font.b))


@pytest.mark.parametrize(
    ("kind", "label", "fill"),
    [
        ("rag", "GREEN", "00C6EFCE"),
        ("rag", "AMBER", "00FFEB9C"),
        ("rag", "RED", "00FFC7CE"),
        ("alert", "Yes", "00C6EFCE"),
        ("alert", "Above", "00FFEB9C"),
        ("alert", "Below", "00FFEB9C"),
    ],
)
def test_coloured_ranges_get_a_rule_per_label(
    tmp_path: Path, kind: str, label: str, fill: str
) -> None:
    wb = indicator_book()

    xlsx_render.apply_plan(wb, WritePlan(coloured=(ColouredRange("Finance", 1, 3, 4, kind),)))

    ws = saved(wb, tmp_path)["Finance"]
    rules = {rule.formula[0]: rule for cf in ws.conditional_formatting for rule in cf.rules}
    rule = rules[f'"{label}"']
    assert ("cellIs", "equal", fill) == (rule.type, rule.operator, rule.dxf.fill.bgColor.rgb)
    assert len(palette.LABELS_BY_KIND[kind]) == len(rules)


def test_rerun_replaces_kpixl_rules_and_keeps_the_users(tmp_path: Path) -> None:
    wb = indicator_book()
    ws = wb["Finance"]
    ws.conditional_formatting.add("D2:D5", CellIsRule(operator="equal", formula=['"late"']))
    first = WritePlan(coloured=(ColouredRange("Finance", 1, 3, 4, "rag"),))
    grown = WritePlan(coloured=(ColouredRange("Finance", 1, 3, 5, "rag"),))

    xlsx_render.apply_plan(wb, first)
    xlsx_render.apply_plan(wb, first)
    xlsx_render.apply_plan(wb, grown)

    expected = [("D2:D5", '"late"')] + [("D2:D6", f'"{x}"') for x in ("AMBER", "GREEN", "RED")]
    assert expected == rules_on(saved(wb, tmp_path)["Finance"])


def test_rules_in_other_columns_are_left_alone(tmp_path: Path) -> None:
    wb = indicator_book()
    styles.add_rag_formatting(wb["Finance"], "C2:C5", "rag")

    xlsx_render.apply_plan(wb, WritePlan(coloured=(ColouredRange("Finance", 1, 3, 4, "rag"),)))

    assert 6 == len(rules_on(saved(wb, tmp_path)["Finance"]))


def test_writing_into_merged_cells_is_refused() -> None:
    wb = indicator_book()
    wb["Finance"].merge_cells("D2:E2")

    with pytest.raises(WorkbookError, match="Sheet 'Finance' cell E2 is part of merged cells"):
        xlsx_render.apply_plan(wb, WritePlan(blocks=(Block("Finance", 1, 3, [["x", "y"]]),)))


def test_missing_sheet_is_refused_before_any_write() -> None:
    wb = indicator_book()
    plan = WritePlan(
        blocks=(Block("Finance", 1, 3, [["written?"]]), Block("Nowhere", 0, 0, [["x"]]))
    )

    with pytest.raises(WorkbookError, match="no sheet named 'Nowhere'"):
        xlsx_render.apply_plan(wb, plan)
    assert wb["Finance"]["D2"].value is None


# --- generated sheets -------------------------------------------------------------------------


def small_design(name: str = "Summary", rows: int = 3) -> SheetDesign:
    cells = [
        DesignCell(0, 0, "Performance Dashboard", "title"),
        DesignCell(1, 0, "Results up to Oct 2023", "subtitle"),
        DesignCell(3, 0, "Finance", "area"),
        DesignCell(3, 1, "Latest RAG", "area"),
        DesignCell(3, 2, "YTD", "area"),
    ]
    labels = ["GREEN", "AMBER", "RED", "N/A"]
    for i in range(rows):
        cells += [
            DesignCell(4 + i, 0, f"FN{i:02}: =an indicator", "wrap"),
            DesignCell(4 + i, 1, labels[i % 4], "rag"),
            DesignCell(4 + i, 2, 0.5 + i / 100, "value", "0.0%"),
        ]
    cells.append(DesignCell(5 + rows, 0, "Floor Standards are minimum", "note"))
    return SheetDesign(
        name=name,
        cells=tuple(cells),
        merges=((0, 0, 0, 2), (1, 0, 1, 2)),
        column_widths={0: 60.0, 1: 12.0, 2: 10.0},
        row_heights={0: 27.0},
        row_breaks=(2,),
        print_title_rows=(3, 3),
        footer="Produced by Kent Analytics & friends",
    )


def test_design_is_drawn_as_a_committee_paper(tmp_path: Path) -> None:
    wb = indicator_book()

    xlsx_render.draw_design(wb, small_design())

    ws = saved(wb, tmp_path)["Summary"]
    setup = (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth)
    assert ("landscape", 9, 1) == setup
    assert (0, True) == (ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage)
    assert ["A1:C1", "A2:C2"] == sorted(str(r) for r in ws.merged_cells.ranges)
    assert (60.0, 27.0) == (ws.column_dimensions["A"].width, ws.row_dimensions[1].height)
    assert [3] == [brk.id for brk in ws.row_breaks.brk]
    assert "$4:$4" == ws.print_title_rows
    assert "'Summary'!$A$1:$C$9" == ws.print_area
    assert "Produced by Kent Analytics && friends" == ws.oddFooter.center.text
    assert ws.sheet_view.showGridLines is False
    assert "=an indicator" in ws["A5"].value and "s" == ws["A5"].data_type


@pytest.mark.parametrize(
    ("address", "fill", "font_colour", "bold"),
    [
        ("A4", palette.DARK_BLUE, palette.WHITE, True),  # area band
        ("B5", None, None, True),  # GREEN: coloured by the label rules alone (below)
        ("B7", None, None, True),  # RED
        ("C5", None, None, False),  # a figure
    ],
)
def test_design_cells_are_styled(
    tmp_path: Path, address: str, fill: str | None, font_colour: str | None, bold: bool
) -> None:
    wb = indicator_book()

    xlsx_render.draw_design(wb, small_design())

    cell = saved(wb, tmp_path)["Summary"][address]
    assert fill == (cell.fill.start_color.rgb[2:] if cell.fill.fill_type else None)
    assert font_colour == (cell.font.color.rgb[2:] if cell.font.color else None)
    assert (bold, palette.FONT_NAME) == (bool(cell.font.b), cell.font.name)


def test_design_labels_recolour_when_edited(tmp_path: Path) -> None:
    wb = indicator_book()

    xlsx_render.draw_design(wb, small_design(rows=4))

    labels = ("GREEN", "AMBER", "RED", "Yes", "Above", "Below")
    assert [("B5:B8", f'"{x}"') for x in sorted(labels)] == rules_on(saved(wb, tmp_path)["Summary"])


def test_drawn_sheet_is_marked_and_recognised(tmp_path: Path) -> None:
    wb = indicator_book()
    xlsx_render.draw_design(wb, small_design())
    path = tmp_path / "marked.xlsx"
    wb.save(path)

    loaded = xlsx_io.load(path)

    assert frozenset({"Summary"}) == loaded.generated
    assert "'Summary'!$A$1" == loaded.workbook["Summary"].defined_names[GENERATED_MARK].attr_text


def test_redraw_replaces_the_sheet_at_its_position(tmp_path: Path) -> None:
    wb = indicator_book()
    wb.create_sheet("After")
    xlsx_render.draw_design(wb, small_design(rows=10))
    wb.move_sheet("Summary", offset=-1)

    xlsx_render.draw_design(wb, small_design(rows=1))

    book = saved(wb, tmp_path)
    assert ["Finance", "Summary", "After"] == book.sheetnames
    assert 7 == book["Summary"].max_row


def test_redraw_keeps_the_sheets_code_name(tmp_path: Path) -> None:
    wb = indicator_book()
    xlsx_render.draw_design(wb, small_design())
    wb["Summary"].sheet_properties.codeName = "Sheet4"  # its VBA document module's name

    xlsx_render.draw_design(wb, small_design(rows=1))

    assert "Sheet4" == saved(wb, tmp_path)["Summary"].sheet_properties.codeName


@pytest.mark.parametrize("existing", ["Summary", "summary"])
def test_sheet_kpixl_did_not_make_is_never_replaced(tmp_path: Path, existing: str) -> None:
    wb = indicator_book()
    wb.create_sheet(existing)["A1"] = "my own notes"

    with pytest.raises(WorkbookError, match=f"sheet named '{existing}' that kpixl did not make"):
        xlsx_render.draw_design(wb, small_design())

    assert ["Finance", existing] == wb.sheetnames
    assert "my own notes" == wb[existing]["A1"].value
