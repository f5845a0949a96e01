"""A click's Excel calls grow with sheets and distinct styles, not with indicator rows.

Measured on xlwings' remote engine, which takes one action per rectangle; ``LiveBook.tally``
counts those actions and the same writes in multi-area form (what desktop Excel for Windows is
sent, ``kpixl.workbook.xlwings_look``).
"""

from __future__ import annotations

from typing import Any

import pytest
import xlwings as xw

from benchmarks.remote import ACTION_AREAS, grids_for, payload
from kpixl.workbook import port
from kpixl.workbook.calculate import calculate
from kpixl.workbook.planner import full_plan
from kpixl.workbook.xlwings_io import LiveBook
from kpixl.workbook.xlwings_look import ADDRESS_LIMIT, NAME_LIMIT, union_pieces
from kpixl.xl import calculate_rag

remote = pytest.mark.remote


def _click(which: str) -> tuple[LiveBook, list[dict[str, Any]], int]:
    name, grids = grids_for(which)
    live = LiveBook(xw.Book(json=payload(grids, name, xw.__version__)))
    port.apply(live, full_plan(calculate(live.read_grids(), source=name)))
    clicked = xw.Book(json=payload(grids, name, xw.__version__))
    calculate_rag(clicked)
    return live, live.book.json()["actions"], len(clicked.json()["actions"])


@pytest.fixture(scope="module")
def clicks() -> dict[str, tuple[LiveBook, list[dict[str, Any]], int]]:
    return {size: _click(size) for size in ("200x24", "2000x24")}


@remote
def test_write_calls_at_2000_rows_are_within_10_percent_of_200_rows(clicks: Any) -> None:
    small, large = clicks["200x24"][0].tally, clicks["2000x24"][0].tally
    print(f"\nmulti-area calls: 200x24 {small.union_calls}, 2000x24 {large.union_calls}")
    assert large.union_calls <= 1.10 * small.union_calls
    assert large.calls > 1.5 * small.calls  # rectangles alone do grow: the measure can fail


@remote
@pytest.mark.parametrize("size", ["200x24", "2000x24"])
def test_the_tally_counts_what_the_engine_was_sent(clicks: Any, size: str) -> None:
    live, actions, clicked = clicks[size]
    assert live.tally.calls == len(actions)
    assert clicked == len(actions) + 1  # the click is those steps and its message box
    assert 2 * ACTION_AREAS < live.tally.union_calls < live.tally.calls


@remote
def test_the_remote_engine_takes_only_the_first_area_of_a_union() -> None:
    book = xw.Book(
        json={
            "client": "Office.js",
            "version": xw.__version__,
            "book": {"name": "union.xlsx", "active_sheet_index": 0, "selection": "A1"},
            "names": [],
            "sheets": [{"name": "S", "values": [[1, 2, 3]], "pictures": [], "tables": []}],
        }
    )
    book.sheets[0].range("A1,C1").number_format = "0%"
    (action,) = book.json()["actions"]
    assert (0, 0, 1, 1) == tuple(
        action[k] for k in ("start_row", "start_column", "row_count", "column_count")
    )
    with pytest.raises(ValueError):
        book.sheets[0].range("A1:A3,C1:C3")


def test_a_short_union_is_one_address_a_long_one_goes_through_names() -> None:
    assert [("A1:B2,D4", False)] == union_pieces("S", [(0, 0, 1, 1), (3, 3, 3, 3)])
    rects = [(row, 0, row, 2) for row in range(0, 4000, 2)]
    pieces = union_pieces("It's", rects)
    assert all(named and len(address) < NAME_LIMIT for address, named in pieces)
    assert all(address.startswith("'It''s'!A1:C1") for address, _ in pieces[:1])
    areas = [area for address, _ in pieces for area in address.split(",")]
    assert len(rects) == len(areas) and len(",".join(areas)) > ADDRESS_LIMIT
    assert [] == union_pieces("S", [])
