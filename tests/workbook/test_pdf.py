"""PDF export of the generated sheets with LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook

from kpixl.errors import ExcelUnavailableError, WorkbookError
from kpixl.workbook import pdf, xlsx_render
from tests.workbook.test_xlsx_render import small_design


def rendered_workbook(folder: Path) -> Path:
    """An input sheet (which must not be printed), a Summary and a Dashboard."""
    wb = Workbook()
    wb.active.title = "Finance"
    wb.active["A1"] = "SECRET input figures"
    xlsx_render.draw_design(wb, small_design("Summary", rows=3))
    xlsx_render.draw_design(wb, small_design("Dashboard", rows=2))
    wb["Dashboard"]["A2"] = "Dashboard page"
    path = folder / "rendered.xlsx"
    wb.save(path)
    return path


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def page_size_mm(path: Path) -> tuple[int, int]:
    """Width and height of the first page, in whole millimetres."""
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("Page size:"))
    width, _, height = line.split()[2:5]
    return round(float(width) * 25.4 / 72), round(float(height) * 25.4 / 72)


def test_missing_libreoffice_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(ExcelUnavailableError) as raised:
        pdf.export_pdf(tmp_path / "any.xlsx", tmp_path / "any.pdf")

    assert pdf.NOT_INSTALLED == str(raised.value)
    assert pdf.find_soffice() is None


@pytest.mark.libreoffice
def test_only_the_chosen_sheets_are_printed(tmp_path: Path) -> None:
    out = tmp_path / "paper" / "summary.pdf"

    result = pdf.export_pdf(rendered_workbook(tmp_path), out, sheets=("Summary",))

    text = pdf_text(result)
    assert out == result
    for words in ("Performance Dashboard", "FN00: =an indicator", "GREEN", "AMBER", "50.0%"):
        assert words in text
    assert "Produced by Kent Analytics & friends" in text
    assert "SECRET" not in text and "Dashboard page" not in text
    assert 2 == text.count("\f")  # the design's page break
    assert (297, 210) == page_size_mm(result)  # A4 landscape


@pytest.mark.libreoffice
def test_default_prints_summary_and_dashboard(tmp_path: Path) -> None:
    result = pdf.export_pdf(rendered_workbook(tmp_path), tmp_path / "both.pdf")

    text = pdf_text(result)
    assert "Dashboard page" in text and "FN02: =an indicator" in text
    assert "SECRET" not in text


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("sheets", "words"),
    [(("Summary", "Charts"), "no sheet named Charts"), ((), "no sheet named (none given)")],
)
def test_missing_sheet_is_refused(tmp_path: Path, sheets: tuple[str, ...], words: str) -> None:
    with pytest.raises(WorkbookError, match=words.replace("(", r"\(").replace(")", r"\)")):
        pdf.export_pdf(rendered_workbook(tmp_path), tmp_path / "x.pdf", sheets=sheets)
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.libreoffice
def test_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")

    with pytest.raises(WorkbookError, match="notes.xlsx cannot be read for printing"):
        pdf.export_pdf(path, tmp_path / "x.pdf")


@pytest.mark.libreoffice
def test_find_soffice_finds_the_installed_program() -> None:
    found = pdf.find_soffice()

    assert found is not None
    assert shutil.which(found) == found
