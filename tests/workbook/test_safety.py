"""preflight refusals on real bytes, and what an openpyxl save would lose."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest

from kpixl.errors import WorkbookError, WouldLoseDataError
from kpixl.workbook.safety import Limits, LossyPart, PackageInfo, check_no_loss, preflight
from kpixl.workbook.xlsx_io import settle_vba_archive
from tests.workbook import badfiles as bf

SAFETY = "kpixl refuses it for safety (a 'zip bomb' looks like this)."
ENTITIES = (
    "contains XML entity declarations, which kpixl refuses for safety "
    "(a 'billion laughs' attack looks like this)."
)
SAVE_AS = "open it in Excel and save it as .xlsx or .xlsm."
X14_DATABAR = (
    '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="http://schemas.microsoft'
    '.com/office/excel/2006/main"><x14:cfRule type="dataBar" id="{00000000-0000-0000-0000-'
    '000000000001}"><x14:dataBar minLength="0" maxLength="100"><x14:cfvo type="autoMin"/>'
    '<x14:cfvo type="autoMax"/></x14:dataBar></x14:cfRule><xm:sqref>A1:A4</xm:sqref>'
    "</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>"
)


def _ods(folder: Path) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", "<office:document-content/>")
    path = folder / "calc.ods"
    path.write_bytes(out.getvalue())
    return path


def _xml_2003(folder: Path) -> Path:
    path = folder / "old.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>\n'
    )
    return path


REFUSALS: list[tuple[Callable[[Path], Path], str]] = [
    (bf.make_empty, "empty.xlsm is empty (0 bytes): it is not an Excel workbook."),
    (bf.make_directory, "folder.xlsm is a folder, not an Excel workbook."),
    (
        bf.make_renamed_csv,
        f"renamed_csv.xlsm is a text (CSV) file, not an Excel workbook: {SAVE_AS}",
    ),
    (bf.make_renamed_pdf, "renamed_pdf.xlsx is a PDF document, not an Excel workbook."),
    (
        bf.make_html,
        f"saved_as_web_page.xlsx is a web page (HTML), not an Excel workbook: {SAVE_AS}",
    ),
    (_xml_2003, f"old.xml is an Excel 2003 XML spreadsheet: {SAVE_AS}"),
    (bf.make_random_bytes, "random.xlsx is not an Excel workbook."),
    (
        bf.make_legacy_xls,
        "legacy.xlsm is an old Excel 97-2003 workbook (.xls): save it as .xlsx or .xlsm in "
        "Excel (File > Save As) and try again.",
    ),
    (
        bf.make_encrypted,
        "password.xlsm is password-protected: remove the password in Excel "
        "(File > Info > Protect Workbook) and try again.",
    ),
    (
        bf.make_truncated_zip,
        "truncated.xlsx is damaged and cannot be opened as a workbook (it may be incomplete): "
        "copy it again or re-save it in Excel.",
    ),
    (bf.make_zip_without_workbook, "no_workbook.xlsx is not an Excel workbook."),
    (bf.make_plain_zip, "plain_zip.xlsx is a zip file, not an Excel workbook."),
    (
        _ods,
        "calc.ods is an OpenDocument spreadsheet (.ods): save it as .xlsx or .xlsm and try again.",
    ),
    (
        bf.make_xlsb,
        "binary.xlsm is an Excel binary workbook (.xlsb), which kpixl cannot read: save it as "
        ".xlsm or .xlsx in Excel (File > Save As) and try again.",
    ),
    (bf.make_entity_bomb, f"entity_bomb.xlsx: part xl/workbook.xml {ENTITIES}"),
    (
        bf.make_zip_bomb,
        "zip_bomb.xlsx: part xl/zeros.bin is compressed 1029 to 1, far more than real "
        f"workbook data; {SAFETY}",
    ),
    (
        bf.make_zip_bomb_declared,
        "zip_bomb_declared.xlsx would expand to 3072 MB when opened, above kpixl's limit of "
        f"1024 MB; {SAFETY}",
    ),
]


@pytest.mark.parametrize(("make", "expected"), REFUSALS, ids=[m.__name__ for m, _ in REFUSALS])
def test_preflight_refuses_with_one_sentence(
    tmp_path: Path, make: Callable[[Path], Path], expected: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(WorkbookError) as caught:
        preflight(path)
    assert (expected, 2) == (str(caught.value), caught.value.exit_code)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.xlsm"
    with pytest.raises(WorkbookError) as caught:
        preflight(path)
    assert f"There is no file at {path}: check the name and folder." == str(caught.value)


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        (
            Limits(max_file_bytes=1024 * 1024),
            "big.xlsx is 2 MB, larger than kpixl's limit of 1 MB for a workbook.",
        ),
        (
            Limits(max_total_uncompressed=1024 * 1024),
            f"big.xlsx would expand to 5 MB when opened, above kpixl's limit of 1 MB; {SAFETY}",
        ),
        (
            Limits(ratio_min_bytes=1024 * 1024, max_ratio=100),
            "big.xlsx: part xl/zeros.bin is compressed 1026 to 1, far more than real workbook "
            f"data; {SAFETY}",
        ),
        (
            Limits(max_members=5),
            "big.xlsx has 11 parts, more than a workbook ever has (5); kpixl refuses it for "
            "safety.",
        ),
    ],
)
def test_limits_are_parameters(tmp_path: Path, limits: Limits, expected: str) -> None:
    out = io.BytesIO(bf.rewrite(bf.workbook_bytes(), {"xl/zeros.bin": bytes(3 * 1024 * 1024)}))
    with zipfile.ZipFile(out, "a") as package:  # 2 MB stored as is, ratio 1
        package.writestr("xl/raw.bin", bytes(2 * 1024 * 1024 + 100_000), zipfile.ZIP_STORED)
    path = tmp_path / "big.xlsx"
    path.write_bytes(out.getvalue())
    with pytest.raises(WorkbookError) as caught:
        preflight(path, limits)
    assert expected == str(caught.value)


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE worksheet [<!ENTITY x "y">]>',
        '<?xml version="1.0"?><!-- a comment --><?pi data?>\n<!DOCTYPE worksheet>',
        "\ufeff<!DOCTYPE worksheet SYSTEM 'file:///etc/passwd'>",
    ],
)
def test_doctype_in_any_part_is_refused(tmp_path: Path, prolog: str) -> None:
    data = bf.rewrite(bf.workbook_bytes(), edit={"xl/styles.xml": lambda text: prolog + text})
    path = tmp_path / "doctype.xlsx"
    path.write_bytes(data)
    with pytest.raises(WorkbookError) as caught:
        preflight(path)
    assert f"doctype.xlsx: part xl/styles.xml {ENTITIES}" == str(caught.value)


def test_comments_and_a_byte_order_mark_before_the_root_are_fine(tmp_path: Path) -> None:
    prolog = "\ufeff<!-- <!DOCTYPE x> only mentioned -->\n<?pi?>"
    data = bf.rewrite(
        bf.workbook_bytes(),
        edit={"xl/styles.xml": lambda text: prolog + text},
    )
    path = tmp_path / "comments.xlsx"
    path.write_bytes(data)
    assert () == preflight(path).lossy


@pytest.mark.parametrize(
    ("lxml", "refusal"),
    [("False", "EntitiesForbidden"), ("True", "amplification factor exceeded")],
)
def test_openpyxl_refuses_an_entity_bomb_whichever_parser_it_uses(
    tmp_path: Path, lxml: str, refusal: str
) -> None:
    """Behind kpixl's own preflight: openpyxl parses with defusedxml, or with lxml (when
    installed), which does not resolve entities."""
    assert openpyxl.xml.DEFUSEDXML
    pytest.importorskip("lxml")
    code = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])"
    done = subprocess.run(
        [sys.executable, "-c", code, str(bf.make_entity_bomb(tmp_path))],
        capture_output=True,
        text=True,
        env={**os.environ, "OPENPYXL_LXML": lxml},
        check=False,
    )
    assert (1, True) == (done.returncode, refusal in done.stderr), done.stderr[-500:]


def test_package_info_of_a_macro_enabled_workbook(tmp_path: Path) -> None:
    macro = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    plain = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    data = bf.rewrite(
        bf.workbook_bytes(),
        {"xl/vbaProject.bin": bytes(512), "customUI/customUI.xml": "<customUI/>"},
        {"[Content_Types].xml": lambda text: text.replace(plain, macro)},
    )
    path = tmp_path / "macros.xlsm"
    path.write_bytes(data)
    info = preflight(path)
    expected = ("xl/workbook.xml", macro, True, True, ("customUI/customUI.xml",), ())
    actual = (
        info.main_part,
        info.content_type,
        info.macro_enabled,
        info.has_vba,
        info.ribbon_parts,
        info.lossy,
    )
    assert expected == actual
    assert {"xl/vbaProject.bin", "xl/worksheets/sheet1.xml"} <= set(info.parts)


def _sheet_part(part: str, rel_type: str, body: str = "<x/>") -> bytes:
    rel = f'<Relationship Id="rIdX" Type="{bf.R}/{rel_type}" Target="../{part[3:]}"/>'
    return bf.rewrite(
        bf.workbook_bytes(),
        {part: body, "xl/worksheets/_rels/sheet1.xml.rels": bf.RELS.format(rel)},
    )


def _x14(text: str) -> str:
    return text.replace("</worksheet>", X14_DATABAR + "</worksheet>")


RIBBON = '<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"/>'

LOSSY: list[tuple[str, Callable[[], bytes], tuple[str, ...]]] = [
    ("chart", lambda: bf.workbook_bytes(chart=True), ("xl/charts/chart1.xml",)),
    ("picture", lambda: bf.with_drawing(bf.PICTURE, media=True), ("xl/media/image1.png",)),
    ("text box", lambda: bf.with_drawing(bf.TEXT_BOX), ("xl/drawings/drawing1.xml",)),
    (
        "Excel 2010 conditional formatting",
        lambda: bf.rewrite(bf.workbook_bytes(), edit={"xl/worksheets/sheet1.xml": _x14}),
        ("xl/worksheets/sheet1.xml",),
    ),
    (
        "pivot table",
        lambda: _sheet_part("xl/pivotTables/pivotTable1.xml", "pivotTable"),
        ("xl/pivotTables/pivotTable1.xml",),
    ),
    (
        "threaded comments",
        lambda: _sheet_part(
            "xl/threadedComments/threadedComment1.xml",
            "threadedComment",  # the real type lives in another namespace; any type maps
        ),
        ("xl/threadedComments/threadedComment1.xml",),
    ),
    (
        "Power Query",
        lambda: bf.rewrite(bf.workbook_bytes(), {"customXml/item1.xml": "<DataMashup/>"}),
        ("customXml/item1.xml",),
    ),
    (
        "ribbon in a plain .xlsx",
        lambda: bf.rewrite(bf.workbook_bytes(), {"customUI/customUI.xml": RIBBON}),
        ("customUI/customUI.xml",),
    ),
]


@pytest.mark.parametrize(("case", "make", "expected"), LOSSY, ids=[c for c, _, _ in LOSSY])
def test_lossy_parts_are_found(
    tmp_path: Path, case: str, make: Callable[[], bytes], expected: tuple[str, ...]
) -> None:
    path = tmp_path / "lossy.xlsx"
    path.write_bytes(make())
    assert expected == preflight(path).lossy_parts


@pytest.mark.parametrize(
    ("case", "make", "lost"),
    [
        ("picture", lambda: bf.with_drawing(bf.PICTURE, media=True), "xl/media/image1.png"),
        ("text box", lambda: bf.with_drawing(bf.TEXT_BOX), "xl/drawings/drawing1.xml"),
        (
            "threaded comments",
            lambda: bf.rewrite(bf.workbook_bytes(), {"xl/threadedComments/t1.xml": "<x/>"}),
            "xl/threadedComments/t1.xml",
        ),
        (
            "Power Query",
            lambda: bf.rewrite(bf.workbook_bytes(), {"customXml/item1.xml": "<DataMashup/>"}),
            "customXml/item1.xml",
        ),
    ],
)
def test_openpyxl_really_drops_them(case: str, make: Callable[[], bytes], lost: str) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(make()), keep_vba=True, keep_links=True)
    settle_vba_archive(wb)
    out = io.BytesIO()
    wb.save(out)
    assert lost not in zipfile.ZipFile(out).namelist()


def test_openpyxl_drops_the_ribbon_of_a_plain_xlsx() -> None:
    data = bf.rewrite(bf.workbook_bytes(), {"customUI/customUI.xml": RIBBON})
    out = io.BytesIO()
    openpyxl.load_workbook(io.BytesIO(data)).save(out)
    assert "customUI/customUI.xml" not in zipfile.ZipFile(out).namelist()


def test_openpyxl_drops_x14_extensions() -> None:
    data = bf.rewrite(bf.workbook_bytes(), edit={"xl/worksheets/sheet1.xml": _x14})
    with pytest.warns(UserWarning, match="extension is not supported"):
        wb = openpyxl.load_workbook(io.BytesIO(data))
    out = io.BytesIO()
    wb.save(out)
    assert b"extLst" not in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")


def test_plain_custom_xml_and_openpyxl_workbooks_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    path.write_bytes(bf.rewrite(bf.workbook_bytes(), {"customXml/item1.xml": "<metadata/>"}))
    check_no_loss(preflight(path))


def test_check_no_loss_names_the_chart_and_its_sheet(tmp_path: Path) -> None:
    path = bf.make_lossy_chart(tmp_path)
    with pytest.raises(WouldLoseDataError) as caught:
        check_no_loss(preflight(path), path)
    expected = (
        "with_chart.xlsx: kpixl would lose a chart on sheet 'Finance' if it saved this "
        "workbook; move it to another workbook or use the Calculate RAG button inside Excel."
    )
    assert (expected, 2) == (str(caught.value), caught.value.exit_code)


def test_losses_are_grouped_and_listed_in_one_sentence() -> None:
    lossy = (
        LossyPart("xl/charts/chart1.xml", "a chart", "charts", "Finance"),
        LossyPart("xl/charts/chart2.xml", "a chart", "charts", "Finance"),
        LossyPart("xl/media/image1.png", "a picture", "pictures", "Dashboard"),
        LossyPart("xl/connections.xml", "data connections", "data connections"),
    )
    info = PackageInfo(Path("KPIs.xlsm"), "xl/workbook.xml", "", True, True, (), (), lossy)
    with pytest.raises(WouldLoseDataError) as caught:
        check_no_loss(info)
    expected = (
        "KPIs.xlsm: kpixl would lose 2 charts on sheet 'Finance', a picture on sheet "
        "'Dashboard' and data connections if it saved this workbook; move them to another "
        "workbook or use the Calculate RAG button inside Excel."
    )
    assert expected == str(caught.value)
