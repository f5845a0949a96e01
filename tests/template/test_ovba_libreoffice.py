"""A second, independent reader: LibreOffice imports the project and writes it back out."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kpixl.template.ovba import build_vba_project, document_module, module_from_bas, module_from_cls

from .ovba_support import VBA_Parser

pytestmark = pytest.mark.libreoffice

MACRO = 'Attribute VB_Name = "KpiMacros"\nSub Hello()\n    Range("B1").Value = 42\nEnd Sub\n'
CLASS = (
    "VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  'True\nEND\n"
    'Attribute VB_Name = "KpiRow"\nAttribute VB_Exposed = False\nPublic Value As Double\n'
)


def _xlsm(vba_project: bytes) -> bytes:
    """A minimal macro-enabled package around ``vba_project`` (test-only wiring)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    book.code_name = "ThisWorkbook"
    sheet.sheet_properties.codeName = "Sheet1"
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" '
                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Target="vbaProject.bin" Type="http://schemas.'
                    b'microsoft.com/office/2006/relationships/vbaProject"/></Relationships>',
                )
            dst.writestr(info, data)
        dst.writestr("xl/vbaProject.bin", vba_project)
    return out.getvalue()


def test_libreoffice_imports_every_module(tmp_path: Path) -> None:
    modules = [
        document_module("ThisWorkbook", "workbook"),
        document_module("Sheet1"),
        module_from_bas(MACRO),
        module_from_cls(CLASS),
    ]
    source = tmp_path / "book.xlsm"
    source.write_bytes(_xlsm(build_vba_project(modules)))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    # LibreOffice writes the VBA project of the .xls from the Basic modules it imported.
    parser = VBA_Parser(str(tmp_path / "out" / "book.xls"))
    try:
        code = {stream.rsplit("/", 1)[-1]: text for _, stream, _, text in parser.extract_macros()}
    finally:
        parser.close()
    assert {"ThisWorkbook", "Sheet1", "KpiMacros", "KpiRow"} == set(code)
    assert '    Range("B1").Value = 42' in code["KpiMacros"].splitlines()
    assert "Public Value As Double" in code["KpiRow"].splitlines()
