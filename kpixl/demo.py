"""``kpixl demo``: the reference report as a real workbook, built from the template and rated.

The template (ribbon, VBA, worksheet functions, guidance) is built from source, its example
sheet gives way to one indicator sheet per service area of the bundled sample, and the result
is calculated in place exactly as ``kpixl calculate --in-place`` would.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.worksheet.datavalidation import DataValidationList

from kpixl.core.models import Report
from kpixl.core.periods import months
from kpixl.errors import WorkbookError
from kpixl.headless import Written, calculate_file
from kpixl.sample import load_sample
from kpixl.template.build import build_template
from kpixl.template.layout import write_indicator_sheet
from kpixl.template.sheets import EXAMPLE_AREA, write_settings
from kpixl.workbook import contract
from kpixl.workbook.layout_from_report import sheet_name
from kpixl.workbook.xlsx_io import settle_vba_archive


def build_demo(out: Path, report: Report | None = None) -> Written:
    """Write ``report`` (default: the bundled sample) to ``out`` and rate it."""
    if out.suffix.lower() != ".xlsm":
        raise WorkbookError(f"{out.name}: the demo workbook carries macros; name it .xlsm.")
    report = report or load_sample()
    with tempfile.TemporaryDirectory(prefix="kpixl-demo-") as tmp:
        template = build_template(Path(tmp) / "template.xlsm")
        book = load_workbook(template, keep_vba=True)
        settle_vba_archive(book)
        write_settings(book[contract.SETTINGS_SHEET], report)
        _write_areas(book, report)
        out.parent.mkdir(parents=True, exist_ok=True)
        book.save(out)
    return calculate_file(out, in_place=True, backup=False)


def _write_areas(book: Any, report: Report) -> None:
    """The example sheet becomes the first area; the others follow it, in report order."""
    example = book[EXAMPLE_AREA]
    position = book.sheetnames.index(EXAMPLE_AREA)
    used = {name.lower() for name in book.sheetnames if name != EXAMPLE_AREA}
    for index, area_name in enumerate(report.area_names()):
        indicators = [i for i in report.indicators if i.service_area == area_name]
        periods = sorted({p for i in indicators for p in i.values})
        name = sheet_name(area_name, used)
        used.add(name.lower())
        if index == 0:
            sheet = example
            _clear(sheet)
            sheet.title = name
        else:
            sheet = book.create_sheet(name, position + index)
        area = report.area(area_name)
        write_indicator_sheet(sheet, area, indicators, list(months(periods[0], periods[-1])))


def _clear(sheet: Any) -> None:
    """Empty a worksheet but keep the sheet itself (and so its VBA document module)."""
    sheet.delete_rows(1, sheet.max_row)
    sheet.data_validations = DataValidationList()
    sheet.conditional_formatting = ConditionalFormattingList()
    sheet.freeze_panes = None
