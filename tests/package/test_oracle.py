"""Oracle: on real workbooks the fast reader's grids equal the openpyxl path's, value for
value and type for type, and ``kpixl check`` rates them alike.

Real Excel-made files come from ``../shared/corpus/excel-made/`` (read in place, never
copied); then the template, the demo and the benchmark workbooks. The one difference
allowed is the documented one: openpyxl gives an empty cell with a hyperlink the link as
its value.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import SIZES, Spec, workbook_path
from kpixl.cli import main
from kpixl.package.read import read_book
from kpixl.workbook import xlsx_io
from kpixl.workbook.calculate import calculate
from tests.package.test_read import trimmed

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "excel-made"
CORPUS_FILES = sorted(p for p in CORPUS.glob("*/*") if p.suffix in (".xlsx", ".xlsm"))


def _hyperlinked(workbook: Any, sheet: str, row: int, col: int) -> set[object]:
    cell = workbook[sheet]._cells.get((row + 1, col + 1))
    link = getattr(cell, "hyperlink", None)
    return set() if link is None else {link.target, link.location}


def assert_same_grids(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on parts it does not keep
        slow = xlsx_io.load(path)
    fast = read_book(path)
    assert [(g.name, g.hidden) for g in slow.grids] == [(g.name, g.hidden) for g in fast.grids]
    assert slow.generated == fast.generated
    for old, new in zip(slow.grids, fast.grids, strict=True):
        assert old.formulas_without_value == new.formulas_without_value, old.name
        before, after = trimmed(old), trimmed(new)
        for row in range(max(len(before), len(after))):
            left = before[row] if row < len(before) else []
            right = after[row] if row < len(after) else []
            for col in range(max(len(left), len(right))):
                a = left[col] if col < len(left) else None
                b = right[col] if col < len(right) else None
                if type(a) is type(b) and a == b:
                    continue
                allowed = b is None and a in _hyperlinked(slow.workbook, old.name, row, col)
                assert allowed, f"{old.name}!R{row + 1}C{col + 1}: {a!r} != {b!r}"


@pytest.mark.skipif(not CORPUS_FILES, reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_excel_made_workbooks_read_alike(path: Path) -> None:
    assert_same_grids(path)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("oracle") / "demo.xlsm"
    assert 0 == main(["demo", str(out)])
    return out


def test_the_template_reads_alike() -> None:
    assert_same_grids(ROOT / "workbook_template.xlsm")


def test_the_demo_reads_and_rates_alike(demo: Path) -> None:
    assert_same_grids(demo)
    _assert_rated_alike(demo)


@pytest.mark.parametrize(
    "size", [pytest.param(s, marks=pytest.mark.slow) if s == "10000x24" else s for s in SIZES]
)
def test_benchmark_workbooks_read_and_rate_alike(size: str) -> None:
    path = workbook_path(Spec(*SIZES[size]))
    assert_same_grids(path)
    _assert_rated_alike(path)


def _assert_rated_alike(path: Path) -> None:
    slow = calculate(xlsx_io.load(path).grids, source=path.name)
    fast = calculate(read_book(path).grids, source=path.name)
    assert slow.problems == fast.problems
    assert slow.evaluation == fast.evaluation
    assert slow.read.sheets == fast.read.sheets


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_saved_workbooks_read_alike(demo: Path, tmp_path: Path) -> None:
    """LibreOffice writes shared strings, explicit types and its own number formats."""
    sources = [demo, workbook_path(Spec(*SIZES["seed"]))]
    for source in sources:
        saved = _libreoffice_xlsx(source, tmp_path)
        assert_same_grids(saved)
        _assert_rated_alike(saved)


def _libreoffice_xlsx(source: Path, folder: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder / "lo"),
         str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return folder / "lo" / f"{source.stem}.xlsx"
