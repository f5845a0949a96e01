"""Safe in-place writes: lock files, backups, atomic replacement, concurrent runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest

from kpixl.errors import WorkbookError
from kpixl.workbook.files import (
    backup_path,
    ensure_not_open_in_excel,
    excel_lock_file,
    kpixl_lock,
    write_atomically,
)
from tests.workbooks import lock_holder


def _workbook(path: Path, value: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = value
    wb.save(path)
    return path


def _a1(path: Path) -> object:
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    return ws["A1"].value


def _writer(value: str) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        _workbook(tmp, value)

    return write


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".lock")))


@pytest.fixture
def original(tmp_path: Path) -> Path:
    return _workbook(tmp_path / "KPIs.xlsm", "old")


@pytest.mark.parametrize(
    ("workbook", "lock"),
    [
        ("KPIs.xlsm", "~$KPIs.xlsm"),
        ("OfficeReport.xlsm", "~$ficeReport.xlsm"),
        ("KPIs.xlsm", ".~lock.KPIs.xlsm#"),
        ("KPIs.xlsm", None),
    ],
)
def test_excel_lock_file(tmp_path: Path, workbook: str, lock: str | None) -> None:
    if lock is not None:
        (tmp_path / lock).write_bytes(b"\x05Alice")
    expected = None if lock is None else tmp_path / lock
    assert expected == excel_lock_file(tmp_path / workbook)


@pytest.mark.parametrize(
    ("lock", "expected"),
    [
        (
            "~$KPIs.xlsm",
            "KPIs.xlsm is open in Excel: close it and try again (if Excel is not running, "
            "delete the hidden file ~$KPIs.xlsm left behind in its folder).",
        ),
        (
            ".~lock.KPIs.xlsm#",
            "KPIs.xlsm is open in LibreOffice: close it and try again (if LibreOffice is not "
            "running, delete the hidden file .~lock.KPIs.xlsm# left behind in its folder).",
        ),
    ],
)
def test_open_workbook_is_refused(original: Path, lock: str, expected: str) -> None:
    (original.parent / lock).write_bytes(b"\x05Alice")
    with pytest.raises(WorkbookError) as caught:
        ensure_not_open_in_excel(original)
    assert (expected, 2) == (str(caught.value), caught.value.exit_code)


def test_write_replaces_and_keeps_a_valid_backup(original: Path) -> None:
    saved = write_atomically(original, _writer("new"), backup=True)
    backup = original.with_name("KPIs.bak.xlsm")
    expected: tuple[object, ...] = (backup, "new", "old", [])
    assert expected == (saved, _a1(original), _a1(backup), _leftovers(original.parent))


def test_backups_are_never_overwritten(original: Path) -> None:
    first = write_atomically(original, _writer("second"), backup=True)
    second = write_atomically(original, _writer("third"), backup=True)
    names = (first.name if first else "", second.name if second else "")
    assert (("KPIs.bak.xlsm", "KPIs.bak2.xlsm"), "old", "second") == (
        names,
        _a1(original.with_name("KPIs.bak.xlsm")),
        _a1(original.with_name("KPIs.bak2.xlsm")),
    )


def test_backup_path_takes_the_first_free_number(tmp_path: Path) -> None:
    for name in ("KPIs.bak.xlsm", "KPIs.bak2.xlsm"):
        (tmp_path / name).write_bytes(b"")
    assert tmp_path / "KPIs.bak3.xlsm" == backup_path(tmp_path / "KPIs.xlsm")


def test_no_backup_when_not_asked_or_nothing_to_back_up(tmp_path: Path) -> None:
    target = tmp_path / "new.xlsx"
    first = write_atomically(target, _writer("one"), backup=True)
    second = write_atomically(target, _writer("two"), backup=False)
    assert (None, None, ["new.xlsx"]) == (first, second, sorted(os.listdir(tmp_path)))


def test_file_mode_is_kept(original: Path) -> None:
    original.chmod(0o600)
    write_atomically(original, _writer("new"), backup=False)
    assert 0o600 == original.stat().st_mode & 0o777


def _fail_half_way(tmp: Path) -> None:
    tmp.write_bytes(b"PK\x03\x04 half a workbook")
    raise OSError(28, "No space left on device")


def _fail_at_once(tmp: Path) -> None:
    raise WorkbookError("Sheet 'Finance' cannot be written.")


@pytest.mark.parametrize(
    ("write", "error", "message"),
    [
        (
            _fail_half_way,
            WorkbookError,
            "Could not save KPIs.xlsm (No space left on device): the original is unchanged.",
        ),
        (_fail_at_once, WorkbookError, "Sheet 'Finance' cannot be written."),
    ],
)
def test_failed_write_leaves_the_original_and_no_temporary_file(
    original: Path, write: Callable[[Path], None], error: type[Exception], message: str
) -> None:
    before = original.read_bytes()
    with pytest.raises(error) as caught:
        write_atomically(original, write, backup=True)
    expected = (message, before, ["KPIs.xlsm"])
    assert expected == (
        str(caught.value),
        original.read_bytes(),
        sorted(os.listdir(original.parent)),
    )


def test_open_in_excel_before_starting_is_refused_and_nothing_written(original: Path) -> None:
    (original.parent / "~$KPIs.xlsm").write_bytes(b"\x05Alice")
    calls: list[Path] = []
    with pytest.raises(WorkbookError, match="is open in Excel"):
        write_atomically(original, calls.append, backup=True)
    assert ([], "old") == (calls, _a1(original))


def test_opened_in_excel_while_writing_is_refused(original: Path) -> None:
    def write(tmp: Path) -> None:
        _workbook(tmp, "new")
        (original.parent / "~$KPIs.xlsm").write_bytes(b"\x05Alice")

    with pytest.raises(WorkbookError, match="is open in Excel"):
        write_atomically(original, write, backup=True)
    assert ("old", ["KPIs.xlsm", "~$KPIs.xlsm"]) == (
        _a1(original),
        sorted(os.listdir(original.parent)),
    )


@pytest.fixture
def other_run(original: Path) -> Iterator[subprocess.Popen[str]]:
    """A second process holding the kpixl lock on ``original`` until its stdin closes."""
    proc = lock_holder(original)
    assert proc.stdout is not None and proc.stdin is not None
    assert "locked\n" == proc.stdout.readline()
    yield proc
    proc.stdin.close()
    proc.wait(timeout=30)
    proc.stdout.close()


def test_concurrent_run_is_refused(original: Path, other_run: subprocess.Popen[str]) -> None:
    with pytest.raises(WorkbookError) as caught:
        write_atomically(original, _writer("new"), backup=True)
    expected = (
        f"KPIs.xlsm is being calculated by another kpixl run (pid {other_run.pid}): "
        "wait for it to finish and try again."
    )
    assert (expected, "old") == (str(caught.value), _a1(original))


def test_lock_is_released_when_the_other_run_ends(original: Path) -> None:
    proc = lock_holder(original)
    out, _ = proc.communicate("\n", timeout=30)
    write_atomically(original, _writer("new"), backup=False)
    assert ("locked\n", "new", []) == (out, _a1(original), _leftovers(original.parent))


def test_stale_lock_of_a_dead_process_is_taken_over(original: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(timeout=30)
    lock = original.with_name("KPIs.xlsm.kpixl.lock")
    lock.write_text(f"{dead.pid} {socket.gethostname()}\n")
    write_atomically(original, _writer("new"), backup=False)
    assert ("new", False) == (_a1(original), lock.exists())


def test_lock_from_another_computer_is_respected(original: Path) -> None:
    lock = original.with_name("KPIs.xlsm.kpixl.lock")
    lock.write_text("4242 other-pc\n")
    with pytest.raises(WorkbookError) as caught:
        write_atomically(original, _writer("new"), backup=False)
    expected = (
        "KPIs.xlsm is being calculated by another kpixl run (pid 4242 on other-pc): wait for "
        "it to finish, or delete KPIs.xlsm.kpixl.lock if no run is going."
    )
    assert (expected, "old") == (str(caught.value), _a1(original))


def test_lock_is_ours_only_inside_the_block(original: Path) -> None:
    with kpixl_lock(original) as lock:
        held = lock.read_text().split()
    assert ([str(os.getpid()), socket.gethostname()], False) == (held, lock.exists())


def test_lock_can_be_held_from_reading_to_writing(original: Path) -> None:
    with kpixl_lock(original) as lock:
        write_atomically(original, _writer("new"), backup=False)
        still_held = lock.exists()
    assert (True, False, "new") == (still_held, lock.exists(), _a1(original))


def test_errors_inside_a_nested_lock_propagate(original: Path) -> None:
    with pytest.raises(OSError, match="disk gone"), kpixl_lock(original), kpixl_lock(original):
        raise OSError("disk gone")
    assert [] == _leftovers(original.parent)
