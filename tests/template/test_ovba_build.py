"""The whole ``vbaProject.bin``: read back by olefile and olevba, compared with xlwings'."""

from __future__ import annotations

import re
import struct

import pytest

from kpixl.errors import KpixlError
from kpixl.template.ovba import (
    DEFAULT_REFERENCES,
    Module,
    OvbaError,
    build_vba_project,
    default_project_id,
    document_module,
    module_from_bas,
    module_from_cls,
)
from kpixl.template.ovba.project import VBA_PROJECT_STREAM, projectwm_stream

from .ovba_support import (
    VBA_Parser,
    decompress_stream,
    dir_records,
    read_streams,
    xlwings_dir,
    xlwings_vba_project,
)

RIBBON = (
    'Attribute VB_Name = "KpiRibbon"\n'
    "Sub OnRefresh(control As IRibbonControl)\n"
    '    RunPython "import kpixl.xl; kpixl.xl.refresh()"\n'
    "End Sub\n"
)


def _modules() -> list[Module]:
    return [
        document_module("ThisWorkbook", "workbook"),
        document_module("Sheet1", "sheet", "Option Explicit\n"),
        module_from_bas((xlwings_dir() / "xlwings.bas").read_text("cp1252")),
        module_from_bas(RIBBON),
        module_from_cls((xlwings_dir() / "addin" / "Dictionary.cls").read_text("cp1252")),
    ]


@pytest.fixture(scope="module")
def project() -> bytes:
    return build_vba_project(_modules())


def test_container_holds_exactly_the_expected_streams(project: bytes) -> None:
    assert {
        "PROJECT",
        "PROJECTwm",
        "VBA/_VBA_PROJECT",
        "VBA/dir",
        "VBA/ThisWorkbook",
        "VBA/Sheet1",
        "VBA/xlwings",
        "VBA/KpiRibbon",
        "VBA/Dictionary",
    } == set(read_streams(project))


def test_module_streams_hold_only_the_compressed_source(project: bytes) -> None:
    streams = read_streams(project)
    for module in _modules():
        stored = decompress_stream(bytearray(streams[f"VBA/{module.name}"]))
        assert module.stored_text().encode("cp1252") == stored


def test_fixed_streams(project: bytes) -> None:
    streams = read_streams(project)
    assert VBA_PROJECT_STREAM == streams["VBA/_VBA_PROJECT"]
    assert projectwm_stream([m.name for m in _modules()]) == streams["PROJECTwm"]


def test_two_builds_give_identical_bytes(project: bytes) -> None:
    assert project == build_vba_project(_modules())


def test_olevba_extracts_every_module_exactly(project: bytes) -> None:
    parser = VBA_Parser("vbaProject.bin", data=project, relaxed=False)
    try:
        assert parser.detect_vba_macros()
        extracted = {
            stream: (filename, code) for _, stream, filename, code in parser.extract_macros()
        }
    finally:
        parser.close()
    # olevba returns the stored text unchanged: Attribute lines kept, CRLF line ends.
    suffix = {"standard": ".bas", "class": ".cls", "document": ".cls"}
    assert {
        f"VBA/{m.name}": (m.name + suffix[m.kind], m.stored_text()) for m in _modules()
    } == extracted


def test_dir_stream_lists_references_and_modules_in_order(project: bytes) -> None:
    records = dir_records(decompress_stream(bytearray(read_streams(project)["VBA/dir"])))
    names = [data.decode("cp1252") for record_id, data in records if record_id == 0x16]
    modules = [data.decode("cp1252") for record_id, data in records if record_id == 0x19]
    types = [record_id for record_id, _ in records if record_id in (0x21, 0x22)]
    assert [r.name for r in DEFAULT_REFERENCES] == names
    assert [m.name for m in _modules()] == modules
    assert [0x22, 0x22, 0x21, 0x21, 0x22] == types
    assert all(bytes(4) == data for record_id, data in records if record_id == 0x31)


def test_references_default_to_stdole_and_office_16() -> None:
    assert [
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb"
        "#OLE Automation",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.8#0#C:\Program Files\Common Files"
        r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
    ] == [r.libid for r in DEFAULT_REFERENCES]


def test_project_stream_names_the_project_and_its_id() -> None:
    data = build_vba_project(_modules()[:1], project_name="KpiProject")
    text = read_streams(data)["PROJECT"].decode("cp1252")
    assert f'ID="{default_project_id("KpiProject")}"\r\n' in text
    assert 'Name="KpiProject"\r\n' in text


def test_default_project_id_is_stable_and_per_name() -> None:
    assert default_project_id("A") == default_project_id("A") != default_project_id("B")
    assert re.fullmatch(r"\{[0-9A-F-]{36}\}", default_project_id("A"))


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        ([document_module("Sheet1"), document_module("SHEET1")], "used twice"),
        ([Module("M", "standard", 'Attribute VB_Name = "M"\r\n\' \u2603\r\n')], "1252"),
    ],
)
def test_bad_projects_are_refused(modules: list[Module], message: str) -> None:
    with pytest.raises(OvbaError, match=message):
        build_vba_project(modules)


def test_text_outside_code_page_1252_is_a_kpixl_error_naming_the_line() -> None:
    module = Module("M", "standard", "Attribute VB_Name = \"M\"\r\n' ok\r\n' \u2603\r\n")
    with pytest.raises(KpixlError) as caught:
        build_vba_project([module])
    assert isinstance(caught.value, OvbaError)
    assert str(caught.value).startswith("The source of module 'M' has '\u2603' on line 3, ")


def test_bad_project_name_is_refused() -> None:
    with pytest.raises(OvbaError, match="project name"):
        build_vba_project([], project_name="VBA Project")


# --- Cross-checks against the vbaProject.bin xlwings ships (written by Excel) -------------


def _xlwings_streams() -> dict[str, bytes]:
    return read_streams(xlwings_vba_project())


def _xlwings_dir() -> list[tuple[int, bytes]]:
    return dir_records(decompress_stream(bytearray(_xlwings_streams()["VBA/dir"])))


def _module_shapes(records: list[tuple[int, bytes]]) -> list[list[int]]:
    ids = [record_id for record_id, _ in records]
    starts = [i for i, record_id in enumerate(ids) if record_id == 0x19]
    return [ids[s : ids.index(0x2B, s) + 1] for s in starts]


def test_information_records_match_excels(project: bytes) -> None:
    ours = dir_records(decompress_stream(bytearray(read_streams(project)["VBA/dir"])))
    theirs = _xlwings_dir()
    assert [r for r, _ in theirs[:14]] == [r for r, _ in ours[:14]]
    assert [d for r, d in theirs[:5]] == [d for r, d in ours[:5]]  # syskind .. name


def test_module_records_match_excels(project: bytes) -> None:
    ours = dir_records(decompress_stream(bytearray(read_streams(project)["VBA/dir"])))
    theirs = _xlwings_dir()
    assert {tuple(shape) for shape in _module_shapes(theirs)} == {
        tuple(shape) for shape in _module_shapes(ours)
    }
    office = [d for r, d in theirs if r == 0x0D][-1]
    assert struct.unpack_from("<I", office)[0] + 10 == len(office)  # our REFERENCEREGISTERED


def test_vba_project_and_projectwm_match_excels() -> None:
    theirs = _xlwings_streams()
    names = [
        d.decode("cp1252") for r, d in _xlwings_dir() if r == 0x19
    ]  # ThisWorkbook, Sheet1, Module1, Sheet2, xlwings, Dictionary
    assert theirs["VBA/_VBA_PROJECT"] == VBA_PROJECT_STREAM
    assert theirs["PROJECTwm"] == projectwm_stream(names)


def test_project_stream_keys_match_excels() -> None:
    theirs = _xlwings_streams()["PROJECT"].decode("cp1252")
    modules = [
        document_module("ThisWorkbook", "workbook"),
        document_module("Sheet1"),
        module_from_bas('Attribute VB_Name = "Module1"\r\n'),
        document_module("Sheet2"),
        module_from_bas('Attribute VB_Name = "xlwings"\r\n'),
        module_from_cls('Attribute VB_Name = "Dictionary"\r\n'),
    ]
    ours = read_streams(build_vba_project(modules))["PROJECT"].decode("cp1252")

    def lines(text: str) -> list[str]:
        # Excel ends the stream with one more blank line than the grammar needs.
        return text.rstrip("\r\n").split("\r\n")

    def shape(text: str) -> list[str]:
        """Module lines whole; of the others only the key (values are per project)."""
        return [
            line
            if line.startswith(("Document=", "Module=", "Class=", "Name="))
            else line.split("=")[0]
            for line in lines(text)
        ]

    assert shape(theirs) == shape(ours)
    assert lines(theirs)[7:10] == lines(ours)[7:10]  # Name, HelpContextID, VersionCompatible32
    assert lines(theirs)[13:18] == lines(ours)[13:18]  # blank, [Host Extender Info] .. [Workspace]


@pytest.mark.parametrize(("name", "document"), [("ThisWorkbook", "workbook"), ("Sheet1", "sheet")])
def test_document_module_text_matches_excels(name: str, document: str) -> None:
    records = _xlwings_dir()
    at = records.index((0x19, name.encode()))
    offset = struct.unpack("<I", dict(records[at : at + 11])[0x31])[0]
    stream = _xlwings_streams()[f"VBA/{name}"]
    theirs = decompress_stream(bytearray(stream[offset:])).decode("cp1252")
    assert theirs == document_module(name, document).stored_text()  # type: ignore[arg-type]


def test_class_header_matches_excels() -> None:
    records = _xlwings_dir()
    at = records.index((0x19, b"Dictionary"))
    offset = struct.unpack("<I", dict(records[at : at + 11])[0x31])[0]
    stream = _xlwings_streams()["VBA/Dictionary"]
    theirs = decompress_stream(bytearray(stream[offset:])).decode("cp1252").split("\r\n")
    ours = module_from_cls((xlwings_dir() / "addin" / "Dictionary.cls").read_text("cp1252"))
    assert theirs[:9] == ours.stored_text().split("\r\n")[:9]
