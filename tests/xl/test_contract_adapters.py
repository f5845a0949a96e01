"""One contract, every adapter: the same workbook in gives the same cells out, whether the plan
is carried in memory, to a file by openpyxl, or to a live book by xlwings (remote engine)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.xl.workbooks import BAD_BOOKS, Values, headless, in_memory, remote, sample_grids
from tests.xl.workbooks import write_xlsx as _write

ADAPTERS = [
    pytest.param(headless, id="headless-file"),
    pytest.param(remote, id="xlwings-remote", marks=pytest.mark.remote),
]
WORKBOOKS = ["sample", *BAD_BOOKS]

# (sheet, ref, computed header, label) from the reference report (SPEC section 2)
REFERENCE = [
    ("Finance", "FN11", "YTD RAG", "AMBER"),
    ("Finance", "FN06", "YTD RAG", "N/A"),
    ("Governance, Law & Democracy", "GL02b", "In expected range?", "Yes"),
    ("Human Resources", "HR12", "In expected range?", "Above"),
]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("contract")
    files = {"sample": _write(sample_grids(), folder / "sample.xlsx")}
    for name, grids in BAD_BOOKS.items():
        files[name] = _write(grids, folder / f"{name}.xlsx")
    return files


@pytest.fixture(scope="module")
def results() -> dict[tuple[str, str], Values]:
    return {}


def _run(
    adapter: Callable[[Path], Values], name: str, workbooks: dict[str, Path], cache: dict[Any, Any]
) -> Values:
    key = (adapter.__name__, name)
    if key not in cache:
        cache[key] = adapter(workbooks[name])
    return cache[key]  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", WORKBOOKS)
@pytest.mark.parametrize("adapter", ADAPTERS)
def test_every_sheet_holds_the_planned_values(
    adapter: Callable[[Path], Values],
    name: str,
    workbooks: dict[str, Path],
    results: dict[Any, Any],
) -> None:
    expected = in_memory(workbooks[name])
    actual = _run(adapter, name, workbooks, results)
    assert sorted(expected) == sorted(actual)
    for sheet in expected:
        assert expected[sheet] == actual[sheet], sheet


@pytest.mark.parametrize(("sheet", "ref", "header", "label"), REFERENCE)
@pytest.mark.parametrize("adapter", ADAPTERS)
def test_reference_ratings_land_in_their_computed_column(
    adapter: Callable[[Path], Values],
    sheet: str,
    ref: str,
    header: str,
    label: str,
    workbooks: dict[str, Path],
    results: dict[Any, Any],
) -> None:
    cells = _run(adapter, "sample", workbooks, results)[sheet]
    (ref_row,) = [r for (r, c), v in cells.items() if v == ref and c == 0]
    (header_row, col), *_ = [key for key, v in cells.items() if v == header]
    assert header_row < ref_row
    assert label == cells[ref_row, col]


@pytest.mark.parametrize(("ref", "label"), [("FN11", "AMBER"), ("HR12", None)])
@pytest.mark.parametrize("adapter", ADAPTERS)
def test_summary_lists_each_kpi_with_its_ratings(
    adapter: Callable[[Path], Values],
    ref: str,
    label: str | None,
    workbooks: dict[str, Path],
    results: dict[Any, Any],
) -> None:
    summary = _run(adapter, "sample", workbooks, results)["Summary"]
    rows = [r for (r, c), v in summary.items() if isinstance(v, str) and v.startswith(f"{ref}:")]
    if label is None:  # an activity indicator: not in the KPI summary
        assert rows == []
    else:
        (row,) = rows
        assert label in [v for (r, _), v in summary.items() if r == row]


@pytest.mark.parametrize(
    ("name", "row"),
    [("duplicate-refs", 4), ("duplicate-refs", 5), ("text-in-number", 4), ("missing-target", 4)],
)
@pytest.mark.parametrize("adapter", ADAPTERS)
def test_bad_data_is_described_in_the_checks_column(
    adapter: Callable[[Path], Values],
    name: str,
    row: int,
    workbooks: dict[str, Path],
    results: dict[Any, Any],
) -> None:
    cells = _run(adapter, name, workbooks, results)["Finance"]
    (col,) = [c for (r, c), v in cells.items() if v == "Checks"]
    assert isinstance(cells.get((row, col)), str)


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_text_that_looks_like_a_formula_stays_text(
    adapter: Callable[[Path], Values], workbooks: dict[str, Path], results: dict[Any, Any]
) -> None:
    values = _run(adapter, "formula-like-text", workbooks, results)
    dashboard = set(values["Dashboard"].values())
    assert {"=1+1 invoices", "FN07 – -5 on last month", "@risk"} <= dashboard
