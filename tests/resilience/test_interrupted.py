"""``kpixl calculate --in-place`` killed (SIGKILL) at varied moments: the workbook survives.

The kill moments are spread over one measured run (a run takes a few tenths of a second
here), plus a few after it. ``KPIXL_KILL_RUNS`` sets the number of kills (20 by default).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.workbooks import sample_xlsx

KILLS = int(os.environ.get("KPIXL_KILL_RUNS", "20"))
TMP = ".~kpixl-KPIs.xlsx.tmp"
NESTED_TMP = "..~kpixl-KPIs.xlsx.tmp.kpixl-tmp"  # xlsx_io.save's own temporary file
ROOT = Path(__file__).resolve().parents[2]


def start(workbook: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "kpixl.cli", "calculate", str(workbook), "--in-place"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def one_run_seconds(tmp_path: Path) -> float:
    workbook = sample_xlsx(tmp_path / "timing.xlsx")
    began = time.monotonic()
    process = start(workbook)
    process.communicate(timeout=60)
    assert process.returncode == 0
    return time.monotonic() - began


def valid_with_summary(path: Path) -> bool:
    workbook = load_workbook(path)
    try:
        return "Summary" in workbook.sheetnames
    finally:
        workbook.close()


@pytest.mark.slow
def test_killed_in_place_runs_leave_the_original_or_a_complete_workbook(tmp_path: Path) -> None:
    span = one_run_seconds(tmp_path) * 1.2
    original = sample_xlsx(tmp_path / "original.xlsx").read_bytes()
    outcomes = {"untouched": 0, "replaced": 0}
    left_tmp = left_nested = left_lock = 0
    for n in range(KILLS):
        folder = tmp_path / f"kill{n}"
        folder.mkdir()
        workbook = folder / "KPIs.xlsx"
        workbook.write_bytes(original)
        process = start(workbook)
        time.sleep(span * n / max(KILLS - 1, 1))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)

        data = workbook.read_bytes()
        if data == original:
            outcomes["untouched"] += 1
        else:
            assert valid_with_summary(workbook), f"kill {n}: {workbook} is not a whole workbook"
            outcomes["replaced"] += 1
        names = {p.name for p in folder.iterdir()}
        for backup in names & {"KPIs.bak.xlsx"}:
            assert (folder / backup).read_bytes() == original
        allowed = {"KPIs.xlsx", "KPIs.bak.xlsx", TMP, NESTED_TMP, "KPIs.xlsx.kpixl.lock"}
        assert names <= allowed, f"kill {n}: stray files {names - allowed}"
        left_tmp += TMP in names
        left_nested += NESTED_TMP in names
        left_lock += "KPIs.xlsx.kpixl.lock" in names

        again = start(workbook)  # a later normal run recovers the stale lock and temp file
        out, err = again.communicate(timeout=60)
        assert again.returncode == 0, err.decode()
        assert valid_with_summary(workbook)
        assert not (folder / TMP).exists()
        assert not (folder / NESTED_TMP).exists()
        assert not (folder / "KPIs.xlsx.kpixl.lock").exists()
    print(f"kills={KILLS} {outcomes} left: tmp={left_tmp} nested={left_nested} lock={left_lock}")
    assert sum(outcomes.values()) == KILLS


def test_a_later_run_removes_the_temporary_files_a_killed_run_left(tmp_path: Path) -> None:
    workbook = sample_xlsx(tmp_path / "KPIs.xlsx")
    for name in (TMP, NESTED_TMP):
        (tmp_path / name).write_bytes(b"PK\x03\x04 half-written")
    (tmp_path / "KPIs.xlsx.kpixl.lock").write_text("999999999 " + os.uname().nodename + "\n")
    process = start(workbook)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["KPIs.bak.xlsx", "KPIs.xlsx"]
