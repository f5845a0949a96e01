"""Excel sparklines as a worksheet extension, and putting it into a saved sheet part.

openpyxl cannot write sparklines (it drops every worksheet ``<extLst>``), so kpixl writes the
``x14:sparklineGroups`` extension itself (MS-XLSX 2.6.57 CT_SparklineGroups, 2.6.58
CT_SparklineGroup; the extension URI ``{05C60535-1F16-4FD2-B633-F4F36F0B64E0}``) and puts it in
the worksheet's ``<extLst>``, the last child of CT_Worksheet. There is no public XSD for x14:
the element order below is MS-XLSX's (colours first, then ``xm:f``, then ``x14:sparklines``;
each sparkline ``xm:f`` then ``xm:sqref``), as Excel writes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

from kpixl.report.design import Sparkline
from kpixl.report.look import SPARKLINE_LOOK, SparklineLook
from kpixl.workbook.grid import cell_address

__all__ = ["SPARKLINE_URI", "X14_NS", "XM_NS", "add_to_sheet", "extension", "sheet_reference"]

SPARKLINE_URI = "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}"
X14_NS = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM_NS = "http://schemas.microsoft.com/office/excel/2006/main"
_WORKSHEET_END = re.compile(rb"</(?:\w+:)?worksheet>\s*$")
_EXTLST_END = re.compile(rb"</(?:\w+:)?extLst>")


def sheet_reference(sheet: str) -> str:
    """A sheet name as a formula prefix: quoted when it is not a plain word (``'My sheet'!``)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet) and not re.fullmatch(
        r"[A-Za-z]{1,3}\d+", sheet
    ):
        return f"{sheet}!"
    return "'" + sheet.replace("'", "''") + "'!"


def extension(
    sheet: str, sparklines: Sequence[Sparkline], look: SparklineLook = SPARKLINE_LOOK
) -> str:
    """One ``<ext>`` holding one line sparkline group for ``sparklines`` of sheet ``sheet``."""
    prefix = sheet_reference(sheet)
    items = "".join(
        "<x14:sparkline>"
        f"<xm:f>{escape(prefix)}{cell_address(r1, c1)}:{cell_address(r2, c2)}</xm:f>"
        f"<xm:sqref>{cell_address(s.row, s.col)}</xm:sqref>"
        "</x14:sparkline>"
        for s in sparklines
        for r1, c1, r2, c2 in (s.data,)
    )
    line, latest = f"FF{look.line}", f"FF{look.latest}"
    colours = (
        f'<x14:colorSeries rgb="{line}"/><x14:colorNegative rgb="{latest}"/>'
        f'<x14:colorAxis rgb="FF000000"/><x14:colorMarkers rgb="{line}"/>'
        f'<x14:colorFirst rgb="{line}"/><x14:colorLast rgb="{latest}"/>'
        f'<x14:colorHigh rgb="{line}"/><x14:colorLow rgb="{line}"/>'
    )
    return (
        f'<ext uri="{SPARKLINE_URI}" xmlns:x14="{X14_NS}">'
        f'<x14:sparklineGroups xmlns:xm="{XM_NS}">'
        f'<x14:sparklineGroup lineWeight="{look.weight:g}" displayEmptyCellsAs="gap" last="1" '
        f'displayHidden="1">{colours}<x14:sparklines>{items}</x14:sparklines>'
        "</x14:sparklineGroup></x14:sparklineGroups></ext>"
    )


def add_to_sheet(xml: bytes, ext: str) -> bytes:
    """A worksheet part with ``ext`` appended to its ``<extLst>`` (made, last, when absent)."""
    data = ext.encode("utf-8")
    ends = list(_EXTLST_END.finditer(xml))
    if ends:
        at = ends[-1].start()
        return xml[:at] + data + xml[at:]
    end = _WORKSHEET_END.search(xml)
    if end is None:
        raise ValueError("not a worksheet part: no closing </worksheet>")
    return xml[: end.start()] + b"<extLst>" + data + b"</extLst>" + xml[end.start() :]
