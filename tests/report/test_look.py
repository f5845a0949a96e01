"""The neutral look: plain data every adapter translates, and the one number-format rule."""

from __future__ import annotations

import pytest

from kpixl.report import look
from kpixl.report.design import STYLES, DesignCell, SheetDesign
from kpixl.workbook.calculate import calculate
from kpixl.workbook.planner import full_plan
from tests.workbook.grids import KPI, book, changed


@pytest.mark.parametrize(
    ("unit", "decimals", "expected"),
    [
        ("%", None, "0%"),
        (" % ", 1, "0.0%"),
        ("Seconds", None, "0"),
        ("seconds", 2, "0.00"),
        ("Number", None, "#,##0"),
        ("£000s", 1, "#,##0.0"),
        (None, None, "#,##0"),
    ],
)
def test_number_format_rule(unit: str | None, decimals: int | None, expected: str) -> None:
    assert expected == look.number_format(unit, decimals)


def test_a_seconds_kpi_has_one_format_in_its_row_and_on_the_dashboard() -> None:
    plan = full_plan(calculate(book(changed(KPI, D="Seconds", E=30, F=40, I=35, J=32, K=31))))
    in_row = {f.number_format for f in plan.formats}
    dashboard = next(d for d in plan.designs if d.name == "Dashboard")
    on_dashboard = {c.number_format for c in dashboard.cells if c.number_format}
    assert {"0"} == in_row == on_dashboard


def test_every_style_name_has_a_look() -> None:
    assert set(STYLES) == set(look.DESIGN_STYLES)
    assert look.Side("thin", "808080") == look.DESIGN_STYLES["value"].borders.left


def _design() -> SheetDesign:
    cells = (
        DesignCell(0, 0, "Report", "title"),
        DesignCell(2, 0, "FN07", "cell"),
        DesignCell(2, 1, 0.5, "value", "0%"),
        DesignCell(2, 2, "GREEN", "rag"),
        DesignCell(3, 2, "N/A", "rag"),
        DesignCell(4, 2, "AMBER", "rag"),
    )
    return SheetDesign("Summary", cells, merges=((0, 0, 0, 2),), row_breaks=(3,), footer="By A & B")


def test_a_design_resolves_to_styles_merges_rules_and_page_setup() -> None:
    resolved = look.sheet_look(_design())
    assert (5, 3) == resolved.size
    title = look.DESIGN_STYLES["title"]
    assert {title} == {resolved.cell_styles[0, col] for col in range(3)}  # the merged area
    assert "0%" == resolved.cell_styles[2, 1].number_format
    assert (((2, 2, 4, 2), "any"),) == resolved.coloured  # N/A lies inside: no rule matches it
    by_style = resolved.distinct_styles()
    assert [(0, 0), (0, 1), (0, 2)] == by_style[title]
    assert set(resolved.cell_styles) == {key for keys in by_style.values() for key in keys}
    page = resolved.page
    assert ((0, 0, 4, 2), (3,), "By A & B") == (
        page.print_area,
        page.row_breaks,
        page.footer_centre,
    )
    assert "By A && B" == look.footer_codes(page.footer_centre)


def test_label_rules_by_kind() -> None:
    assert ["GREEN", "AMBER", "RED"] == [r.label for r in look.label_rules("rag")]
    assert 6 == len(look.label_rules("any"))
    with pytest.raises(ValueError, match="unknown kind"):
        look.label_rules("colour")
