"""``kpixl calculate --in-place`` killed (SIGKILL) at varied moments: the workbook survives.

Half the kills are spread over one measured run (a run takes a few tenths of a second here),
plus a few after it; the other half land inside the write window, found by watching for the
temporary file ``files.write_atomically`` writes (it exists only while the new workbook is
being written). A killed run that left that file behind was killed inside the window: the
test asserts that most window kills did, so it cannot pass with every kill outside the write.
``KPIXL_KILL_RUNS`` sets the number of kills (20 by default).
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

from kpixl.workbook.files import temporary_path
from tests.workbooks import sample_xlsx

KILLS = int(os.environ.get("KPIXL_KILL_RUNS", "20"))
TMP = ".~kpixl-KPIs.xlsx.tmp"
LOCK = "KPIs.xlsx.kpixl.lock"
ROOT = Path(__file__).resolve().parents[2]


def start(workbook: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "kpixl.cli", "calculate", str(workbook), "--in-place"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def watch(process: subprocess.Popen[bytes], tmp: Path) -> tuple[float, float, float]:
    """Seconds from the start until ``tmp`` appears and disappears, and until the run ends."""
    began = time.monotonic()
    appeared = gone = 0.0
    while process.poll() is None:
        now = time.monotonic() - began
        if tmp.exists():
            appeared = appeared or now
        elif appeared and not gone:
            gone = now
        time.sleep(0.0005)
    process.communicate(timeout=60)
    assert process.returncode == 0
    ended = time.monotonic() - began
    return appeared, gone or ended, ended


def valid_with_summary(path: Path) -> bool:
    workbook = load_workbook(path)
    try:
        return "Summary" in workbook.sheetnames
    finally:
        workbook.close()


def test_the_temporary_file_is_the_one_the_writer_uses() -> None:
    assert TMP == temporary_path(Path("KPIs.xlsx")).name


@pytest.mark.slow
def test_killed_in_place_runs_leave_the_original_or_a_complete_workbook(tmp_path: Path) -> None:
    (tmp_path / "timing").mkdir()
    timing = sample_xlsx(tmp_path / "timing" / "KPIs.xlsx")
    appeared, gone, span = watch(start(timing), timing.with_name(TMP))
    assert 0 < appeared < gone, "the write window was not seen"
    window = gone - appeared
    original = sample_xlsx(tmp_path / "original.xlsx").read_bytes()
    spread, in_window = KILLS - KILLS // 2, KILLS // 2
    outcomes = {"untouched": 0, "replaced": 0}
    left_tmp = left_lock = inside = 0
    for n in range(KILLS):
        folder = tmp_path / f"kill{n}"
        folder.mkdir()
        workbook = folder / "KPIs.xlsx"
        workbook.write_bytes(original)
        process = start(workbook)
        aimed_inside = n >= spread
        if aimed_inside:  # wait for the write to begin, then kill a fraction into it
            while not (folder / TMP).exists() and process.poll() is None:
                time.sleep(0.0002)
            time.sleep(window * 0.6 * (n - spread) / max(in_window, 1))
        else:
            time.sleep(span * 1.2 * n / max(spread - 1, 1))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)

        names = {p.name for p in folder.iterdir()}
        data = workbook.read_bytes()
        if data == original:
            outcomes["untouched"] += 1
        else:
            assert valid_with_summary(workbook), f"kill {n}: {workbook} is not a whole workbook"
            outcomes["replaced"] += 1
        if TMP in names:  # killed inside the write window: the original must be untouched
            assert data == original, f"kill {n}: replaced while the new file was half-written"
        inside += aimed_inside and TMP in names
        for backup in names & {"KPIs.bak.xlsx"}:
            assert (folder / backup).read_bytes() == original
        allowed = {"KPIs.xlsx", "KPIs.bak.xlsx", TMP, LOCK}
        assert names <= allowed, f"kill {n}: stray files {names - allowed}"
        left_tmp += TMP in names
        left_lock += LOCK in names

        again = start(workbook)  # a later normal run recovers the stale lock and temp file
        out, err = again.communicate(timeout=60)
        assert again.returncode == 0, err.decode()
        assert valid_with_summary(workbook)
        assert not (folder / TMP).exists()
        assert not (folder / LOCK).exists()
    print(
        f"kills={KILLS} window={window * 1000:.0f} ms {outcomes} "
        f"inside the write: {inside}/{in_window} left: tmp={left_tmp} lock={left_lock}"
    )
    assert sum(outcomes.values()) == KILLS
    assert inside >= in_window // 2, f"only {inside} of {in_window} kills landed in the write"


def test_a_later_run_removes_the_temporary_file_a_killed_run_left(tmp_path: Path) -> None:
    workbook = sample_xlsx(tmp_path / "KPIs.xlsx")
    (tmp_path / TMP).write_bytes(b"PK\x03\x04 half-written")
    (tmp_path / LOCK).write_text("999999999 " + os.uname().nodename + "\n")
    process = start(workbook)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["KPIs.bak.xlsx", "KPIs.xlsx"]
