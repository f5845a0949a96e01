"""Excel starts a fresh Python per RunPython click: ``import kpixl.xl`` must stay light."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("openpyxl", "pandas", "numpy", "kpixl.headless", "kpixl.workbook.styles")


@pytest.mark.parametrize("module", ["kpixl.xl", "kpixl.workbook.xlwings_io"])
def test_the_runpython_path_imports_nothing_heavy(module: str) -> None:
    code = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "" == out.strip()
