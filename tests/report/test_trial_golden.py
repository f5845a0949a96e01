"""Golden files of the trial workbook's Summary and Dashboard: values, styles, merges, row
heights and page breaks, so any change to the printed paper is seen and reviewed.

After a deliberate change to the papers, regenerate with
``KPIXL_REGENERATE_GOLDEN=1 pytest tests/report/test_trial_golden.py`` and look at the diff
(and at a LibreOffice render) before committing.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

import pytest

from kpixl.report.design import SheetDesign
from kpixl.workbook.calculate import calculate
from kpixl.workbook.layout_from_report import report_to_grids
from kpixl.workbook.planner import full_plan
from tests.trial import trial_report, with_commentary

GOLDEN = Path(__file__).parent / "golden"


def _jsonable(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _describe(design: SheetDesign) -> dict[str, object]:
    return {
        "cells": [
            [c.row, c.col, _jsonable(c.value), c.style, c.number_format] for c in design.cells
        ],
        "merges": [list(m) for m in design.merges],
        "column_widths": {str(k): v for k, v in sorted(design.column_widths.items())},
        "row_heights": {str(k): v for k, v in sorted(design.row_heights.items())},
        "row_breaks": list(design.row_breaks),
        "print_title_rows": design.print_title_rows,
    }


def _dump(described: dict[str, object]) -> str:
    """One cell or merge a line, so a diff of the golden file reads like the change."""
    lines = ["{"]
    for number, (key, value) in enumerate(described.items()):
        comma = "," if number < len(described) - 1 else ""
        if isinstance(value, list) and value:
            items = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in value)
            lines.append(f"{json.dumps(key)}: [\n{items}\n]{comma}")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _designs() -> dict[str, SheetDesign]:
    outcome = calculate(report_to_grids(with_commentary(trial_report())))
    return {design.name: design for design in full_plan(outcome).designs}


@pytest.mark.parametrize("name", ["Summary", "Dashboard"])
def test_the_trial_papers_match_their_golden_files(name: str) -> None:
    design = _designs()[name]
    actual = json.loads(json.dumps(_describe(design)))
    path = GOLDEN / f"trial_{name.lower()}.json"
    if os.environ.get("KPIXL_REGENERATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(_dump(actual), "utf-8")
    expected = json.loads(path.read_text("utf-8"))
    for key in expected:  # one key at a time, so a failure says what changed
        assert expected[key] == actual[key], f"{name}: {key} changed (see the module docstring)"


def test_every_trial_page_break_falls_between_tables_or_repeats_headings() -> None:
    design = _designs()["Dashboard"]
    styles = {(c.row, c.col): c.style for c in design.cells}
    for brk in design.row_breaks:
        first_on_page = brk + 1
        assert styles.get((brk, 0)) != "heading", f"a heading ends the page at row {brk + 1}"
        # a page starts with a heading, an area band, a label row or repeated column headings
        assert styles.get((first_on_page, 0)) in {"heading", "label", "area", "header", None}
