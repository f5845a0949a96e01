"""Generators of bad input files, one per case: ``make_<case>(folder) -> Path``.

``BAD_FILES`` maps a case name to its generator so a CLI suite can run every case. The
files are real bytes: an MS-CFB legacy workbook and an encrypted package (written with
kpixl's own CFB writer), zip packages written member by member, openpyxl workbooks.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference

from kpixl.template.ovba.cfb import write_compound_file

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{}</Relationships>"
)
DRAWING_REL = f"{R}/drawing"
IMAGE_REL = f"{R}/image"
_XDR = (
    'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    f'xmlns:r="{R}"'
)
_ANCHOR = (
    "<xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>"
    "<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>6</xdr:col><xdr:colOff>0"
    "</xdr:colOff><xdr:row>8</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
)
PICTURE = (
    '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Picture 1"/><xdr:cNvPicPr/></xdr:nvPicPr>'
    '<xdr:blipFill><a:blip r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
    '<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>'
)
TEXT_BOX = (
    '<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="3" name="TextBox 2"/>'
    '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/>'
    '<a:ext cx="100" cy="100"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    "</xdr:spPr><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Note</a:t></a:r></a:p></xdr:txBody>"
    "</xdr:sp>"
)
BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE workbook [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def tiny_png() -> bytes:
    """A valid 1x1 red PNG, written without Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def workbook_bytes(sheet: str = "Finance", chart: bool = False) -> bytes:
    """A small valid .xlsx made by openpyxl, optionally with a bar chart."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for i in range(1, 5):
        ws.append([i, i * 2])
    if chart:
        bars = BarChart()
        bars.add_data(Reference(ws, min_col=2, min_row=1, max_row=4))
        ws.add_chart(bars, "D2")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rewrite(
    data: bytes,
    add: dict[str, bytes | str] | None = None,
    edit: dict[str, Callable[[str], str]] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """Copy a zip package member by member, editing, adding and dropping members."""
    add, edit = add or {}, edit or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name in drop:
                continue
            raw = src.read(name)
            if name in edit:
                raw = edit[name](raw.decode("utf-8")).encode("utf-8")
            dst.writestr(name, raw, zipfile.ZIP_DEFLATED)
        for name, body in add.items():
            dst.writestr(name, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def override(part: str, content_type: str) -> Callable[[str], str]:
    """An edit of [Content_Types].xml adding an Override."""
    entry = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
    return lambda text: text.replace("</Types>", entry + "</Types>")


def with_drawing(inner: str, media: bool = False) -> bytes:
    """A workbook whose sheet 'Finance' has a drawing holding ``inner`` (pic or sp)."""
    add: dict[str, bytes | str] = {
        "xl/drawings/drawing1.xml": f'<?xml version="1.0" encoding="UTF-8"?><xdr:wsDr {_XDR}>'
        f"<xdr:twoCellAnchor>{_ANCHOR}{inner}<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>",
        "xl/worksheets/_rels/sheet1.xml.rels": RELS.format(
            f'<Relationship Id="rIdD" Type="{DRAWING_REL}" Target="../drawings/drawing1.xml"/>'
        ),
    }
    if media:
        add["xl/media/image1.png"] = tiny_png()
        add["xl/drawings/_rels/drawing1.xml.rels"] = RELS.format(
            f'<Relationship Id="rId1" Type="{IMAGE_REL}" Target="../media/image1.png"/>'
        )
    drawing_type = "application/vnd.openxmlformats-officedocument.drawing+xml"
    png_default = '<Default Extension="png" ContentType="image/png"/></Types>'
    return rewrite(
        workbook_bytes(),
        add,
        {
            "[Content_Types].xml": lambda t: override("xl/drawings/drawing1.xml", drawing_type)(
                t
            ).replace("</Types>", png_default),
            "xl/worksheets/sheet1.xml": lambda t: t.replace(
                "</worksheet>", f'<drawing xmlns:r="{R}" r:id="rIdD"/></worksheet>'
            ),
        },
    )


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def make_empty(folder: Path) -> Path:
    return _write(folder, "empty.xlsm", b"")


def make_directory(folder: Path) -> Path:
    path = folder / "folder.xlsm"
    path.mkdir()
    return path


def make_renamed_csv(folder: Path) -> Path:
    text = "Ref,Indicator,Target,Actual\r\nCED01,Invoices paid on time,90%,87%\r\n"
    return _write(folder, "renamed_csv.xlsm", text.encode("utf-8"))


def make_renamed_pdf(folder: Path) -> Path:
    data = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
    return _write(folder, "renamed_pdf.xlsx", data)


def make_html(folder: Path) -> Path:
    page = "<!DOCTYPE html>\n<html><body><table><tr><td>CED01</td></tr></table></body></html>\n"
    return _write(folder, "saved_as_web_page.xlsx", page.encode("utf-8"))


def make_random_bytes(folder: Path) -> Path:
    state, out = 12345, bytearray()
    for _ in range(4096):  # a fixed linear congruential sequence: same bytes every run
        state = (state * 1103515245 + 12345) % 2**31
        out.append(state >> 16 & 0xFF)
    out[0] = 0x80  # not valid UTF-8 at the start, so never mistaken for text
    return _write(folder, "random.xlsx", bytes(out))


def make_legacy_xls(folder: Path) -> Path:
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x1FA0, 0x07CD, 0, 0)
    return _write(folder, "legacy.xlsm", write_compound_file({"Workbook": bof * 300}))


def make_encrypted(folder: Path) -> Path:
    streams = {f"Filler{i}": bytes(64) for i in range(8)}  # directory spans several sectors
    streams["EncryptionInfo"] = struct.pack("<HHI", 4, 4, 0x40) + bytes(200)
    streams["EncryptedPackage"] = struct.pack("<Q", 5000) + bytes(5008)
    return _write(folder, "password.xlsm", write_compound_file(streams))


def make_truncated_zip(folder: Path) -> Path:
    data = workbook_bytes()
    return _write(folder, "truncated.xlsx", data[: len(data) // 2])


def make_zip_without_workbook(folder: Path) -> Path:
    data = rewrite(workbook_bytes(), drop=("xl/workbook.xml",))
    return _write(folder, "no_workbook.xlsx", data)


def make_plain_zip(folder: Path) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("notes.txt", "not a workbook")
    return _write(folder, "plain_zip.xlsx", out.getvalue())


def make_xlsb(folder: Path) -> Path:
    out = io.BytesIO()
    binary = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.bin"'
            f' ContentType="{binary}"/></Types>',
        )
        package.writestr(
            "_rels/.rels",
            RELS.format(
                f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="xl/workbook.bin"/>'
            ),
        )
        package.writestr("xl/workbook.bin", bytes(64))
    return _write(folder, "binary.xlsm", out.getvalue())


def make_entity_bomb(folder: Path) -> Path:
    def bomb(text: str) -> str:
        body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
        names = '<definedNames><definedName name="lol">&lol9;</definedName></definedNames>'
        bombed = re.sub(r"<definedNames ?/>", names, body, count=1)  # openpyxl with/without lxml
        assert bombed != body, "no <definedNames/> to fill"
        return BILLION_LAUGHS + bombed

    data = rewrite(workbook_bytes(), edit={"xl/workbook.xml": bomb})
    return _write(folder, "entity_bomb.xlsx", data)


def make_zip_bomb(folder: Path, megabytes: int = 50) -> Path:
    """A valid workbook plus a member of ``megabytes`` MB of zeros (about 1000:1)."""
    out = io.BytesIO(workbook_bytes())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        with package.open("xl/zeros.bin", "w") as member:
            zeros = bytes(1024 * 1024)
            for _ in range(megabytes):
                member.write(zeros)
    return _write(folder, "zip_bomb.xlsx", out.getvalue())


def make_zip_bomb_declared(folder: Path) -> Path:
    """A workbook whose central directory claims a 3 GB member (the data is 1 KB)."""
    data = bytearray(rewrite(workbook_bytes(), add={"xl/big.bin": bytes(1024)}))
    entry = data.rfind(b"PK\x01\x02")  # the last central directory entry: xl/big.bin
    struct.pack_into("<I", data, entry + 24, 3 * 1024**3)  # its uncompressed size
    return _write(folder, "zip_bomb_declared.xlsx", bytes(data))


def make_lossy_chart(folder: Path, base: Path | None = None) -> Path:
    """A workbook with a bar chart on its first sheet (``base``: a copy of that workbook)."""
    path = folder / "with_chart.xlsx"
    if base is None:
        path.write_bytes(workbook_bytes(chart=True))
        return path
    path = folder / f"with_chart{base.suffix}"
    wb = load_workbook(base, keep_vba=base.suffix in (".xlsm", ".xltm"), keep_links=True)
    ws = wb.worksheets[0]
    bars = BarChart()
    bars.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    ws.add_chart(bars, "A1")
    wb.save(path)
    return path


def make_lossy_picture(folder: Path) -> Path:
    return _write(folder, "with_picture.xlsx", with_drawing(PICTURE, media=True))


def make_lossy_text_box(folder: Path) -> Path:
    return _write(folder, "with_text_box.xlsx", with_drawing(TEXT_BOX))


BAD_FILES: dict[str, Callable[[Path], Path]] = {
    "empty": make_empty,
    "directory": make_directory,
    "renamed_csv": make_renamed_csv,
    "renamed_pdf": make_renamed_pdf,
    "html": make_html,
    "random_bytes": make_random_bytes,
    "legacy_xls": make_legacy_xls,
    "encrypted": make_encrypted,
    "truncated_zip": make_truncated_zip,
    "zip_without_workbook": make_zip_without_workbook,
    "plain_zip": make_plain_zip,
    "xlsb": make_xlsb,
    "entity_bomb": make_entity_bomb,
    "zip_bomb": make_zip_bomb,
    "zip_bomb_declared": make_zip_bomb_declared,
    "lossy_chart": make_lossy_chart,
    "lossy_picture": make_lossy_picture,
    "lossy_text_box": make_lossy_text_box,
}
