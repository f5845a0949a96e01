"""The raw-copy zip writer: unchanged members byte for byte, readable by zipfile, openpyxl and
LibreOffice, UTF-8 names kept, data descriptors gone, encrypted members refused."""

from __future__ import annotations

import csv
import io
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kpixl.errors import WorkbookError
from kpixl.package.zipcopy import PackageWriter, rewrite

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "workbook_template.xlsm"
UTF8_NAME = "xl/media/Übersicht – 图表.bin"


def raw_members(path: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each member's (flags, method, compressed bytes), read from its local header."""
    data = path.read_bytes()
    out = {}
    with zipfile.ZipFile(path) as package:
        for info in package.infolist():
            name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
            start = info.header_offset + 30 + name_length + extra_length
            raw = data[start : start + info.compress_size]
            out[info.filename] = (info.flag_bits, info.compress_type, raw)
    return out


def streamed_zip(path: Path) -> Path:
    """A zip written to a stream that cannot seek: zipfile then uses data descriptors."""

    class NoSeek(io.RawIOBase):
        def __init__(self) -> None:
            self.buffer = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: bytes) -> int:  # type: ignore[override]
            self.buffer += b
            return len(b)

    sink = NoSeek()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("a.xml", b"<a>" + b"x" * 5000 + b"</a>")
        package.writestr(UTF8_NAME, bytes(range(256)) * 20)
        package.writestr(zipfile.ZipInfo("stored.txt"), b"kept as stored")
    path.write_bytes(bytes(sink.buffer))
    return path


def test_unchanged_members_are_copied_byte_for_byte_and_the_changed_one_replaced(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.xlsm"
    styles = zipfile.ZipFile(TEMPLATE).read("xl/styles.xml").replace(b"Calibri", b"Arial")
    rewrite(TEMPLATE, out, {"xl/styles.xml": styles})
    with zipfile.ZipFile(out) as package:
        assert package.testzip() is None
        assert package.read("xl/styles.xml") == styles
        assert package.namelist() == zipfile.ZipFile(TEMPLATE).namelist()
    before, after = raw_members(TEMPLATE), raw_members(out)
    changed = {name for name in before if before[name][1:] != after[name][1:]}
    assert changed == {"xl/styles.xml"}
    book = load_workbook(out, keep_vba=True)
    assert book.loaded_theme is not None
    assert [f.name for f in book._fonts][:1] == ["Arial"]


def test_writing_to_a_file_object_gives_the_same_bytes_as_to_a_path(tmp_path: Path) -> None:
    stamp = (2026, 12, 1, 12, 0, 0)
    sink = io.BytesIO()
    for target in (tmp_path / "a.zip", sink):
        with PackageWriter(target) as writer:
            writer.write("x.xml", b"<x/>", date_time=stamp)
    assert (tmp_path / "a.zip").read_bytes() == sink.getvalue()


def test_data_descriptors_are_dropped_and_utf8_names_kept(tmp_path: Path) -> None:
    source = streamed_zip(tmp_path / "streamed.zip")
    assert all(info.flag_bits & 0x8 for info in zipfile.ZipFile(source).infolist())
    out = tmp_path / "copy.zip"
    rewrite(source, out, {}, [("added/ünï.xml", b"<new/>")])
    with zipfile.ZipFile(out) as package:
        assert package.testzip() is None
        assert package.namelist() == ["a.xml", UTF8_NAME, "stored.txt", "added/ünï.xml"]
        flags = {info.filename: info.flag_bits for info in package.infolist()}
        assert package.read(UTF8_NAME) == bytes(range(256)) * 20
        assert package.read("added/ünï.xml") == b"<new/>"
        assert package.getinfo("stored.txt").compress_type == zipfile.ZIP_STORED
    assert not any(flag & 0x8 for flag in flags.values())
    assert flags[UTF8_NAME] & 0x800 and flags["added/ünï.xml"] & 0x800
    assert not flags["a.xml"] & 0x800
    before, after = raw_members(source), raw_members(out)
    assert {n: before[n][1:] for n in before} == {n: after[n][1:] for n in before}


def test_a_dropped_member_is_left_out(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsm"
    rewrite(TEMPLATE, out, {"docProps/app.xml": None})
    names = zipfile.ZipFile(out).namelist()
    assert "docProps/app.xml" not in names
    assert len(names) == len(zipfile.ZipFile(TEMPLATE).namelist()) - 1


def test_an_encrypted_member_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "encrypted.zip"
    with zipfile.ZipFile(source, "w") as package:
        package.writestr("secret.xml", b"<s/>")
    data = bytearray(source.read_bytes())
    central = data.index(b"PK\x01\x02")
    for flags_at in (6, central + 8):  # flag bits in the local header and central directory
        data[flags_at] |= 0x1
    source.write_bytes(bytes(data))
    with pytest.raises(WorkbookError, match="secret.xml.*encrypted"):
        rewrite(source, tmp_path / "out.zip", {})


def libreoffice_csv(book: Path, folder: Path) -> list[list[str]]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
         "--outdir", str(folder), str(book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with (folder / f"{book.stem}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.libreoffice
def test_libreoffice_reads_a_rewritten_package(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ref", "Value", "Größe"])
    sheet.append(["FN01", 12.5, "ünïcode"])
    source = tmp_path / "source.xlsx"
    workbook.save(source)
    sheet_xml = zipfile.ZipFile(source).read("xl/worksheets/sheet1.xml")
    out = tmp_path / "rewritten.xlsx"
    rewrite(source, out, {"xl/worksheets/sheet1.xml": sheet_xml.replace(b"12.5", b"13.5")})
    expected = [["Ref", "Value", "Größe"], ["FN01", "13.5", "ünïcode"]]
    assert libreoffice_csv(out, tmp_path) == expected
