"""A workbook whose VBA project is signed, through kpixl's headless path (docs/DEPLOY.md).

No file of the test corpus carries a signature, and none can be made here without Office and
a code-signing certificate, so the signature is a fake part wired in as Excel writes it: the
part ``xl/vbaProjectSignature.bin``, a relationship from ``xl/_rels/vbaProject.bin.rels``
and a content type. Its bytes are not a real PKCS#7 signature; only what a writer does with
the three pieces is tested.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kpixl.cli import main
from kpixl.template import template_bytes

SIGNATURE = "xl/vbaProjectSignature.bin"
SIGNATURE_RELS = "xl/_rels/vbaProject.bin.rels"
SIGNATURE_TYPE = b"application/vnd.ms-office.vbaProjectSignature"
FAKE = b"\x30\x82\x01\x00" + bytes(range(256))  # shaped like the start of a DER blob only
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/'
    b'vbaProjectSignature" Target="vbaProjectSignature.bin"/></Relationships>'
)


@pytest.fixture
def signed(tmp_path: Path) -> Path:
    """The template with a (fake) signed VBA project."""
    source = tmp_path / "source.xlsm"
    source.write_bytes(template_bytes())
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[SIGNATURE] = FAKE
    parts[SIGNATURE_RELS] = _RELS
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/'
        + SIGNATURE.encode()
        + b'" ContentType="'
        + SIGNATURE_TYPE
        + b'"/></Types>',
    )
    path = tmp_path / "signed.xlsm"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_openpyxl_keeps_the_signature_bytes_but_unlinks_them(signed: Path, tmp_path: Path) -> None:
    """Why kpixl refuses: openpyxl 3.1.5 with keep_vba copies every ``xl/vba*`` part byte for
    byte (so vbaProject.bin and the signature bytes survive) but writes its own relationships
    and content types, which know nothing of the signature: Excel would no longer find it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(signed, keep_vba=True)
    saved = tmp_path / "saved.xlsm"
    book.save(saved)
    with zipfile.ZipFile(signed) as before, zipfile.ZipFile(saved) as after:
        assert before.read("xl/vbaProject.bin") == after.read("xl/vbaProject.bin")
        assert FAKE == after.read(SIGNATURE)
        assert SIGNATURE_RELS not in after.namelist()
        assert SIGNATURE_TYPE not in after.read("[Content_Types].xml")


def test_calculate_keeps_the_signature_with_its_relationship_and_content_type(
    signed: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The package writer copies vbaProject.bin, the signature, its relationships and its
    content type unchanged: the signature covers the macros, which kpixl does not touch."""
    monkeypatch.setenv("KPIXL_ENGINE", "package")  # the writer that carries it
    out = signed.with_name("rated.xlsm")
    assert 0 == main(["calculate", str(signed), "-o", str(out)]), capsys.readouterr().err
    with zipfile.ZipFile(signed) as before, zipfile.ZipFile(out) as after:
        assert before.read("xl/vbaProject.bin") == after.read("xl/vbaProject.bin")
        assert FAKE == after.read(SIGNATURE)
        assert before.read(SIGNATURE_RELS) == after.read(SIGNATURE_RELS)
        assert SIGNATURE_TYPE in after.read("[Content_Types].xml")


def test_the_round_trip_refuses_a_signed_workbook_and_writes_nothing(
    signed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPIXL_ENGINE", "openpyxl")
    before = signed.read_bytes()
    out = signed.with_name("rated.xlsm")
    assert 2 == main(["calculate", str(signed), "-o", str(out)])
    message = capsys.readouterr().err
    assert "signed.xlsm" in message and "digital signature of the macros" in message
    assert "Calculate RAG" in message  # the way that keeps it: inside Excel
    assert not out.exists()
    assert before == signed.read_bytes()


def test_check_reads_a_signed_workbook_as_it_reads_the_unsigned_one(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = signed.read_bytes()
    unsigned = signed.with_name("source.xlsm")
    expected = main(["check", str(unsigned)]), capsys.readouterr().out
    actual = main(["check", str(signed)]), capsys.readouterr().out
    assert expected == (actual[0], actual[1].replace("signed.xlsm", "source.xlsm"))
    assert before == signed.read_bytes()
