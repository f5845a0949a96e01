"""The direction arrows and SPC labels on paper (SPEC 8.1-8.2): the SPC sample calculated and
printed by LibreOffice shows every mark in the body font itself (Liberation Sans, Arial's
metric twin), no fallback font drawn for the arrows."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kpixl.headless import calculate_file
from kpixl.workbook import pdf
from kpixl.workbook.layout_from_report import report_to_grids
from tests.long_sample import long_sample
from tests.workbook.test_pdf import pdf_text
from tests.xl.workbooks import write_xlsx


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("marks")
    source = write_xlsx(report_to_grids(long_sample()), folder / "spc.xlsx")
    done = folder / "spc-rated.xlsx"
    calculate_file(source, done)
    return pdf.export_pdf(done, folder / "spc.pdf")


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    "text",
    [
        "\u25b2 Improving",
        "\u25bc Worsening",
        "\u25ba No clear trend",
        "Common cause",
        "Consistently passing",
        "Hit and miss",
        "Direction of travel \u2013 regression",
        "Variation (SPC, NHS Making Data Count)",
    ],
)
def test_every_mark_is_printed(printed: Path, text: str) -> None:
    assert text in pdf_text(printed)


@pytest.mark.libreoffice
def test_the_arrows_need_no_fallback_font(printed: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(printed)], capture_output=True, text=True, check=True)
    names = {line.split()[0].split("+")[-1] for line in fonts.stdout.splitlines()[2:]}
    assert names and all(name.startswith("LiberationSans") for name in names), names
