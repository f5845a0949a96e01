"""SPEC 8.3 over real files: three monthly runs (Aug, Sep, Oct 2023) of ``kpixl calculate
--in-place`` on one workbook, its Reporting month and some figures changed between runs, as
an analyst does. The hidden ``kpixl history`` grows a month a run, the Summary lists what
changed since the previous month in it and who has not yet sent figures, and a re-run of a
month replaces that month's rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kpixl.cli import main
from kpixl.core.history import HISTORY_COLUMNS, HISTORY_SHEET
from kpixl.report.summary_history import NO_EARLIER_RUN, NOT_YET_SUBMITTED
from tests.workbooks import sample_xlsx

Edit = Callable[[Any], None]


def _cell(wb: Any, sheet: str, ref: str, header: object) -> Any:
    """The cell of ``ref``'s row under ``header`` (a column name or a month)."""
    ws = wb[sheet]
    rows = list(ws.iter_rows(max_row=ws.max_row))
    head = next(row for row in rows if row[0].value == "Ref")
    col = next(c.column for c in head if c.value == header)
    row = next(r for r in rows if r[0].value == ref)
    return ws.cell(row[0].row, col)


def _month(month: int) -> Edit:
    def edit(wb: Any) -> None:
        ws = wb["Settings"]
        row = next(r for r in ws.iter_rows() if r[0].value == "Reporting month")
        row[1].value = datetime(2023, month, 1)

    return edit


def _value(sheet: str, ref: str, month: int, value: object) -> Edit:
    def edit(wb: Any) -> None:
        _cell(wb, sheet, ref, datetime(2023, month, 1)).value = value

    return edit


def _rename(sheet: str, ref: str, new: str) -> Edit:
    def edit(wb: Any) -> None:
        _cell(wb, sheet, ref, "Ref").value = new

    return edit


def run(path: Path, *edits: Edit) -> None:
    """The edits saved (as the analyst saves in Excel), then ``kpixl calculate --in-place``."""
    wb = load_workbook(path)
    for edit in edits:
        edit(wb)
    wb.save(path)
    assert main(["calculate", str(path), "--in-place", "--no-backup"]) in (0, 1)


def history(path: Path) -> list[tuple[Any, ...]]:
    ws = load_workbook(path)[HISTORY_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert HISTORY_COLUMNS == rows[0]
    return rows[1:]


def sections(path: Path) -> dict[str, dict[str, list[tuple[Any, ...]]]]:
    """Summary section heading -> table title (without its count) -> its rows (text, labels);
    a section without tables maps its one line to an empty list."""
    ws = load_workbook(path)["Summary"]
    found: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    section: dict[str, list[tuple[Any, ...]]] | None = None
    table: list[tuple[Any, ...]] | None = None
    for row in ws.iter_rows(values_only=True):
        first = row[0]
        if not isinstance(first, str):
            table = None
            continue
        if first.startswith("Changes since") or first == NOT_YET_SUBMITTED:
            section, table = found.setdefault(first, {}), None
        elif section is not None and (row[1] in ("Was", "Due") or " since " in first):
            table = section.setdefault(first.rsplit(" (", 1)[0], [])
        elif section is not None and table is not None:
            table.append(tuple(cell for cell in row[:3] if cell is not None))
        elif section is not None:
            section[first] = []
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The workbook after each run, copied aside: Aug, Sep, Oct, Oct again."""
    folder = tmp_path_factory.mktemp("months")
    path = sample_xlsx(folder / "kpis.xlsx")
    kept: dict[str, Path] = {}

    def keep(name: str) -> None:
        kept[name] = folder / f"{name}.xlsx"
        kept[name].write_bytes(path.read_bytes())

    run(path, _month(8))
    keep("aug")
    run(
        path,
        _month(9),
        _value("Finance", "FN06", 9, 0.5),  # GREEN in Aug (0.29 ≤ 0.30), now over the floor
        _value("Human Resources", "HR12", 9, 85),  # Above (95) in Aug, now in 80-90
    )
    keep("sep")
    run(
        path,
        _month(10),
        _rename("Finance", "FN11", "FN11x"),
        _value("Finance", "FN07", 10, None),  # not sent yet (Governance's October is not either)
    )
    keep("oct")
    run(path)
    keep("oct again")
    return kept


def test_the_history_grows_a_month_a_run(runs: dict[str, Path]) -> None:
    months = {name: [row[0] for row in history(path)] for name, path in runs.items()}
    refs = len(history(runs["aug"]))

    assert {"Aug-23"} == set(months["aug"])
    assert ["Aug-23"] * refs + ["Sep-23"] * refs == months["sep"]
    assert [*months["sep"], *["Oct-23"] * refs] == months["oct"]


def test_a_rerun_of_the_month_replaces_its_rows(runs: dict[str, Path]) -> None:
    assert history(runs["oct"]) == history(runs["oct again"])


def test_the_history_rows_hold_each_month_as_it_was_rated(runs: dict[str, Path]) -> None:
    rows = {(row[0], row[1]): row for row in history(runs["oct"])}
    columns = {name: index for index, name in enumerate(HISTORY_COLUMNS)}

    def at(month: str, ref: str, column: str) -> Any:
        return rows[month, ref][columns[column]]

    months = ("Aug-23", "Sep-23", "Oct-23")
    assert ("GREEN", "RED", "RED") == tuple(at(m, "FN06", "Latest RAG") for m in months)
    assert (0.29, 0.5, 0.43) == tuple(at(m, "FN06", "Latest value") for m in months)
    assert "Sep-23" == at("Oct-23", "FN07", "Latest period")  # its October not sent
    assert ("Above", "Yes", "Above") == tuple(at(m, "HR12", "In expected range?") for m in months)
    assert ("Oct-23", "FN11x") in rows and ("Oct-23", "FN11") not in rows
    assert ("Sep-23", "FN11") in rows


def test_the_history_sheet_is_hidden_and_after_dashboard(runs: dict[str, Path]) -> None:
    wb = load_workbook(runs["oct"])
    names = wb.sheetnames

    assert names.index(HISTORY_SHEET) == names.index("Dashboard") + 1
    assert "hidden" == wb[HISTORY_SHEET].sheet_state
    assert "visible" == wb["Summary"].sheet_state


def test_the_first_run_says_changes_will_show_next_month(runs: dict[str, Path]) -> None:
    assert {NO_EARLIER_RUN: []} == sections(runs["aug"])["Changes since the previous run"]


def test_september_lists_what_changed_since_august(runs: dict[str, Path]) -> None:
    changes = sections(runs["sep"])["Changes since Aug 2023"]

    red = changes["Newly RED"]
    assert ("GREEN", "RED") in [labels[1:] for labels in red if labels[0].startswith("FN06 – ")]
    assert any(
        text.startswith("HR12 – ") for text, *_ in changes["Activity back in its expected range"]
    )
    assert "Gone since Aug 2023" not in changes and "New since Aug 2023" not in changes


def test_october_lists_what_changed_since_september(runs: dict[str, Path]) -> None:
    changes = sections(runs["oct"])["Changes since Sep 2023"]

    assert not [text for text, *_ in changes.get("Newly RED", []) if text.startswith("FN06 ")]
    assert [("HR12 – Number of current change activities being supported", "Yes", "Above")] == [
        row for row in changes["Activity moved out of its expected range"] if row[0][:5] == "HR12 "
    ]
    assert [("FN11x – " + _description(runs["oct"], "FN11x"),)] == changes["New since Sep 2023"]
    assert [("FN11",)] == changes["Gone since Sep 2023"]


def test_not_yet_submitted_names_the_area_and_its_director(runs: dict[str, Path]) -> None:
    outstanding = sections(runs["oct"])[NOT_YET_SUBMITTED]
    area = "Governance, Law & Democracy – Ben Watts, Director"

    def refs(area: str) -> list[tuple[str, str]]:
        return [(text.split(" – ")[0], due) for text, due in outstanding[area]]

    assert ("GL01", "Oct-23") in refs(area)
    assert [("FN07", "Oct-23")] == refs("Finance – Zena Cooke, Director")
    assert not any(
        text.startswith("GL01 ")
        for rows in sections(runs["sep"])[NOT_YET_SUBMITTED].values()
        for text, *_ in rows
    )


def _description(path: Path, ref: str) -> str:
    return str(_cell(load_workbook(path), "Finance", ref, "Indicator description").value)
