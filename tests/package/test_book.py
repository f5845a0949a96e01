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
from kpixl.package.read import read_book
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


def assert_alike_and_valid(source: Path, folder: Path, cleared: bool = False) -> tuple[Path, Path]:
    """``cleared``: computed cells may lose their values (LibreOffice saved results that a
    re-run clears, as the round trip does: the cell-for-cell comparison covers them)."""
    slow, fast = both(source, folder)
    assert differences(slow, fast) == []
    # names scoped to a replaced Summary or Dashboard are replaced with it, and kpixl's
    # label rules are replaced (LibreOffice writes both with attributes of its own)
    ignored = frozenset({"definedName", "cfRule", "formula", *(("v",) if cleared else ())})
    assert losses(source, fast, replaced_parts(source), ignored) == []
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


@pytest.mark.xfail(
    strict=True,
    reason="the package writer does not yet draw what the round trip now does on these "
    "books: the hidden kpixl history sheet, the Trend sparklines and their hidden columns",
)
def test_the_demo_matches_the_round_trip(demo: Path, tmp_path: Path) -> None:
    assert_alike_and_valid(demo, tmp_path)


@pytest.mark.xfail(
    strict=True,
    reason="the package writer does not yet draw what the round trip now does on these "
    "books: the hidden kpixl history sheet, the Trend sparklines and their hidden columns",
)
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
@pytest.mark.xfail(
    strict=True,
    reason="the package writer does not yet draw what the round trip now does on these "
    "books: the hidden kpixl history sheet, the Trend sparklines and their hidden columns",
)
def test_libreoffice_saved_workbooks_match_the_round_trip(demo: Path, tmp_path: Path) -> None:
    for source in (demo, workbook_path(Spec(*SIZES["seed"]))):
        saved = _without_ribbon(_libreoffice_xlsx(source, tmp_path))  # the round trip refuses it
        slow, fast = assert_alike_and_valid(saved, tmp_path / source.stem, cleared=True)
        rerun = calculate_file(fast, tmp_path / f"{source.stem}-again.xlsx")
        assert differences(fast, rerun.path) == []


def _without_ribbon(path: Path) -> Path:
    with zipfile.ZipFile(path) as package:
        ribbon = [name for name in package.namelist() if name.startswith("customUI/")]
        rels = package.read("_rels/.rels")
    if not ribbon:
        return path
    out = path.with_name(f"{path.stem}-plain{path.suffix}")
    plain = re.sub(rb"<Relationship[^>]*customUI[^>]*/>", b"", rels)
    rewrite(path, out, {"_rels/.rels": plain, **dict.fromkeys(ribbon)})
    return out


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
    assert book.count(b'name="KPIXL_GENERATED"') == 3  # Summary, Dashboard, kpixl history


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
    # read back with kpixl's reader: openpyxl cannot load some of these files at all
    assert {"Summary", "Dashboard", INDICATOR_SHEET} <= {g.name for g in read_book(rated).grids}
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


CALC_CHAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"
CALC_CHAIN_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"


def _with_calc_chain(rated: Path, out: Path, formula_in_summary: bool) -> Path:
    from kpixl.package import workbookxml as wbxml

    with zipfile.ZipFile(rated) as package:
        rels = package.read("xl/_rels/workbook.xml.rels")
        types = package.read("[Content_Types].xml")
        book = package.read("xl/workbook.xml").decode()
        names = package.namelist()
        rid = re.search(r'<sheet name="Summary" sheetId="\d+"[^>]*?r:id="([^"]*)"', book)
        assert rid is not None
        part = re.search(rf'Id="{rid.group(1)}"[^>]*?Target="([^"]*)"', rels.decode())
        assert part is not None
        summary_part = "xl/" + part.group(1)
        summary = package.read(summary_part)
    rels, _ = wbxml.add_relationship(rels, CALC_CHAIN_REL, "calcChain.xml")
    types = wbxml.add_content_type(types, "xl/calcChain.xml", CALC_CHAIN_TYPE)
    chain = b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    changed: dict[str, bytes | None] = {"xl/_rels/workbook.xml.rels": rels,
                                        "[Content_Types].xml": types}  # fmt: skip
    index = names.index(summary_part) + 1
    if formula_in_summary:
        formula = b'<row r="9999"><c r="A9999"><f>1+1</f><v>2</v></c></row></sheetData>'
        assert b"</sheetData>" in summary
        changed[summary_part] = summary.replace(b"</sheetData>", formula)
        chain += f'<c r="A9999" i="{index}"/>'.encode()
    else:
        chain += b'<c r="A1" i="1"/>'
    rewrite(rated, out, changed, [("xl/calcChain.xml", chain + b"</calcChain>")])
    return out


@pytest.mark.parametrize("formula", [True, False], ids=["formula-gone", "no-formula"])
def test_the_calculation_chain_is_dropped_only_when_cells_it_lists_go(
    formula: bool, tmp_path: Path
) -> None:
    rated = calculate_file(sample_xlsx(tmp_path / "KPIs.xlsx"), tmp_path / "once.xlsx").path
    source = _with_calc_chain(rated, tmp_path / "chained.xlsx", formula)
    again = calculate_file(source, tmp_path / "again.xlsx").path
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(again) as after:
        kept = "xl/calcChain.xml" in after.namelist()
        assert kept is not formula
        rels = after.read("xl/_rels/workbook.xml.rels").decode()
        assert ("calcChain" in rels) is not formula
        assert ("calcChain" in after.read("[Content_Types].xml").decode()) is not formula
        if kept:
            assert before.read("xl/calcChain.xml") == after.read("xl/calcChain.xml")
    assert "Summary" in load_workbook(again).sheetnames


def test_kpixl_rules_written_with_escaped_quotes_are_replaced_not_added_to(
    tmp_path: Path,
) -> None:
    """LibreOffice writes ``<formula>&quot;GREEN&quot;</formula>``: still kpixl's rule."""
    rated = calculate_file(sample_xlsx(tmp_path / "KPIs.xlsx"), tmp_path / "once.xlsx").path
    with zipfile.ZipFile(rated) as package:
        parts = {n: package.read(n) for n in package.namelist() if "worksheets/sheet" in n}
    escaped = {n: x.replace(b'<formula>"', b"<formula>&quot;").replace(b'"</formula>',
               b"&quot;</formula>") for n, x in parts.items()}  # fmt: skip
    assert escaped != parts
    source = tmp_path / "escaped.xlsx"
    rewrite(rated, source, dict(escaped))
    again = calculate_file(source, tmp_path / "again.xlsx").path
    with zipfile.ZipFile(again) as package:
        for name, xml in parts.items():
            assert package.read(name).count(b"<cfRule") == xml.count(b"<cfRule"), name
