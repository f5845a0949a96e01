"""Page breaks placed by kpixl: blocks stay together, long tables repeat their headings."""

from __future__ import annotations

import pytest

from kpixl.report.design import DesignCell, SheetDesign
from kpixl.report.pages import (
    A4_LANDSCAPE,
    DEFAULT_ROW_POINTS,
    SAFETY,
    Block,
    Paper,
    column_points,
    page_rows_height,
    paginate,
    scale,
)

# A paper whose page holds exactly 10 default rows (after the safety margin), one column wide.
TEN_ROWS = Paper(
    width=column_points(10) + 2, height=10 * DEFAULT_ROW_POINTS / SAFETY, left=1, right=1,
    top=0, bottom=0,
)  # fmt: skip


def design(rows: int, **extra: object) -> SheetDesign:
    cells = tuple(DesignCell(row, 0, f"r{row}") for row in range(rows))
    return SheetDesign("Paper", cells, column_widths={0: 10.0}, **extra)  # type: ignore[arg-type]


def test_a_page_of_the_test_paper_holds_ten_rows() -> None:
    assert 1.0 == scale(design(1), TEN_ROWS)
    assert 10 * DEFAULT_ROW_POINTS == pytest.approx(page_rows_height(design(1), TEN_ROWS))


@pytest.mark.parametrize(
    ("blocks", "breaks"),
    [
        ([], (9,)),  # rows alone: the page fills, then breaks
        ([Block(0, 5), Block(6, 11)], (5,)),  # the second block does not fit: a new page
        ([Block(0, 3), Block(4, 11)], (3,)),
        ([Block(0, 7), Block(8, 8), Block(9, 11)], (8,)),
    ],
)
def test_blocks_that_do_not_fit_start_a_new_page(blocks: list[Block], breaks: tuple[int]) -> None:
    assert breaks == paginate(design(12), blocks, TEN_ROWS).row_breaks


def test_a_table_longer_than_a_page_repeats_its_column_headings() -> None:
    # row 0 a heading, row 1 the column headings, rows 2-24 figures
    table = Block(0, 24, keep=3, heading_rows=(1, 1), repeat_until=24)
    paged = paginate(design(25), [table], TEN_ROWS)
    values = {cell.row: cell.value for cell in paged.cells}
    assert (9, 19) == paged.row_breaks[:2]  # 10 rows a page: the headings and 9 figures
    assert "r1" == values[10] == values[20]  # the headings again at the top of pages 2 and 3
    assert "r9" == values[9] and "r10" == values[11]  # figures move down, none is lost
    assert 25 + len(paged.row_breaks) == len(paged.cells)


def test_a_heading_never_ends_a_page() -> None:
    rows = [Block(0, 7)] + [Block(8, 11, keep=3, heading_rows=(9, 9), repeat_until=11)]
    paged = paginate(design(12), rows, TEN_ROWS)
    assert (7,) == paged.row_breaks  # the heading at row 8 goes over with its table


def test_a_blank_row_alone_between_two_breaks_makes_no_empty_page() -> None:
    cells = tuple(DesignCell(row, 0, "x") for row in range(12) if row != 10)
    paged = paginate(
        SheetDesign("Paper", cells, column_widths={0: 10.0}, row_breaks=(10,)),
        [Block(0, 9)],
        TEN_ROWS,
    )
    assert (9,) == paged.row_breaks


def test_the_designs_own_breaks_are_kept_and_restart_the_page() -> None:
    paged = paginate(design(12, row_breaks=(2,)), [Block(3, 11)], TEN_ROWS)
    assert (2,) == paged.row_breaks


def test_repeated_print_titles_take_their_height_from_every_page() -> None:
    titled = design(30, print_title_rows=(0, 1))
    assert 8 * DEFAULT_ROW_POINTS == pytest.approx(page_rows_height(titled, TEN_ROWS))
    assert (9, 17, 25) == paginate(titled, [], TEN_ROWS).row_breaks


def test_wide_sheets_are_scaled_to_the_page_width() -> None:
    wide = SheetDesign("Paper", (), column_widths={c: 20.0 for c in range(10)})
    expected = int(A4_LANDSCAPE.printable_width / (10 * column_points(20)) * 100) / 100
    assert expected == scale(wide, A4_LANDSCAPE)
