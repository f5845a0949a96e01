"""The template's VBA: read back by olefile/olevba, ribbon callbacks, UDF wrappers vs specs."""

from __future__ import annotations

import dataclasses
import inspect
import io
import os
import re
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pytest
from defusedxml import ElementTree

import kpixl.udfs
import kpixl.xl
from kpixl.actions import ACTIONS, Action
from kpixl.errors import KpixlError
from kpixl.template import TemplateError, template_bytes
from kpixl.template.build import ribbon_source
from kpixl.template.ovba import Module
from kpixl.template.ovba.modules import normalize_newlines
from kpixl.template.package import VBA_PART
from kpixl.template.ribbon import ribbon_module_source
from kpixl.template.sheets import code_names
from kpixl.template.udf_vba import (
    NOT_INSTALLED,
    UDF_MODULE_NAME,
    error_branch_source,
    udf_module_source,
    xlwings_error_branch,
)
from kpixl.template.vba_project import template_modules, vba_project_bytes
from kpixl.udf_cells import ERROR_PREFIX
from kpixl.udf_specs import MODULE, SPECS, UdfSpec

from .ovba_support import VBA_Parser, open_ole, xlwings_dir

ROOT = Path(__file__).resolve().parents[2]
ORACLE = Path(__file__).with_name("xlwings_wrapper_oracle.py")
_CUSTOM_UI = "{http://schemas.microsoft.com/office/2006/01/customui}"
_CALLBACK = re.compile(r"^Sub (\w+)\(control As IRibbonControl\)$", re.MULTILINE)
_FUNCTION = re.compile(r"^Function (\w+)\(([^)]*)\)$", re.MULTILINE)
MODULES = template_modules(code_names())


@cache
def _vba_project() -> bytes:
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as archive:
        return archive.read(VBA_PART)


@cache
def _extracted() -> dict[str, str]:
    parser = VBA_Parser("vbaProject.bin", data=_vba_project(), relaxed=False)
    try:
        return {stream.rsplit("/", 1)[1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def _module(name: str) -> Module:
    return next(m for m in MODULES if m.name == name)


def test_project_holds_the_expected_modules_in_order() -> None:
    expected = ["ThisWorkbook", *code_names(), "xlwings", "Dictionary", UDF_MODULE_NAME]
    assert [*expected, "KpixlRibbon"] == [m.name for m in MODULES]


def test_olefile_opens_the_vba_project_without_defects() -> None:
    ole = open_ole(_vba_project())
    try:
        assert ole.exists("VBA/dir") and ole.exists("PROJECT")
    finally:
        ole.close()


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_olevba_extracts_each_module_exactly(module: Module) -> None:
    assert module.stored_text() == _extracted()[module.name]


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("xlwings", lambda: (xlwings_dir() / "xlwings.bas").read_text("cp1252")),
        ("KpixlRibbon", ribbon_module_source),
        (UDF_MODULE_NAME, udf_module_source),
    ],
)
def test_standard_modules_are_their_sources_byte_for_byte(name: str, source: object) -> None:
    assert normalize_newlines(source()) == _extracted()[name]  # type: ignore[operator]


def test_dictionary_class_is_xlwings_own_after_its_export_preamble() -> None:
    exported = (xlwings_dir() / "addin" / "Dictionary.cls").read_bytes().decode("cp1252")
    body = exported.split("\r\n''\r\n", 1)[1]  # the code after the attribute header
    assert len(body) > 10_000
    assert _extracted()["Dictionary"].endswith("\r\n''\r\n" + body)


def test_every_line_fits_the_vba_editor() -> None:
    too_long = [
        (m.name, n)
        for m in MODULES
        for n, line in enumerate(m.stored_text().split("\r\n"), start=1)
        if len(line) > 1023
    ]
    assert [] == too_long


# --- ribbon ------------------------------------------------------------------------------


def _buttons() -> list[dict[str, str]]:
    root = ElementTree.fromstring(ribbon_source())
    assert f"{_CUSTOM_UI}customUI" == root.tag  # the 2006 schema openpyxl keeps
    return [dict(button.attrib) for button in root.iter(f"{_CUSTOM_UI}button")]


def test_ribbon_has_the_three_buttons() -> None:
    assert ["Calculate RAG", "Check data", "Export PDF"] == [b["label"] for b in _buttons()]


@pytest.mark.parametrize("button", _buttons(), ids=lambda b: b["id"])
def test_each_on_action_names_a_ribbon_callback(button: dict[str, str]) -> None:
    module, _, sub = button["onAction"].partition(".")
    source = _extracted()[module]
    assert sub in _CALLBACK.findall(source.replace("\r\n", "\n"))


@pytest.mark.parametrize(
    ("sub", "entry_point"),
    [
        ("CalculateRag", "calculate_rag"),
        ("CheckData", "check_data"),
        ("ExportPdf", "export_pdf"),
    ],
)
def test_callbacks_run_the_kpixl_entry_points(sub: str, entry_point: str) -> None:
    source = _extracted()["KpixlRibbon"].replace("\r\n", "\n")
    body = source.split(f"Sub {sub}(control As IRibbonControl)\n", 1)[1].split("End Sub")[0]
    assert f'    RunPython "import kpixl.xl; kpixl.xl.{entry_point}()"\n' == body
    assert callable(getattr(kpixl.xl, entry_point))


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.macro)
def test_each_button_shows_its_action_tip_and_the_callback_says_it(action: Action) -> None:
    button = next(b for b in _buttons() if b["id"] == action.control_id)
    assert (action.label, action.tip) == (button["label"], button["supertip"])
    source = _extracted()["KpixlRibbon"].replace("\r\n", "\n")
    comment = source.split(f"\nSub {action.macro}(", 1)[0].rsplit("\n\n", 1)[1]
    assert f"{action.label}: {action.tip}" == " ".join(
        line.removeprefix("' ") for line in comment.splitlines()
    )


# --- worksheet function wrappers ----------------------------------------------------------


def _wrappers() -> dict[str, list[str]]:
    text = _extracted()[UDF_MODULE_NAME].replace("\r\n", "\n")
    return {name: [a.strip() for a in args.split(",")] for name, args in _FUNCTION.findall(text)}


def test_there_is_one_wrapper_per_spec() -> None:
    assert sorted(spec.name for spec in SPECS) == sorted(_wrappers())


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_wrapper_arguments_match_the_spec(spec: UdfSpec) -> None:
    expected = [("Optional " if arg.optional else "") + arg.name for arg in spec.args]
    assert expected == _wrappers()[spec.name]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_wrapper_arguments_match_the_python_function(spec: UdfSpec) -> None:
    parameters = inspect.signature(getattr(kpixl.udfs, spec.python_name)).parameters.values()
    expected = [
        ("Optional " if p.default is not inspect.Parameter.empty else "") + p.name
        for p in parameters
    ]
    assert expected == _wrappers()[spec.name]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_wrapper_calls_the_udf_module(spec: UdfSpec) -> None:
    array = "Array(" + ", ".join(arg.name for arg in spec.args) + ")"
    call = f'{spec.name} = XLPy.CallUDF("{MODULE}", "{spec.name}", {array}, ThisWorkbook, '
    assert call + "Application.Caller)" in _extracted()[UDF_MODULE_NAME]


def test_wrappers_are_what_xlwings_own_generator_writes() -> None:
    """xlwings' ``generate_vba_wrapper`` run on kpixl.udfs, with its Windows-only imports
    stubbed in a separate process (nothing else of xlwings is replaced)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    theirs = subprocess.run(
        [sys.executable, str(ORACLE)], capture_output=True, check=True, text=True, env=env
    ).stdout
    lines = udf_module_source().splitlines(keepends=True)
    assert [
        f'Attribute VB_Name = "{UDF_MODULE_NAME}"\n',
        "'Autogenerated code by xlwings - changes will be lost with next import!\n",
        '#Const App = "Microsoft Excel" \'Adjust when using outside of Excel\n',
    ] == lines[:3]  # the header xlwings' import_udfs writes
    ours = "".join(lines[3:])
    for spec in SPECS:  # the one deliberate difference: the error branch
        branch = f"failed:\n{error_branch_source(spec.name)}End Function\n"
        assert 1 == ours.count(branch)
        ours = ours.replace(branch, f"failed:\n{xlwings_error_branch(spec.name)}End Function\n")
    assert theirs == ours


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_wrapper_says_not_installed_else_keeps_xlwings_error(spec: UdfSpec) -> None:
    branch = error_branch_source(spec.name)
    assert f'{spec.name} = "{NOT_INSTALLED}"' in branch
    assert xlwings_error_branch(spec.name).strip() in branch  # every other error: xlwings' text
    assert f"failed:\n{branch}End Function" in _extracted()[UDF_MODULE_NAME].replace("\r\n", "\n")


def test_not_installed_is_one_short_kpi_text() -> None:
    assert NOT_INSTALLED.startswith(ERROR_PREFIX)
    assert len(NOT_INSTALLED) <= 60
    assert NOT_INSTALLED.isascii()


@pytest.mark.parametrize(
    ("number", "raised_by"),
    [
        (1, 'Err.Raise 1, Description:= _\n                    "Could not load " + XLPyDLLName'),
        (1000, "If 0 <> XLPyDLLActivateAuto(XLPy, XLPyCommand, 1) Then Err.Raise 1000"),
    ],
)
def test_the_numbers_meaning_cannot_start_are_xlwings_own(number: int, raised_by: str) -> None:
    """``XLPy.CallUDF`` calls ``XLPy``, which calls ``XLPyLoadDLL`` (error 1: no DLL beside
    Interpreter_Win) and then starts Python (error 1000): both mean Python cannot start."""
    source = (xlwings_dir() / "xlwings.bas").read_text("cp1252").replace("\r\n", "\n")
    assert raised_by in source
    assert f"Err.Number = {number} " in error_branch_source("KPI_RAG")


def test_workbook_open_describes_every_function() -> None:
    source = _module("ThisWorkbook").stored_text()
    described = re.findall(r"Me\.Name & \"'!(\w+)\"", source)
    assert [spec.name for spec in SPECS] == described


# --- text outside code page 1252 ----------------------------------------------------------


def test_a_function_description_outside_code_page_1252_names_module_line_and_source() -> None:
    spec = dataclasses.replace(SPECS[0], description="Rates a value \u2192 GREEN, AMBER or RED.")
    with pytest.raises(KpixlError) as caught:
        vba_project_bytes(code_names(), (spec, *SPECS[1:]))
    message = str(caught.value)
    assert isinstance(caught.value, TemplateError)
    assert "VBA module ThisWorkbook (made from the function descriptions in " in message
    assert "kpixl/udf_specs.py) has '\u2192' on line " in message
    assert "outside code page 1252" in message
    assert message.endswith("replace it (with ' or - for example).")
