"""The one ownership rule and the one mark, whatever adapter asks."""

from __future__ import annotations

import pytest

from kpixl.errors import WorkbookError
from kpixl.workbook.ownership import check_replaceable, existing_sheet, is_mark, mark_reference


@pytest.mark.parametrize(
    ("sheets", "generated"),
    [
        (["Finance"], set()),  # absent: kpixl adds it
        (["Finance", "Summary"], {"Summary"}),  # kpixl's own: replaced
    ],
)
def test_absent_or_marked_sheets_may_be_written(sheets: list[str], generated: set[str]) -> None:
    check_replaceable("book.xlsx", sheets, generated, ["Summary", "Dashboard"])


@pytest.mark.parametrize("existing", ["Dashboard", "DASHBOARD"])
def test_an_unmarked_sheet_is_refused_naming_book_sheet_and_the_way_out(existing: str) -> None:
    with pytest.raises(WorkbookError) as caught:
        check_replaceable("book.xlsx", ["Finance", existing], {"Summary"}, ["Summary", "Dashboard"])
    assert (
        f"book.xlsx: it already has a sheet named {existing!r} that kpixl did not make; rename "
        "or delete that sheet and run kpixl again (kpixl replaces its own Dashboard sheet on "
        "every run)."
    ) == str(caught.value)


@pytest.mark.parametrize(
    ("name", "mark"),
    [
        ("KPIXL_GENERATED", True),
        ("kpixl_generated", True),
        ("Summary!KPIXL_GENERATED", True),  # how Excel reports a sheet-scoped name
        ("KPIXL_GENERATED_2", False),
        ("Print_Area", False),
    ],
)
def test_the_mark_is_recognised_in_any_case_and_scope(name: str, mark: bool) -> None:
    assert mark == is_mark(name)


def test_the_mark_refers_to_the_sheets_own_first_cell() -> None:
    assert "'Summary'!$A$1" == mark_reference("Summary")
    assert "'Bob''s'!$A$1" == mark_reference("Bob's")


def test_sheet_names_compare_as_excel_compares_them() -> None:
    assert "summary" == existing_sheet(["Finance", "summary"], "Summary")
    assert existing_sheet(["Finance"], "Summary") is None
