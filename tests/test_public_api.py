"""The public surface is explicit, and the core stays free of Excel libraries."""

from __future__ import annotations

import subprocess
import sys

import kpixl

PUBLIC = {
    "NOT_AVAILABLE",
    "Alert",
    "Direction",
    "Evaluation",
    "Frequency",
    "Indicator",
    "IndicatorType",
    "KpixlError",
    "Person",
    "Polarity",
    "Problem",
    "Rag",
    "Report",
    "Result",
    "ServiceArea",
    "Severity",
    "YtdMethod",
    "__version__",
    "evaluate",
    "load_sample",
    "range_alert",
    "rag",
}


def test_all_is_exactly_the_public_surface() -> None:
    assert PUBLIC == set(kpixl.__all__)
    for name in kpixl.__all__:
        assert hasattr(kpixl, name), name


def test_contract_functions() -> None:
    assert "GREEN" == kpixl.rag(0.9, 0.9, 0.85)
    assert "AMBER" == kpixl.rag(0.86, 0.9, 0.85, "Higher")
    assert "RED" == kpixl.rag(0.4, 0.3, 0.35)
    assert kpixl.rag(None, 0.9, 0.85) is None
    assert ("Yes", "Above", "Below") == tuple(
        str(kpixl.range_alert(v, 840, 1040)) for v in (1040, 1041, 839)
    )
    assert kpixl.range_alert(5, None, None) is None


def test_core_and_package_root_import_no_excel_library() -> None:
    code = (
        "import sys, kpixl, kpixl.core, kpixl.sample;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'openpyxl', 'xlwings'});"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "" == out.stdout.strip()
