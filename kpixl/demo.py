"""``kpixl demo``: the reference report as a real workbook, built from the template and rated.

The template's builder lays out one indicator sheet per service area of the bundled sample
(each with its VBA document module, so the workbook is what Excel itself would keep), then
the workbook is calculated in place exactly as ``kpixl calculate --in-place`` would.
"""

from __future__ import annotations

from pathlib import Path

from kpixl.core.models import Report
from kpixl.errors import WorkbookError
from kpixl.headless import Written, calculate_file
from kpixl.sample import load_sample
from kpixl.template.build import build_workbook


def build_demo(out: Path, report: Report | None = None) -> Written:
    """Write ``report`` (default: the bundled sample) to ``out`` and rate it."""
    if out.suffix.lower() != ".xlsm":
        raise WorkbookError(f"{out.name}: the demo workbook carries macros; name it .xlsm.")
    out.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(out, report or load_sample())
    return calculate_file(out, in_place=True, backup=False)
