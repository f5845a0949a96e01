"""LibreOffice as a second real application, started once for this module through UNO:
it imports the template's VBA (read back from an .ods), renders the sheets to PDF, and
executes a test-only VBA project built by the same writer and packager.

xlwings' own module cannot compile in LibreOffice, so only the small project is executed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from defusedxml import ElementTree

from kpixl.template import build_template
from kpixl.template.build import ribbon_source
from kpixl.template.ovba import (
    Module,
    build_vba_project,
    document_module,
    module_from_bas,
    module_from_cls,
)
from kpixl.template.package import macro_package, workbook_parts, zip_parts
from kpixl.template.sheets import code_names
from kpixl.template.udf_vba import NOT_INSTALLED, error_branch_source
from kpixl.template.vba_project import template_modules

pytestmark = pytest.mark.libreoffice

SYSTEM_PYTHON = Path("/usr/bin/python3")
JOBS = Path(__file__).with_name("lo_uno_jobs.py")
_SCRIPT = "{http://openoffice.org/2000/script}"
_LO_HEADER = {"normal": 2, "document": 2, "class": 3}  # Rem/Option lines LibreOffice adds
_KINDS = {"standard": "normal", "document": "document", "class": "class"}

MODULE1 = (
    """Attribute VB_Name = "Module1"
Option Explicit

Function Twice(x As Variant) As Variant
    Twice = 2 * x
End Function

Sub WriteCell()
    Dim counter As New Counter
    counter.Add 20
    counter.Add 1
    Worksheets("Sheet1").Range("B2").Value = Twice(counter.Total)
    Worksheets("Sheet1").Range("B3").Value = "written by VBA"
End Sub

Function Failing(number, description)
    On Error GoTo failed
    Err.Raise number, "test", description
    Exit Function
failed:
"""
    + error_branch_source("Failing")
    + """End Function
"""
)
FAILURES = [  # (Err.Number, Err.Description) raised, what the UDF error branch returns
    (1000, "Could not activate Python COM server", NOT_INSTALLED),
    (1, "Could not load xlwings64-0.37.8.dll from either of the following folders", NOT_INSTALLED),
    (53, "File not found: xlwings64-0.37.8.dll", NOT_INSTALLED),
    (440, "ModuleNotFoundError: No module named 'kpixl'", NOT_INSTALLED),
    (440, "ValueError: something else in Python", "ValueError: something else in Python"),
]
COUNTER = """VERSION 1.0 CLASS
BEGIN
  MultiUse = -1  'True
END
Attribute VB_Name = "Counter"
Attribute VB_Exposed = False
Option Explicit
Private mTotal As Double

Public Sub Add(x As Double)
    mTotal = mTotal + x
End Sub

Public Property Get Total() As Double
    Total = mTotal
End Property
"""


def _uri(procedure: str) -> str:
    return f"vnd.sun.star.script:VBAProject.Module1.{procedure}?language=Basic&location=document"


def _runnable_book() -> bytes:
    """A one-sheet workbook with MODULE1 and COUNTER, packaged like the template."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    book.code_name = "ThisWorkbook"
    sheet.sheet_properties.codeName = "Sheet1"
    modules = [
        document_module("ThisWorkbook", "workbook"),
        document_module("Sheet1"),
        module_from_bas(MODULE1),
        module_from_cls(COUNTER),
    ]
    return zip_parts(
        macro_package(workbook_parts(book), build_vba_project(modules), ribbon_source())
    )


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run every LibreOffice job in one soffice process; the outputs and what came back."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not SYSTEM_PYTHON.is_file() or soffice is None:
        pytest.skip("LibreOffice or the system python3 with uno is not installed")
    folder = tmp_path_factory.mktemp("lo")
    template = build_template(folder / "template.xlsm")
    runnable = folder / "runnable.xlsm"
    runnable.write_bytes(_runnable_book())
    jobs = [
        {
            "load": str(template),
            "store": [[str(folder / "t.ods"), "calc8"], [str(folder / "t.pdf"), "calc_pdf_Export"]],
        },
        {
            "load": str(runnable),
            "call": [
                [_uri("Twice"), [21]],
                [_uri("WriteCell"), []],
                *([_uri("Failing"), [number, text]] for number, text, _ in FAILURES),
            ],
            "cells": [["Sheet1", "B2"], ["Sheet1", "B3"]],
        },
    ]
    jobs_file = folder / "jobs.json"
    jobs_file.write_text(json.dumps(jobs), encoding="utf-8")
    done = subprocess.run(
        [str(SYSTEM_PYTHON), str(JOBS), soffice, str(folder / "profile"), str(jobs_file)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    template_result, runnable_result = json.loads(done.stdout.splitlines()[-1])
    return {"ods": folder / "t.ods", "pdf": folder / "t.pdf", "ran": runnable_result}


def _basic_modules(ods: Path) -> dict[str, tuple[str, list[str]]]:
    """Module name -> (script:moduleType, code lines after LibreOffice's header lines)."""
    modules = {}
    with zipfile.ZipFile(ods) as archive:
        for name in archive.namelist():
            if name.startswith("Basic/VBAProject/") and not name.endswith("script-lb.xml"):
                root = ElementTree.fromstring(archive.read(name))
                kind = root.get(f"{_SCRIPT}moduleType")
                lines = (root.text or "").split("\n")[_LO_HEADER[kind] :]
                modules[root.get(f"{_SCRIPT}name")] = (kind, lines)
    return modules


def _code_lines(module: Module) -> list[str]:
    """The stored text without its Attribute lines (LibreOffice drops those)."""
    lines = module.stored_text().split("\r\n")
    return [line for line in lines if not line.startswith("Attribute ")]


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1]:
        lines = lines[:-1]
    return lines


TEMPLATE_MODULES = template_modules(code_names())


def test_libreoffice_imports_every_template_module(office: dict[str, Any]) -> None:
    assert {m.name for m in TEMPLATE_MODULES} == set(_basic_modules(office["ods"]))


@pytest.mark.parametrize("module", TEMPLATE_MODULES, ids=lambda m: m.name)
def test_libreoffice_reads_each_module_kind_and_text(
    office: dict[str, Any], module: Module
) -> None:
    kind, lines = _basic_modules(office["ods"])[module.name]
    assert (_KINDS[module.kind], _trimmed(_code_lines(module))) == (kind, _trimmed(lines))


@pytest.mark.parametrize(
    "text", ["KPI Dashboard workbook: guidance", "Guidance Notes", "Unblock", "Setting"]
)
def test_the_sheets_render_to_pdf(office: dict[str, Any], text: str) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    rendered = subprocess.run(
        [pdftotext, "-layout", str(office["pdf"]), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert text in rendered


def test_a_vba_function_returns_its_value(office: dict[str, Any]) -> None:
    assert 42 == office["ran"]["returned"][0]


def test_the_udf_error_branch_runs_in_libreoffice(office: dict[str, Any]) -> None:
    """The wrappers' deliberate difference from xlwings, executed: Python cannot start or has
    no kpixl -> one short text; any other error -> xlwings' own description."""
    assert [expected for _, _, expected in FAILURES] == office["ran"]["returned"][2:]


def test_a_vba_sub_using_a_class_writes_cells(office: dict[str, Any]) -> None:
    assert [42.0, "written by VBA"] == office["ran"]["cells"]


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _targets_in_libreoffice(ods: Path) -> tuple[list[list[str]], list[list[str]]]:
    """The Targets sheet as LibreOffice stored it: the text of its first six rows, and the
    validation condition of each of the first six cells of its first data row."""
    with zipfile.ZipFile(ods) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    conditions = {
        v.get(f"{_TABLE}name"): v.get(f"{_TABLE}condition")
        for v in root.iter(f"{_TABLE}content-validation")
    }
    sheet = next(t for t in root.iter(f"{_TABLE}table") if t.get(f"{_TABLE}name") == "Targets")
    texts: list[list[str]] = []
    checks: list[list[str]] = []
    for row in list(sheet.iter(f"{_TABLE}table-row"))[:6]:
        cells = [c for c in row if c.tag == f"{_TABLE}table-cell"][:6]
        texts.append(["".join(p.itertext()) for c in cells for p in c.iter(f"{_TEXT}p")])
        checks.append(
            [conditions.get(c.get(f"{_TABLE}content-validation-name"), "") for c in cells]
        )
    return texts, checks


def test_libreoffice_reads_the_targets_sheet_and_its_validation(office: dict[str, Any]) -> None:
    texts, checks = _targets_in_libreoffice(office["ods"])
    assert "Targets" == texts[0][0]
    assert ["Ref", "Period", "Target", "Floor", "Upper", "Lower"] == texts[3]
    assert ["FN07", "Jun-23", "88%", "83%"] == texts[4]
    ref, period, *numbers = checks[4]
    assert "of:cell-content-is-in-list([$Finance.$A$7:.$A$206])" == ref
    assert "of:cell-content-is-date() and cell-content()>36526" == period
    assert all(n.startswith("of:is-true-formula(OR(ISNUMBER(") for n in numbers), numbers
