"""The package writer (``kpixl.package.book.PackageBook``) against the openpyxl round trip:
the same workbook cell for cell, every part it writes valid, every part it does not change
carried byte for byte (Excel-made files included), and only real conflicts refused."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from benchmarks.generate import SIZES, Spec, workbook_path
from kpixl.cli import main
from kpixl.headless import calculate_file
from kpixl.package.splice import SpliceConflict
from kpixl.package.zipcopy import rewrite
from tests.package.carried import losses, replaced_parts
from tests.package.inject import INDICATOR_SHEET, inject
from tests.package.oracle import differences
from tests.package.schemas import SCHEMAS, invalid_parts
from tests.package.test_oracle import CORPUS, CORPUS_FILES, ROOT, _libreoffice_xlsx
from tests.workbooks import sample_xlsx

needs_schemas = pytest.mark.skipif(not SCHEMAS.exists(), reason=f"no schemas at {SCHEMAS}")


def both(source: Path, folder: Path) -> tuple[Path, Path]:
    """``source`` rated by the openpyxl round trip and by the package writer."""
    folder.mkdir(parents=True, exist_ok=True)
    suffix = source.suffix
    slow = calculate_file(source, folder / f"openpyxl{suffix}", engine_name="openpyxl")
    fast = calculate_file(source, folder / f"package{suffix}", engine_name="package")
    assert slow.outcome.problems == fast.outcome.problems
    return slow.path, fast.path


def assert_alike_and_valid(source: Path, folder: Path) -> tuple[Path, Path]:
    slow, fast = both(source, folder)
    assert differences(slow, fast) == []
    assert losses(source, fast, replaced_parts(source)) == []
    if SCHEMAS.exists():
        assert invalid_parts(fast, source) == []
    return slow, fast


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("book") / "demo.xlsm"
    assert 0 == main(["demo", str(out)])
    return out


def test_the_oracle_sees_a_difference(tmp_path: Path) -> None:
    source = sample_xlsx(tmp_path / "KPIs.xlsx")
    slow, _ = both(source, tmp_path / "out")
    assert differences(source, slow) != []


def test_the_sample_and_its_rerun_match_the_round_trip(tmp_path: Path) -> None:
    source = sample_xlsx(tmp_path / "KPIs.xlsx")
    slow, fast = assert_alike_and_valid(source, tmp_path / "first")
    again_slow = calculate_file(slow, tmp_path / "again-openpyxl.xlsx", engine_name="openpyxl")
    again_fast = calculate_file(fast, tmp_path / "again-package.xlsx", engine_name="package")
    assert differences(again_slow.path, again_fast.path) == []
    assert invalid_parts(again_fast.path, fast) == [] if SCHEMAS.exists() else True
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(again_fast.path) as b:
        assert len(a.read("xl/styles.xml")) == len(b.read("xl/styles.xml"))  # no growth


def test_the_demo_matches_the_round_trip(demo: Path, tmp_path: Path) -> None:
    assert_alike_and_valid(demo, tmp_path)


def test_the_template_matches_the_round_trip(tmp_path: Path) -> None:
    assert_alike_and_valid(ROOT / "workbook_template.xlsm", tmp_path)


@pytest.mark.parametrize(
    "size",
    [pytest.param(s, marks=pytest.mark.slow) if s not in ("seed",) else s for s in SIZES],
)
def test_benchmark_workbooks_match_the_round_trip(size: str, tmp_path: Path) -> None:
    assert_alike_and_valid(workbook_path(Spec(*SIZES[size])), tmp_path)


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_saved_workbooks_match_the_round_trip(demo: Path, tmp_path: Path) -> None:
    for source in (demo, workbook_path(Spec(*SIZES["seed"]))):
        saved = _libreoffice_xlsx(source, tmp_path)
        slow, fast = assert_alike_and_valid(saved, tmp_path / source.stem)
        rerun = calculate_file(fast, tmp_path / f"{source.stem}-again.xlsx")
        assert differences(fast, rerun.path) == []


def test_a_replaced_sheet_keeps_its_part_id_and_position(demo: Path, tmp_path: Path) -> None:
    first = calculate_file(demo, tmp_path / "first.xlsm").path
    second = calculate_file(first, tmp_path / "second.xlsm").path

    def sheets(path: Path) -> list[tuple[str, str, str]]:
        with zipfile.ZipFile(path) as package:
            book = package.read("xl/workbook.xml").decode()
        return re.findall(r'<sheet name="([^"]*)" sheetId="(\d+)"[^>]*?r:id="([^"]*)"', book)

    assert sheets(first) == sheets(second)
    with zipfile.ZipFile(second) as package:
        book = package.read("xl/workbook.xml")
    assert book.count(b"<definedNames") == 1
    assert book.count(b">KPIXL_GENERATED<") == 0
    assert book.count(b'name="KPIXL_GENERATED"') == 2


def test_an_empty_defined_names_element_stays_the_only_one(tmp_path: Path) -> None:
    source = sample_xlsx(tmp_path / "KPIs.xlsx")
    with zipfile.ZipFile(source) as package:
        book = package.read("xl/workbook.xml")
    assert b"<definedNames />" in book  # openpyxl writes an empty one
    empty = tmp_path / "no-space.xlsx"
    rewrite(
        source, empty, {"xl/workbook.xml": book.replace(b"<definedNames />", b"<definedNames/>")}
    )
    rated = calculate_file(empty, tmp_path / "rated.xlsx").path
    with zipfile.ZipFile(rated) as package:
        assert package.read("xl/workbook.xml").count(b"<definedNames") == 1
    assert "Summary" in load_workbook(rated).sheetnames


def test_a_merge_under_a_computed_cell_is_refused_located(tmp_path: Path) -> None:
    source = calculate_file(sample_xlsx(tmp_path / "KPIs.xlsx"), tmp_path / "once.xlsx").path
    workbook = load_workbook(source)
    ws = workbook["Finance"]
    row, rag = _computed_column(ws)
    ws.merge_cells(start_row=row + 1, start_column=rag - 1, end_row=row + 1, end_column=rag)
    workbook.save(source)
    merged = rf"sheet 'Finance' cell [A-Z]+{row + 1} is part of merged"
    with pytest.raises(SpliceConflict, match=merged):
        calculate_file(source, tmp_path / "rated.xlsx")
    assert not (tmp_path / "rated.xlsx").exists()


def _computed_column(ws: Any) -> tuple[int, int]:
    """(row, column) of the ``Latest RAG`` header of a rated sheet."""
    for row in ws.iter_rows(max_row=20):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == "Latest RAG":
                return int(cell.row), int(cell.column)
    raise AssertionError("no RAG column")


def test_a_table_over_the_computed_columns_is_refused_located(tmp_path: Path) -> None:
    from openpyxl.worksheet.table import Table

    rated = calculate_file(sample_xlsx(tmp_path / "KPIs.xlsx"), tmp_path / "rated.xlsx").path
    workbook = load_workbook(rated)
    ws = workbook["Finance"]
    row, _ = _computed_column(ws)
    last = ws.cell(row, ws.max_column).column_letter
    ws.add_table(Table(displayName="Figures", ref=f"A{row + 1}:{last}{row + 3}", headerRowCount=0))
    workbook.save(tmp_path / "table.xlsx")
    inside = r"sheet 'Finance' cell [A-Z]+\d+ is inside the Excel table 'Figures'"
    with pytest.raises(SpliceConflict, match=inside):
        calculate_file(tmp_path / "table.xlsx", tmp_path / "again.xlsx")


# --- real Excel-made files ------------------------------------------------------------------

SAMPLE = CORPUS_FILES[::25]
WITH_CONTENT = [
    p for p in CORPUS_FILES if p.stem in ("chart_bar01", "image01", "button01", "checkbox01")
]


def carry(path: Path, folder: Path) -> None:
    """Inject kpixl's sheets into ``path``, rate it, and check what was carried."""
    source = inject(path, folder / f"in{path.suffix}")
    rated = calculate_file(source, folder / f"rated{path.suffix}").path
    assert losses(source, rated) == []
    if SCHEMAS.exists():
        assert invalid_parts(rated, source) == []
    assert {"Summary", "Dashboard", INDICATOR_SHEET} <= set(load_workbook(rated).sheetnames)
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(rated) as b:
        for name in a.namelist():
            if not name.endswith((".xml", ".rels")) or name.startswith("xl/media"):
                assert a.read(name) == b.read(name), name


@pytest.mark.skipif(not CORPUS_FILES, reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", SAMPLE + WITH_CONTENT, ids=lambda p: p.name)
def test_excel_made_workbooks_are_carried(path: Path, tmp_path: Path) -> None:
    carry(path, tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS_FILES, reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_excel_made_workbook_is_carried(path: Path, tmp_path: Path) -> None:
    carry(path, tmp_path)


def test_a_generated_sheet_renamed_in_another_case_is_replaced_in_place(
    tmp_path: Path,
) -> None:
    rated = calculate_file(sample_xlsx(tmp_path / "KPIs.xlsx"), tmp_path / "once.xlsx").path
    with zipfile.ZipFile(rated) as package:
        book = package.read("xl/workbook.xml")
    assert book.count(b'name="Summary"') == 1
    renamed = tmp_path / "renamed.xlsx"
    rewrite(rated, renamed, {"xl/workbook.xml": book.replace(b'name="Summary"', b'name="summary"')})
    position = load_workbook(renamed).sheetnames.index("summary")
    slow, fast = both(renamed, tmp_path / "out")
    assert load_workbook(fast).sheetnames.index("Summary") == position
    assert differences(slow, fast) == []


def test_a_1904_workbook_gets_its_dates_from_its_own_epoch(tmp_path: Path) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    source = sample_xlsx(tmp_path / "KPIs.xlsx")
    workbook = load_workbook(source)
    workbook.epoch = CALENDAR_MAC_1904
    workbook.save(source)
    with zipfile.ZipFile(source) as package:
        assert b'date1904="1"' in package.read("xl/workbook.xml")
    slow, fast = both(source, tmp_path / "out")
    assert differences(slow, fast) == []
