"""Adding an input column is one edit to the column table (plus the Indicator field it fills).

A copy of the package gets one new member in ``kpixl/core/columns.py`` — a ``Stretch target``
threshold — and the field ``Indicator.stretch_target``; nothing else is
edited. The reader, the checks, evaluate, the generated sheets, the template and (when the
member says so) the Dashboard must then all know the column.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kpixl

MEMBER = """    STRETCH_TARGET = ColumnSpec(
        "Stretch target",
        "stretch_target",
        Kind.NUMBER,
        Validation(Rule.NUMBER, "KPI: a stretch target beyond the Target."),
        threshold=True,
        checks=_NUMBER_CHECKS,
        always_laid_out=False,
        dashboard=DASHBOARD,
    )
"""
FIELD = "    stretch_target: float | None = None\n"

SCRIPT = r"""
from datetime import date, datetime
import kpixl
from kpixl.core.checks import check_indicator
from kpixl.core.columns import THRESHOLDS, Column
from kpixl.core.evaluate import evaluate
from kpixl.core.models import Indicator, Report
from kpixl.template.layout import column_headers, indicator_validation
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.layout_from_report import report_to_grids
from kpixl.workbook.reader import read_book

assert kpixl.__file__.startswith(COPY), kpixl.__file__
OCT = date(2023, 10, 1)
kpi = Indicator(
    ref="FN07", service_area="Finance", unit="%", target=0.9, stretch_target=0.1,
    values={OCT: 0.86},
)
report = Report(reporting_month=OCT, indicators=(kpi,))

# layout_from_report lays the column out (a row uses it), right after Floor; the reader reads it
grids = report_to_grids(report)
header = next(row for row in grids[1].rows if "Ref" in row)
assert header.index("Stretch target") == header.index("Floor") + 1, header
read = read_book(grids)
assert read.report.indicators == report.indicators, read.report.indicators
assert "Stretch target" in THRESHOLDS

# a text in the new number column is a located problem at its own cell
col = header.index("Stretch target")
row = header_row = grids[1].rows.index(header)
rows = [list(r) for r in grids[1].rows]
rows[header_row + 1][col] = "ten"
read = read_book([grids[0], SheetGrid(grids[1].name, rows)])
problem = next(p for p in read.problems if p.field is Column.STRETCH_TARGET)
assert problem.cell == f"{chr(ord('A') + col)}{header_row + 2}", problem
assert "'ten'" in problem.message, problem.message

# its checks apply: non-finite and percent typed as a whole number
fields = {p.field for p in check_indicator(kpi.model_copy(update={"stretch_target": 10.0}), OCT)}
assert Column.STRETCH_TARGET in fields, fields
inf = kpi.model_copy(update={"stretch_target": float("inf")})
fields = {p.field for p in check_indicator(inf, OCT)}
assert Column.STRETCH_TARGET in fields, fields

# evaluate sees the problem, which names the column
nan = kpi.model_copy(update={"stretch_target": float("nan")})
bad = evaluate(report.model_copy(update={"indicators": (nan,)}))
assert any(p.field == "Stretch target" for p in bad.errors), bad.errors

# a sheet whose rows leave it blank does not get the column
plain = report.model_copy(update={"indicators": (kpi.model_copy(update={"stretch_target": None}),)})
assert "Stretch target" not in next(r for r in report_to_grids(plain)[1].rows if "Ref" in r)

# the template shows it after Floor, with its own validation and prompt
headers = column_headers([OCT])
assert headers.index("Stretch target") == headers.index("Floor") + 1, headers
letter = chr(ord("A") + headers.index("Stretch target"))
guards = {str(v.sqref): v for v in indicator_validation(headers, 5, 204)}
guard = guards[f"{letter}5:{letter}204"]
assert guard.prompt.startswith("KPI: a stretch target"), guard.prompt
assert "Stretch target must be a number" in guard.error, guard.error

# the Dashboard's KPI table shows it after Floor when the table says so
from kpixl.report.dashboard import dashboard_design
design = dashboard_design(evaluate(report))
texts = [(c.row, c.col, c.value) for c in design.cells]
floor = next((r, c) for r, c, v in texts if v == "Floor")
shown = (floor[0], floor[1] + 1, "Stretch target") in texts
assert shown is ON_DASHBOARD, texts
if ON_DASHBOARD:
    assert (floor[0] + 1, floor[1] + 1, 0.1) in texts, texts
    assert len(design.column_widths) == 2 + 4 + 8 + 1, design.column_widths  # Direction, Trend
print("ok")
"""


def _copy_with_one_more_column(tmp_path: Path, dashboard: str | None = None) -> Path:
    source = Path(kpixl.__file__).parent
    copy = tmp_path / "kpixl"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    columns = copy / "core" / "columns.py"
    text = columns.read_text(encoding="utf-8")
    anchor = "    UPPER = _threshold("
    assert 1 == text.count(anchor)
    member = MEMBER.replace("DASHBOARD", repr(dashboard))
    columns.write_text(text.replace(anchor, member + anchor), encoding="utf-8")
    models = copy / "core" / "models.py"
    text = models.read_text(encoding="utf-8")
    anchor = "    tolerance: float | None = None\n"
    assert 1 == text.count(anchor)
    models.write_text(text.replace(anchor, anchor + FIELD), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("dashboard", [None, "KPI"])
def test_one_new_member_reaches_reader_checks_layouts_and_template(
    tmp_path: Path, dashboard: str | None
) -> None:
    root = _copy_with_one_more_column(tmp_path, dashboard)
    flags = f"COPY = {str(root)!r}\nON_DASHBOARD = {dashboard is not None}\n"
    out = subprocess.run(
        [sys.executable, "-c", flags + SCRIPT],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": ""},
        check=False,
    )
    assert "ok" == out.stdout.strip(), out.stderr
