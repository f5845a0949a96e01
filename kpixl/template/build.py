"""The one build step: ``workbook_template.xlsm`` from the text sources in this package.

Sheets (:mod:`.sheets`), the VBA project (:mod:`.vba_project`, :mod:`.udf_vba`), the ribbon
(:mod:`.ribbon`, from :mod:`kpixl.actions`) and the package (:mod:`.package`). The same
sources and pinned xlwings always give the same bytes, whether openpyxl writes XML with lxml
or not.
"""

from __future__ import annotations

from pathlib import Path

from kpixl.core.models import Report
from kpixl.template.package import macro_package, workbook_parts, zip_parts
from kpixl.template.ribbon import ribbon_xml
from kpixl.template.sheets import code_names, template_workbook
from kpixl.template.vba_project import vba_project_bytes
from kpixl.workbook.files import write_atomically

__all__ = [
    "TEMPLATE_NAME",
    "build_template",
    "build_workbook",
    "ribbon_source",
    "template_bytes",
    "workbook_bytes",
]

TEMPLATE_NAME = "workbook_template.xlsm"


def ribbon_source() -> bytes:
    """``customUI/customUI.xml`` as stored in the workbook (:func:`.ribbon.ribbon_xml`)."""
    return ribbon_xml()


def template_bytes() -> bytes:
    """The bytes of the template workbook."""
    return workbook_bytes()


def workbook_bytes(report: Report | None = None) -> bytes:
    """The template, or the template filled with ``report`` (one sheet per service area)."""
    book = template_workbook(report)
    parts = workbook_parts(book)
    vba = vba_project_bytes(code_names(len(book.sheetnames)))
    return zip_parts(macro_package(parts, vba, ribbon_source()))


def build_template(out: Path) -> Path:
    """Write the template to ``out`` (``files.write_atomically``); return ``out``."""
    return build_workbook(out)


def build_workbook(out: Path, report: Report | None = None) -> Path:
    """Write :func:`workbook_bytes` to ``out`` (``files.write_atomically``); return ``out``."""
    out = Path(out)
    data = workbook_bytes(report)
    write_atomically(out, lambda tmp: tmp.write_bytes(data), backup=False)
    return out
