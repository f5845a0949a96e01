"""Excel starts a fresh Python per RunPython click: ``import kpixl.xl`` must stay light.

Every module guarded here can be imported in the test environment (the first test checks
it), so each guard can fail: openpyxl and its XML back ends (lxml, et_xmlfile, defusedxml),
pydantic's v1 compatibility layer, the test tools, and kpixl's file-path modules.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

HEAVY = (
    "openpyxl",
    "lxml",
    "et_xmlfile",
    "defusedxml",
    "pydantic.v1",
    "oletools",
    "hypothesis",
    "kpixl.headless",
    "kpixl.template",
    "kpixl.workbook.styles",
    "kpixl.workbook.xlsx_io",
    "kpixl.workbook.xlsx_render",
)


@pytest.mark.parametrize("module", HEAVY)
def test_each_guarded_module_is_installed_so_the_guard_can_fail(module: str) -> None:
    assert importlib.util.find_spec(module) is not None


@pytest.mark.parametrize("module", ["kpixl.xl", "kpixl.workbook.xlwings_io"])
def test_the_runpython_path_imports_nothing_heavy(module: str) -> None:
    code = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "" == out.strip()


def test_the_guard_sees_a_heavy_import() -> None:
    code = f"import sys, kpixl.headless; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert {"openpyxl", "kpixl.headless"} <= set(out.split())
