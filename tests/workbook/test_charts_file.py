"""SPEC 8.5 on the file path: with the ``Charts`` setting Yes, a marked Charts sheet with one
line chart per KPI (DrawingML parts valid against dml-chart.xsd and dml-spreadsheetDrawing.xsd)
whose lines read numbers held on the Charts sheet itself; replaced on every run, never
duplicated, and never making a later run refuse kpixl's own output."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl.utils.cell import range_boundaries

from kpixl.headless import calculate_file
from kpixl.workbook import safety, xlsx_io
from kpixl.workbook.xlsx_io import _sheet_parts
from tests.package.test_splice import SML
from tests.workbooks import sample_grids, with_settings, write_grids

SCHEMAS = SML.parent
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS = {"c": C}
KPIS_WITH_VALUES = 27


def _write(folder: Path, name: str, **settings: str | int) -> Path:
    return write_grids(with_settings(sample_grids(), **settings), folder / name)


@pytest.fixture(scope="module")
def rated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("charts")
    source = _write(folder, "in.xlsx", Charts="Yes", SPC="On", SPC_minimum_points=4)
    return calculate_file(source, folder / "out.xlsx").path


def _charts(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        return [etree.fromstring(archive.read(n)) for n in names]


def _charts_sheet_rels(path: Path) -> list[str]:
    """The drawing parts the Charts sheet's part points at."""
    with zipfile.ZipFile(path) as archive:
        part = _sheet_parts(archive)["Charts"]
        folder, name = posixpath.split(part)
        rels = f"{folder}/_rels/{name}.rels"
        if rels not in archive.namelist():
            return []
        root = etree.fromstring(archive.read(rels))
        return [r.get("Target", "") for r in root if r.get("Type", "").endswith("/drawing")]


def test_one_chart_per_kpi_on_a_marked_charts_sheet(rated: Path) -> None:
    loaded = xlsx_io.load(rated)
    assert "Charts" in loaded.generated
    assert KPIS_WITH_VALUES == len(_charts(rated))
    assert 1 == len(_charts_sheet_rels(rated))


def test_chart_parts_are_valid_drawingml(rated: Path) -> None:
    if not SCHEMAS.exists():
        pytest.skip(f"no schemas at {SCHEMAS}")
    chart_schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "dml-chart.xsd")))
    drawing_schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "dml-spreadsheetDrawing.xsd")))
    for chart in _charts(rated):
        assert chart_schema.validate(chart), chart_schema.error_log.last_error
    with zipfile.ZipFile(rated) as archive:
        for name in archive.namelist():
            if name.startswith("xl/drawings/drawing") and name.endswith(".xml"):
                root = etree.fromstring(archive.read(name))
                assert drawing_schema.validate(root), drawing_schema.error_log.last_error


def test_each_line_reads_numbers_on_the_charts_sheet(rated: Path) -> None:
    ws = xlsx_io.load(rated).workbook["Charts"]
    names: set[str] = set()
    for chart in _charts(rated):
        for ser in chart.iterfind(".//c:lineChart/c:ser", NS):
            names.add(
                "".join(ser.find("c:tx", NS).itertext()) if ser.find("c:tx", NS) is not None else ""
            )
            formula = ser.findtext("c:val/c:numRef/c:f", namespaces=NS) or ""
            sheet, _, area = formula.partition("!")
            assert sheet.strip("'") == "Charts"
            min_col, min_row, max_col, max_row = range_boundaries(area.replace("$", ""))
            assert min_row == max_row
            cells = [ws.cell(min_row, col).value for col in range(min_col, max_col + 1)]
            assert all(v is None or isinstance(v, float | int) for v in cells)
            assert any(isinstance(v, float | int) for v in cells)
            categories = ser.findtext("c:cat/c:strRef/c:f", namespaces=NS) or ser.findtext(
                "c:cat/c:numRef/c:f", namespaces=NS
            )
            assert categories is not None and categories.partition("!")[0].strip("'") == "Charts"
    assert {"Value", "Target", "Floor", "Mean", "Upper process limit", "Lower process limit"} <= {
        n.strip() for n in names
    }


def test_the_chart_data_does_not_print(rated: Path) -> None:
    ws = xlsx_io.load(rated).workbook["Charts"]
    area = str(ws.print_area).split("!")[-1].replace("$", "")
    _, _, last_col, _ = range_boundaries(area)
    data_cols = [c.column for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
    assert min(data_cols) > last_col


def test_a_rerun_replaces_the_charts_and_never_duplicates_them(rated: Path) -> None:
    assert () == safety.preflight(rated).lossy
    again = calculate_file(rated, rated.with_name("again.xlsx")).path
    third = calculate_file(again, again.with_name("third.xlsx")).path
    for path in (again, third):
        assert KPIS_WITH_VALUES == len(_charts(path))
        assert 1 == len(_charts_sheet_rels(path))
        assert ["Charts"] == [n for n in xlsx_io.load(path).workbook.sheetnames if n == "Charts"]


def test_without_spc_there_are_no_limits(tmp_path: Path) -> None:
    out = calculate_file(_write(tmp_path, "in.xlsx", Charts="Yes"), tmp_path / "out.xlsx").path
    names = {
        "".join(tx.itertext()).strip()
        for chart in _charts(out)
        for tx in chart.iterfind(".//c:ser/c:tx", NS)
    }
    assert {"Value", "Target", "Floor"} == names


@pytest.mark.parametrize("setting", [None, "No"])
def test_no_charts_sheet_by_default(tmp_path: Path, setting: str | None) -> None:
    settings = {} if setting is None else {"Charts": setting}
    out = calculate_file(_write(tmp_path, "in.xlsx", **settings), tmp_path / "out.xlsx").path
    assert "Charts" not in xlsx_io.load(out).workbook.sheetnames
    assert [] == _charts(out)


def test_a_chart_the_user_made_on_their_own_sheet_is_still_refused(
    rated: Path, tmp_path: Path
) -> None:
    from openpyxl.chart import LineChart, Reference

    loaded = xlsx_io.load(rated)
    ws = loaded.workbook["Finance"]
    chart = LineChart()
    chart.add_data(Reference(ws, min_col=4, min_row=2, max_col=8, max_row=2))
    ws.add_chart(chart, "A30")
    theirs = tmp_path / "theirs.xlsx"
    xlsx_io.save(loaded, theirs)
    assert ["a chart on sheet 'Finance'"] == list(safety.preflight(theirs).losses)


@pytest.mark.libreoffice
def test_libreoffice_prints_the_charts_an_area_a_page(rated: Path, tmp_path: Path) -> None:
    import subprocess

    from kpixl.workbook.pdf import export_pdf

    out = export_pdf(rated, tmp_path / "charts.pdf", ("Charts",))
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    titles = [
        "".join(title.itertext()).split()[0]
        for chart in _charts(rated)
        for title in chart.iterfind("c:chart/c:title", NS)
    ]
    assert KPIS_WITH_VALUES == len(titles)
    assert all(ref in text for ref in titles)
    assert len([p for p in pages if p.strip()]) >= 7  # each of the 7 service areas on its own
