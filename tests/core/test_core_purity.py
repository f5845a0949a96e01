"""The new core modules import neither openpyxl nor xlwings (SPEC 8: pure core)."""

from __future__ import annotations

import subprocess
import sys


def test_trend_spc_history_import_no_excel_library() -> None:
    code = (
        "import sys, kpixl.core.trend, kpixl.core.spc, kpixl.core.history, kpixl.core.stats;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'openpyxl', 'xlwings'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[]" == out.stdout.strip()
