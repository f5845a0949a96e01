"""Count the Excel calls ``kpixl.xl.calculate_rag`` makes, through xlwings' remote engine.

The remote engine runs xlwings' object model without Excel: the book arrives as a JSON
payload and every write comes back as an action. Reads are counted by wrapping the engine's
``Range.raw_value`` getter (one read of a range = one Excel call on the desktop too).
It needs ``XLWINGS_LICENSE_KEY=noncommercial`` (PolyForm Noncommercial: benchmarks and tests
only), which the runner sets for this subprocess alone.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks import Unavailable
from kpixl.workbook.grid import SheetGrid
from tests.xl.remote_model import office_js_value

LICENSE_VARIABLE = "XLWINGS_LICENSE_KEY"
ACTION_AREAS = 25
"""Service-area sheets of the generated books counted: the same at every size, so the counts
compare rows, not sheets."""


def payload(grids: list[SheetGrid], name: str, version: str) -> dict[str, Any]:
    """The JSON an Office.js client sends for a book holding ``grids``."""
    return {
        "client": "Office.js",
        "version": version,
        "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [
            {"name": grid.name, "values": _values(grid), "pictures": [], "tables": []}
            for grid in grids
        ],
    }


def _values(grid: SheetGrid) -> list[list[Any]]:
    width = max(grid.width, 1)
    rows = [
        [office_js_value(value) for value in row] + [""] * (width - len(row)) for row in grid.rows
    ]
    return rows or [[""]]


def grids_for(which: str) -> tuple[str, list[SheetGrid]]:
    """``sample`` (the reference report laid out as a workbook), ``NxP`` (a generated
    workbook of N indicators and P periods on ``ACTION_AREAS`` sheets) or a file's grids."""
    if which == "sample":
        from kpixl import load_sample
        from kpixl.workbook.layout_from_report import report_to_grids

        return "kpixl-sample.xlsm", report_to_grids(load_sample())
    from kpixl.workbook.xlsx_io import load

    if re.fullmatch(r"\d+x\d+", which):
        from benchmarks.generate import Spec, workbook_path

        indicators, periods = map(int, which.split("x"))
        path = workbook_path(Spec(indicators, periods, areas=ACTION_AREAS))
        return path.name, load(path).grids
    path = Path(which)
    return path.name, load(path).grids


def count_actions(which: str) -> dict[str, Any]:
    """Run ``calculate_rag`` on a remote-engine book; count its reads and write actions."""
    if os.environ.get(LICENSE_VARIABLE) != "noncommercial":
        raise Unavailable(f"{LICENSE_VARIABLE}=noncommercial is not set for this process")
    name, grids = grids_for(which)
    import xlwings as xw

    try:
        from xlwings.pro import _xlremote

        book = xw.Book(json=payload(grids, name, xw.__version__))
    except (ImportError, xw.LicenseError) as exc:
        raise Unavailable(f"xlwings' remote engine is unavailable: {exc}") from exc

    reads = Counter[str]()
    engine_range: Any = _xlremote.Range
    raw_value = engine_range.raw_value

    def counted(self: Any) -> Any:
        reads[self.sheet.name] += 1
        return raw_value.fget(self)

    engine_range.raw_value = property(counted, raw_value.fset)
    from kpixl.xl import calculate_rag

    start = time.perf_counter()
    calculate_rag(book)
    seconds = time.perf_counter() - start
    done = book.json()["actions"]
    engine_range.raw_value = raw_value
    tally = click_tally(grids, name)
    kinds = Counter(action["func"] for action in done)
    values = [a for a in done if a["func"] == "setValues"]
    cells = sum((a.get("row_count") or 0) * (a.get("column_count") or 0) for a in values)
    return {
        "seconds": seconds,
        "sheets": len(grids),
        "reads": sum(reads.values()),
        "actions": len(done),
        "by_kind": dict(kinds.most_common()),
        "on_indicator_sheets": sum(
            1 for a in done if a["sheet_position"] is not None and a["sheet_position"] < len(grids)
        ),
        "cells_written": cells,
        "union_calls": tally.union_calls,
        "union_formats": tally.union_formats,
    }


def click_tally(grids: list[SheetGrid], name: str) -> Any:
    """A click's steps (read, calculate, plan, ``port.apply``) through ``LiveBook`` on a fresh
    remote-engine book: its tally of calls made and of their multi-area form (what desktop
    Excel for Windows receives)."""
    import xlwings as xw

    from kpixl.workbook import port
    from kpixl.workbook.calculate import calculate
    from kpixl.workbook.planner import full_plan
    from kpixl.workbook.xlwings_io import LiveBook

    live = LiveBook(xw.Book(json=payload(grids, name, xw.__version__)))
    port.apply(live, full_plan(calculate(live.read_grids(), source=name)))
    return live.tally
