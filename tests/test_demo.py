"""``kpixl demo``: the reference report's workbook, rated, read back from the saved file."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import olefile
import pytest
from openpyxl import load_workbook

from kpixl.cli import main
from kpixl.workbook.xlsx_io import settle_vba_archive
from tests.core.test_reference import ALERTS, KPI_RAGS, SUMMARY_GROUPS
from tests.workbooks import computed_rows

NA = "N/A"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "demo.xlsm"
    assert 0 == main(["demo", str(out)])
    return out


def test_computed_columns_show_every_rating_of_the_report(demo: Path) -> None:
    rows = computed_rows(load_workbook(demo))
    for ref, (latest, ytd) in KPI_RAGS.items():
        assert (latest, ytd or NA) == (rows[ref]["Latest RAG"], rows[ref]["YTD RAG"]), ref
    for ref, alert in ALERTS.items():
        assert alert == rows[ref]["In expected range?"], ref
    assert "Sep-23" == rows["CS06a"]["Latest period"]


def test_summary_sheet_lists_every_kpi(demo: Path) -> None:
    summary = load_workbook(demo)["Summary"]
    found: dict[str, tuple[Any, Any]] = {}
    columns: dict[str, int] = {}
    for row in summary.iter_rows(values_only=True):
        cells = list(row)
        if "Latest RAG" in cells and "YTD RAG" in cells:
            columns = {"latest": cells.index("Latest RAG"), "ytd": cells.index("YTD RAG")}
        elif columns and isinstance(cells[0], str) and ": " in cells[0]:
            found[cells[0].split(": ")[0]] = (cells[columns["latest"]], cells[columns["ytd"]])
    assert {ref: (latest, ytd or NA) for ref, (latest, ytd) in KPI_RAGS.items()} == found
    texts = {c for row in summary.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert {"Results up to Oct 2023", "Produced by Kent Analytics"} <= texts


def test_demo_carries_the_templates_macros_and_ribbon(demo: Path) -> None:
    with zipfile.ZipFile(demo) as package:
        names = set(package.namelist())
        rels = package.read("_rels/.rels").decode()
    assert {"xl/vbaProject.bin", "customUI/customUI.xml"} <= names
    assert "ui/extensibility" in rels


@pytest.mark.libreoffice
def test_libreoffice_renders_summary_and_dashboard(demo: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "demo.pdf"
    assert 0 == main(["pdf", str(demo), "-o", str(pdf)])
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for heading in (
        "Key Performance Indicator Summary",
        "Results up to Oct 2023",
        "Produced by Kent Analytics",
        "Chief Executive's Department",
        *SUMMARY_GROUPS,
    ):
        assert heading in text, heading
    words = text.split()
    latest = [latest for latest, _ in KPI_RAGS.values()]
    for label in ("GREEN", "AMBER", "RED"):  # on Summary and Dashboard, latest and YTD
        assert words.count(label) >= 2 * latest.count(label), label
    assert "FN06 – The increase was driven" in " ".join(words)


def test_every_sheet_has_its_vba_document_module(demo: Path) -> None:
    """Code names in the workbook match the VBA project's document modules, as Excel keeps."""
    with zipfile.ZipFile(demo) as package:
        vba = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    streams = {"/".join(entry) for entry in vba.listdir()}
    book = load_workbook(demo, keep_vba=True)
    settle_vba_archive(book)
    code_names = [ws.sheet_properties.codeName for ws in book.worksheets]
    assert len(book.worksheets) == len(set(code_names))
    assert [] == [name for name in code_names if f"VBA/{name}" not in streams]
