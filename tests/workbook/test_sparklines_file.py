"""SPEC 8.5 on the file path: the Dashboard's sparklines are an ``x14:sparklineGroups``
extension in the sheet part (checked against MS-XLSX's CT_SparklineGroups structure: there is
no public XSD), the rest of the part stays valid against sml.xsd, LibreOffice reads them back,
and kpixl accepts its own output again with exactly one set of sparklines."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from kpixl.headless import calculate_file
from kpixl.package import sparklines, zipcopy
from kpixl.package.sparklines import SPARKLINE_URI, X14_NS, XM_NS
from kpixl.report.design import Sparkline
from kpixl.workbook import safety, xlsx_io
from kpixl.workbook.xlsx_io import _sheet_parts
from tests.package.test_splice import SML
from tests.workbooks import sample_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS = {"m": MAIN, "x14": X14_NS, "xm": XM_NS}
GROUP_CHILDREN = (
    "colorSeries",
    "colorNegative",
    "colorAxis",
    "colorMarkers",
    "colorFirst",
    "colorLast",
    "colorHigh",
    "colorLow",
    "f",
    "sparklines",
)
"""MS-XLSX 2.6.58 CT_SparklineGroup's sequence (each optional but ``sparklines``)."""
GROUP_ATTRIBUTES = {
    "manualMax", "manualMin", "lineWeight", "type", "dateAxis", "displayEmptyCellsAs",
    "markers", "high", "low", "first", "last", "negative", "displayXAxis", "displayHidden",
    "minAxisType", "maxAxisType", "rightToLeft",
}  # fmt: skip


def _dashboard(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(_sheet_parts(archive)["Dashboard"]))


def _values(root: etree._Element) -> dict[str, str]:
    return {
        c.get("r"): c.findtext("m:v", namespaces=NS)
        for c in root.iterfind(".//m:sheetData/m:row/m:c", NS)
        if c.find("m:v", NS) is not None
    }


@pytest.fixture(scope="module")
def rated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sparklines")
    return calculate_file(sample_xlsx(folder / "in.xlsx"), folder / "out.xlsx").path


def test_the_extension_is_ct_sparkline_groups_last_in_the_worksheet(rated: Path) -> None:
    root = _dashboard(rated)
    assert "extLst" == etree.QName(root[-1]).localname
    (ext,) = root[-1]
    assert SPARKLINE_URI == ext.get("uri")
    (groups,) = ext
    assert f"{{{X14_NS}}}sparklineGroups" == groups.tag
    (group,) = groups
    assert f"{{{X14_NS}}}sparklineGroup" == group.tag
    assert set(group.attrib) <= GROUP_ATTRIBUTES
    assert ("1", "1") == (group.get("last"), group.get("displayHidden"))
    assert group.get("type", "line") == "line"
    names = [etree.QName(child).localname for child in group]
    assert names == sorted(names, key=GROUP_CHILDREN.index)
    lines = group.find("x14:sparklines", NS)
    assert lines is not None and len(lines) == 50
    for line in lines:
        assert [f"{{{XM_NS}}}f", f"{{{XM_NS}}}sqref"] == [child.tag for child in line]


def test_each_sparkline_sits_under_trend_and_reads_numbers_in_its_row(rated: Path) -> None:
    root = _dashboard(rated)
    values = _values(root)
    hidden = {
        col
        for c in root.iterfind(".//m:cols/m:col[@hidden='1']", NS)
        for col in range(int(c.get("min", "0")), int(c.get("max", "0")) + 1)
    }
    ws = xlsx_io.load(rated).workbook["Dashboard"]
    for line in root.iterfind(".//x14:sparkline", NS):
        formula = line.findtext("xm:f", namespaces=NS) or ""
        target = ws[line.findtext("xm:sqref", namespaces=NS) or ""]
        sheet, _, area = formula.partition("!")
        assert "Dashboard" == sheet
        min_col, min_row, max_col, max_row = range_boundaries(area)
        assert min_row == max_row == target.row
        assert set(range(min_col, max_col + 1)) <= hidden
        for col in range(min_col, max_col + 1):
            float(values[f"{get_column_letter(col)}{min_row}"])  # a number, not text
        above = [ws.cell(r, target.column).value for r in range(target.row - 1, 0, -1)]
        assert "Trend" == next(v for v in above if isinstance(v, str))


def test_the_rest_of_the_part_stays_valid_against_sml(rated: Path) -> None:
    if not SML.exists():
        pytest.skip(f"no schemas at {SML}")
    schema = etree.XMLSchema(etree.parse(str(SML)))  # CT_Extension takes any element, lax
    assert schema.validate(_dashboard(rated)), schema.error_log.last_error


def test_a_rerun_on_its_own_output_is_accepted_and_keeps_one_set(rated: Path) -> None:
    info = safety.preflight(rated)
    assert () == info.lossy
    again = calculate_file(rated, rated.with_name("again.xlsx")).path
    root = _dashboard(again)
    assert 1 == len(root.findall("m:extLst", NS))
    assert 1 == len(root.findall(".//x14:sparklineGroups", NS))
    assert 50 == len(root.findall(".//x14:sparkline", NS))
    third = calculate_file(again, again.with_name("third.xlsx"), in_place=False).path
    assert 50 == len(_dashboard(third).findall(".//x14:sparkline", NS))


def test_sparklines_the_user_made_on_their_own_sheet_are_still_refused(
    rated: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(rated) as archive:
        parts = _sheet_parts(archive)
        xml = archive.read(parts["Finance"])
    ext = sparklines.extension("Finance", [Sparkline(5, 20, (5, 3, 5, 8))])
    changed = {parts["Finance"]: sparklines.add_to_sheet(xml, ext)}
    theirs = tmp_path / "theirs.xlsx"
    zipcopy.rewrite(rated, theirs, changed)
    info = safety.preflight(theirs)
    assert ["sparklines on sheet 'Finance'"] == list(info.losses)


@pytest.mark.libreoffice
def test_libreoffice_reads_the_sparklines_back(rated: Path, tmp_path: Path) -> None:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path),
            str(rated),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with zipfile.ZipFile(tmp_path / "out.ods") as ods:
        content = etree.fromstring(ods.read("content.xml"))
    calcext = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
    groups = content.findall(f".//{{{calcext}}}sparkline-group")
    assert 1 == len(groups)
    assert "true" == groups[0].get(f"{{{calcext}}}last")
    lines = content.findall(f".//{{{calcext}}}sparkline")
    assert 50 == len(lines)
    assert all(line.get(f"{{{calcext}}}data-range", "").startswith("Dashboard.") for line in lines)


def test_a_combined_report_has_its_sparklines_and_can_be_combined_again(
    tmp_path: Path,
) -> None:
    from kpixl.combine import combine_files

    source = sample_xlsx(tmp_path / "in.xlsx")
    out = tmp_path / "combined.xlsx"
    combine_files([source], out)
    assert 50 == len(_dashboard(out).findall(".//x14:sparkline", NS))
    assert () == safety.preflight(out).lossy
    combine_files([source], out)  # an earlier combined report is replaced
    assert 50 == len(_dashboard(out).findall(".//x14:sparkline", NS))
