"""The trial of SPEC 8.4 on a real file: a workbook made by the template with a Targets sheet
(Kent's falling greenhouse-gas trajectory), rated by the ``kpixl calculate`` command; the
trajectory KPI is rated against its own period's target, and without the Targets row against
the indicator row's."""

from __future__ import annotations

import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kpixl.core.models import Report, ServiceArea
from kpixl.template.build import build_workbook
from kpixl.workbook import contract
from tests.core.test_targets import KENT_GHG, KENT_TRAJECTORY

AREA = ServiceArea(name="Environment")


def _book(path: Path, month: date) -> Path:
    report = Report(
        reporting_month=month,
        title="Quarterly Performance Report",
        produced_by="Kent Analytics",
        areas=(AREA,),
        indicators=(KENT_GHG.model_copy(update={"service_area": AREA.name}),),
        targets={"ENV01": KENT_TRAJECTORY},
    )
    return build_workbook(path, report)


def _calculate(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("kpixl")), "calculate", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )


def _load(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(path, data_only=True)


def _computed(book: Any, column: str) -> object:
    ws = book[AREA.name]
    for row in ws.iter_rows():
        headers = [cell.value for cell in row]
        if "Ref" in headers and column in headers:
            below = ws.cell(row[0].row + 1, headers.index(column) + 1)
            return below.value
    raise AssertionError(f"no {column} column")


@pytest.mark.parametrize(
    ("month", "keep_targets", "expected"),
    [
        (date(2023, 9, 1), True, "GREEN"),  # as published: 10,985 against Sep-23's 11,000
        (date(2023, 9, 1), False, "AMBER"),  # the printed 10,700 alone cannot reproduce it
        (date(2023, 12, 1), True, "AMBER"),  # Dec-23 has no row: 10,790 against 10,700
    ],
)
def test_kpixl_calculate_rates_the_trajectory_kpi_against_its_period_s_target(
    tmp_path: Path, month: date, keep_targets: bool, expected: str
) -> None:
    source = _book(tmp_path / "trial.xlsm", month)
    made = _load(source)
    targets = made[contract.TARGETS_SHEET]
    assert ["Ref", "Period", "Target", "Floor", "Upper", "Lower"] == [c.value for c in targets[4]][
        :6
    ]
    assert [("ENV01", 11_300.0), ("ENV01", 11_000.0)] == [
        (targets.cell(r, 1).value, targets.cell(r, 3).value) for r in (5, 6)
    ]
    if not keep_targets:
        edit = openpyxl.load_workbook(source, keep_vba=True)
        edit[contract.TARGETS_SHEET].delete_rows(5, 2)
        edit.save(source)
    out = tmp_path / "rated.xlsm"
    done = _calculate(source, out)
    assert 0 == done.returncode, done.stdout + done.stderr
    rated = _load(out)
    assert expected == _computed(rated, contract.LATEST_RAG)
    dashboard = [c for row in rated[contract.DASHBOARD_SHEET].iter_rows() for c in row]
    in_force = 11_000.0 if (keep_targets and month.month == 9) else 10_700.0
    assert in_force in [c.value for c in dashboard]  # the Dashboard prints the target in force
