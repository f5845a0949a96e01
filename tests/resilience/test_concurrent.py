"""Two ``kpixl calculate --in-place`` runs on one workbook, and Excel opening it mid-run."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.workbooks import sample_xlsx

ROOT = Path(__file__).resolve().parents[2]
REPEATS = 5


def start(workbook: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "kpixl.cli", "calculate", str(workbook), "--in-place"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def sheet_names(path: Path) -> list[str]:
    workbook = load_workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(REPEATS))
def test_two_runs_at_once_one_wins_the_other_waits_or_refuses(tmp_path: Path, attempt: int) -> None:
    workbook = sample_xlsx(tmp_path / "KPIs.xlsx")
    first, second = start(workbook), start(workbook)
    results = [(p.wait(timeout=60), p.communicate()[1].decode()) for p in (first, second)]
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0, results
    for code, err in results:
        assert code == 0 or (code == 2 and "another kpixl run" in err), results
    assert "Summary" in sheet_names(workbook)
    assert not (tmp_path / "KPIs.xlsx.kpixl.lock").exists()
    assert not (tmp_path / ".~kpixl-KPIs.xlsx.tmp").exists()


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.15, 0.2, 0.3])
def test_excel_opening_the_workbook_mid_run_stops_the_replace(tmp_path: Path, delay: float) -> None:
    workbook = sample_xlsx(tmp_path / "KPIs.xlsx")
    original = workbook.read_bytes()
    process = start(workbook)
    time.sleep(delay)
    (tmp_path / "~$KPIs.xlsx").write_bytes(b"\x0bExcel user")
    _, err = process.communicate(timeout=60)
    if process.returncode == 2:
        assert "is open in Excel" in err.decode()
        assert workbook.read_bytes() == original
        assert not (tmp_path / "KPIs.bak.xlsx").exists()
    else:
        assert process.returncode == 0, err.decode()
        assert "Summary" in sheet_names(workbook)
    assert not (tmp_path / ".~kpixl-KPIs.xlsx.tmp").exists()
