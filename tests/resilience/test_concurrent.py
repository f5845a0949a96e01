"""Two ``kpixl calculate --in-place`` runs on one workbook, and Excel opening it mid-run."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.workbooks import lock_holder, sample_xlsx

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
def test_a_run_while_another_holds_the_workbook_refuses_and_changes_nothing(
    tmp_path: Path,
) -> None:
    """The runs overlap for sure: the first holds the lock before the second starts."""
    workbook = sample_xlsx(tmp_path / "KPIs.xlsx")
    original = workbook.read_bytes()
    holder = lock_holder(workbook)
    assert holder.stdout is not None and holder.stdin is not None
    assert "locked\n" == holder.stdout.readline()
    try:
        second = start(workbook)
        _, err = second.communicate(timeout=60)
        files_meanwhile = sorted(p.name for p in tmp_path.iterdir())
    finally:
        holder.communicate("\n", timeout=30)
    assert (2, original) == (second.returncode, workbook.read_bytes())
    assert f"being calculated by another kpixl run (pid {holder.pid})" in err.decode()
    assert ["KPIs.xlsx", "KPIs.xlsx.kpixl.lock"] == files_meanwhile

    third = start(workbook)  # once the first has finished, the workbook is free again
    _, err = third.communicate(timeout=60)
    assert 0 == third.returncode, err.decode()
    assert "Summary" in sheet_names(workbook)
    assert ["KPIs.bak.xlsx", "KPIs.xlsx"] == sorted(p.name for p in tmp_path.iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(REPEATS))
def test_two_runs_started_together_never_both_write(tmp_path: Path, attempt: int) -> None:
    """Whether they overlap depends on the machine; what must hold either way: one wins, the
    other succeeds after it or refuses, and nothing is left behind."""
    workbook = sample_xlsx(tmp_path / "KPIs.xlsx")
    first, second = start(workbook), start(workbook)
    results = [(p.wait(timeout=60), p.communicate()[1].decode()) for p in (first, second)]
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0, results
    for code, err in results:
        assert code == 0 or (code == 2 and "another kpixl run" in err), results
    backups = sorted(p.name for p in tmp_path.iterdir() if ".bak" in p.name)
    assert backups == ["KPIs.bak.xlsx", "KPIs.bak2.xlsx"][: codes.count(0)]
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
