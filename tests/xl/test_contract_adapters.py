"""One contract, every adapter: the same workbook in gives the same cells out, whether the plan
is carried in memory, to a file by openpyxl, or to a live book by xlwings (remote engine):
the same values and the same looks (``tests/xl/looks.py`` says what is compared)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kpixl.core.evaluate import evaluate
from kpixl.workbook import contract
from tests.long_sample import long_sample
from tests.xl.looks import Looks, chosen, file_looks, memory_looks, model_looks, remote_view
from tests.xl.workbooks import (
    BAD_BOOKS,
    Values,
    headless,
    headless_file,
    in_memory,
    memory_book,
    remote,
    run_remote,
    sample_grids,
    spc_sample_grids,
)
from tests.xl.workbooks import write_xlsx as _write

ADAPTERS = [
    pytest.param(headless, id="headless-file"),
    pytest.param(remote, id="xlwings-remote", marks=pytest.mark.remote),
]
WORKBOOKS = ["sample", "spc", *BAD_BOOKS]

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
    files = {
        "sample": _write(sample_grids(), folder / "sample.xlsx"),
        "spc": _write(spc_sample_grids(), folder / "spc.xlsx"),
    }
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


SPC_EVALUATION = evaluate(long_sample())


@pytest.mark.parametrize("header", ["Variation", "Assurance", "Direction of travel"])
@pytest.mark.parametrize("adapter", ADAPTERS)
def test_spc_and_regression_results_land_in_their_columns(
    adapter: Callable[[Path], Values],
    header: str,
    workbooks: dict[str, Path],
    results: dict[Any, Any],
) -> None:
    """With SPC On every row's Variation and Assurance (N/A when none) and its regression
    direction are on its sheet, as the core computes them (SPEC 8.1-8.2)."""
    values = _run(adapter, "spc", workbooks, results)
    attribute = {"Variation": "variation", "Assurance": "assurance"}.get(header, "direction")
    expected, found = {}, {}
    for sheet, cells in values.items():
        headers = [key for key, v in cells.items() if v == header]
        if not headers or sheet in contract.GENERATED_SHEETS:
            continue
        (header_row, col), *_ = headers
        for (row, c), ref in cells.items():
            if c == 0 and row > header_row and isinstance(ref, str):
                found[ref] = cells.get((row, col))
    for result in SPC_EVALUATION.results:
        value = getattr(result, attribute)
        expected[result.ref] = (
            str(value) if value is not None else (None if attribute == "direction" else "N/A")
        )
    assert expected == found
    assert {"Common cause", "Consistently failing", "Improving"} & set(found.values())


def test_spc_off_sheets_have_no_spc_columns(
    workbooks: dict[str, Path], results: dict[Any, Any]
) -> None:
    values = _run(headless, "sample", workbooks, results)
    texts = {
        v
        for sheet, cells in values.items()
        if sheet not in contract.GENERATED_SHEETS  # the history records variation as a column
        for v in cells.values()
    }
    assert not {"Variation", "Assurance"} & texts


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


# --- looks: every cell's number format, font, fill, borders and alignment, the merges, the
# label rules, widths, heights and page setup (what the remote engine can represent of it)

LOOK_ADAPTERS = [
    pytest.param("file", id="headless-file"),
    pytest.param("remote", id="xlwings-remote", marks=pytest.mark.remote),
]
LOOK_BOOKS = ["sample", "spc", "formula-like-text"]


@pytest.fixture(scope="module")
def looks(workbooks: dict[str, Path]) -> dict[tuple[str, str], tuple[Looks, Looks]]:
    """(adapter, workbook) -> (expected from the in-memory book, what the adapter wrote)."""
    return {}


def _looks(
    adapter: str, name: str, workbooks: dict[str, Path], cache: dict[Any, Any]
) -> tuple[Looks, Looks]:
    if (adapter, name) not in cache:
        memory = memory_book(workbooks[name])
        keys, generated = chosen(memory), set(memory.generated())
        expected = memory_looks(memory)
        if adapter == "file":
            actual = file_looks(headless_file(workbooks[name]), keys, generated)
        else:
            actual = model_looks(run_remote(workbooks[name])[0].model, keys, generated)
            expected = remote_view(expected)
        cache[adapter, name] = (expected, actual)
    return cache[adapter, name]  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", LOOK_BOOKS)
@pytest.mark.parametrize("adapter", LOOK_ADAPTERS)
def test_every_cell_looks_as_kpixl_designed_it(
    adapter: str, name: str, workbooks: dict[str, Path], looks: dict[Any, Any]
) -> None:
    expected, actual = _looks(adapter, name, workbooks, looks)
    assert sorted(expected) == sorted(actual)
    for sheet in expected:
        assert len(expected[sheet].cells) > 0 or sheet == "Settings"
        different = {
            key: (want, actual[sheet].cells.get(key))
            for key, want in expected[sheet].cells.items()
            if want != actual[sheet].cells.get(key)
        }
        assert {} == dict(list(different.items())[:3]), sheet


@pytest.mark.parametrize("name", LOOK_BOOKS)
@pytest.mark.parametrize("adapter", LOOK_ADAPTERS)
@pytest.mark.parametrize("aspect", ["merges", "rules", "widths", "heights", "page"])
def test_sheet_layout_and_label_rules_agree(
    adapter: str, name: str, aspect: str, workbooks: dict[str, Path], looks: dict[Any, Any]
) -> None:
    expected, actual = _looks(adapter, name, workbooks, looks)
    for sheet in expected:
        assert getattr(expected[sheet], aspect) == getattr(actual[sheet], aspect), sheet
    assert any(getattr(expected[sheet], aspect) for sheet in expected), "nothing compared"
