"""A report file kpixl writes from nothing (``kpixl combine``): drawn from designs into a new
workbook, and recognised again later from its ``workbook.xml`` alone."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeTree

from kpixl.errors import KpixlError, WorkbookError
from kpixl.report.design import SheetDesign
from kpixl.workbook import contract, safety, xlsx_render
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.settings import _table

__all__ = ["generated_sheets", "new_workbook", "refuse_foreign_output", "setting_cells"]


def setting_cells(grid: SheetGrid) -> dict[str, str]:
    """Setting -> the address of its value cell on a Settings sheet, as the reader finds it."""
    return {name: cell for name, (cell, _) in _table(grid, []).items()}


def generated_sheets(path: Path) -> dict[str, bool]:
    """Each sheet of ``path`` -> whether it carries kpixl's GENERATED_MARK.

    Read from the workbook part alone (sheet list and sheet-scoped names), not by loading the
    workbook: a big earlier Dashboard would cost seconds to load just to be replaced.
    """
    info = safety.preflight(path)
    try:
        with zipfile.ZipFile(path) as package:
            root = SafeTree.fromstring(package.read(info.main_part))
    except (
        OSError,
        KeyError,
        zipfile.BadZipFile,
        ElementTree.ParseError,
        DefusedXmlException,
    ) as exc:
        raise WorkbookError(f"{path.name} cannot be read as an Excel workbook.") from exc
    names = [e.get("name", "") for e in root.iter() if e.tag.rpartition("}")[2] == "sheet"]
    marked = {
        int(local)
        for e in root.iter()
        if e.tag.rpartition("}")[2] == "definedName"
        and e.get("name") == contract.GENERATED_MARK
        and (local := e.get("localSheetId", "")).isdigit()
    }
    return {name: index in marked for index, name in enumerate(names)}


def refuse_foreign_output(out: Path) -> None:
    """An existing OUT is replaced only when kpixl made all of it (an earlier combined report)."""
    if not out.exists():
        return
    try:
        sheets = generated_sheets(out)
    except KpixlError as exc:
        raise WorkbookError(
            f"{out.name} already exists and is not a combined report kpixl made: choose another "
            "name for the output, or move that file away."
        ) from exc
    foreign = [name for name, generated in sheets.items() if not generated]
    if foreign:
        raise WorkbookError(
            f"{out.name} already exists and has sheets kpixl did not make ({', '.join(foreign)}): "
            "choose another name for the output, or move that file away."
        )


def new_workbook(designs: Sequence[SheetDesign]) -> Any:
    """A new openpyxl workbook holding only the drawn designs, the first one active."""
    from openpyxl import Workbook

    book = Workbook()
    blank = book.active
    for design in designs:
        xlsx_render.draw_design(book, design)
    book.remove(blank)
    book.active = 0
    return book
