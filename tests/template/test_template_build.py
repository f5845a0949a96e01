"""The template package: reproducible bytes, the committed copy, wiring, openpyxl round trips."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import warnings
import zipfile
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree

from kpixl.template import TEMPLATE_NAME, build_template, template_bytes
from kpixl.template.package import (
    CONTENT_TYPES,
    RIBBON_PART,
    RIBBON_REL,
    ROOT_RELS,
    VBA_PART,
    VBA_REL,
    VBA_TYPE,
    WORKBOOK_RELS,
    XLSM_MAIN,
    ZIP_TIME,
)
from kpixl.template.sheets import SHEET_NAMES, code_names
from kpixl.template.vba_project import template_modules
from kpixl.workbook import xlsx_io
from kpixl.workbook.xlsx_io import settle_vba_archive

from .golden import assert_same_package, package_differences

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / TEMPLATE_NAME
RIBBON_2007_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@cache
def _built() -> bytes:
    return template_bytes()


def _part(name: str, data: bytes | None = None) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data or _built())) as archive:
        return archive.read(name)


def _relationships(part: str, data: bytes | None = None) -> dict[str, str]:
    """Type -> Target of the relationships in ``part``."""
    root = ElementTree.fromstring(_part(part, data))
    return {rel.get("Type"): rel.get("Target") for rel in root.iter(_REL)}


# --- reproducible ------------------------------------------------------------------------


def _built_in_subprocess(**env: str) -> bytes:
    code = (
        "import sys; from kpixl.template import template_bytes; "
        "sys.stdout.buffer.write(template_bytes())"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        check=True,
        env={**os.environ, **env},
        cwd=ROOT,
    ).stdout


def test_two_builds_give_identical_bytes() -> None:
    assert _built() == template_bytes()


@pytest.mark.parametrize("seed", ["1", "4242"])
def test_build_does_not_depend_on_hash_seed(seed: str) -> None:
    other = _built_in_subprocess(PYTHONHASHSEED=seed)
    assert_same_package(_built(), other)
    assert _built() == other


@pytest.mark.parametrize("lxml", ["True", "False"])
def test_build_gives_the_same_bytes_whichever_xml_writer_openpyxl_uses(lxml: str) -> None:
    """openpyxl writes ``<a/>`` through lxml and ``<a />`` through its own writer."""
    pytest.importorskip("lxml")  # the test extra installs it; without it both runs are alike
    assert _built() == _built_in_subprocess(OPENPYXL_LXML=lxml)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (b"<a><b /></a>", b"<a><b/></a>", True),
        (b'<a y="2" x="1"/>', b'<a x="1" y="2"></a>', True),
        (
            b'<r xmlns:d="urn:d"><d:t>x</d:t></r>',
            b'<?xml version="1.0"?>\n<r><d:t xmlns:d="urn:d">x</d:t></r>',
            True,
        ),
        (b"<a><b/></a>", b"<a><c/></a>", False),
        (b'<a x="1"/>', b'<a x="2"/>', False),
    ],
)
def test_golden_compare_reads_xml_canonically(a: bytes, b: bytes, same: bool) -> None:
    def package(xml: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/workbook.xml", xml)
            archive.writestr(VBA_PART, b"\x00\x01")
        return buffer.getvalue()

    assert same == (package_differences(package(a), package(b)) == [])


def test_committed_template_equals_a_fresh_build() -> None:
    assert COMMITTED.is_file(), f"{TEMPLATE_NAME} is missing: run kpixl template"
    assert_same_package(
        COMMITTED.read_bytes(),
        _built(),
        hint=f"{TEMPLATE_NAME} is out of date: run `kpixl template` and commit the result.",
    )


def test_build_template_writes_the_bytes_and_returns_the_path(tmp_path: Path) -> None:
    out = tmp_path / "book.xlsm"
    assert out == build_template(out)
    assert _built() == out.read_bytes()
    assert ["book.xlsm"] == [p.name for p in tmp_path.iterdir()]  # no temporary file left


def test_every_member_has_the_fixed_timestamp_and_attributes() -> None:
    with zipfile.ZipFile(io.BytesIO(_built())) as archive:
        infos = archive.infolist()
    assert [CONTENT_TYPES, ROOT_RELS] == [info.filename for info in infos[:2]]
    assert {(ZIP_TIME, 0, 0o600 << 16, zipfile.ZIP_DEFLATED)} == {
        (info.date_time, info.create_system, info.external_attr, info.compress_type)
        for info in infos
    }


def test_golden_compare_names_the_member_and_the_element_that_differ() -> None:
    parts = {}
    with zipfile.ZipFile(io.BytesIO(_built())) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    changed = io.BytesIO()
    with zipfile.ZipFile(changed, "w") as archive:
        for name, data in parts.items():
            if name == "xl/workbook.xml":
                data = data.replace(b'name="Guidance"', b'name="Guide"')
            if name == VBA_PART:
                data = data[:-1] + b"\x01"
            archive.writestr(name, data)
    problems = package_differences(_built(), changed.getvalue())
    assert 2 == len(problems)
    assert problems[0].startswith(f"{VBA_PART} (binary) differs")
    lines = problems[1].splitlines()
    assert any(line.startswith("-<sheet") and 'name="Guidance"' in line for line in lines)
    assert any(line.startswith("+<sheet") and 'name="Guide"' in line for line in lines)
    with pytest.raises(AssertionError, match="xl/workbook.xml differs"):
        assert_same_package(_built(), changed.getvalue())


# --- package wiring (EXCEL_FACTS: VBA project, Ribbon) ------------------------------------


@pytest.mark.parametrize(
    ("part", "content_type"),
    [("/xl/workbook.xml", XLSM_MAIN), ("/xl/vbaProject.bin", VBA_TYPE)],
)
def test_content_types(part: str, content_type: str) -> None:
    root = ElementTree.fromstring(_part(CONTENT_TYPES))
    overrides = {e.get("PartName"): e.get("ContentType") for e in root.iter(f"{_CT}Override")}
    defaults = {e.get("Extension"): e.get("ContentType") for e in root.iter(f"{_CT}Default")}
    assert content_type == overrides.get(part, defaults.get(part.rsplit(".", 1)[1]))


def test_workbook_relates_to_the_vba_project() -> None:
    assert "vbaProject.bin" == _relationships(WORKBOOK_RELS)[VBA_REL]


def test_package_relates_to_the_2006_ribbon_only() -> None:
    rels = _relationships(ROOT_RELS)
    assert RIBBON_PART == rels[RIBBON_REL]
    assert RIBBON_2007_REL not in rels


def test_code_names_in_the_workbook_xml_match_the_document_modules() -> None:
    documents = [m.name for m in template_modules(code_names()) if m.kind == "document"]
    book = ElementTree.fromstring(_part("xl/workbook.xml"))
    workbook_code = book.find(f"{_MAIN}workbookPr").get("codeName")
    sheet_codes = [
        ElementTree.fromstring(_part(f"xl/worksheets/sheet{n}.xml"))
        .find(f"{_MAIN}sheetPr")
        .get("codeName")
        for n in range(1, len(SHEET_NAMES) + 1)
    ]
    assert documents == [workbook_code, *sheet_codes]


# --- openpyxl round trips keep the VBA and the ribbon -------------------------------------


def _save_with_openpyxl(source: Path, out: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Data Validation extension" etc.
        book = openpyxl.load_workbook(source, keep_vba=True)
        settle_vba_archive(book)
    book.save(out)


def _save_with_kpixl(source: Path, out: Path) -> None:
    xlsx_io.save(xlsx_io.load(source), out)


@pytest.mark.parametrize("save", [_save_with_openpyxl, _save_with_kpixl])
def test_a_save_keeps_the_vba_project_and_the_ribbon(save: object, tmp_path: Path) -> None:
    source = tmp_path / "template.xlsm"
    source.write_bytes(_built())
    out = tmp_path / "saved.xlsm"
    save(source, out)  # type: ignore[operator]
    saved = out.read_bytes()
    assert _part(VBA_PART) == _part(VBA_PART, saved)
    assert _part(RIBBON_PART) == _part(RIBBON_PART, saved)
    assert RIBBON_PART == _relationships(ROOT_RELS, saved)[RIBBON_REL]
    assert "vbaProject.bin" == _relationships(WORKBOOK_RELS, saved)[VBA_REL]
    assert XLSM_MAIN.encode() in _part(CONTENT_TYPES, saved)
