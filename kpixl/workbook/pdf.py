"""Export chosen sheets of a workbook to PDF with LibreOffice (``soffice --convert-to pdf``).

LibreOffice prints every sheet, so it is given a temporary copy without the other sheets.
Each run uses a private LibreOffice profile, so it neither disturbs nor waits for a
LibreOffice the user has open.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kpixl.errors import ExcelUnavailableError, WorkbookError
from kpixl.workbook.contract import DASHBOARD_SHEET, SUMMARY_SHEET
from kpixl.workbook.files import write_atomically

TIMEOUT_SECONDS = 180.0
_PROGRAMS = ("soffice", "libreoffice")
_KNOWN_PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "C:/Program Files/LibreOffice/program/soffice.exe",
    "C:/Program Files (x86)/LibreOffice/program/soffice.exe",
)
NOT_INSTALLED = (
    "LibreOffice is not installed: install it (apt-get install libreoffice-calc-nogui) or open "
    "the workbook in Excel and use Export PDF"
)


def find_soffice() -> str | None:
    """The LibreOffice program on PATH (or in its usual place), None when there is none."""
    for program in _PROGRAMS:
        found = shutil.which(program)
        if found:
            return found
    for place in _KNOWN_PLACES:
        if Path(place).is_file():
            return place
    return None


def export_pdf(
    xlsx: Path,
    out: Path,
    sheets: Sequence[str] = (SUMMARY_SHEET, DASHBOARD_SHEET),
    *,
    timeout: float = TIMEOUT_SECONDS,
) -> Path:
    """Print ``sheets`` of ``xlsx`` (in workbook order) to the PDF ``out``; return ``out``."""
    soffice = find_soffice()
    if soffice is None:
        raise ExcelUnavailableError(NOT_INSTALLED)
    xlsx, out = Path(xlsx), Path(out)
    with tempfile.TemporaryDirectory(prefix="kpixl-pdf-") as folder:
        work = Path(folder)
        copy = _copy_showing(xlsx, sheets, work / "print" / f"{xlsx.stem}.xlsx")
        produced = _convert(soffice, copy, work, timeout)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(out, lambda tmp: shutil.copyfile(produced, tmp), backup=False)
    return out


def _copy_showing(xlsx: Path, sheets: Sequence[str], copy: Path) -> Path:
    """Save a copy of ``xlsx`` holding only ``sheets``.

    Other sheets are removed, not hidden: LibreOffice prints a hidden sheet that has a print
    range. The generated sheets hold values, not formulas, so nothing they show changes.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # what openpyxl drops does not matter in a copy
            book = load_workbook(xlsx, rich_text=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, ValueError, KeyError) as exc:
        raise WorkbookError(
            f"{xlsx.name} cannot be read for printing ({exc}): check it is an Excel workbook."
        ) from exc
    titles = {title.casefold(): title for title in book.sheetnames}
    missing = [name for name in sheets if name.casefold() not in titles]
    if missing or not sheets:
        raise WorkbookError(
            f"{xlsx.name} has no sheet named {', '.join(missing) or '(none given)'} to print: "
            "run kpixl calculate first, or name sheets that exist."
        )
    wanted = {titles[name.casefold()] for name in sheets}
    for sheet in [sheet for sheet in book if sheet.title not in wanted]:
        book.remove(sheet)
    book.active = 0
    for sheet in book:
        sheet.sheet_state = "visible"
        sheet.sheet_view.tabSelected = sheet is book.active
    copy.parent.mkdir(parents=True)
    book.save(copy)
    return copy


def _convert(soffice: str, copy: Path, work: Path, timeout: float) -> Path:
    """Run LibreOffice on ``copy``; the PDF it wrote, or ExcelUnavailableError."""
    profile = (work / "profile").as_uri()
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work),
        str(copy),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExcelUnavailableError(
            f"LibreOffice did not finish printing {copy.name} within {timeout:.0f} seconds: "
            "close any LibreOffice windows and try again, or use Export PDF in Excel."
        ) from exc
    except OSError as exc:
        raise ExcelUnavailableError(f"LibreOffice could not be started ({exc}).") from exc
    produced = work / f"{copy.stem}.pdf"
    if done.returncode != 0 or not produced.is_file():
        said = (done.stderr or done.stdout).strip().splitlines()
        detail = said[-1] if said else f"exit code {done.returncode}"
        raise ExcelUnavailableError(
            f"LibreOffice could not print {copy.name} to PDF ({detail}): open the workbook in "
            "Excel and use Export PDF instead."
        )
    return produced
