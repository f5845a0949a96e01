"""Safe writing of every file kpixl saves (workbooks, the template, PDFs): never while Excel
has it open, never two kpixl runs at once, never a half-written file in place of the original.

``write_atomically``, the only writer, writes ``.~kpixl-<name>.tmp`` beside the target,
fsyncs it, keeps the original as ``<stem>.bak<suffix>`` (then ``.bak2``, ``.bak3``… — an
existing backup is never overwritten; the suffix is kept so Excel opens a backup with a
double click), swaps the new file in with ``os.replace`` and fsyncs the folder.

Excel's owner ("lock") file is ``~$`` + the workbook's name; Word-style owner files replace
the first two characters instead (``~$ficeReport.docx``), and LibreOffice writes
``.~lock.<name>#``: all three count as "open".

Concurrent kpixl runs are kept apart by ``<name>.kpixl.lock``, created with
``O_CREAT | O_EXCL`` and holding ``<pid> <host>``. A lock whose process has gone (same host)
is stale and taken over. Two runs that find the same stale lock at the same instant could
both take it over; a pid reused by an unrelated process makes a stale lock look alive.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from kpixl.errors import WorkbookError

_FRESH_SECONDS = 10.0

__all__ = [
    "backup_path",
    "ensure_not_open_in_excel",
    "excel_lock_file",
    "kpixl_lock",
    "temporary_path",
    "write_atomically",
]


def excel_lock_file(path: Path) -> Path | None:
    """The owner file Excel (or Word-style naming, or LibreOffice) keeps while ``path`` is open."""
    name = path.name
    candidates = [f"~${name}"]
    if len(path.stem) > 2:
        candidates.append(f"~${name[2:]}")
    candidates.append(f".~lock.{name}#")
    for candidate in candidates:
        lock = path.with_name(candidate)
        if lock.exists():
            return lock
    return None


def ensure_not_open_in_excel(path: Path) -> None:
    """Raise WorkbookError if ``path`` is open in Excel or LibreOffice."""
    lock = excel_lock_file(path)
    if lock is None:
        return
    app = "LibreOffice" if lock.name.startswith(".~lock.") else "Excel"
    raise WorkbookError(
        f"{path.name} is open in {app}: close it and try again (if {app} is not running, "
        f"delete the hidden file {lock.name} left behind in its folder)."
    )


def open_elsewhere_note(path: Path) -> str | None:
    """A sentence when ``path`` is open in Excel or LibreOffice while kpixl only reads it."""
    lock = excel_lock_file(path)
    if lock is None:
        return None
    app = "LibreOffice" if lock.name.startswith(".~lock.") else "Excel"
    return (
        f"{path.name} is open in {app} (or was left open): kpixl read the copy saved on disk, "
        f"so changes not yet saved in {app} are not included."
    )


def ensure_folder_exists(target: Path) -> None:
    """Raise WorkbookError naming the folder when ``target`` cannot be created in it."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WorkbookError(
            f"The folder {folder} does not exist, so {target.name} cannot be written there: "
            "create the folder or choose another output."
        )


def backup_path(target: Path) -> Path:
    """The first free backup name: ``KPIs.bak.xlsm``, then ``KPIs.bak2.xlsm``, …"""
    number = 1
    while True:
        tag = ".bak" if number == 1 else f".bak{number}"
        candidate = target.with_name(f"{target.stem}{tag}{target.suffix}")
        if not candidate.exists():
            return candidate
        number += 1


@contextmanager
def kpixl_lock(target: Path) -> Iterator[Path]:
    """Hold ``<name>.kpixl.lock`` for the duration; refuse if another live run holds it.

    Re-entrant within one process, so a caller may hold it from reading to writing.
    """
    lock = target.with_name(f"{target.name}.kpixl.lock")
    me = f"{os.getpid()} {socket.gethostname()}\n"
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _holder(lock) == me:
                yield lock  # already ours: the outer block releases it
                return
            _refuse_or_clear(target, lock)
            continue
        try:
            os.write(fd, me.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        break
    else:
        raise WorkbookError(f"{target.name} is locked by {lock.name}: delete it and try again.")
    try:
        yield lock
    finally:
        if _holder(lock) == me:
            lock.unlink(missing_ok=True)


def _holder(lock: Path) -> str:
    try:
        return lock.read_text(encoding="utf-8")
    except OSError:
        return ""


def _refuse_or_clear(target: Path, lock: Path) -> None:
    try:
        fields = lock.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return  # released meanwhile: try again
    pid = int(fields[0]) if fields and fields[0].isdigit() else None
    host = fields[1] if len(fields) > 1 else socket.gethostname()
    if pid is None and _age(lock) < _FRESH_SECONDS:  # being written by its owner right now
        raise WorkbookError(
            f"{target.name} is being calculated by another kpixl run: "
            "wait for it to finish and try again."
        )
    if pid is not None and host != socket.gethostname():
        raise WorkbookError(
            f"{target.name} is being calculated by another kpixl run (pid {pid} on {host}): "
            f"wait for it to finish, or delete {lock.name} if no run is going."
        )
    if pid is not None and _alive(pid):
        raise WorkbookError(
            f"{target.name} is being calculated by another kpixl run (pid {pid}): "
            "wait for it to finish and try again."
        )
    with suppress(FileNotFoundError):
        lock.unlink()  # stale: its process has gone (or it is unreadable)


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    return True


def write_atomically(target: Path, write: Callable[[Path], object], backup: bool) -> Path | None:
    """Call ``write(tmp)`` and swap ``tmp`` in for ``target``; return the backup, if any.

    The one way kpixl saves a file (workbooks, the template, PDFs): ``write`` writes the
    temporary path it is given directly, never a temporary file of its own. Refuses
    (WorkbookError) when the workbook is open in Excel, before starting or by the time the
    new file is ready, and when another kpixl run is writing it. On any failure the original
    is untouched and the temporary file is removed.
    """
    ensure_not_open_in_excel(target)
    existed = target.exists()
    try:
        with kpixl_lock(target):
            return _swap_in(target, write, backup)
    except OSError as exc:
        where, advice = (
            (target.name, "the original is unchanged")
            if existed
            else (target, "check the folder exists and can be written to, or choose another name")
        )
        raise WorkbookError(f"Could not save {where} ({exc.strerror or exc}): {advice}.") from exc


def temporary_path(target: Path) -> Path:
    """Where :func:`write_atomically` writes the new ``target`` before swapping it in.

    It exists only while the new file is being written: a run killed in that window leaves
    it behind, and the next run removes it."""
    return target.with_name(f".~kpixl-{target.name}.tmp")


def _swap_in(target: Path, write: Callable[[Path], object], backup: bool) -> Path | None:
    tmp = temporary_path(target)
    saved: Path | None = None
    try:
        tmp.unlink(missing_ok=True)  # left by a crashed run; we hold the lock
        write(tmp)
        _fsync_file(tmp)
        ensure_not_open_in_excel(target)
        if target.exists():
            with suppress(OSError):
                shutil.copymode(target, tmp)
            if backup:
                saved = _keep_backup(target)
        os.replace(tmp, target)
    finally:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
    _fsync_dir(target.parent)
    return saved


def _keep_backup(target: Path) -> Path:
    """Hard-link (or copy) the original to a fresh backup name, never replacing one."""
    while True:
        saved = backup_path(target)
        try:
            os.link(target, saved)
        except FileExistsError:
            continue  # taken meanwhile: pick the next number
        except OSError:
            try:
                with target.open("rb") as src, saved.open("xb") as dst:
                    shutil.copyfileobj(src, dst)
            except FileExistsError:
                continue
            except OSError:
                saved.unlink(missing_ok=True)  # a partial copy is no backup
                raise
            shutil.copystat(target, saved)
            _fsync_file(saved)
        return saved


def _fsync_file(path: Path) -> None:
    with path.open("r+b") as stream:
        os.fsync(stream.fileno())


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return  # directories cannot be opened for fsync on Windows
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
